"""Importing stations and hourly observations: every rule checked first, then all or nothing.

Observations are written by (station, hour): a new station-hour is inserted; the same values
again change nothing; different values become a new revision (the old row is kept and stops
being current), so raw values are never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.formats import (
    ObservationBatch,
    parse_china_sites,
    parse_prsa,
    parse_template,
)
from envbureau.air.models import POLLUTANTS, Observation, Station
from envbureau.core.accounts import audit
from envbureau.core.areas.models import Area
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.runner import (
    ApplyResult,
    ImportOutcome,
    Progress,
    apply_atomically,
    raise_if_errors,
    upsert_rows,
)
from envbureau.core.importing.schema import Column, TableSchema
from envbureau.core.periods import Period

# Upper bounds of a believable 1-h value; above them a value is an error, not a measurement.
# CO is in mg/m³: a CO column whose typical value is above CO_MGM3_TYPICAL_MAX is in μg/m³.
PLAUSIBLE_MAX = {
    "so2": 10000.0,
    "no2": 3000.0,
    "co": 150.0,
    "o3": 1500.0,
    "pm10": 10000.0,
    "pm25": 5000.0,
}
CO_MGM3_TYPICAL_MAX = 20.0
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

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        areas = set(session.scalars(select(Area.code)))
        return [
            ErrorDetail(
                (file_name, r["_row"], "区划代码"),
                "area.unknown",
                "区划代码不存在",
                value=r["area_code"],
            )
            for r in records
            if r["area_code"] and r["area_code"] not in areas
        ]

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


@dataclass
class ObservationImport:
    """What a check of an observation file found."""

    batch: ObservationBatch
    errors: list[ErrorDetail]
    warnings: list[ErrorDetail]


def _cell_errors(
    batch: ObservationBatch, mask: pd.Series, pollutant: str, code: str, msg: str
) -> list[ErrorDetail]:
    frame = batch.frame
    return [
        ErrorDetail(
            (
                batch.file_name,
                frame.at[i, "where"],
                f"{frame.at[i, 'station']}/{batch.labels[pollutant]}",
            ),
            code,
            msg,
            value=f"{frame.at[i, pollutant]:g}",
        )
        for i in frame.index[mask.fillna(False).to_numpy()]
    ]


def check_batch(
    session: Session, batch: ObservationBatch, *, period: Period | None = None
) -> ObservationImport:
    """Rules on values, units, stations, duplicates and period; flags PM2.5 > PM10."""
    frame, name = batch.frame, batch.file_name
    errors: list[ErrorDetail] = []
    co = frame["co"].dropna()
    co_in_ug = bool(len(co)) and co.median() > CO_MGM3_TYPICAL_MAX
    if co_in_ug:
        errors.append(
            ErrorDetail(
                (name, "全部行", batch.labels["co"]),
                "co.unit",
                f"CO 的中位数为 {co.median():g}，像是 μg/m³；本格式要求 mg/m³，请换算后再导入",
            )
        )
    for p in POLLUTANTS:
        values = frame[p]
        errors += _cell_errors(batch, values < 0, p, "value.negative", "浓度不能为负")
        if not (p == "co" and co_in_ug):  # one unit error says it all for that column
            errors += _cell_errors(
                batch,
                values > PLAUSIBLE_MAX[p],
                p,
                "value.implausible",
                f"超出可信范围（>{PLAUSIBLE_MAX[p]:g}）",
            )
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
    keys = frame[["station", "time"]]
    doubled = keys.duplicated(keep=False)
    if doubled.any():
        same = frame[doubled].drop(columns="where").fillna(-1.0).duplicated(keep="first")
        conflicting = frame[doubled][~same].duplicated(subset=["station", "time"], keep="first")
        for i in conflicting[conflicting].index:
            errors.append(
                ErrorDetail(
                    (name, frame.at[i, "where"], "站点编码/时间"),
                    "row.duplicate_conflict",
                    "同一站点同一小时出现两次且数值不同",
                    value=f"{frame.at[i, 'station']} {frame.at[i, 'time']}",
                )
            )
    if period is not None:
        day = (frame["time"] - pd.Timedelta(hours=1)).dt.date
        outside = (day < period.start) | (day > period.end)
        errors += [
            ErrorDetail(
                (name, frame.at[i, "where"], "时间"),
                "time.outside_period",
                f"不在导入时段 {period.code} 内",
                value=str(frame.at[i, "time"]),
            )
            for i in frame.index[outside.to_numpy()]
        ]
    warnings = [
        ErrorDetail(
            (name, frame.at[i, "where"], f"{frame.at[i, 'station']}/PM2.5"),
            "pm25.above_pm10",
            "PM2.5 大于 PM10（已导入，标记待核）",
            value=f"{frame.at[i, 'pm25']:g}>{frame.at[i, 'pm10']:g}",
        )
        for i in frame.index[(frame["pm25"] > frame["pm10"]).to_numpy()]
    ]
    return ObservationImport(batch, errors, warnings)


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
    now = datetime.now(UTC).replace(tzinfo=None)
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
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(old) - len(changed)
    session.flush()
    return result


def _num(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _insert_in_chunks(
    session: Session, rows: list[dict[str, Any]], progress: Progress, size: int = 20000
) -> None:
    """Core executemany in chunks: observation rows need no ORM identity, only speed."""
    connection = session.connection()
    for start in range(0, len(rows), size):
        connection.execute(Observation.__table__.insert(), rows[start : start + size])
        progress(min(start + size, len(rows)), len(rows))


PARSERS: dict[str, Callable[[bytes, str], Any]] = {
    "china-sites": parse_china_sites,
    "prsa": parse_prsa,
}


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
    if fmt == "template":
        batch, errors = parse_template(data, file_name)
    else:
        batch, errors = PARSERS[fmt](data, file_name), []
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
        apply=lambda: apply_batch(
            session, batch, actor=actor, progress=progress or (lambda d, t: None)
        ),
    )
    return outcome, found.warnings
