"""Each section's GB 3838 class over a period, as typed results for pages and the API.

The classes are ``water.service.evaluate_sections`` (the mean of monthly means, 2011 method).
The engine joins item lists with ``;`` (``do;codmn``, ``codmn:1.23``); they are split here,
once, so no page or API parses them back (architecture.md, "The road of a figure").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.core.periods import Period
from envbureau.standards import gb3838_tables as tables
from envbureau.water import service as water_service


@dataclass(frozen=True)
class SectionClass:
    """A section's class over a period. ``over_class_iii``: (item, multiple over Class Ⅲ as
    the engine rounds it), largest first; ``main_pollutants``: the first three of them."""

    code: str
    name: str
    water_class: int
    class_label: str
    quality_status: str
    limiting_items: tuple[str, ...]
    main_pollutants: tuple[str, ...]
    over_class_iii: tuple[tuple[str, str], ...]
    samples: int


@dataclass(frozen=True)
class ClassCount:
    """How many sections are of one class; ``share`` [%] of those evaluated (None: none)."""

    code: int
    label: str
    count: int
    share: float | None


@dataclass(frozen=True)
class PeriodClasses:
    """The classes of an area's sections over a period, and the sections per class."""

    period: Period
    classes: dict[str, SectionClass]  # by section code, the sections with samples
    counts: tuple[ClassCount, ...]


def class_text(water_class: Any) -> str:
    """Ⅰ … 劣Ⅴ of a class code, ``—`` when missing."""
    if water_class is None or pd.isna(water_class):
        return "—"
    return tables.CLASS_LABELS[int(water_class) - 1]


def item_names(items: tuple[str, ...]) -> str:
    """(do, codmn) → 溶解氧、高锰酸盐指数."""
    return "、".join(tables.TABLE1_ITEMS.get(i, i) for i in items)


def pollutant_text(found: SectionClass) -> str:
    """Main pollutants with their multiples over Class Ⅲ: 五日生化需氧量（0.28）."""
    over = dict(found.over_class_iii)
    return "、".join(
        f"{tables.TABLE1_ITEMS.get(i, i)}（{over.get(i, '')}）" for i in found.main_pollutants
    )


def _split(joined: Any) -> tuple[str, ...]:
    if joined is None or (not isinstance(joined, str) and pd.isna(joined)) or not joined:
        return ()
    return tuple(str(joined).split(";"))


def from_frame(classes: pd.DataFrame) -> dict[str, SectionClass]:
    """``evaluate_sections`` rows as results, by section code, in the frame's order."""
    out = {}
    for _, e in classes.iterrows():
        over = (tuple(p.split(":", 1)) for p in _split(e["over_class_iii"]) if ":" in p)
        out[str(e["code"])] = SectionClass(
            code=str(e["code"]),
            name=str(e["name"]),
            water_class=int(e["water_class"]),
            class_label=str(e["class_label"]),
            quality_status=str(e["quality_status"]),
            limiting_items=_split(e["limiting_items"]),
            main_pollutants=_split(e["main_pollutants"]),
            over_class_iii=tuple((item, multiple) for item, multiple in over),
            samples=int(e["samples"]),
        )
    return out


def period_classes(*, session: Session, area_code: str, period: Period) -> dict[str, SectionClass]:
    """The class over the period of every section of the area that has samples in it."""
    return from_frame(
        water_service.evaluate_sections(
            session=session, area_code=area_code, first_day=period.start, last_day=period.end
        )
    )


def class_counts(classes: dict[str, SectionClass]) -> tuple[ClassCount, ...]:
    """Sections per class, Ⅰ … 劣Ⅴ, each with its share of the sections evaluated."""
    total = len(classes)
    out = []
    for code, label in enumerate(tables.CLASS_LABELS, start=1):
        count = sum(1 for c in classes.values() if c.water_class == code)
        out.append(ClassCount(code, label, count, 100 * count / total if total else None))
    return tuple(out)


def classes_of_period(*, session: Session, area_code: str, period: Period) -> PeriodClasses:
    """The classes over the period with the number of sections of each class."""
    classes = period_classes(session=session, area_code=area_code, period=period)
    return PeriodClasses(period, classes, class_counts(classes))
