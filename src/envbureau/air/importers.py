"""Importing stations and hourly observations: every rule checked first, then all or nothing.

Observations are written by (station, hour): a new station-hour is inserted; the same values
again change nothing; different values become a new revision (the old row is kept and stops
being current), so raw values are never overwritten.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.checks import ObservationImport, check_values
from envbureau.air.formats import (
    PARSERS_BY_FORMAT,
    ObservationBatch,
)
from envbureau.air.models import POLLUTANTS, Observation, Station
from envbureau.core.accounts import audit
from envbureau.core.areas.importers import unknown_area_errors
from envbureau.core.clock import utc_now
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.runner import (
    ApplyResult,
    ImportOutcome,
    Progress,
    apply_atomically,
    previewing,
    raise_if_errors,
    session_progress,
    upsert_rows,
)
from envbureau.core.importing.schema import Column, TableSchema
from envbureau.core.periods import Period

SAME_VALUE_TOLERANCE = 1e-9

STATION_SCHEMA = TableSchema(
    name="air_stations",
    label="空气监测站点",
    columns=(
        Column("code", "监测点编码", aliases=("站点编码", "站点代码")),
        Column("name", "监测点名称", aliases=("站点名称",)),
        Column("city", "城市"),
        Column("lon", "经度", kind="float", required=False, minimum=73, maximum=136),
        Column("lat", "纬度", kind="float", required=False, minimum=3, maximum=54),
        Column("area_code", "区划代码", required=False, aliases=("所在区县代码",)),
        Column(
            "control_level",
            "控制级别",
            kind="choice",
            required=False,
            choices={
                "国控": "national",
                "省控": "provincial",
                "市控": "city",
                "national": "national",
                "provincial": "provincial",
                "city": "city",
            },
        ),
        Column("active_from", "启用日期", kind="date", required=False),
        Column("active_to", "停用日期", kind="date", required=False),
        Column("replaces", "替代站点编码", required=False, aliases=("原站点编码",)),
    ),
    natural_key=("code",),
)


class StationImporter:
    kind = "air_stations"
    schema = STATION_SCHEMA
    #: a dry run only reads (``runner.PREVIEW``: ``upsert_rows`` counts without writing)
    previews = True

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        return unknown_area_errors(session, records, file_name)

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        rows = [{**r, "control_level": r["control_level"] or "national"} for r in records]
        return upsert_rows(
            session,
            Station,
            rows,
            key=("code",),
            entity_type="air_station",
            actor=actor,
            progress=progress,
        )


def check_batch(
    session: Session, batch: ObservationBatch, *, period: Period | None = None
) -> ObservationImport:
    """``check_values`` and, against the database, that every station is registered."""
    found = check_values(batch, period=period)
    frame, name = batch.frame, batch.file_name
    errors = found.errors
    known = set(
        session.scalars(
            select(Station.code).where(Station.code.in_(frame["station"].unique().tolist()))
        )
    )
    for code in sorted(set(frame["station"]) - known):
        first = frame.index[frame["station"] == code][0]
        errors.append(
            ErrorDetail(
                (name, frame.at[first, "where"], "站点编码"),
                "air.station_unknown",
                "站点未登记，请先导入站点",
                value=str(code),
            )
        )
    return found


def _current(session: Session, stations: list[str], start: datetime, end: datetime) -> pd.DataFrame:
    stmt = select(
        Observation.id,
        Observation.station_code,
        Observation.time_utc,
        Observation.revision,
        *(getattr(Observation, p) for p in POLLUTANTS),
    ).where(
        Observation.is_current.is_(True),
        Observation.station_code.in_(stations),
        Observation.time_utc >= start,
        Observation.time_utc <= end,
    )
    rows = session.execute(stmt).all()
    return pd.DataFrame(rows, columns=["id", "station", "time_utc", "revision", *POLLUTANTS])


def apply_batch(
    session: Session, batch: ObservationBatch, *, actor: str, progress: Progress
) -> ApplyResult:
    """Insert new station-hours, add revisions for changed ones, leave equal ones alone."""
    frame = batch.frame.drop_duplicates(subset=["station", "time"]).copy()
    frame["time_utc"] = frame["time"].dt.tz_convert(UTC).dt.tz_localize(None)
    result = ApplyResult()
    if frame.empty:
        return result
    existing = _current(
        session,
        frame["station"].unique().tolist(),
        frame["time_utc"].min().to_pydatetime(),
        frame["time_utc"].max().to_pydatetime(),
    )
    merged = frame.merge(
        existing, on=["station", "time_utc"], how="left", suffixes=("", "_old"), indicator=True
    )
    new = merged[merged["_merge"] == "left_only"]
    old = merged[merged["_merge"] == "both"]
    differs = np.zeros(len(old), dtype=bool)
    for p in POLLUTANTS:
        a, b = old[p].to_numpy(dtype=float), old[f"{p}_old"].to_numpy(dtype=float)
        differs |= ~((np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= SAME_VALUE_TOLERANCE))
    changed = old[differs]
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(old) - len(changed)
    if previewing(session):  # a dry run: counted from the existing rows, nothing written
        progress(len(frame), len(frame))
        return result
    now = utc_now()
    reason = f"导入 {batch.file_name}"

    def rows(part: pd.DataFrame, revision: pd.Series | int) -> list[dict[str, Any]]:
        out = part[["station", "time_utc", *POLLUTANTS]].rename(columns={"station": "station_code"})
        out = out.astype(object).where(out.notna(), None)
        out["time_utc"] = part["time_utc"].dt.to_pydatetime()
        out["revision"] = revision
        out["is_current"], out["status"], out["invalid_flags"] = True, batch.status, 0
        out["created_by"], out["created_at"], out["source"] = actor, now, batch.file_name
        out["reason"] = reason
        return out.to_dict("records")

    _insert_in_chunks(session, rows(new, 1), progress)
    if len(changed):
        session.execute(
            update(Observation)
            .where(Observation.id.in_(changed["id"].astype(int).tolist()))
            .values(is_current=False)
        )
        _insert_in_chunks(session, rows(changed, changed["revision"].astype(int) + 1), progress)
        for _, r in changed.iterrows():
            audit.record(
                session,
                actor=actor,
                action="revise",
                entity_type="air_observation",
                entity_id=f"{r['station']}/{r['time_utc']:%Y-%m-%dT%H:%MZ}",
                before={p: _num(r[f"{p}_old"]) for p in POLLUTANTS},
                after={p: _num(r[p]) for p in POLLUTANTS},
                reason=reason,
            )
    air_service.forget_evaluations(session)  # evaluations of this session no longer hold
    session.flush()
    return result


def _num(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _insert_in_chunks(
    session: Session, rows: list[dict[str, Any]], progress: Progress, size: int = 20000
) -> None:
    """Core executemany in chunks: observation rows need no ORM identity, only speed."""
    connection = session.connection()
    table = Observation.__table__
    assert isinstance(table, Table)  # a declarative class's table; typed as any FromClause
    for start in range(0, len(rows), size):
        connection.execute(table.insert(), rows[start : start + size])
        progress(min(start + size, len(rows)), len(rows))


def import_observations(
    session: Session,
    *,
    data: bytes,
    file_name: str,
    fmt: str,
    actor: str,
    dry_run: bool = False,
    period: Period | None = None,
    stations: set[str] | None = None,
    progress: Progress | None = None,
) -> tuple[ImportOutcome, list[ErrorDetail]]:
    """Check an observation file against every rule and import it atomically.

    ``stations`` limits the import to those codes (e.g. one city out of a national file);
    the other columns of the file are then ignored on purpose, not by error. Returns the
    outcome and the warnings (values imported but flagged for review).
    """
    batch, errors = PARSERS_BY_FORMAT[fmt](data, file_name)
    if stations is not None:
        batch.frame = batch.frame[batch.frame["station"].isin(stations)].reset_index(drop=True)
    found = check_batch(session, batch, period=period)
    raise_if_errors(errors + found.errors, file_name)
    outcome = apply_atomically(
        session,
        kind=f"air_observations:{fmt}",
        data=data,
        file_name=file_name,
        rows=len(batch.frame),
        actor=actor,
        dry_run=dry_run,
        previews=True,
        apply=lambda: apply_batch(
            session, batch, actor=actor, progress=session_progress(session, progress)
        ),
    )
    return outcome, found.warnings
