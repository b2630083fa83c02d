"""The half-year an indicator page opens on: the day the data reach, never the wall clock.

A page asked for no period shows the latest half-year with stored values for its area; without
any, the half-year of the day the data reach (the latest manual figure's period end, the latest
air observation or water sample); only an empty database falls back to today's half-year.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.clock import local_today
from envbureau.core.domain import load_target
from envbureau.core.indicators.models import IndicatorValue, ManualEntry
from envbureau.core.periods import Period, half_of
from envbureau.core.periods import parse as parse_period
from envbureau.domains import as_of_sources

HALF_CODE = re.compile(r"^\d{4}H[12]$")


def data_as_of(session: Session) -> date | None:
    """The latest day the data reach: a manual figure's period end or a monitoring day."""
    days = [session.scalar(select(func.max(ManualEntry.period_end)))]
    days += [load_target(source)(session) for source in as_of_sources()]
    known = [day for day in days if day is not None]
    return max(known) if known else None


def default_period(*, session: Session, area_code: str, tz: ZoneInfo) -> Period:
    """The latest half-year with stored values for the area, else the half-year of the day the
    data reach; today's half-year (in ``tz``) only when the database holds no data at all."""
    codes = session.scalars(
        select(IndicatorValue.period_code).where(IndicatorValue.area_code == area_code).distinct()
    )
    halves = [parse_period(code) for code in codes if HALF_CODE.match(code)]
    if halves:
        return max(halves)
    return half_of(data_as_of(session) or local_today(tz))
