"""What the dashboard, the air pages and the public portal show, read through the services.

- **As of**: the day the data reach is the latest observation in the database (the demo's data
  end on 2026-06-30), never the wall clock; pages say so.
- **Stations**: each station's daily AQI (HJ 633, the edition of the day) and its data
  coverage — valid days and complete hours against the expected ones (STYLE 15).
- **Sections**: each section's GB 3838 class over a span (the water service's method), with
  its limiting items and the multiples over Class Ⅲ, in Chinese.
- **Who sees what**: leaders and offices see the city; a branch its district; a grid inspector
  the district of their town (the district's air and water, as the dashboard shows it).
- **Cache**: evaluating months of hourly data takes a moment, so pages keep their figures per
  process under a key that includes the data version (latest rows and their creation times):
  an import or a correction changes the key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import CONTROL_LEVELS, POLLUTANTS, DustEvent, Observation, Station
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.importing.models import ImportRecord
from envbureau.core.indicators.models import IndicatorTarget
from envbureau.core.periods import Period
from envbureau.core.periods import custom as custom_period
from envbureau.core.periods import parse as parse_period
from envbureau.standards import hj633_tables
from envbureau.standards.gb3838_tables import CLASS_LABELS, TABLE1_ITEMS
from envbureau.water import service as water_service
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.models import SECTION_LEVELS, Sample, Section
from envbureau.web.security import Forbidden, Staff

RECENT_DAYS = 3  # "missing data in the last days" looks at this many days up to as-of
NO_DATA_COLOUR = "#C8CCD0"
#: The six AQI categories with their colours (HJ 633 表2/表1 and 附录A), for legends.
AQI_LEGEND = tuple(zip(hj633_tables.CATEGORIES, hj633_tables.COLOURS_RGB_HEX, strict=True))

T = TypeVar("T")


# --- as of, data version, cache --------------------------------------------------------------
def air_as_of(session: Session) -> date | None:
    """The Beijing day of the latest current observation (the hour ending at 24:00 counts
    for the day it ends)."""
    latest = session.scalar(
        select(func.max(Observation.time_utc)).where(Observation.is_current.is_(True))
    )
    return None if latest is None else (latest + BEIJING_OFFSET - timedelta(hours=1)).date()


def ytd_period(as_of: date) -> Period:
    """1 January to ``as_of``, named like the report's period when it is one (2026H1)."""
    for code in (f"{as_of.year}", f"{as_of.year}H1", f"{as_of.year}Q1", f"{as_of.year}-01"):
        period = parse_period(code)
        if period.end == as_of:
            return period
    return custom_period(date(as_of.year, 1, 1), as_of)


def water_as_of(session: Session) -> date | None:
    """The Beijing day of the latest current water sample."""
    latest = session.scalar(select(func.max(Sample.time_utc)).where(Sample.is_current.is_(True)))
    return None if latest is None else (latest + BEIJING_OFFSET).date()


def data_version(session: Session) -> tuple[Hashable, ...]:
    """Changes whenever observations, samples, dust events, stations or targets change, and
    with any import that changed something (station places, area boundaries …)."""
    bind = session.get_bind()
    url = str(getattr(bind, "engine", bind).url)
    parts: list[Hashable] = [url]
    for statement in (
        select(func.max(Observation.id), func.max(Observation.created_at)),
        select(func.max(Sample.id), func.max(Sample.created_at)),
        select(func.count(DustEvent.id), func.max(DustEvent.id)),
        select(select(func.count(Station.code)).scalar_subquery()),
        select(select(func.count(Section.code)).scalar_subquery()),
        select(func.count(IndicatorTarget.id), func.max(IndicatorTarget.set_at)),
        select(func.max(ImportRecord.id)),
    ):
        parts += [str(v) for v in session.execute(statement).one()]
    return tuple(parts)


