"""What a station and an area look like today: the latest day's AQI, the month's coverage and
recent gaps (STYLE 15), read through the service and evaluated by the engines.

The day the data reach (``air_as_of``) is the latest observation in the database, never the wall
clock, so pages and the portal say "as of" the data they show.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import CONTROL_LEVELS, POLLUTANTS, Observation, Station
from envbureau.core.colours import NO_DATA_COLOUR
from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards import hj633_tables

RECENT_DAYS = 3  # "missing data in the last days" looks at this many days up to as-of
#: The six AQI categories with their colours (HJ 633 表2/表1 and 附录A), for legends.
AQI_LEGEND = tuple(zip(hj633_tables.CATEGORIES, hj633_tables.COLOURS_RGB_HEX, strict=True))


def air_as_of(session: Session) -> date | None:
    """The Beijing day of the latest current observation (the hour ending at 24:00 counts
    for the day it ends)."""
    latest = session.scalar(
        select(func.max(Observation.time_utc)).where(Observation.is_current.is_(True))
    )
    return None if latest is None else (latest + BEIJING_OFFSET - timedelta(hours=1)).date()


def level_of(level: object) -> int | None:
    return None if level is None or pd.isna(level) else int(level)  # type: ignore[call-overload]


def day_figures(row: pd.Series) -> dict[str, Any]:
    """A day of an evaluation's ``city_daily`` as shown: AQI, category, colour, health texts."""
    level = level_of(row.get("level"))
    aqi = row.get("aqi")
    edition = str(row.get("edition") or "")
    known = level is not None and edition in hj633_tables.HEALTH_ADVICE
    return {
        "date": pd.Timestamp(row["date"]).date().isoformat(),
        "aqi": None if aqi is None or pd.isna(aqi) else int(aqi),
        "level": level,
        "category": hj633_tables.CATEGORIES[level - 1] if level else None,
        "colour": hj633_tables.COLOURS_RGB_HEX[level - 1] if level else NO_DATA_COLOUR,
        "primary_pollutants": str(row.get("primary_pollutants") or "").replace(";", "、"),
        "edition": edition or None,
        "health_effect": hj633_tables.HEALTH_EFFECTS[edition][level - 1] if known else None,
        "health_advice": hj633_tables.HEALTH_ADVICE[edition][level - 1] if known else None,
        "pm25": _number(row.get("pm25_24h")),
    }


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def active_days(station: Station, first: date, last: date) -> list[date]:
    """The days of first … last on which the station was in service."""
    start = max(first, station.active_from or first)
    end = min(last, station.active_to or last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def station_snapshot(
    session: Session, station: Station, as_of: date, names: dict[str, str]
) -> dict[str, Any]:
    """A station's latest day, its coverage in the month of ``as_of`` and its recent gaps."""
    month_start = as_of.replace(day=1)
    first = min(month_start, as_of - timedelta(days=RECENT_DAYS - 1))
    out: dict[str, Any] = {
        "code": station.code,
        "name": station.name,
        "area_code": station.area_code,
        "area_name": names.get(station.area_code or "", ""),
        "control_level": CONTROL_LEVELS.get(station.control_level, station.control_level),
        "lon": station.lon,
        "lat": station.lat,
        "active_from": station.active_from.isoformat() if station.active_from else None,
        "active_to": station.active_to.isoformat() if station.active_to else None,
        "active": bool(active_days(station, as_of, as_of)),
        "latest": None,
        "coverage": None,
        "recent_invalid_days": None,
    }
    if not out["active"]:
        return out
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
    valid_days = 0
    if evaluation is not None:
        daily = evaluation.city_daily
        dates = daily["date"].dt.date
        out["latest"] = day_figures(daily[dates == as_of].iloc[0])
        month = daily[(dates >= month_start).to_numpy()]
        valid_days = int(month["aqi"].notna().sum())
        recent = daily[(dates > as_of - timedelta(days=RECENT_DAYS)).to_numpy()]
        out["recent_invalid_days"] = int(recent["aqi"].isna().sum())
    else:
        out["recent_invalid_days"] = RECENT_DAYS
    out["coverage"] = {
        "month": month_start.strftime("%Y-%m"),
        "first_day": month_start.isoformat(),
        "last_day": as_of.isoformat(),
        "expected_days": len(month_days),
        "valid_days": valid_days,
        "expected_hours": 24 * len(month_days),
        "complete_hours": complete,
        "rule": "有效日：当日 AQI 的各项日均值均满足 GB 3095 表4；完整小时：六项污染物均有有效值",
    }
    return out


def area_day(session: Session, area_code: str, day: date) -> dict[str, Any] | None:
    """The official daily AQI of an area (a city on its national-control stations)."""
    evaluation = air_service.evaluate(
        session=session, area_code=area_code, first_day=day, last_day=day
    )
    if evaluation is None:
        return None
    figures = day_figures(evaluation.city_daily.iloc[0])
    figures["stations"] = evaluation.stations
    return figures
