"""Each section's class over a span and by month, in the words pages show (GB 3838-2002 and the
evaluation method, through the water service)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.colours import NO_DATA_COLOUR
from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards.gb3838_tables import CLASS_LABELS, TABLE1_ITEMS
from envbureau.water import service as water_service
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.models import SECTION_LEVELS, Sample


def water_as_of(session: Session) -> date | None:
    """The Beijing day of the latest current water sample."""
    latest = session.scalar(select(func.max(Sample.time_utc)).where(Sample.is_current.is_(True)))
    return None if latest is None else (latest + BEIJING_OFFSET).date()


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
    names = areas_service.area_names(session=session)
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
