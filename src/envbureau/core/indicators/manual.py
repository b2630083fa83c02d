"""Manual figures: entered by staff with their source document, append-only revisions.

A correction is a new revision, never an edit, and every entry is audited. An entry may be for
the area's own figure or for a subject of it (``subjects.Subject``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas import service as areas_service
from envbureau.core.errors import RuleViolation
from envbureau.core.indicators import subjects
from envbureau.core.indicators.definitions import IndicatorRegistry, load_catalog
from envbureau.core.indicators.models import ManualEntry
from envbureau.core.indicators.subjects import Subject
from envbureau.core.periods import Period


def latest_manual_entry(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    subject: Subject | None = None,
) -> ManualEntry | None:
    """The newest revision of the manual figure for the period, area and subject."""
    kind, code = subjects.columns(subject)
    return session.scalar(
        select(ManualEntry)
        .where(
            ManualEntry.indicator_id == indicator_id,
            ManualEntry.period_code == period.code,
            ManualEntry.area_code == area_code,
            ManualEntry.subject_kind == kind,
            ManualEntry.subject_code == code,
        )
        .order_by(ManualEntry.revision.desc())
        .limit(1)
    )


def enter_manual(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    value: float,
    source_document: str,
    entered_by: str,
    note: str = "",
    subject: Subject | None = None,
    registry: IndicatorRegistry | None = None,
) -> ManualEntry:
    """Record a manual figure with its source; an equal repeat adds nothing, a change adds a
    revision."""
    definition = (registry if registry is not None else load_catalog()).get(indicator_id)
    if not definition.accepts_manual:
        raise RuleViolation(
            f"指标“{definition.name}”由系统计算，不能人工填报",
            code="indicator.not_manual",
            loc=("indicator",),
        )
    if not source_document.strip():
        raise RuleViolation(
            "人工填报必须注明来源文件", code="manual.source_required", loc=("source_document",)
        )
    areas_service.get_or_raise(session=session, code=area_code)
    subjects.check_exists(session, subject)
    previous = latest_manual_entry(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        subject=subject,
    )
    if (
        previous is not None
        and previous.value == value
        and (previous.source_document == source_document)
    ):
        return previous
    kind, code = subjects.columns(subject)
    entry = ManualEntry(
        indicator_id=indicator_id,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        area_code=area_code,
        subject_kind=kind,
        subject_code=code,
        value=value,
        source_document=source_document,
        note=note,
        entered_by=entered_by,
        revision=(previous.revision + 1) if previous else 1,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=entered_by,
        action="create" if previous is None else "revise",
        entity_type="indicator_manual_entry",
        entity_id=f"{indicator_id}/{period.code}/{area_code}{subjects.key_suffix(subject)}",
        before={"value": previous.value, "source_document": previous.source_document}
        if previous
        else None,
        after={"value": value, "source_document": source_document, "revision": entry.revision},
        reason=note,
    )
    return entry
