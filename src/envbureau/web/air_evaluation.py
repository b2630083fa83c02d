"""The evaluation table of a period with its year-on-year comparison, and the ranking, as the
air pages and the JSON API show them.

Year on year is given twice (as the air indicators do): **as reported** — each period under the
edition of its own dates — and **on the same edition** for both periods (HJ 633-2012 or
HJ 633-2026 throughout), which separates the effect of the 2026 standard change from the real
change.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.evaluation import edition_label
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.service import format_value
from envbureau.core.periods import Period
from envbureau.standards import hj663_period
from envbureau.standards.hj633_tables import CATEGORIES, COLOURS_RGB_HEX

EDITIONS = ("auto", "2026", "2012")
#: (key of ``Evaluation.summary()``, indicator id, quantity of the year-on-year change)
ROWS = (
    ("good_day_rate", "air.good_day_rate", "rate"),
    ("pm25", "air.pm25_mean", "pm25"),
    ("pm10", "air.pm10_mean", "pm10"),
    ("o3_8h_p90", "air.o3_8h_p90", "o3"),
    ("no2", "air.no2_mean", "no2"),
    ("so2", "air.so2_mean", "so2"),
    ("co_p95", "air.co_p95", "co"),
    ("heavy_days", "air.heavy_days", "days"),
    ("composite_index", "air.composite_index", "composite_index"),
)
CHANGE_UNITS = {"rate": "个百分点", "days": "天"}  # every other quantity: percent


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _change(now: float | None, before: float | None, quantity: str) -> float | None:
    if now is None or before is None:
        return None
    return _number(hj663_period.change_year_on_year(now, before, quantity=quantity))


def evaluation_table(session: Session, area_code: str, period: Period) -> dict[str, Any] | None:
    """The period and the same period last year under each edition; None without stations."""
    base = period.same_period_last_year()
    summaries: dict[tuple[str, str], dict[str, Any] | None] = {}
    for edition in EDITIONS:
        for which, span in (("now", period), ("base", base)):
            result = air_service.evaluate(
                session=session,
                area_code=area_code,
                first_day=span.start,
                last_day=span.end,
                edition=edition,
            )
            summaries[(which, edition)] = None if result is None else result.summary()
    now, before = summaries[("now", "auto")], summaries[("base", "auto")]
    if now is None:
        return None
    registry = load_catalog()
    rows = []
    for key, indicator_id, quantity in ROWS:
        definition = registry.get(indicator_id)
        values = {
            edition: (
                _number((summaries[("now", edition)] or {}).get(key)),
                _number((summaries[("base", edition)] or {}).get(key)),
            )
            for edition in EDITIONS
        }
        rows.append(
            {
                "key": key,
                "indicator_id": indicator_id,
                "name": definition.name,
                "unit": definition.unit,
                "current": values["auto"][0],
                "base": values["auto"][1],
                "current_shown": format_value(definition, values["auto"][0]),
                "base_shown": format_value(definition, values["auto"][1]),
                "change": {e: _change(*values[e], quantity) for e in EDITIONS},
                "change_unit": CHANGE_UNITS.get(quantity, "%"),
                "same_edition_values": {e: values[e] for e in EDITIONS if e != "auto"},
            }
        )
    return {
        "period": {"code": period.code, "label": period.label},
        "base": {"code": base.code, "label": base.label},
        "edition": edition_label("auto", period.start, period.end),
        "base_edition": edition_label("auto", base.start, base.end),
        "editions_used": now["editions_used"],
        "base_editions_used": before["editions_used"] if before else {},
        "rows": rows,
        "days": [
            {
                "category": category,
                "colour": colour,
                "current": now["days_by_category"].get(category, 0),
                "base": before["days_by_category"].get(category, 0) if before else None,
            }
            for category, colour in zip(CATEGORIES, COLOURS_RGB_HEX, strict=True)
        ],
        "coverage": now["coverage"],
        "base_coverage": before["coverage"] if before else None,
        "stations": now["stations"],
        "summary": now,
        "base_summary": before,
    }


def ranking_rows(session: Session, area_code: str, period: Period, by: str) -> dict[str, Any]:
    """Districts or stations of an area ranked by composite index (ascending)."""
    registry = load_catalog()
    frame = air_service.rank_areas(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end, by=by
    )
    rows = []
    for _, row in frame.iterrows():
        rows.append(
            {
                "rank": int(row["rank"]) if not pd.isna(row["rank"]) else None,
                "code": row["code"],
                "name": row["name"],
                "composite_index": format_value(
                    registry.get("air.composite_index"), _number(row["composite_index"])
                ),
                "good_day_rate": format_value(
                    registry.get("air.good_day_rate"), _number(row["good_day_rate"])
                ),
                "pm25": format_value(registry.get("air.pm25_mean"), _number(row["pm25"])),
                "valid": bool(row["valid"]),
            }
        )
    return {"rows": rows, "edition": edition_label("auto", period.start, period.end)}
