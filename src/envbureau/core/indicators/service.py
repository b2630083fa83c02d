"""Computing, storing and reading indicator values, manual entries and targets.

Every function takes an optional ``subject`` (``subjects.Subject``: an enterprise, org unit or
campaign within the area); without one it works on the area's own figure, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.db import utcnow
from envbureau.core.errors import NotFound
from envbureau.core.freshness import data_version_key
from envbureau.core.indicators import subjects
from envbureau.core.indicators.definitions import (
    Computation,
    IndicatorDefinition,
    IndicatorRegistry,
    load_catalog,
)
from envbureau.core.indicators.manual import enter_manual, latest_manual_entry
from envbureau.core.indicators.models import IndicatorTarget, IndicatorValue, ManualEntry
from envbureau.core.indicators.subjects import Subject
from envbureau.core.indicators.targets import (
    DIRECTIONS,
    TargetStatus,
    get_target,
    set_target,
    target_status,
)
from envbureau.core.periods import Period
from envbureau.standards.rounding import format_gbt8170, round_gbt8170

__all__ = [  # manual entries and targets have their own modules; callers find them here too
    "DIRECTIONS",
    "CurrentValue",
    "TargetStatus",
    "compute",
    "current",
    "data_version",
    "enter_manual",
    "explain",
    "explanation",
    "format_value",
    "get_target",
    "get_value",
    "get_value_or_raise",
    "latest_manual_entry",
    "set_target",
    "target_status",
]


def _registry(registry: IndicatorRegistry | None) -> IndicatorRegistry:
    return registry if registry is not None else load_catalog()


def compute(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    subject: Subject | None = None,
    registry: IndicatorRegistry | None = None,
) -> IndicatorValue:
    """Compute (or read the manual entry of) an indicator and store it with its provenance and
    the data version it was computed from."""
    definition = _registry(registry).get(indicator_id)
    areas_service.get_or_raise(session=session, code=area_code)
    version = data_version_key(session)
    computation, source = _compute(session, definition, period, area_code, subject)
    row = get_value(
        session=session,
        indicator_id=definition.id,
        period=period,
        area_code=area_code,
        subject=subject,
    )
    if row is None:
        row = _new_row(definition, period, area_code, subject)
        session.add(row)
    _fill(row, definition, period, computation, source, version)
    session.flush()
    return row


@dataclass(frozen=True)
class CurrentValue:
    """A value as the data stand now (``current``): the stored row, or one computed afresh and
    not stored (``stored`` False); ``stale`` says a stored row was out of date."""

    row: IndicatorValue
    stale: bool
    stored: bool
    computed_at: datetime


def current(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    subject: Subject | None = None,
    version: str | None = None,
    registry: IndicatorRegistry | None = None,
) -> CurrentValue:
    """The stored value while its data version is the current one; otherwise (or with none
    stored) the value computed afresh WITHOUT writing, for GET requests, which never write.

    ``version``: ``core.freshness.data_version_key``, when the caller reads many values at once.
    """
    definition = _registry(registry).get(indicator_id)
    version = version if version is not None else data_version_key(session)
    row = get_value(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        subject=subject,
    )
    if row is not None and row.data_version == version:
        return CurrentValue(row, stale=False, stored=True, computed_at=row.computed_at)
    areas_service.get_or_raise(session=session, code=area_code)
    computation, source = _compute(session, definition, period, area_code, subject)
    fresh = _new_row(definition, period, area_code, subject)  # never added to the session
    _fill(fresh, definition, period, computation, source, version)
    return CurrentValue(fresh, stale=row is not None, stored=False, computed_at=fresh.computed_at)


def _compute(
    session: Session,
    definition: IndicatorDefinition,
    period: Period,
    area_code: str,
    subject: Subject | None,
) -> tuple[Computation, str]:
    """The provider's (or the subject provider's) computation, or the manual entry, and which."""
    if definition.is_manual:
        return _from_manual_entry(session, definition, period, area_code, subject), "manual"
    if subject is None:
        assert definition.provider is not None
        computation = definition.provider(session, period, area_code)
    elif definition.subject_provider is not None:
        computation = definition.subject_provider(session, period, area_code, subject)
    else:
        kind = subjects.SUBJECT_KINDS[subject.kind]
        computation = Computation(value=None, reason=f"该指标不按{kind}计算")
    if computation.value is None and definition.manual_fallback:
        manual = _from_manual_entry(session, definition, period, area_code, subject)
        if manual.value is not None:
            manual.details = {"computed_reason": computation.reason}
            return manual, "manual"
    return computation, "computed"


def _from_manual_entry(
    session: Session,
    definition: IndicatorDefinition,
    period: Period,
    area_code: str,
    subject: Subject | None,
) -> Computation:
    entry = latest_manual_entry(
        session=session,
        indicator_id=definition.id,
        period=period,
        area_code=area_code,
        subject=subject,
    )
    if entry is None:
        return Computation(value=None, reason="尚未录入（人工填报指标）")
    return Computation(
        value=entry.value,
        inputs={
            "manual_entry_id": entry.id,
            "revision": entry.revision,
            "source_document": entry.source_document,
            "entered_by": entry.entered_by,
            "entered_at": entry.entered_at.isoformat(timespec="seconds"),
            "note": entry.note,
        },
    )


def _new_row(
    definition: IndicatorDefinition, period: Period, area_code: str, subject: Subject | None
) -> IndicatorValue:
    kind, code = subjects.columns(subject)
    return IndicatorValue(
        indicator_id=definition.id,
        period_code=period.code,
        area_code=area_code,
        subject_kind=kind,
        subject_code=code,
    )


def _fill(
    row: IndicatorValue,
    definition: IndicatorDefinition,
    period: Period,
    computation: Computation,
    source: str,
    version: str,
) -> None:
    row.period_start, row.period_end = period.start, period.end
    row.value = computation.value
    row.status = "ok" if computation.value is not None else "insufficient"
    row.reason = computation.reason
    row.unit = definition.unit
    row.source = source
    row.edition = computation.edition
    row.inputs = computation.inputs
    row.coverage = computation.coverage.as_dict() if computation.coverage else None
    row.details = computation.details
    row.computed_at = utcnow()
    row.data_version = version


def format_value(definition: IndicatorDefinition, value: float | None) -> str:
    """The value as reported: its grade name for a graded result, else GB/T 8170 rounding at
    the indicator's precision."""
    if value is None:
        return "—"
    for level, label in definition.value_labels:
        if value == level:
            return label
    return format_gbt8170(value, definition.precision)


