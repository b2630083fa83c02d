"""Annual targets (目标责任书): for an area and optionally a subject, with the member unit
answerable for them, set from a named document and audited when changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas import service as areas_service
from envbureau.core.db import utcnow
from envbureau.core.errors import RuleViolation
from envbureau.core.indicators import subjects
from envbureau.core.indicators.definitions import IndicatorRegistry, load_catalog
from envbureau.core.indicators.models import IndicatorTarget
from envbureau.core.indicators.subjects import Subject

DIRECTIONS = {">=": "不低于", "<=": "不高于"}


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
    subject: Subject | None = None,
    responsible_unit: str | None = None,
    registry: IndicatorRegistry | None = None,
) -> IndicatorTarget:
    """Set (or change, audited) the annual target of an indicator for an area (and subject),
    with the member unit answerable for it when one is named."""
    (registry if registry is not None else load_catalog()).get(indicator_id)
    if direction not in DIRECTIONS:
        raise RuleViolation(
            f"目标方向应为 >= 或 <=，不是“{direction}”", code="target.direction", loc=("direction",)
        )
    areas_service.get_or_raise(session=session, code=area_code)
    subjects.check_exists(session, subject)
    if responsible_unit is not None:
        subjects.check_unit(session, responsible_unit, loc="responsible_unit")
    target = get_target(
        session=session, indicator_id=indicator_id, year=year, area_code=area_code, subject=subject
    )
    after: dict[str, Any] = {
        "value": value,
        "direction": direction,
        "source_document": source_document,
    }
    if responsible_unit is not None or (target is not None and target.responsible_unit):
        after["responsible_unit"] = responsible_unit  # audited only where one is involved
    if target is None:
        kind, code = subjects.columns(subject)
        target = IndicatorTarget(
            indicator_id=indicator_id,
            year=year,
            area_code=area_code,
            subject_kind=kind,
            subject_code=code,
            set_by=actor,
            **after,
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
        entity_id=f"{indicator_id}/{year}/{area_code}{subjects.key_suffix(subject)}",
        before=before,
        after=after,
    )
    return target


def get_target(
    *,
    session: Session,
    indicator_id: str,
    year: int,
    area_code: str,
    subject: Subject | None = None,
) -> IndicatorTarget | None:
    """The year's target for the area (and subject), or None."""
    kind, code = subjects.columns(subject)
    return session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator_id,
            IndicatorTarget.year == year,
            IndicatorTarget.area_code == area_code,
            IndicatorTarget.subject_kind == kind,
            IndicatorTarget.subject_code == code,
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
