"""Importing the national automatic-station release (国家地表水水质自动监测实时数据) into the
database, as samples of the bureau's registered sections.

The release names a section but gives it no code, so rows are matched to registered sections
by 断面名称; rows of other sections are counted and left out (a release covers the whole
country), unless ``register`` asks to register them as 国控 river sections — the release does
not say whether a section lies on a lake or reservoir, so that must then be set by the section
sheet before its class is trusted. Chlorophyll a is not imported: the release labels it mg/L
while its magnitudes vary by station, and the TLI needs mg/m³ with a Secchi depth the release
lacks.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.runner import (
    ApplyResult,
    ImportOutcome,
    apply_atomically,
    raise_if_errors,
)
from envbureau.water.importers import apply_samples
from envbureau.water.models import Section
from envbureau.water.readers import CNEMC_COLUMNS, read_cnemc_realtime

#: Release readings stored as sample items (the release's other columns are not GB 3838 items).
RELEASE_ITEMS = ("water_temp", "ph", "do", "codmn", "nh3n", "tp", "tn")


@dataclass
class ReleaseImport:
    outcome: ImportOutcome
    matched_sections: int
    skipped_rows: int
    registered: int
    conflicting_rows: int = 0


def import_release(
    session: Session,
    *,
    data: bytes,
    file_name: str,
    actor: str,
    province: str | None = None,
    year: int | None = None,
    register: bool = False,
    skip_conflicts: bool = False,
    dry_run: bool = False,
) -> ReleaseImport:
    """Check the whole file, then write its readings atomically; a repeat changes nothing.

    The release prints 监测时间 as "MM-DD HH:MM": ``year`` supplies the year for a file that
    has no dated column, and such a file without it is refused rather than guessed. Two
    different readings of one section name at one time (the release has stations sharing a
    name) refuse the file, unless ``skip_conflicts`` leaves those readings out and counts them.
    """
    frame = _read(data, file_name, year)
    if len(frame) and frame["time"].isna().all():
        raise_if_errors(
            [
                ErrorDetail(
                    (file_name, 2, CNEMC_COLUMNS["monitor_time"][0]),
                    "release.year_missing",
                    "监测时间没有年份，请指定年份（--year）",
                    value=str(frame["monitor_time"].iloc[0]),
                )
            ],
            file_name,
        )
    if province:
        frame = frame[frame["province"] == province]
    frame = frame[frame["time"].notna()]
    frame = frame.dropna(subset=list(RELEASE_ITEMS), how="all")
    by_name = {s.name: s.code for s in session.scalars(select(Section))}
    new_sections = _new_sections(frame, by_name) if register else []
    by_name |= {s.name: s.code for s in new_sections}
    known = frame["section"].isin(by_name)
    skipped, frame = int((~known).sum()), frame[known]
    frame = frame.assign(code=frame["section"].map(by_name))
    frame["time"] = frame["time"].dt.tz_localize(None)
    frame = frame.drop_duplicates(subset=["code", "time", *RELEASE_ITEMS])
    conflicted = frame.duplicated(subset=["code", "time"], keep=False)
    if not skip_conflicts:
        raise_if_errors(_conflicts(frame[conflicted], file_name), file_name)
    frame = frame[~conflicted]
    rows = [
        {
            "section": r["code"],
            "time": r["time"],
            "values": {k: float(r[k]) for k in RELEASE_ITEMS if pd.notna(r[k])},
            "bdl": [],
        }
        for r in frame.to_dict("records")
    ]
    outcome = apply_atomically(
        session,
        kind="water_release",
        data=data,
        file_name=file_name,
        rows=len(rows),
        actor=actor,
        dry_run=dry_run,
        apply=lambda: _apply(session, new_sections, rows, file_name, actor),
    )
    return ReleaseImport(
        outcome, int(frame["code"].nunique()), skipped, len(new_sections), int(conflicted.sum())
    )


def _apply(
    session: Session,
    sections: list[Section],
    rows: list[dict[str, Any]],
    file_name: str,
    actor: str,
) -> ApplyResult:
    session.add_all(sections)
    session.flush()
    result = apply_samples(session, rows, file_name, actor)
    result.created += len(sections)
    return result


def _read(data: bytes, file_name: str, year: int | None) -> pd.DataFrame:
    """The release reader works on a path (it sniffs gzip); the name keeps the suffix."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(data)
        try:
            return read_cnemc_realtime(path, year=year)
        except ValueError as exc:
            message = str(exc).replace(str(path), file_name)
            raise_if_errors([ErrorDetail((file_name,), "release.format", message)], file_name)
            raise  # not reached: raise_if_errors raised


def _new_sections(frame: pd.DataFrame, by_name: dict[str, str]) -> list[Section]:
    new = frame.loc[~frame["section"].isin(by_name), ["province", "section"]].drop_duplicates(
        subset="section"
    )
    return [
        Section(
            code=f"{province[:2]}-{name}"[:40], name=name, kind="river", control_level="national"
        )
        for province, name in new.itertuples(index=False)
    ]


def _conflicts(twice: pd.DataFrame, file_name: str) -> list[ErrorDetail]:
    """Two different readings of one section at one time: which is right is not ours to guess."""
    heading = CNEMC_COLUMNS["monitor_time"][0]
    return [
        ErrorDetail(
            (file_name, int(r["line"]), heading),
            "water.duplicate_sample",
            f"断面“{r['section']}”同一监测时间有两条不同的数据",
            value=str(r["monitor_time"]),
        )
        for r in twice.to_dict("records")
    ]
