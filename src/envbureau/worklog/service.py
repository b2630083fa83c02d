"""Work records and plans for the report and the console: lists, audited edits, clause parts.

``text_parts`` is how a clause reaches the report: literal pieces and quantity pieces, so the
builder can mark each figure. A quantity prints as its value alone — ``137``, ``63.4``,
never ``137.0`` — because the text after the braces already carries the unit (``{完成家数}家``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas import service as areas_service
from envbureau.core.db import fits_integer_key
from envbureau.core.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from envbureau.worklog.clauses import BRACE, Quantity, as_quantities, normalise_text
from envbureau.worklog.importers import (
    PLAN_THEME_WORDS,
    THEME_WORDS,
    PlanImporter,
    RecordImporter,
    check_row,
    template_cells,
)
from envbureau.worklog.models import (
    PLAN_FIELD_LABELS,
    PLAN_THEMES,
    RECORD_FIELD_LABELS,
    RECORD_THEMES,
    WorkPlan,
    WorkRecord,
)

__all__ = [
    "Quantity",
    "get_plan_or_raise",
    "get_record_or_raise",
    "list_plans",
    "list_records",
    "render_text",
    "resolve_theme",
    "text_parts",
    "update_plan",
    "update_record",
]


def text_parts(
    text: str, quantities: Sequence[Quantity | Mapping[str, Any]]
) -> list[tuple[str, Quantity | None]]:
    """Split a clause into ``(literal, None)`` and ``(printed value, quantity)`` pieces."""
    by_name = {q.name: q for q in as_quantities(quantities)}
    text = normalise_text(text)
    parts: list[tuple[str, Quantity | None]] = []
    position = 0
    for match in BRACE.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], None))
        quantity = by_name.get(match.group(1).strip())
        if quantity is None:
            raise RuleViolation(
                f"表述中的“{match.group(0)}”没有对应的数量",
                code="text.quantity_unknown",
                loc=("text",),
            )
        parts.append((quantity.printed, quantity))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], None))
    return parts


def render_text(text: str, quantities: Sequence[Quantity | Mapping[str, Any]]) -> str:
    """The clause as the report prints it."""
    return "".join(piece for piece, _ in text_parts(text, quantities))


def resolve_theme(word: str, *, plans: bool = False) -> str:
    """A theme key from its key or Chinese label (``air`` or ``治气``)."""
    words = PLAN_THEME_WORDS if plans else THEME_WORDS
    key = words.get(word.strip()) or words.get(word.strip().lower())
    if key is None:
        allowed = "、".join(
            f"{k}（{v}）" for k, v in (PLAN_THEMES if plans else RECORD_THEMES).items()
        )
        raise RuleViolation(f"未知主题“{word}”，可选：{allowed}", code="worklog.theme_unknown")
    return key


def _in_theme_order(column: Any, themes: Mapping[str, str]) -> Any:
    return case({key: i for i, key in enumerate(themes)}, value=column, else_=len(themes))


def get_record_or_raise(*, session: Session, record_id: int) -> WorkRecord:
    record = session.get(WorkRecord, record_id) if fits_integer_key(record_id) else None
    if record is None:
        raise NotFound(f"工作台账中没有编号 {record_id}", code="worklog.record_unknown")
    return record


def get_plan_or_raise(*, session: Session, plan_id: int) -> WorkPlan:
    plan = session.get(WorkPlan, plan_id) if fits_integer_key(plan_id) else None
    if plan is None:
        raise NotFound(f"工作安排中没有编号 {plan_id}", code="worklog.plan_unknown")
    return plan


def list_records(
    *,
    session: Session,
    start: date | None = None,
    end: date | None = None,
    area_code: str | None = None,
    theme: str | None = None,
) -> list[WorkRecord]:
    """Records dated ``start``..``end`` (inclusive) of an area and the areas below it, in the
    report's theme order, then by sort order and date."""
    stmt = select(WorkRecord)
    if start is not None:
        stmt = stmt.where(WorkRecord.date >= start)
    if end is not None:
        stmt = stmt.where(WorkRecord.date <= end)
    if area_code is not None:
        areas_service.get_or_raise(session=session, code=area_code)
        codes = areas_service.area_and_descendant_codes(session=session, code=area_code)
        stmt = stmt.where(WorkRecord.area_code.in_(codes))
    if theme is not None:
        stmt = stmt.where(WorkRecord.theme == resolve_theme(theme))
    stmt = stmt.order_by(
        _in_theme_order(WorkRecord.theme, RECORD_THEMES),
        WorkRecord.sort_order,
        WorkRecord.date,
        WorkRecord.id,
    )
    return list(session.scalars(stmt))


