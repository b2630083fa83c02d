"""The public portal's current air quality: the real-time report (实时报) of the latest hour.

- **Which hour**: the latest hour with a current observation in the database, never the wall
  clock (the demo's data are historical); the portal names it in Beijing time.
- **Stations**: each station active that day, with the HJ 633 real-time AQI of its 1-h means
  (``hj633.hourly_aqi``, the edition of the hour).
- **City**: the mean of the valid 1-h values of the city's evaluation stations
  (``hj663.city_values_hj663``, HJ 663 城市尺度), then the AQI of those means — never a mean of
  station AQIs.
- **Health advice**: category, colour, health effect and advice of the level (HJ 633-2012 表2,
  HJ 633-2026 表1) from ``standards.hj633_tables``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import POLLUTANTS, Observation, Station
from envbureau.core.areas.models import Area
from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards import gb3095, hj633, hj633_tables, hj663
from envbureau.standards.rounding import format_gbt8170
from envbureau.web.monitoring import NO_DATA_COLOUR, area_names

HOUR = timedelta(hours=1)
#: Pollutants as the portal names them, with their units (CO in mg/m³, HJ 633 表1).
POLLUTANT_COLUMNS = tuple(
    (p, hj633_tables.POLLUTANT_LABELS[p], "mg/m³" if p == "co" else "μg/m³") for p in POLLUTANTS
)


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


def level_figures(level: int | None, edition: str | None) -> dict[str, Any]:
    """Category, colour and health texts of an AQI level (HJ 633 表2/表1); empty without one."""
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


def concentration_text(pollutant: str, value: object) -> str | None:
    """A 1-h mean at its reported precision (μg/m³ whole, CO one decimal; GB/T 8170)."""
    if value is None or pd.isna(value):
        return None
    return format_gbt8170(float(value), hj633_tables.CONCENTRATION_DECIMALS[pollutant])


def report_row(values: pd.Series, report: pd.Series) -> dict[str, Any]:
    """One place's real-time figures: AQI, level texts, primary pollutants, concentrations."""
    aqi = report["aqi"]
    edition = str(report["edition"])
    level = None if pd.isna(report["level"]) else int(report["level"])
    primary = report["primary_pollutants"]
    return {
        "aqi": None if pd.isna(aqi) else int(aqi),
        "edition": edition,
        **level_figures(level, edition),
        "primary_pollutants": "" if pd.isna(primary) else str(primary).replace(";", "、"),
        "concentrations": {p: concentration_text(p, values.get(p)) for p in POLLUTANTS},
    }


def _no_data() -> dict[str, Any]:
    return {
        "aqi": None,
        "edition": None,
        **level_figures(None, None),
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


def station_rows(
    session: Session, stations: list[Station], end: datetime
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
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
    names = area_names(session)
    rows = []
    for station in stations:
        i = by_station.get(station.code)
        figures = _no_data() if i is None else report_row(hour.iloc[i], reports.iloc[i])
        rows.append(
            {
                "code": station.code,
                "name": station.name,
                "area_code": station.area_code,
                "area_name": names.get(station.area_code or "", ""),
                **figures,
            }
        )
    return rows, hour


def city_row(
    session: Session, city: Area, hour: pd.DataFrame, day: date, end: datetime
) -> dict[str, Any]:
    """The city's real-time AQI from the mean 1-h values of its evaluation stations."""
    stations = air_service.evaluation_stations(
        session=session, area_code=city.code, first_day=day, last_day=day
    )
    used = hour[hour["station"].isin(stations)]
    out: dict[str, Any] = {"code": city.code, "name": city.name, "stations": stations}
    if used.empty:
        return out | _no_data() | {"stations_reporting": 0}
    means = hj663.city_values_hj663(
        used[["station", "time", *POLLUTANTS, "so2_24h"]], key="time", stations=stations
    )
    means = means[means["time"] == pd.Timestamp(end)].reset_index(drop=True)
    report = hj633.hourly_aqi(means[["time", *POLLUTANTS, "so2_24h"]])
    figures = report_row(means.iloc[0], report.iloc[0])
    return out | figures | {"stations_reporting": int(used["station"].nunique())}


def current_air(session: Session, city: Area | None) -> dict[str, Any] | None:
    """The city's and every active station's real-time AQI at the latest observed hour."""
    end = latest_hour(session)
    if end is None or city is None:
        return None
    day = (end - HOUR).date()
    stations = air_service.list_stations(
        session=session, area_code=city.code, active_between=(day, day)
    )
    rows, hour = station_rows(session, stations, end)
    city_figures = city_row(session, city, hour, day, end)
    edition = city_figures["edition"] or next((r["edition"] for r in rows if r["edition"]), None)
    return {
        "hour_end": end.isoformat(timespec="minutes"),
        "hour_label": hour_label(end),
        "edition": edition,
        "standard": f"HJ 633-{edition}" if edition else None,
        "city": city_figures,
        "stations": rows,
    }


def level_table(edition: str | None) -> list[dict[str, Any]]:
    """HJ 633 表2 (2012) / 表1 (2026): AQI range, level, category, colour, health texts."""
    edition = edition if edition in hj633_tables.HEALTH_ADVICE else hj633_tables.EDITIONS[-1]
    rows, low = [], 0
    for level, upper in enumerate(hj633_tables.LEVEL_UPPER_AQI, start=1):
        span = f"{low}～{upper}" if level < len(hj633_tables.LEVEL_UPPER_AQI) else f"大于{low - 1}"
        rows.append({"range": span, **level_figures(level, edition)})
        low = upper + 1
    return rows
