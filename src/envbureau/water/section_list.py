"""The section list of an area: each section's attributes, its class over a period, and the
early-warning flags, with the number of sections of each class (the 水 page and its API)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.periods import Period
from envbureau.water import service as water_service
from envbureau.water.as_of import DataDay, area_day, area_latest_day
from envbureau.water.models import SECTION_LEVELS, WATER_BODY_KINDS, Section
from envbureau.water.period_classes import (
    ClassCount,
    SectionClass,
    class_counts,
    class_text,
    item_names,
    period_classes,
    pollutant_text,
)

SOURCE_LEVELS = {"county": "县级", "city": "市级"}


@dataclass(frozen=True)
class SectionRow:
    """One line of the list, in the words the page shows; the class fields are empty (and
    ``water_class`` None) for a section without samples in the period."""

    code: str
    name: str
    kind: str
    area: str
    level: str
    target: str
    assessment_target: str
    population_served: int | None
    flags: tuple[str, ...]
    warnings: tuple[str, ...]
    water_class: int | None = None
    class_label: str = ""
    status: str = ""
    limiting: str = ""
    main: str = ""
    samples: int = 0
    meets_target: bool | None = None


@dataclass(frozen=True)
class SectionList:
    """The sections of an area over a period. ``as_of``: the day the warnings look back from;
    ``data_day``: the day the area's data reach (``source`` says when it has none)."""

    period: Period
    rows: tuple[SectionRow, ...]
    counts: tuple[ClassCount, ...]
    evaluated: int
    as_of: date
    data_day: DataDay


def flags(section: Section) -> tuple[str, ...]:
    """The lists a section is on: 水十条, cross-boundary, drinking-water source, 消劣."""
    out = []
    if section.assessment_target_class:
        out.append("水十条考核")
    if section.cross_boundary:
        way = "→".join(p for p in (section.upstream, section.downstream) if p)
        out.append(f"交接断面{f'（{way}）' if way else ''}")
    if section.drinking_source:
        out.append(f"{SOURCE_LEVELS.get(section.source_level, '')}饮用水水源地")
    if section.elimination_level:
        out.append(f"{SECTION_LEVELS.get(section.elimination_level, '')}消劣清单")
    return tuple(out)


def section_row(
    section: Section,
    found: SectionClass | None,
    area_names: dict[str, str],
    warnings: tuple[str, ...] = (),
) -> SectionRow:
    """A section's line: attributes, and its class over the period where it has one."""
    row = SectionRow(
        code=section.code,
        name=section.name,
        kind=WATER_BODY_KINDS.get(section.kind, section.kind),
        area=area_names.get(section.area_code or "", section.area_code or ""),
        level=SECTION_LEVELS.get(section.control_level, section.control_level),
        target=class_text(section.target_class),
        assessment_target=class_text(section.assessment_target_class),
        population_served=section.population_served,
        flags=flags(section),
        warnings=warnings,
    )
    if found is None:
        return row
    meets = None if section.target_class is None else found.water_class <= section.target_class
    return replace(
        row,
        water_class=found.water_class,
        class_label=found.class_label,
        status=found.quality_status,
        limiting=item_names(found.limiting_items),
        main=pollutant_text(found),
        samples=found.samples,
        meets_target=meets,
    )


def section_list(*, session: Session, area_code: str, period: Period, today: date) -> SectionList:
    """Every section of the area with its class over the period and its warnings as of the
    period's end or the area's latest sample, whichever is earlier."""
    sections = water_service.list_sections(session=session, area_code=area_code)
    classes = period_classes(session=session, area_code=area_code, period=period)
    latest = area_latest_day(session=session, area_code=area_code)
    as_of = min(period.end, latest or period.end)
    warned = water_service.drift_warnings(session=session, area_code=area_code, as_of=as_of)
    by_code = warned.set_index("code")["flags"].to_dict() if not warned.empty else {}
    names = areas_service.area_names(session=session)
    rows = tuple(
        section_row(s, classes.get(s.code), names, tuple(by_code.get(s.code, ()))) for s in sections
    )
    return SectionList(
        period=period,
        rows=rows,
        counts=class_counts(classes),
        evaluated=len(classes),
        as_of=as_of,
        data_day=area_day(session=session, area_code=area_code, today=today),
    )


@dataclass(frozen=True)
class PeriodSections:
    """The sections of an area (their stored attributes) and their classes over a period."""

    period: Period
    sections: tuple[Section, ...]
    classes: dict[str, SectionClass]


def sections_of_period(*, session: Session, area_code: str, period: Period) -> PeriodSections:
    """Every section of the area with its class over the period where it has samples."""
    return PeriodSections(
        period=period,
        sections=tuple(water_service.list_sections(session=session, area_code=area_code)),
        classes=period_classes(session=session, area_code=area_code, period=period),
    )
