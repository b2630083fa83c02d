"""What a station and an area look like today: the latest day's AQI, the month's coverage and
recent gaps (STYLE 15), read through the service and evaluated by the engines.

The day the data reach (``air_as_of``) is the latest observation in the database, never the wall
clock, so pages and the portal say "as of" the data they show.

Results are frozen dataclasses (``DayFigures``, ``StationSnapshot``); ``day_figures``,
``station_snapshot`` and ``area_day`` give the same as plain dicts (dates as ISO text) for the
pages that still read dicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import CONTROL_LEVELS, POLLUTANTS, Observation, Station
from envbureau.core.areas import service as areas_service
from envbureau.core.colours import NO_DATA_COLOUR
from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards import hj633_tables

RECENT_DAYS = 3  # "missing data in the last days" looks at this many days up to as-of
#: The six AQI categories with their colours (HJ 633 表2/表1 and 附录A), for legends.
AQI_LEGEND = tuple(zip(hj633_tables.CATEGORIES, hj633_tables.COLOURS_RGB_HEX, strict=True))


@dataclass(frozen=True)
class DayFigures:
    """A day's AQI as shown (HJ 633 日报): category, colour, health texts of its edition."""

    date: dt.date
    aqi: int | None
    level: int | None
    category: str | None
    colour: str
    primary_pollutants: str  # as reports write them: "PM2.5、O3"
    edition: str | None
    health_effect: str | None
    health_advice: str | None
    pm25: float | None  # city (or station) PM2.5 24-h mean [μg/m³]


@dataclass(frozen=True)
class MonthCoverage:
    """Valid days and complete hours of a station in the month up to the as-of day."""

    month: str  # 2026-06
    first_day: dt.date
    last_day: dt.date
    expected_days: int
    valid_days: int
    expected_hours: int
    complete_hours: int
    rule: str


@dataclass(frozen=True)
class StationSnapshot:
    """A station on the as-of day: its latest day, the month's coverage, its recent gaps."""

    code: str
    name: str
    area_code: str | None
    area_name: str
    control_level: str  # its label: 国控, 省控, 市控
    lon: float | None
    lat: float | None
    active_from: dt.date | None
    active_to: dt.date | None
    active: bool
    latest: DayFigures | None = None
    coverage: MonthCoverage | None = None
    recent_invalid_days: int | None = None


def plain(result: Any) -> Any:
    """A result as JSON-ready dicts and lists, dates as ISO text (for dict-reading pages)."""
    if is_dataclass(result) and not isinstance(result, type):
        return {f.name: plain(getattr(result, f.name)) for f in fields(result)}
    if isinstance(result, dt.date):
        return result.isoformat()
    if isinstance(result, (list, tuple)):
        return [plain(item) for item in result]
    if isinstance(result, dict):
        return {key: plain(value) for key, value in result.items()}
    return result


def air_as_of(session: Session) -> date | None:
    """The Beijing day of the latest current observation (the hour ending at 24:00 counts
    for the day it ends)."""
    latest = session.scalar(
        select(func.max(Observation.time_utc)).where(Observation.is_current.is_(True))
    )
    return None if latest is None else (latest + BEIJING_OFFSET - timedelta(hours=1)).date()


def level_of(level: object) -> int | None:
    return None if level is None or pd.isna(level) else int(level)  # type: ignore[call-overload]


def day_of(row: pd.Series) -> DayFigures:
    """A day of an evaluation's ``city_daily`` as shown: AQI, category, colour, health texts."""
    level = level_of(row.get("level"))
    aqi = row.get("aqi")
    edition = str(row.get("edition") or "")
    index = level - 1 if level else None  # into the tables of the six categories
    texts = index is not None and edition in hj633_tables.HEALTH_ADVICE
    return DayFigures(
        date=pd.Timestamp(row["date"]).date(),
        aqi=None if aqi is None or pd.isna(aqi) else int(aqi),
        level=level,
        category=hj633_tables.CATEGORIES[index] if index is not None else None,
        colour=hj633_tables.COLOURS_RGB_HEX[index] if index is not None else NO_DATA_COLOUR,
        primary_pollutants=str(row.get("primary_pollutants") or "").replace(";", "、"),
        edition=edition or None,
        health_effect=hj633_tables.HEALTH_EFFECTS[edition][index or 0] if texts else None,
        health_advice=hj633_tables.HEALTH_ADVICE[edition][index or 0] if texts else None,
        pm25=_number(row.get("pm25_24h")),
    )


