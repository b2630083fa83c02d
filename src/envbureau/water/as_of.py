"""Which day the water pages start from: the day the data reach, never the wall clock.

A page's default half-year and a section's default date range end on the Beijing day of the
latest current sample (of the area, or of the section). Without one there, they take the day
the city's water data reach; only an empty database falls back to today in the bureau's zone,
which the caller passes in (``core.clock.local_today``), and the page says so (architecture.md,
"Time").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.errors import RuleViolation
from envbureau.core.periods import Period, half_of
from envbureau.water.models import Sample, Section
from envbureau.water.snapshots import water_as_of

#: ``own``: the area's (or section's) latest sample; ``city``: the latest water sample of the
#: database, the area having none; ``clock``: no water samples at all, today is used.
DaySource = Literal["own", "city", "clock"]


@dataclass(frozen=True)
class DataDay:
    """The day a page's default period or range ends on, and where it was taken from."""

    day: date
    source: DaySource


def area_latest_day(*, session: Session, area_code: str) -> date | None:
    """The Beijing day of the latest current sample of the area's sections (and below)."""
    codes = areas_service.area_and_descendant_codes(session=session, code=area_code)
    latest = session.scalar(
        select(func.max(Sample.time_utc))
        .join(Section, Section.code == Sample.section_code)
        .where(Section.area_code.in_(codes), Sample.is_current.is_(True))
    )
    return None if latest is None else (latest + BEIJING_OFFSET).date()


def section_latest_day(*, session: Session, code: str) -> date | None:
    """The Beijing day of the section's latest current sample."""
    latest = session.scalar(
        select(func.max(Sample.time_utc)).where(
            Sample.section_code == code, Sample.is_current.is_(True)
        )
    )
    return None if latest is None else (latest + BEIJING_OFFSET).date()


def _data_day(session: Session, own: date | None, today: date) -> DataDay:
    if own is not None:
        return DataDay(own, "own")
    city = water_as_of(session)
    return DataDay(city, "city") if city is not None else DataDay(today, "clock")


def area_day(*, session: Session, area_code: str, today: date) -> DataDay:
    """The day an area's water pages start from (``today`` only for an empty database)."""
    return _data_day(session, area_latest_day(session=session, area_code=area_code), today)


def section_day(*, session: Session, code: str, today: date) -> DataDay:
    """The day a section's date range ends on by default (``today`` only without any data)."""
    return _data_day(session, section_latest_day(session=session, code=code), today)


def default_half(*, session: Session, area_code: str, today: date) -> Period:
    """The half-year an area's water pages show when none is asked for."""
    return half_of(area_day(session=session, area_code=area_code, today=today).day)


def checked_window(first: date, last: date, max_days: int | None = None) -> tuple[date, date]:
    """A date range as asked, refused when reversed or longer than ``max_days``."""
    if last < first:
        raise RuleViolation(f"结束日 {last} 早于开始日 {first}", code="period.reversed")
    if max_days is not None and (last - first).days >= max_days:
        raise RuleViolation(f"一次最多查询 {max_days} 天", code="range.too_long")
    return first, last
