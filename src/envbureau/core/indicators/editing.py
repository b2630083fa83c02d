"""Staff changing figures: a manual entry (then the value computed and stored again) and an
annual target, each from a named document. The caller has checked who may (``permissions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from envbureau.core.errors import RuleViolation
from envbureau.core.indicators import service
from envbureau.core.indicators.models import IndicatorTarget
from envbureau.core.indicators.presentation import EntryView, entry_view
from envbureau.core.periods import Period


@dataclass(frozen=True)
class ManualSaved:
    """The entry as recorded and the indicator's value computed (and stored) with it."""

    entry: EntryView
    explained: dict[str, Any]


def save_manual(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    value: float,
    source_document: str,
    note: str,
    entered_by: str,
    tz: ZoneInfo,
) -> ManualSaved:
    """Record the figure (a new revision when it changed) and compute the value again, so the
    stored value, the dashboard and the report take it at once."""
    entry = service.enter_manual(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        value=value,
        source_document=source_document.strip(),
        note=note.strip(),
        entered_by=entered_by,
    )
    explained = service.explain(
        session=session, indicator_id=indicator_id, period=period, area_code=area_code
    )
    return ManualSaved(entry=entry_view(entry, tz), explained=explained)


def save_target(
    *,
    session: Session,
    indicator_id: str,
    year: int,
    area_code: str,
    value: float,
    direction: str,
    source_document: str,
    actor: str,
) -> IndicatorTarget:
    """Set the year's target; a target is only as good as the document that sets it, so one
    must be named (the target book, 目标责任书)."""
    if not source_document.strip():
        raise RuleViolation(
            "年度目标必须注明来源文件（如目标责任书）",
            code="target.source_required",
            loc=("source_document",),
        )
    return service.set_target(
        session=session,
        indicator_id=indicator_id,
        year=year,
        area_code=area_code,
        value=value,
        direction=direction,
        source_document=source_document.strip(),
        actor=actor,
    )