def explain(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    subject: Subject | None = None,
    registry: IndicatorRegistry | None = None,
) -> dict[str, Any]:
    """Compute and store the value, then its definition, provenance and target as a dict."""
    definition = _registry(registry).get(indicator_id)
    row = compute(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        subject=subject,
        registry=registry,
    )
    target = get_target(
        session=session,
        indicator_id=indicator_id,
        year=period.year,
        area_code=area_code,
        subject=subject,
    )
    return explanation(definition, period, row, target)


def explanation(
    definition: IndicatorDefinition,
    period: Period,
    row: IndicatorValue,
    target: IndicatorTarget | None,
) -> dict[str, Any]:
    """A value (stored or not) with its definition, provenance and target, as ``explain`` and
    the API give it; reads nothing and writes nothing."""
    value = row.value
    status = target_status(target, value) if target is not None and value is not None else None
    return {
        "indicator": definition.describe(),
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "area_code": row.area_code,
        "subject": _subject_dict(row.subject_kind, row.subject_code),
        "value": value,
        "value_reported": format_value(definition, value),
        "rounded": round_gbt8170(value, definition.precision) if value is not None else None,
        "status": row.status,
        "reason": row.reason,
        "source": row.source,
        "edition": row.edition,
        "inputs": row.inputs,
        "coverage": row.coverage,
        "details": row.details,
        "computed_at": row.computed_at.isoformat(timespec="seconds"),
        "target": None
        if target is None
        else {
            "value": target.value,
            "direction": target.direction,
            "source_document": target.source_document,
            "responsible_unit": target.responsible_unit,
            "gap": status.gap if status else None,
            "attained": status.attained if status else None,
        },
    }


def _subject_dict(kind: str | None, code: str | None) -> dict[str, str] | None:
    return {"kind": kind, "code": code or ""} if kind else None


def get_value(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    subject: Subject | None = None,
) -> IndicatorValue | None:
    """The stored value for the period, area and subject, or None."""
    kind, code = subjects.columns(subject)
    return session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.period_code == period.code,
            IndicatorValue.area_code == area_code,
            IndicatorValue.subject_kind == kind,
            IndicatorValue.subject_code == code,
        )
    )


def get_value_or_raise(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    subject: Subject | None = None,
) -> IndicatorValue:
    """The stored value, or NotFound when it has not been computed."""
    row = get_value(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        subject=subject,
    )
    if row is None:
        where = f"{period.code}/{area_code}{subjects.key_suffix(subject)}"
        raise NotFound(f"指标 {indicator_id} 在 {where} 尚未计算", code="indicator_value.not_found")
    return row


def data_version(session: Session) -> tuple[str, ...]:
    """Changes whenever a manual entry or a target is added or changed."""
    parts: list[str] = []
    for statement in (
        select(func.max(ManualEntry.id)),
        select(func.count(IndicatorTarget.id), func.max(IndicatorTarget.set_at)),
    ):
        parts += [str(v) for v in session.execute(statement).one()]
    return tuple(parts)
