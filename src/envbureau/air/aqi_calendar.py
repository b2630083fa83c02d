"""A year of an area's daily AQI as a calendar (HJ 633 日报, each day by the edition of its
date): twelve months of Monday-first weeks, each day coloured by its category.

The year defaults to the year of the latest data; only an empty database falls back to the
bureau's own today (``core.clock``), and the result says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.snapshots import DayFigures, air_as_of, days_of
from envbureau.core.clock import local_today

CellState = Literal["data", "no-data", "future"]


@dataclass(frozen=True)
class CalendarCell:
    """A day: with a valid AQI (``data``), without one (``no-data``), or past the data."""

    date: dt.date
    state: CellState
    figures: DayFigures | None


@dataclass(frozen=True)
class CalendarMonth:
    month: int
    weeks: tuple[tuple[CalendarCell | None, ...], ...]  # None: a day of another month


@dataclass(frozen=True)
class AqiCalendar:
    """A year of days up to the last day with data."""

    year: int
    last_day: dt.date | None  # None: the database has no air data
    days: tuple[DayFigures, ...]  # every day of the year up to ``last_day``, in order
    months: tuple[CalendarMonth, ...]
    year_from_clock: bool  # no air data at all: the year is the bureau's current one


def _days(session: Session, area_code: str, year: int, last: date) -> tuple[DayFigures, ...]:
    evaluation = service.evaluate(
        session=session, area_code=area_code, first_day=date(year, 1, 1), last_day=last
    )
    return () if evaluation is None else days_of(evaluation.city_daily)


def _months(
    year: int, days: tuple[DayFigures, ...], last: date | None
) -> tuple[CalendarMonth, ...]:
    by_date = {d.date: d for d in days}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[CalendarCell | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                found = by_date.get(day)
                state: CellState = "future" if last is None or day > last else "data"
                if state == "data" and (found is None or found.aqi is None):
                    state = "no-data"
                cells.append(CalendarCell(date=day, state=state, figures=found))
            weeks.append(tuple(cells))
        months.append(CalendarMonth(month=month, weeks=tuple(weeks)))
    return tuple(months)


def year_calendar(
    *, session: Session, area_code: str, year: int | None, tz: ZoneInfo
) -> AqiCalendar:
    """The area's calendar of ``year`` (default: the year of the latest data)."""
    as_of = air_as_of(session)
    year = year or (as_of.year if as_of else local_today(tz).year)
    last = min(date(year, 12, 31), as_of) if as_of else None
    days = _days(session, area_code, year, last) if last and last >= date(year, 1, 1) else ()
    return AqiCalendar(
        year=year,
        last_day=last,
        days=days,
        months=_months(year, days, last),
        year_from_clock=as_of is None,
    )
