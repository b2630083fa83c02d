"""The work log of a period: its records and the plans of the half-year that follows.

What the work-log page and ``/api/v1/worklog`` show. A page opens on the half-year of the
latest record, the day the data reach (architecture: Time); only an empty work log falls back
to today in the bureau's zone. Plans are filtered by a record theme through the office domains
a plan draws on (``plan_domains``), so 治气 also lists the 环境质量 plans serving air.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core import clock
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.worklog import service
from envbureau.worklog.import_kinds import plan_domains
from envbureau.worklog.models import WorkPlan, WorkRecord


@dataclass(frozen=True)
class Overview:
    """Records of ``period`` (of an area and the areas below it, of one theme or all) and the
    plans of the half-year after it."""

    period: Period
    area_code: str | None
    theme: str | None
    records: tuple[WorkRecord, ...]
    plans_period: Period
    plans: tuple[WorkPlan, ...]


def half_of(day: date) -> Period:
    """The half-year holding ``day``."""
    return parse_period(f"{day.year}H{1 if day.month <= 6 else 2}")


def following_half(period: Period) -> Period:
    """The half-year starting the day after ``period`` ends."""
    return half_of(period.end + timedelta(days=1))


def default_period(*, session: Session, tz: ZoneInfo) -> Period:
    """The half-year of the latest record; of today (bureau's zone) only when there is none."""
    latest = session.scalar(select(func.max(WorkRecord.date)))
    return half_of(latest or clock.local_today(tz))


def get_overview(
    *,
    session: Session,
    period: Period,
    area_code: str | None = None,
    theme: str | None = None,
) -> Overview:
    """The records of ``period`` and the plans after it; ``theme`` is a record theme key."""
    records = service.list_records(
        session=session, start=period.start, end=period.end, area_code=area_code, theme=theme
    )
    following = following_half(period)
    plans = [
        plan
        for plan in service.list_plans(
            session=session,
            year=following.year,
            half=2 if following.start.month == 7 else 1,
            area_code=area_code,
        )
        if theme is None or theme in plan_domains(plan.theme, plan.indicator_id)
    ]
    return Overview(
        period=period,
        area_code=area_code,
        theme=theme,
        records=tuple(records),
        plans_period=following,
        plans=tuple(plans),
    )