class PageCache:
    """A small per-process cache of page figures; one build at a time per key."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]  # type: ignore[no-any-return]
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:  # a second request for the same key waits for the first build
            with self._lock:
                if key in self._data:
                    return self._data[key]  # type: ignore[no-any-return]
            value = build()
            with self._lock:
                self._data[key] = value
                self._building.pop(key, None)
                while len(self._data) > self._size:
                    self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


CACHE = PageCache()


# --- areas a user may look at ----------------------------------------------------------------
def home_area(session: Session, staff: Staff) -> Area | None:
    """The area a user's pages open on: the city, or the user's district (a grid inspector's
    town rolls up to its district)."""
    roots = areas_service.list_root(session=session)
    if staff.scope is None or staff.area_code is None:
        return roots[0] if roots else None
    area = areas_service.get(session=session, code=staff.area_code)
    while area is not None and area.level not in ("city", "district") and area.parent_code:
        area = areas_service.get(session=session, code=area.parent_code)
    return area


def view_codes(session: Session, staff: Staff) -> set[str] | None:
    """Area codes whose air and water figures the user may read; None = every area."""
    if staff.scope is None:
        return None
    home = home_area(session, staff)
    if home is None:
        return set(staff.scope)
    return areas_service.area_and_descendant_codes(session=session, code=home.code)


def check_view(session: Session, staff: Staff, area_code: str | None) -> None:
    codes = view_codes(session, staff)
    if codes is not None and (area_code is None or area_code not in codes):
        raise Forbidden("无权查看其他区域的数据")


def visible_areas(session: Session, staff: Staff) -> list[Area]:
    """The city and its districts that the user may choose on the air pages."""
    codes = view_codes(session, staff)
    out = []
    for root in areas_service.list_root(session=session):
        for area in [root, *areas_service.list_descendants(session=session, code=root.code)]:
            if area.level in ("city", "district") and (codes is None or area.code in codes):
                out.append(area)
    return out


def area_names(session: Session) -> dict[str, str]:
    return {a.code: a.name for a in session.scalars(select(Area))}


# --- stations --------------------------------------------------------------------------------
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


def stations_in_view(session: Session, staff: Staff | None, area_code: str | None = None):
    """Stations of ``area_code`` (default: everything the user may see), in code order."""
    stations = air_service.list_stations(session=session, area_code=area_code)
    if staff is None:
        return stations
    codes = view_codes(session, staff)
    return [s for s in stations if codes is None or s.area_code in codes]


def station_snapshots(
    session: Session, stations: list[Station], as_of: date | None
) -> list[dict[str, Any]]:
    """Snapshots of many stations, cached per process by data version."""
    if as_of is None:
        return []
    key = ("stations", tuple(s.code for s in stations), as_of, data_version(session))
    names = area_names(session)
    return CACHE.get_or_build(
        key, lambda: [station_snapshot(session, s, as_of, names) for s in stations]
    )


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


def beijing(moment: datetime) -> str:
    """A naive UTC time as Beijing wall-clock text."""
    return (moment + BEIJING_OFFSET).strftime("%Y-%m-%d %H:%M")


# --- water sections --------------------------------------------------------------------------
def item_names(joined: object) -> str:
    """``do;codmn`` → ``溶解氧、高锰酸盐指数``; ``codmn:1.23`` → ``高锰酸盐指数（1.23倍）``."""
    if joined is None or (not isinstance(joined, str) and pd.isna(joined)) or not joined:
        return ""
    out = []
    for piece in str(joined).split(";"):
        item, _, multiple = piece.partition(":")
        name = TABLE1_ITEMS.get(item, item)
        out.append(f"{name}（{multiple}倍）" if multiple else name)
    return "、".join(out)


def class_label(code: object) -> str:
    return "" if code is None or pd.isna(code) else CLASS_LABELS[int(code) - 1]  # type: ignore[call-overload]


def section_classes(
    session: Session, area_code: str, first_day: date, last_day: date
) -> list[dict[str, Any]]:
    """Every section of the area with its class over the span (None where no samples)."""
    sections = water_service.list_sections(session=session, area_code=area_code)
    frame = water_service.evaluate_sections(
        session=session, area_code=area_code, first_day=first_day, last_day=last_day
    )
    by_code = frame.set_index("code") if not frame.empty else pd.DataFrame()
    names = area_names(session)
    rows = []
    for section in sections:
        row: dict[str, Any] = {
            "code": section.code,
            "name": section.name,
            "area_code": section.area_code,
            "area_name": names.get(section.area_code or "", ""),
            "control_level": SECTION_LEVELS.get(section.control_level, section.control_level),
            "target": class_label(section.target_class),
            "lon": section.lon,
            "lat": section.lat,
            "class_label": None,
            "colour": NO_DATA_COLOUR,
            "samples": 0,
        }
        if section.code in by_code.index:
            found = by_code.loc[section.code]
            label = str(found["class_label"])
            row |= {
                "class_label": label,
                "colour": WATER_CLASS_COLOURS.get(label, NO_DATA_COLOUR),
                "quality_status": str(found["quality_status"]),
                "samples": int(found["samples"]),
                "limiting_items": item_names(found["limiting_items"]),
                "over_class_iii": item_names(found["over_class_iii"]),
                "meets_target": section.target_class is None
                or int(found["water_class"]) <= section.target_class,
            }
        rows.append(row)
    return rows


def section_months(
    session: Session, area_code: str, year: int, last_day: date
) -> tuple[list[int], list[dict[str, Any]]]:
    """Each section's class in each month of ``year`` up to ``last_day``."""
    months = list(range(1, (last_day.month if last_day.year == year else 12) + 1))
    if last_day.year < year:
        months = []
    rows: dict[str, dict[str, Any]] = {}
    for month in months:
        first = date(year, month, 1)
        last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        for row in section_classes(session, area_code, first, min(last, last_day)):
            entry = rows.setdefault(
                row["code"], {k: row[k] for k in ("code", "name", "area_name", "target")}
            )
            entry.setdefault("months", {})[month] = (row["class_label"], row["colour"])
    return months, list(rows.values())
