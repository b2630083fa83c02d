"""Progress of the 劣Ⅴ elimination list (消劣清单), per control level.

A listed section whose class over the whole previous year was already better than 劣Ⅴ is
to be held there (巩固); the others are due this year (拟消劣). A due section counts as
eliminated when its class over the period is better than 劣Ⅴ; what is still 劣Ⅴ remains the
task of the rest of the year. Sections with no data last year are due.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.standards.gb3838_tables import CLASS_LABELS
from envbureau.water import service

INFERIOR_V = len(CLASS_LABELS)
LEVELS = {"provincial": "省控", "city": "市控"}
STATUSES = ("consolidated", "due", "eliminated", "remaining")


def elimination_status(
    *, session: Session, area_code: str, first_day: date, last_day: date
) -> pd.DataFrame:
    """Listed sections with ``level``, ``last_year_class``, ``water_class`` (the period's, NA
    without data) and the booleans ``consolidated``, ``due``, ``eliminated``, ``remaining``."""
    listed = [
        s
        for s in service.list_sections(session=session, area_code=area_code)
        if s.elimination_level
    ]
    if not listed:
        return pd.DataFrame(columns=["code", "name", "level", *STATUSES])
    frame = pd.DataFrame(
        [{"code": s.code, "name": s.name, "level": s.elimination_level} for s in listed]
    ).set_index("code")
    last_year = first_day.year - 1
    before = service.evaluate_sections(
        session=session,
        area_code=area_code,
        first_day=date(last_year, 1, 1),
        last_day=date(last_year, 12, 31),
    )
    now = service.evaluate_sections(
        session=session, area_code=area_code, first_day=first_day, last_day=last_day
    )
    frame["last_year_class"] = _classes(before).reindex(frame.index)
    frame["water_class"] = _classes(now).reindex(frame.index)
    frame["consolidated"] = (frame["last_year_class"] < INFERIOR_V).fillna(False)
    frame["due"] = ~frame["consolidated"]
    frame["eliminated"] = frame["due"] & (frame["water_class"] < INFERIOR_V).fillna(False)
    frame["remaining"] = frame["due"] & ~frame["eliminated"]
    return frame.reset_index()


def _classes(frame: pd.DataFrame) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype="Int64")
    return frame.set_index("code")["water_class"].astype("Int64")
