"""Classes by period: the sections of each class over a period, those without data, and the
counts of the six half-years up to the period's end (the 水质类别 page and its API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from envbureau.core.periods import Period, half_of
from envbureau.water import service as water_service
from envbureau.water.as_of import DataDay, area_day
from envbureau.water.period_classes import ClassCount, SectionClass, class_counts, period_classes

HISTORY_HALVES = 6


@dataclass(frozen=True)
class SectionRef:
    code: str
    name: str


@dataclass(frozen=True)
class ClassGroup:
    """One class with its number of sections, their share [%], and the sections."""

    count: ClassCount
    sections: tuple[SectionRef, ...]


@dataclass(frozen=True)
class HalfCounts:
    """Sections per class in one half-year, and how many had data."""

    period: Period
    counts: tuple[ClassCount, ...]
    total: int


@dataclass(frozen=True)
class ClassOverview:
    period: Period
    classes: dict[str, SectionClass]  # by section code, the sections with data
    groups: tuple[ClassGroup, ...]
    missing: tuple[SectionRef, ...]
    history: tuple[HalfCounts, ...]  # oldest first; half-years without data left out
    data_day: DataDay

    @property
    def evaluated(self) -> int:
        return len(self.classes)


def class_history(*, session: Session, area_code: str, period: Period) -> tuple[HalfCounts, ...]:
    """Counts of sections by class in each of the six half-years up to the period's end."""
    halves = [half_of(period.end)]
    while len(halves) < HISTORY_HALVES:
        halves.insert(0, half_of(halves[0].start - timedelta(days=1)))
    history = []
    for half in halves:
        classes = period_classes(session=session, area_code=area_code, period=half)
        if classes:
            history.append(HalfCounts(half, class_counts(classes), len(classes)))
    return tuple(history)


def class_overview(
    *, session: Session, area_code: str, period: Period, today: date
) -> ClassOverview:
    """The sections of the area grouped by their class over the period, with the history."""
    sections = water_service.list_sections(session=session, area_code=area_code)
    classes = period_classes(session=session, area_code=area_code, period=period)
    groups = tuple(
        ClassGroup(
            count,
            tuple(
                SectionRef(s.code, s.name)
                for s in sections
                if s.code in classes and classes[s.code].water_class == count.code
            ),
        )
        for count in class_counts(classes)
    )
    return ClassOverview(
        period=period,
        classes=classes,
        groups=groups,
        missing=tuple(SectionRef(s.code, s.name) for s in sections if s.code not in classes),
        history=class_history(session=session, area_code=area_code, period=period),
        data_day=area_day(session=session, area_code=area_code, today=today),
    )
