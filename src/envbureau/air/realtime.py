"""The real-time report (实时报) of the latest observed hour, as the public portal shows it.

- **Which hour**: the latest hour with a current observation in the database, never the wall
  clock (the demo's data are historical); named in Beijing time, as the standards' days are.
- **Stations**: each station active that day, with the HJ 633 real-time AQI of its 1-h means
  (``hj633.hourly_aqi``, the edition of the hour).
- **City**: the mean of the valid 1-h values of the city's evaluation stations
  (``hj663.city_values_hj663``, HJ 663 城市尺度), then the AQI of those means — never a mean of
  station AQIs.
- **SO2 above 800 μg/m³**: scored on the SO2 24-h moving mean (HJ 633 表1 注), valid with 20
  hours of the 24 (GB 3095 表4).
- **Health advice**: category, colour, health effect and advice of the level (HJ 633-2012 表2,
  HJ 633-2026 表1) from ``standards.hj633_tables``.

``realtime_report`` returns a ``RealtimeReport`` (frozen dataclasses); the web serializes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import POLLUTANTS, Observation, Station
from envbureau.core.areas import service as areas_service
from envbureau.core.colours import NO_DATA_COLOUR
from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards import gb3095, hj633, hj633_tables, hj663
from envbureau.standards.rounding import format_gbt8170

HOUR = timedelta(hours=1)
#: Pollutants as the portal names them, with their units (CO in mg/m³, HJ 633 表1).
POLLUTANT_COLUMNS = tuple(
    (p, hj633_tables.POLLUTANT_LABELS[p], "mg/m³" if p == "co" else "μg/m³") for p in POLLUTANTS
)


@dataclass(frozen=True)
class Level:
    """An AQI level in words (HJ 633-2012 表2, HJ 633-2026 表1); all None (grey) without one."""

    level: int | None
    level_name: str | None
    category: str | None
    colour: str
    colour_name: str | None
    health_effect: str | None
    health_advice: str | None


@dataclass(frozen=True)
class LevelRow(Level):
    """A row of the level table: its AQI range (``0～50`` … ``大于300``) and its words."""

    range: str


@dataclass(frozen=True)
class PlaceHour(Level):
    """A place's real-time figures: AQI, its level, primary pollutants, the 1-h means as
    reported (GB/T 8170 at the precision of HJ 633; None where missing)."""

    aqi: int | None
    edition: str | None
    primary_pollutants: str  # "PM2.5、O3"; "" when the AQI is 50 or less
    concentrations: Mapping[str, str | None]


@dataclass(frozen=True)
class StationHour(PlaceHour):
    code: str
    name: str
    area_code: str | None
    area_name: str


@dataclass(frozen=True)
class CityHour(PlaceHour):
    code: str
    name: str
    stations: tuple[str, ...]  # the city's evaluation stations that day
    stations_reporting: int  # of them, those with values in the hour


@dataclass(frozen=True)
class RealtimeReport:
    """The hour ending at ``hour_end`` (naive Beijing time) for a city and its stations."""

    hour_end: datetime
    hour_label: str  # 2026年6月30日 23:00—24:00
    edition: str | None
    standard: str | None  # HJ 633-2026
    city: CityHour
    stations: tuple[StationHour, ...]
    levels: tuple[LevelRow, ...]


def latest_hour(session: Session) -> datetime | None:
    """End of the latest observed hour, naive Beijing time (the stored time is UTC)."""
    latest = session.scalar(
        select(func.max(Observation.time_utc)).where(Observation.is_current.is_(True))
    )
    return None if latest is None else latest + BEIJING_OFFSET


def hour_label(end: datetime) -> str:
    """``2026年6月30日 23:00—24:00``: the hour ending at ``end`` belongs to the day it starts."""
    start = end - HOUR
    return f"{start.year}年{start.month}月{start.day}日 {start.hour:02d}:00—{start.hour + 1:02d}:00"


def level_words(level: int | None, edition: str | None) -> dict[str, Any]:
    """The ``Level`` fields of an AQI level (HJ 633 表2/表1); grey and empty without one."""
    if not level or edition not in hj633_tables.HEALTH_ADVICE:
        return {
            "level": None,
            "level_name": None,
            "category": None,
            "colour": NO_DATA_COLOUR,
            "colour_name": None,
            "health_effect": None,
            "health_advice": None,
        }
    i = level - 1
    return {
        "level": level,
        "level_name": hj633_tables.LEVEL_NAMES[i],
        "category": hj633_tables.CATEGORIES[i],
        "colour": hj633_tables.COLOURS_RGB_HEX[i],
        "colour_name": hj633_tables.COLOUR_NAMES[i],
        "health_effect": hj633_tables.HEALTH_EFFECTS[edition][i],
        "health_advice": hj633_tables.HEALTH_ADVICE[edition][i],
    }


def level_table(edition: str | None) -> tuple[LevelRow, ...]:
    """HJ 633 表2 (2012) / 表1 (2026): AQI range, level, category, colour, health texts."""
    edition = edition if edition in hj633_tables.HEALTH_ADVICE else hj633_tables.EDITIONS[-1]
    rows, low = [], 0
    for level, upper in enumerate(hj633_tables.LEVEL_UPPER_AQI, start=1):
        span = f"{low}～{upper}" if level < len(hj633_tables.LEVEL_UPPER_AQI) else f"大于{low - 1}"
        rows.append(LevelRow(range=span, **level_words(level, edition)))
        low = upper + 1
    return tuple(rows)


def concentration_text(pollutant: str, value: object) -> str | None:
    """A 1-h mean at its reported precision (μg/m³ whole, CO one decimal; GB/T 8170)."""
    if value is None or pd.isna(value):
        return None
    return format_gbt8170(float(value), hj633_tables.CONCENTRATION_DECIMALS[pollutant])  # type: ignore[arg-type]


def _figures(values: pd.Series, report: pd.Series) -> dict[str, Any]:
    """The ``PlaceHour`` fields of one place from its 1-h means and its ``hourly_aqi`` row."""
    aqi = report["aqi"]
    edition = str(report["edition"])
    level = None if pd.isna(report["level"]) else int(report["level"])
    primary = report["primary_pollutants"]
    return {
        "aqi": None if pd.isna(aqi) else int(aqi),
        "edition": edition,
        **level_words(level, edition),
        "primary_pollutants": "" if pd.isna(primary) else str(primary).replace(";", "、"),
        "concentrations": {p: concentration_text(p, values.get(p)) for p in POLLUTANTS},
    }


def _no_figures() -> dict[str, Any]:
    return {
        "aqi": None,
        "edition": None,
        **level_words(None, None),
        "primary_pollutants": "",
        "concentrations": dict.fromkeys(POLLUTANTS),
    }


def so2_moving_24h(hourly: pd.DataFrame, end: datetime) -> pd.Series:
    """Each station's SO2 24-h moving mean ending at ``end`` [μg/m³]: the mean of the valid
    1-h values of the 24 hours, valid with at least 20 of them (GB 3095 表4, the daily rule);
    NaN otherwise. HJ 633 表1 注: above 800 μg/m³ (1-h) SO2 is scored on this mean."""
    first = pd.Timestamp(end) - pd.Timedelta(hours=23)
    window = hourly[(hourly["time"] >= first) & (hourly["time"] <= pd.Timestamp(end))]
    needed = gb3095.validity_rules_gb3095((end - HOUR).date()).min_hours_daily
    grouped = window.groupby("station")["so2"]
    means = grouped.mean()
    return means.where(grouped.count() >= needed)


def _station_hours(
    session: Session, stations: list[Station], end: datetime
) -> tuple[tuple[StationHour, ...], pd.DataFrame]:
    """Each station's real-time AQI of the hour ending at ``end``, and the hour's values
    (with the SO2 24-h moving mean the real-time report needs above 800 μg/m³)."""
    day = (end - HOUR).date()
    hourly = air_service.load_hourly(
        session=session,
        stations=[s.code for s in stations],
        first_day=day - timedelta(days=1),
        last_day=day,
    )
    hourly["time"] = hourly["time"].dt.tz_localize(None)
    hour = hourly[hourly["time"] == pd.Timestamp(end)].reset_index(drop=True)
    hour["so2_24h"] = hour["station"].map(so2_moving_24h(hourly, end))
    reports = hj633.hourly_aqi(hour) if not hour.empty else pd.DataFrame()
    by_station = {row["station"]: i for i, row in hour.iterrows()}
    names = areas_service.area_names(session=session)
    rows = []
    for station in stations:
        i = by_station.get(station.code)
        figures = _no_figures() if i is None else _figures(hour.iloc[i], reports.iloc[i])
        rows.append(
            StationHour(
                code=station.code,
                name=station.name,
                area_code=station.area_code,
                area_name=names.get(station.area_code or "", ""),
                **figures,
            )
        )
    return tuple(rows), hour


def _city_hour(
    session: Session, code: str, name: str, hour: pd.DataFrame, day: date, end: datetime
) -> CityHour:
    """The city's real-time AQI from the mean 1-h values of its evaluation stations."""
    stations = air_service.evaluation_stations(
        session=session, area_code=code, first_day=day, last_day=day
    )
    used = hour[hour["station"].isin(stations)]
    place: dict[str, Any] = {"code": code, "name": name, "stations": tuple(stations)}
    if used.empty:
        return CityHour(**place, **_no_figures(), stations_reporting=0)
    means = hj663.city_values_hj663(
        used[["station", "time", *POLLUTANTS, "so2_24h"]], key="time", stations=stations
    )
    means = means[means["time"] == pd.Timestamp(end)].reset_index(drop=True)
    report = hj633.hourly_aqi(means[["time", *POLLUTANTS, "so2_24h"]])
    figures = _figures(means.iloc[0], report.iloc[0])
    return CityHour(**place, **figures, stations_reporting=int(used["station"].nunique()))


def realtime_report(*, session: Session, area_code: str) -> RealtimeReport | None:
    """The city's and every active station's real-time AQI at the latest observed hour, with
    the level table of its edition; None before any observation."""
    end = latest_hour(session)
    if end is None:
        return None
    area = areas_service.get_or_raise(session=session, code=area_code)
    day = (end - HOUR).date()
    stations = air_service.list_stations(
        session=session, area_code=area_code, active_between=(day, day)
    )
    rows, hour = _station_hours(session, stations, end)
    city = _city_hour(session, area.code, area.name, hour, day, end)
    edition = city.edition or next((r.edition for r in rows if r.edition), None)
    return RealtimeReport(
        hour_end=end,
        hour_label=hour_label(end),
        edition=edition,
        standard=f"HJ 633-{edition}" if edition else None,
        city=city,
        stations=rows,
        levels=level_table(edition),
    )
