"""The evaluation table of a period: the headline figures against the same period last year,
the days by AQI category, the editions and the coverage, as the 时段评价 page and its API show them.

The year-on-year changes are those of ``air.year_on_year``, the computation the ``air.*_yoy``
indicators use; figures are shown rounded as their indicator is (GB/T 8170 at its precision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.evaluation import edition_label
from envbureau.air.year_on_year import EDITIONS, year_on_year
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.service import format_value
from envbureau.core.periods import Period
from envbureau.standards.hj633_tables import CATEGORIES, COLOURS_RGB_HEX

#: (figure: a key of ``Evaluation.summary()``, the indicator that names and rounds it)
ROWS = (
    ("good_day_rate", "air.good_day_rate"),
    ("pm25", "air.pm25_mean"),
    ("pm10", "air.pm10_mean"),
    ("o3_8h_p90", "air.o3_8h_p90"),
    ("no2", "air.no2_mean"),
    ("so2", "air.so2_mean"),
    ("co_p95", "air.co_p95"),
    ("heavy_days", "air.heavy_days"),
    ("composite_index", "air.composite_index"),
)


@dataclass(frozen=True)
class EvaluationRow:
    """A figure this period and last year (as reported) with its change under each edition."""

    key: str
    indicator_id: str
    name: str
    unit: str
    current: float | None
    base: float | None
    current_shown: str
    base_shown: str
    change: Mapping[str, float | None]  # "auto" (as reported), "2026", "2012" → change
    change_unit: str  # 个百分点, 天 or %
    same_edition_values: Mapping[str, tuple[float | None, float | None]]


@dataclass(frozen=True)
class DayCountRow:
    """Days of one AQI category in the period and last year (None: no data last year)."""

    category: str
    colour: str
    current: int
    base: int | None


@dataclass(frozen=True)
class EvaluationTable:
    """A period's evaluation with its year-on-year comparison."""

    period: Period
    base: Period
    edition: str
    base_edition: str
    editions_used: Mapping[str, int]  # edition → days
    base_editions_used: Mapping[str, int]
    rows: tuple[EvaluationRow, ...]
    days: tuple[DayCountRow, ...]
    coverage: Mapping[str, Any]
    base_coverage: Mapping[str, Any] | None
    stations: tuple[str, ...]
    summary: Mapping[str, Any]  # ``Evaluation.summary()`` of the period
    base_summary: Mapping[str, Any] | None


def _summary(session: Session, area_code: str, period: Period) -> dict[str, Any] | None:
    result = service.evaluate(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )
    return None if result is None else result.summary()


def _row(
    session: Session, area_code: str, period: Period, key: str, indicator_id: str
) -> EvaluationRow:
    definition = load_catalog().get(indicator_id)
    change = year_on_year(session=session, area_code=area_code, period=period, key=key)
    reported = change.by_edition["auto"]
    return EvaluationRow(
        key=key,
        indicator_id=indicator_id,
        name=definition.name,
        unit=definition.unit,
        current=reported.current,
        base=reported.base,
        current_shown=format_value(definition, reported.current),
        base_shown=format_value(definition, reported.base),
        change={e: change.by_edition[e].change for e in EDITIONS},
        change_unit=change.unit,
        same_edition_values={
            e: (change.by_edition[e].current, change.by_edition[e].base)
            for e in EDITIONS
            if e != "auto"
        },
    )


def evaluation_table(*, session: Session, area_code: str, period: Period) -> EvaluationTable | None:
    """The period and the same period last year under each edition; None without stations."""
    base = period.same_period_last_year()
    now, before = _summary(session, area_code, period), _summary(session, area_code, base)
    if now is None:
        return None
    return EvaluationTable(
        period=period,
        base=base,
        edition=edition_label("auto", period.start, period.end),
        base_edition=edition_label("auto", base.start, base.end),
        editions_used=now["editions_used"],
        base_editions_used=before["editions_used"] if before else {},
        rows=tuple(_row(session, area_code, period, key, ind) for key, ind in ROWS),
        days=tuple(
            DayCountRow(
                category=category,
                colour=colour,
                current=now["days_by_category"].get(category, 0),
                base=before["days_by_category"].get(category, 0) if before else None,
            )
            for category, colour in zip(CATEGORIES, COLOURS_RGB_HEX, strict=True)
        ),
        coverage=now["coverage"],
        base_coverage=before["coverage"] if before else None,
        stations=tuple(now["stations"]),
        summary=now,
        base_summary=before,
    )
