"""Year on year (同比) of an area's air figures: the one computation behind the ``air.*_yoy``
indicators and the evaluation page's change columns.

The change is worked from the values as reported (``hj663_period.change_year_on_year``: GB/T 8170
rounding first; percent for concentrations and the composite index, percentage points for
rates, days for day counts). It is given **as reported** — each period under the HJ 633 edition
of its own dates (``auto``) — and **on one edition** for both periods (同口径, 2026 or 2012),
which separates the effect of the 2026 standard change from the real change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.evaluation import HEADLINE, Evaluation
from envbureau.core.periods import Period
from envbureau.standards import hj663_period

#: As reported, then on each edition throughout.
EDITIONS = ("auto", "2026", "2012")
#: Figure (a key of ``Evaluation.summary()``) → quantity of ``change_year_on_year``.
QUANTITIES: Mapping[str, str] = {
    "good_day_rate": "rate",
    "pm25": "pm25",
    "pm10": "pm10",
    "o3_8h_p90": "o3",
    "no2": "no2",
    "so2": "so2",
    "co_p95": "co",
    "heavy_days": "days",
    "composite_index": "composite_index",
}
CHANGE_UNITS = {"rate": "个百分点", "days": "天"}  # every other quantity: percent
_STATISTICS = {key: (pollutant, statistic) for key, pollutant, statistic in HEADLINE}


@dataclass(frozen=True)
class EditionChange:
    """One edition's pair of figures and their change (None where a figure is missing)."""

    current: float | None
    base: float | None
    change: float | None


@dataclass(frozen=True)
class YearOnYear:
    """A figure of a period against the same period last year, under each edition."""

    key: str
    quantity: str
    period: Period
    base_period: Period
    evaluated: bool  # both periods have stations with data
    by_edition: Mapping[str, EditionChange]

    @property
    def unit(self) -> str:
        return CHANGE_UNITS.get(self.quantity, "%")

    @property
    def complete(self) -> bool:
        """Every edition has both figures."""
        return all(c.current is not None and c.base is not None for c in self.by_edition.values())


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def figure_of(evaluation: Evaluation | None, key: str) -> float | None:
    """The figure ``key`` of an evaluation as ``summary()`` gives it (None: none or NaN)."""
    if evaluation is None:
        return None
    if key == "good_day_rate":
        return _number(evaluation.day_counts.good_day_rate_reported)
    if key == "heavy_days":
        return _number(evaluation.day_counts.heavy_days)
    if key == "composite_index":
        return _number(evaluation.composite["composite_index"])
    return _number(evaluation.statistic(*_STATISTICS[key])["value"])


def change_of(current: float | None, base: float | None, quantity: str) -> float | None:
    """The reported change (HJ 663, from reported values); None without both figures or when a
    percent change has a base of 0."""
    if current is None or base is None:
        return None
    return _number(hj663_period.change_year_on_year(current, base, quantity=quantity))


def year_on_year(*, session: Session, area_code: str, period: Period, key: str) -> YearOnYear:
    """The figure ``key`` (a key of ``QUANTITIES``) of ``period`` against the same period last
    year, as reported and on each edition."""
    quantity = QUANTITIES[key]
    base = period.same_period_last_year()
    by_edition: dict[str, EditionChange] = {}
    evaluated = True
    for edition in EDITIONS:
        now, before = (
            service.evaluate(
                session=session,
                area_code=area_code,
                first_day=span.start,
                last_day=span.end,
                edition=edition,
            )
            for span in (period, base)
        )
        evaluated = evaluated and now is not None and before is not None
        current, previous = figure_of(now, key), figure_of(before, key)
        by_edition[edition] = EditionChange(
            current, previous, change_of(current, previous, quantity)
        )
    return YearOnYear(key, quantity, period, base, evaluated, by_edition)