def list_plans(
    *,
    session: Session,
    year: int,
    half: int | None = None,
    theme: str | None = None,
    area_code: str | None = None,
) -> list[WorkPlan]:
    """Plans of a year (and half), in the report's part-two order, then sort order, deadline."""
    stmt = select(WorkPlan).where(WorkPlan.year == year)
    if half is not None:
        stmt = stmt.where(WorkPlan.half == half)
    if theme is not None:
        stmt = stmt.where(WorkPlan.theme == resolve_theme(theme, plans=True))
    if area_code is not None:
        areas_service.get_or_raise(session=session, code=area_code)
        codes = areas_service.area_and_descendant_codes(session=session, code=area_code)
        stmt = stmt.where(WorkPlan.area_code.in_(codes))
    stmt = stmt.order_by(
        WorkPlan.half,
        _in_theme_order(WorkPlan.theme, PLAN_THEMES),
        WorkPlan.sort_order,
        WorkPlan.deadline,
        WorkPlan.id,
    )
    return list(session.scalars(stmt))


def update_record(
    *, session: Session, record_id: int, changes: Mapping[str, str], actor: str, reason: str
) -> WorkRecord:
    """Change fields of a record (given as template cells), checked by the import rules and
    audited with the values before and after and the reason."""
    record = get_record_or_raise(session=session, record_id=record_id)
    _update(session, record, RecordImporter(), changes, actor=actor, reason=reason)
    return record


def update_plan(
    *, session: Session, plan_id: int, changes: Mapping[str, str], actor: str, reason: str
) -> WorkPlan:
    """Change fields of a plan, checked and audited as ``update_record``."""
    plan = get_plan_or_raise(session=session, plan_id=plan_id)
    _update(session, plan, PlanImporter(), changes, actor=actor, reason=reason)
    return plan


def _field_label(labels: Mapping[str, str], field: str) -> str:
    if field in labels:
        return labels[field]
    if field in labels.values():
        return field
    allowed = "、".join(f"{k}（{v}）" for k, v in labels.items())
    raise RuleViolation(
        f"不能修改字段“{field}”，可改：{allowed}", code="worklog.field_unknown", loc=("field",)
    )


def _update(
    session: Session,
    item: WorkRecord | WorkPlan,
    importer: RecordImporter | PlanImporter,
    changes: Mapping[str, str],
    *,
    actor: str,
    reason: str,
) -> None:
    if not reason.strip():
        raise RuleViolation("修改须写明原因", code="worklog.reason_required", loc=("reason",))
    is_record = isinstance(item, WorkRecord)
    labels = RECORD_FIELD_LABELS if is_record else PLAN_FIELD_LABELS
    name = "工作台账" if is_record else "工作安排"
    cells = template_cells(item)
    for field, text in changes.items():
        cells[_field_label(labels, field)] = text
    try:
        values = check_row(session, importer, cells, where=name, row=item.id)
    except ValidationFailed as exc:
        details = [replace(d, loc=(f"{name} {item.id}", *d.loc[2:])) for d in exc.details]
        raise ValidationFailed(
            details=details, summary=f"{name} {item.id} 的修改未通过校验"
        ) from None
    model = type(item)
    key = importer.schema.natural_key
    clash = session.scalar(
        select(model.id).where(*(getattr(model, k) == values[k] for k in key), model.id != item.id)
    )
    if clash is not None:
        same = "、".join(labels[k] for k in key)
        raise Conflict(f"已有同一{same}的{name}（编号 {clash}）", code="worklog.duplicate")
    before = {k: getattr(item, k) for k in values}
    changed = {k: v for k, v in values.items() if before[k] != v}
    if not changed:
        return
    entity_id = "/".join(str(getattr(item, k)) for k in key)  # as imports write it
    for field, value in changed.items():
        setattr(item, field, value)
    item.updated_by = actor
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="work_record" if is_record else "work_plan",
        entity_id=entity_id,
        before={k: before[k] for k in changed},
        after=changed,
        reason=reason.strip(),
    )
    session.flush()
