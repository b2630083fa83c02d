"""The data behind the appendix charts, read through the indicators and the water services.

Monthly values are indicator values of each month (stored with their provenance like any
other); a month without data is NaN, drawn as a gap.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.core.indicators import service as indicators_service
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.water import service as water_service
from envbureau.water.elimination import LEVELS, elimination_status


def monthly(session: Session, indicator_id: str, year: int, area_code: str, last_month: int):
    """The indicator for each month 1..12 of ``year`` (NaN after ``last_month``)."""
    values = {}
    for month in range(1, 13):
        if month > last_month:
            values[month] = float("nan")
            continue
        row = indicators_service.current(  # stores nothing: a report only reads
            session=session,
            indicator_id=indicator_id,
            period=parse_period(f"{year}-{month:02d}"),
            area_code=area_code,
        ).row
        values[month] = float("nan") if row.value is None else row.value
    return pd.Series(values, name=str(year), dtype=float)


def class_counts(session: Session, period: Period, area_code: str) -> pd.Series:
    """Sections by class label (Ⅰ … 劣Ⅴ) over the period."""
    frame = water_service.evaluate_sections(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )
    if frame.empty:
        return pd.Series(dtype=int)
    return frame["class_label"].value_counts()


def elimination_progress(session: Session, period: Period, area_code: str) -> pd.DataFrame:
    """Per control level: sections due this year and those eliminated so far."""
    status = elimination_status(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )
    rows = []
    for level, word in LEVELS.items():
        here = status[status["level"] == level]
        if len(here):
            rows.append(
                {
                    "level": word,
                    "planned": int(here["due"].sum()),
                    "eliminated": int(here["eliminated"].sum()),
                }
            )
    return pd.DataFrame(rows, columns=["level", "planned", "eliminated"])
