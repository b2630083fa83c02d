"""A section's stored samples over a date range, for the API: the current revision of each,
at its Beijing time, with the items reported below the detection limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.standards import gb3838_tables as tables
from envbureau.water import service as water_service
from envbureau.water.as_of import checked_window, section_day
from envbureau.water.models import Section
from envbureau.water.section_detail import present_items

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class SampleValues:
    time: datetime  # Beijing, naive
    values: dict[str, float]
    below_detection: tuple[str, ...]


@dataclass(frozen=True)
class SectionSamples:
    section: str
    kind: str
    first: date
    last: date
    units: dict[str, str]
    samples: tuple[SampleValues, ...]


def section_samples(
    *, session: Session, section: Section, first: date | None, last: date | None, today: date
) -> SectionSamples:
    """Samples from ``first`` to ``last`` (default: the 30 days up to the section's latest
    sample); at most 366 days at once, and never a reversed range."""
    last = last or section_day(session=session, code=section.code, today=today).day
    first, last = checked_window(first or last - timedelta(days=DEFAULT_DAYS), last, MAX_DAYS)
    frame = water_service.load_samples(
        session=session, sections=[section.code], first_day=first, last_day=last
    )
    items = present_items(frame) if not frame.empty else []
    samples = []
    for _, row in frame.sort_values("time").iterrows() if not frame.empty else []:
        samples.append(
            SampleValues(
                time=row["time"].to_pydatetime(),
                values={i: float(row[i]) for i in items if pd.notna(row[i])},
                below_detection=tuple(i for i in items if bool(row.get(f"{i}_bdl", False))),
            )
        )
    return SectionSamples(
        section=section.code,
        kind=section.kind,
        first=first,
        last=last,
        units={i: tables.UNITS[i] for i in items},
        samples=tuple(samples),
    )
