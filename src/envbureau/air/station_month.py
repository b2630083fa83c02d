"""A station's page: its register entry, a month of daily AQI with its coverage (STYLE 15) and
the last week's hourly values, up to the day the data reach (never the wall clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.models import POLLUTANTS, Station
from envbureau.air.snapshots import DayFigures, active_days, air_as_of, days_of
from envbureau.core.areas import service as areas_service
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period

HOURLY_DAYS = 7  # the hourly chart shows this many days up to the station's last day


@dataclass(frozen=True)
class StationInfo:
    """A station as registered, with the name of its district."""

    code: str
    name: str
    city: str
    area_code: str | None
    area_name: str
    control_level: str  # national, provincial, city
    lon: float | None
    lat: float | None
    active_from: dt.date | None
    active_to: dt.date | None
    replaces: str | None


@dataclass(frozen=True)
class StationCoverage:
    """Valid days and hourly values of each pollutant against the days and hours the station
    was in service in the month (GB 3095 表4 for a valid day)."""

    first_day: dt.date | None  # None: the month is outside the station's service
    last_day: dt.date | None
    expected_days: int
    valid_days: int
    expected_hours: int
    by_pollutant: Mapping[str, int]


@dataclass(frozen=True)
class HourlySeries:
    """Hourly values of one station (hour-ending, Beijing time; flagged values as None)."""

    first_day: dt.date
    last_day: dt.date
    times: tuple[dt.datetime, ...]
    values: Mapping[str, tuple[float | None, ...]]  # pollutant → one value per time

    @property
    def count(self) -> int:
        return len(self.times)


@dataclass(frozen=True)
class StationMonth:
    """A station's month of days (and, for its page, the last week's hours)."""

    station: StationInfo
    last_day: dt.date | None  # the station's last day with data; None: no air data at all
    month: Period | None
    days: tuple[DayFigures, ...] = ()
    coverage: StationCoverage | None = None
    hours: HourlySeries | None = None

    @property
    def previous_month(self) -> str | None:
        return None if self.month is None else f"{self.month.start - timedelta(days=1):%Y-%m}"

    @property
    def next_month(self) -> str | None:
        if self.month is None or self.last_day is None or self.month.end >= self.last_day:
            return None
        return f"{self.month.end + timedelta(days=1):%Y-%m}"


def station_info(*, session: Session, station: Station) -> StationInfo:
    """The station's register entry with its district's name."""
    area = areas_service.get(session=session, code=station.area_code) if station.area_code else None
    return StationInfo(
        code=station.code,
        name=station.name,
        city=station.city,
        area_code=station.area_code,
        area_name=area.name if area else "",
        control_level=station.control_level,
        lon=station.lon,
        lat=station.lat,
        active_from=station.active_from,
        active_to=station.active_to,
        replaces=station.replaces,
    )


def _coverage(
    session: Session, station: Station, last: date, month: Period
) -> tuple[tuple[DayFigures, ...], StationCoverage]:
    month_last = min(month.end, last)
    active = active_days(station, month.start, month_last)
    days: tuple[DayFigures, ...] = ()
    by_pollutant = dict.fromkeys(POLLUTANTS, 0)
    if active:
        codes, first = [station.code], active[0]
        evaluation = service.evaluate_stations(
            session=session, stations=codes, first_day=first, last_day=active[-1]
        )
        if evaluation is not None:
            days = days_of(evaluation.city_daily)
        hours = service.load_hourly(
            session=session, stations=codes, first_day=first, last_day=active[-1]
        )
        by_pollutant = {p: int(hours[p].notna().sum()) for p in POLLUTANTS}
    coverage = StationCoverage(
        first_day=active[0] if active else None,
        last_day=active[-1] if active else None,
        expected_days=len(active),
        valid_days=sum(1 for d in days if d.aqi is not None),
        expected_hours=24 * len(active),
        by_pollutant=by_pollutant,
    )
    return days, coverage


def _hours(session: Session, station: Station, last: date) -> HourlySeries:
    first = last - timedelta(days=HOURLY_DAYS - 1)
    hourly = service.load_hourly(
        session=session, stations=[station.code], first_day=first, last_day=last
    )
    times = tuple(t.to_pydatetime() for t in hourly["time"].dt.tz_localize(None))
    values = {p: tuple(None if pd.isna(v) else float(v) for v in hourly[p]) for p in POLLUTANTS}
    return HourlySeries(first_day=first, last_day=last, times=times, values=values)


def station_month(
    *, session: Session, station: Station, month: Period | None, hours: bool = False
) -> StationMonth:
    """A month of the station's days (default: the month of its last day with data) and its
    coverage; with ``hours``, the last week's hourly values as well."""
    info = station_info(session=session, station=station)
    as_of = air_as_of(session)
    if as_of is None:
        return StationMonth(station=info, last_day=None, month=None)
    last = min(as_of, station.active_to or as_of)
    month = month or parse_period(f"{last:%Y-%m}")
    days, coverage = _coverage(session, station, last, month)
    return StationMonth(
        station=info,
        last_day=last,
        month=month,
        days=days,
        coverage=coverage,
        hours=_hours(session, station, last) if hours else None,
    )