def days_of(daily: pd.DataFrame) -> tuple[DayFigures, ...]:
    """Every day of an evaluation's ``city_daily``, in date order."""
    return tuple(day_of(row) for _, row in daily.iterrows())


def day_figures(row: pd.Series) -> dict[str, Any]:
    """``day_of`` as a dict (date as ISO text)."""
    return plain(day_of(row))


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def active_days(station: Station, first: date, last: date) -> list[date]:
    """The days of first … last on which the station was in service."""
    start = max(first, station.active_from or first)
    end = min(last, station.active_to or last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def snapshot_of(
    session: Session, station: Station, as_of: date, names: dict[str, str]
) -> StationSnapshot:
    """A station's latest day, its coverage in the month of ``as_of`` and its recent gaps."""
    active = bool(active_days(station, as_of, as_of))
    base = StationSnapshot(
        code=station.code,
        name=station.name,
        area_code=station.area_code,
        area_name=names.get(station.area_code or "", ""),
        control_level=CONTROL_LEVELS.get(station.control_level, station.control_level),
        lon=station.lon,
        lat=station.lat,
        active_from=station.active_from,
        active_to=station.active_to,
        active=active,
    )
    if not active:
        return base
    month_start = as_of.replace(day=1)
    first = min(month_start, as_of - timedelta(days=RECENT_DAYS - 1))
    month_days = active_days(station, month_start, as_of)
    evaluation = air_service.evaluate_stations(
        session=session, stations=[station.code], first_day=first, last_day=as_of
    )
    hourly = air_service.load_hourly(
        session=session, stations=[station.code], first_day=first, last_day=as_of
    )
    day_of_hour = (hourly["time"] - pd.Timedelta(hours=1)).dt.date
    in_month = hourly[(day_of_hour >= month_start).to_numpy()]
    complete = int(in_month[list(POLLUTANTS)].notna().all(axis=1).sum())
    latest, valid_days, recent_invalid = None, 0, RECENT_DAYS
    if evaluation is not None:
        daily = evaluation.city_daily
        dates = daily["date"].dt.date
        latest = day_of(daily[dates == as_of].iloc[0])
        month = daily[(dates >= month_start).to_numpy()]
        valid_days = int(month["aqi"].notna().sum())
        recent = daily[(dates > as_of - timedelta(days=RECENT_DAYS)).to_numpy()]
        recent_invalid = int(recent["aqi"].isna().sum())
    coverage = MonthCoverage(
        month=month_start.strftime("%Y-%m"),
        first_day=month_start,
        last_day=as_of,
        expected_days=len(month_days),
        valid_days=valid_days,
        expected_hours=24 * len(month_days),
        complete_hours=complete,
        rule="有效日：当日 AQI 的各项日均值均满足 GB 3095 表4；完整小时：六项污染物均有有效值",
    )
    return replace(base, latest=latest, coverage=coverage, recent_invalid_days=recent_invalid)


def station_snapshot(
    session: Session, station: Station, as_of: date, names: dict[str, str]
) -> dict[str, Any]:
    """``snapshot_of`` as a dict (dates as ISO text)."""
    return plain(snapshot_of(session, station, as_of, names))


def area_day(session: Session, area_code: str, day: date) -> dict[str, Any] | None:
    """The official daily AQI of an area (a city on its national-control stations)."""
    evaluation = air_service.evaluate(
        session=session, area_code=area_code, first_day=day, last_day=day
    )
    if evaluation is None:
        return None
    return {**day_figures(evaluation.city_daily.iloc[0]), "stations": evaluation.stations}


@dataclass(frozen=True)
class StationList:
    """An area's stations on the day the data reach (None: no air data, no rows)."""

    as_of: dt.date | None
    items: tuple[StationSnapshot, ...]


def list_snapshots(
    *, session: Session, area_code: str, visible: Collection[str] | None = None
) -> StationList:
    """The snapshots of an area's stations that lie in the ``visible`` areas (None: all)."""
    as_of = air_as_of(session)
    if as_of is None:
        return StationList(as_of=None, items=())
    stations = air_service.list_stations(session=session, area_code=area_code)
    names = areas_service.area_names(session=session)
    return StationList(
        as_of=as_of,
        items=tuple(
            snapshot_of(session, s, as_of, names)
            for s in stations
            if visible is None or s.area_code in visible
        ),
    )
