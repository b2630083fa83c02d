"""The public portal's surface water: each section's GB 3838 class in each month of a year.

A month's class is the water service's class of that month (``water.service.evaluate_sections``,
read through ``monitoring.section_months``); months after the latest sample are not shown.
Evaluating a year takes a moment, so the figures are cached by data version like the console's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area
from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards.gb3838_tables import CLASS_LABELS
from envbureau.water.models import Sample
from envbureau.web import monitoring

#: What each class is fit for (GB 3838-2002 3.2, 水域功能和标准分类), for the legend.
CLASS_USES = (
    "主要适用于源头水、国家自然保护区",
    "主要适用于集中式生活饮用水地表水源地一级保护区、珍稀水生生物栖息地、鱼虾类产卵场、"
    "仔稚幼鱼的索饵场等",
    "主要适用于集中式生活饮用水地表水源地二级保护区、鱼虾类越冬场、洄游通道、水产养殖区等"
    "渔业水域及游泳区",
    "主要适用于一般工业用水区及人体非直接接触的娱乐用水区",
    "主要适用于农业用水区及一般景观要求水域",
    "水质劣于Ⅴ类标准限值",
)


def sample_years(session: Session) -> list[int]:
    """Years (Beijing time) from the first to the latest current sample, newest first."""
    first, last = session.execute(
        select(func.min(Sample.time_utc), func.max(Sample.time_utc)).where(
            Sample.is_current.is_(True)
        )
    ).one()
    if first is None:
        return []
    return list(range((last + BEIJING_OFFSET).year, (first + BEIJING_OFFSET).year - 1, -1))


def legend() -> list[dict[str, str]]:
    return [
        {"label": label, "colour": monitoring.WATER_CLASS_COLOURS[label], "use": use}
        for label, use in zip(CLASS_LABELS, CLASS_USES, strict=True)
    ]


def water_months(session: Session, city: Area | None, year: int | None) -> dict[str, Any]:
    """Sections × months of ``year`` (default: the year of the latest sample)."""
    as_of = monitoring.water_as_of(session)
    years = sample_years(session)
    if city is None or as_of is None:
        return {"year": year, "as_of": None, "years": years, "months": [], "sections": []}
    year = year or as_of.year
    key = ("portal-water", city.code, year, monitoring.data_version(session))
    months, rows = monitoring.CACHE.get_or_build(
        key, lambda: monitoring.section_months(session, city.code, year, as_of)
    )
    sections = [
        {
            "code": row["code"],
            "name": row["name"],
            "area_name": row["area_name"],
            "target": row["target"] or None,
            "months": {f"{year}-{m:02d}": row["months"].get(m, (None, None))[0] for m in months},
        }
        for row in rows
    ]
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "years": years,
        "months": [f"{year}-{m:02d}" for m in months],
        "sections": sections,
    }
