"""Surface water for the public portal: each section's GB 3838 class in each month of a year.

A month's class is the water service's class of that month (``water.snapshots.section_months``,
over ``water.service.evaluate_sections``); months after the latest sample are not shown, and
the year defaults to that of the latest sample, never to the wall clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.db import BEIJING_OFFSET
from envbureau.standards.gb3838_tables import CLASS_LABELS
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.models import Sample
from envbureau.water.snapshots import section_months, water_as_of

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


@dataclass(frozen=True)
class ClassUse:
    """A class of the legend: its label, its colour (``water.colours``) and what it is for."""

    label: str
    colour: str
    use: str


#: The legend of the classes (GB 3838-2002 3.2).
LEGEND = tuple(
    ClassUse(label, WATER_CLASS_COLOURS[label], use)
    for label, use in zip(CLASS_LABELS, CLASS_USES, strict=True)
)


@dataclass(frozen=True)
class SectionYear:
    """A section's class label in each month (``2026-03`` → ``Ⅲ``; None: no sample)."""

    code: str
    name: str
    area_name: str
    target: str | None  # its target class label
    months: Mapping[str, str | None]


@dataclass(frozen=True)
class WaterYear:
    """Sections × months of one year, as of the latest sample (None without samples)."""

    year: int | None
    as_of: date | None
    years: tuple[int, ...]  # years with samples, newest first (for the year picker)
    months: tuple[str, ...]  # 2026-01 … the month of the latest sample
    sections: tuple[SectionYear, ...]


def sample_years(*, session: Session) -> tuple[int, ...]:
    """Years (Beijing time) from the first to the latest current sample, newest first."""
    first, last = session.execute(
        select(func.min(Sample.time_utc), func.max(Sample.time_utc)).where(
            Sample.is_current.is_(True)
        )
    ).one()
    if first is None:
        return ()
    return tuple(range((last + BEIJING_OFFSET).year, (first + BEIJING_OFFSET).year - 1, -1))


def water_year(*, session: Session, area_code: str | None, year: int | None) -> WaterYear:
    """Each section of the area by month of ``year`` (default: the year of the latest sample)."""
    as_of = water_as_of(session)
    years = sample_years(session=session)
    if area_code is None or as_of is None:
        return WaterYear(year=year, as_of=None, years=years, months=(), sections=())
    year = year or as_of.year
    months, rows = section_months(session, area_code, year, as_of)
    sections = tuple(
        SectionYear(
            code=row["code"],
            name=row["name"],
            area_name=row["area_name"],
            target=row["target"] or None,
            months={f"{year}-{m:02d}": row["months"].get(m, (None, None))[0] for m in months},
        )
        for row in rows
    )
    return WaterYear(
        year=year,
        as_of=as_of,
        years=years,
        months=tuple(f"{year}-{m:02d}" for m in months),
        sections=sections,
    )
