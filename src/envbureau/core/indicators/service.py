"""Computing, storing and reading indicator values, manual entries and targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas import service as areas_service
from envbureau.core.db import utcnow
from envbureau.core.errors import NotFound, RuleViolation
from envbureau.core.indicators.definitions import (
    Computation,
    IndicatorDefinition,
    IndicatorRegistry,
    load_catalog,
)
from envbureau.core.indicators.models import IndicatorTarget, IndicatorValue, ManualEntry
from envbureau.core.periods import Period
from envbureau.standards.rounding import format_gbt8170, round_gbt8170

DIRECTIONS = {">=": "不低于", "<=": "不高于"}


def _registry(registry: IndicatorRegistry | None) -> IndicatorRegistry:
    return registry if registry is not None else load_catalog()


def compute(
    *,
    session: Session,
    indicator_id: str,
    period: Period,
    area_code: str,
    registry: IndicatorRegistry | None = None,
) -> IndicatorValue:
    """Compute (or read the manual entry of) an indicator and store it with its provenance."""
    definition = _registry(registry).get(indicator_id)
    areas_service.get_or_raise(session=session, code=area_code)
    if definition.is_manual:
        computation = _from_manual_entry(session, definition, period, area_code)
        source = "manual"
    else:
        assert definition.provider is not None
        computation = definition.provider(session, period, area_code)
        source = "computed"
        if computation.value is None and definition.manual_fallback:
            manual = _from_manual_entry(session, definition, period, area_code)
            if manual.value is not None:
                manual.details = {"computed_reason": computation.reason}
                computation, source = manual, "manual"
    return _store(session, definition, period, area_code, computation, source)


def _from_manual_entry(
    session: Session, definition: IndicatorDefinition, period: Period, area_code: str
) -> Computation:
    entry = latest_manual_entry(
        session=session, indicator_id=definition.id, period=period, area_code=area_code
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


def _store(
    session: Session,
    definition: IndicatorDefinition,
    period: Period,
    area_code: str,
    computation: Computation,
    source: str,
) -> IndicatorValue:
    row = session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == definition.id,
            IndicatorValue.period_code == period.code,
            IndicatorValue.area_code == area_code,
        )
    )
    if row is None:
        row = IndicatorValue(
            indicator_id=definition.id, period_code=period.code, area_code=area_code
        )
        session.add(row)
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
    session.flush()
    return row


def latest_manual_entry(
    *, session: Session, indicator_id: str, period: Period, area_code: str
) -> ManualEntry | None:
    return session.scalar(
        select(ManualEntry)
        .where(
            ManualEntry.indicator_id == indicator_id,
            ManualEntry.period_code == period.code,
            ManualEntry.area_code == area_code,
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
    registry: IndicatorRegistry | None = None,
) -> ManualEntry:
    """Record a manual figure with its source; an equal repeat adds nothing, a change adds a
    revision."""
    definition = _registry(registry).get(indicator_id)
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
    previous = latest_manual_entry(
        session=session, indicator_id=indicator_id, period=period, area_code=area_code
    )
    if (
        previous is not None
        and previous.value == value
        and (previous.source_document == source_document)
    ):
        return previous
    entry = ManualEntry(
        indicator_id=indicator_id,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        area_code=area_code,
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
        entity_id=f"{indicator_id}/{period.code}/{area_code}",
        before={"value": previous.value, "source_document": previous.source_document}
        if previous
        else None,
        after={"value": value, "source_document": source_document, "revision": entry.revision},
        reason=note,
    )
    return entry


def set_target(
    *,
    session: Session,
    indicator_id: str,
    year: int,
    area_code: str,
    value: float,
    direction: str,
    source_document: str,
    actor: str,
    registry: IndicatorRegistry | None = None,
) -> IndicatorTarget:
    """Set (or change, audited) the annual target of an indicator for an area."""
    _registry(registry).get(indicator_id)
    if direction not in DIRECTIONS:
        raise RuleViolation(
            f"目标方向应为 >= 或 <=，不是“{direction}”", code="target.direction", loc=("direction",)
        )
    areas_service.get_or_raise(session=session, code=area_code)
    target = get_target(session=session, indicator_id=indicator_id, year=year, area_code=area_code)
    after = {"value": value, "direction": direction, "source_document": source_document}
    if target is None:
        target = IndicatorTarget(
            indicator_id=indicator_id, year=year, area_code=area_code, set_by=actor, **after
        )
        session.add(target)
        before = None
    else:
        before = {k: getattr(target, k) for k in after}
        if before == after:
            return target
        for k, v in after.items():
            setattr(target, k, v)
        target.set_by, target.set_at = actor, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create" if before is None else "update",
        entity_type="indicator_target",
        entity_id=f"{indicator_id}/{year}/{area_code}",
        before=before,
        after=after,
    )
    return target


def get_target(
    *, session: Session, indicator_id: str, year: int, area_code: str
) -> IndicatorTarget | None:
    return session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator_id,
            IndicatorTarget.year == year,
            IndicatorTarget.area_code == area_code,
        )
    )


@dataclass(frozen=True)
class TargetStatus:
    """How a value stands against its target; ``gap`` > 0 means still short of it."""

    target: float
    direction: str
    gap: float
    attained: bool
    source_document: str


def target_status(target: IndicatorTarget, value: float) -> TargetStatus:
    """Distance from ``value`` to the target in the indicator's unit (positive = short)."""
    gap = target.value - value if target.direction == ">=" else value - target.value
    return TargetStatus(target.value, target.direction, gap, gap <= 0, target.source_document)


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
    registry: IndicatorRegistry | None = None,
) -> dict[str, Any]:
    """Definition, value with provenance, and the target when there is one, as a dict."""
    definition = _registry(registry).get(indicator_id)
    row = compute(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        registry=registry,
    )
    out: dict[str, Any] = {
        "indicator": definition.describe(),
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "area_code": area_code,
        "value": row.value,
        "value_reported": format_value(definition, row.value),
        "rounded": round_gbt8170(row.value, definition.precision)
        if row.value is not None
        else None,
        "status": row.status,
        "reason": row.reason,
        "source": row.source,
        "edition": row.edition,
        "inputs": row.inputs,
        "coverage": row.coverage,
        "details": row.details,
        "computed_at": row.computed_at.isoformat(timespec="seconds"),
        "target": None,
    }
    target = get_target(
        session=session, indicator_id=indicator_id, year=period.year, area_code=area_code
    )
    if target is not None:
        status = target_status(target, row.value) if row.value is not None else None
        out["target"] = {
            "value": target.value,
            "direction": target.direction,
            "source_document": target.source_document,
            "gap": status.gap if status else None,
            "attained": status.attained if status else None,
        }
    return out


def get_value_or_raise(
    *, session: Session, indicator_id: str, period: Period, area_code: str
) -> IndicatorValue:
    row = session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.period_code == period.code,
            IndicatorValue.area_code == area_code,
        )
    )
    if row is None:
        raise NotFound(
            f"指标 {indicator_id} 在 {period.code}/{area_code} 尚未计算",
            code="indicator_value.not_found",
        )
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
