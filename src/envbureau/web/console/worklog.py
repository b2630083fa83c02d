"""工作台账: the work records of a period (by theme, in the user's area) with their quantities
marked, the plans of the half that follows, each item's history, and audited edits. The same
lists and items as JSON under ``/api/v1/worklog``, scoped to the user's area like the pages.

An edit changes one field at a time, written as in the import template, with a reason; the
work log's service checks it by the import rules and writes the audit entry. Who may edit
follows the import rules: an office its themes, a branch or grid user its own area.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from envbureau.core.errors import DomainError, RuleViolation
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.web.console.admin_helpers import (
    check_edit_any,
    local_time,
    may_edit,
    plan_domains,
    pretty_json,
    tz_of,
)
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff
from envbureau.worklog import service
from envbureau.worklog.importers import PLAN_SCHEMA, RECORD_SCHEMA, template_cells
from envbureau.worklog.models import (
    HALVES,
    PLAN_FIELD_LABELS,
    PLAN_THEMES,
    RECORD_FIELD_LABELS,
    RECORD_KINDS,
    RECORD_THEMES,
    WorkPlan,
    WorkRecord,
)

router = APIRouter()


def _half_of(day: date) -> Period:
    return parse_period(f"{day.year}H{1 if day.month <= 6 else 2}")


def _default_period(session: Session) -> Period:
    """The half-year of the latest record (or of today, when there is none)."""
    latest = session.scalar(select(func.max(WorkRecord.date)))
    return _half_of(latest or date.today())


def _area(staff: Staff, wanted: str | None) -> str | None:
    """The area to list: the one asked for when the user may see it, else the user's own."""
    if wanted:
        staff.check_area(wanted)
        return wanted
    return staff.area_code if staff.scope is not None else None


def parts(item: WorkRecord | WorkPlan) -> list[tuple[str, Any]]:
    """The clause as (text, quantity or None) pieces; the raw text if it cannot be split."""
    try:
        return service.text_parts(item.text, item.quantities)
    except DomainError:
        return [(item.text, None)]


def _plans_after(
    session: Session, period: Period, area_code: str | None, theme: str | None
) -> tuple[Period, list[WorkPlan]]:
    """The half-year after ``period`` and its plans (of ``theme``'s domains, when one is given)."""
    following = _half_of(period.end + timedelta(days=1))
    plans = [
        p
        for p in service.list_plans(
            session=session,
            year=following.year,
            half=2 if following.start.month == 7 else 1,
            area_code=area_code,
        )
        if theme is None or theme in plan_domains(p.theme, p.indicator_id)
    ]
    return following, plans


@router.get("/console/worklog", response_class=HTMLResponse, include_in_schema=False)
def worklog_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: str | None = None,
    theme: str | None = None,
    area: str | None = None,
) -> Response:
    error = None
    try:
        chosen = parse_period(period) if period else _default_period(session)
    except RuleViolation as exc:
        chosen, error = _default_period(session), str(exc)
    theme = theme if theme in RECORD_THEMES else None
    area_code = _area(staff, area)
    records = service.list_records(
        session=session, start=chosen.start, end=chosen.end, area_code=area_code, theme=theme
    )
    following, plans = _plans_after(session, chosen, area_code, theme)
    return render(
        request,
        staff,
        "staff/worklog.html",
        {
            "period": chosen,
            "period_text": period or chosen.code,
            "following": following,
            "theme": theme,
            "area_code": area_code or "",
            "records": records,
            "plans": plans,
            "parts": parts,
            "error": error,
            "themes": RECORD_THEMES,
            "kinds": RECORD_KINDS,
            "plan_themes": PLAN_THEMES,
        },
    )


# --- one item: detail, history, edit ---------------------------------------------------------


def _record(session: Session, staff: Staff, item_id: int) -> WorkRecord:
    record = service.get_record_or_raise(session=session, record_id=item_id)
    staff.check_area(record.area_code)
    return record


def _plan(session: Session, staff: Staff, item_id: int) -> WorkPlan:
    plan = service.get_plan_or_raise(session=session, plan_id=item_id)
    staff.check_area(plan.area_code)
    return plan


def _domains(item: WorkRecord | WorkPlan) -> tuple[str, ...]:
    if isinstance(item, WorkRecord):
        return (item.theme,)
    return plan_domains(item.theme, item.indicator_id)


def _detail(
    request: Request,
    session: Session,
    staff: Staff,
    item: WorkRecord | WorkPlan,
    *,
    errors: list[Any] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    is_record = isinstance(item, WorkRecord)
    schema = RECORD_SCHEMA if is_record else PLAN_SCHEMA
    history = item_history(
        session, "work_record" if is_record else "work_plan", schema.natural_key, item
    )
    tz = tz_of(request)
    return render(
        request,
        staff,
        "staff/worklog_item.html",
        {
            "item": item,
            "is_record": is_record,
            "kind_path": "records" if is_record else "plans",
            "name": "工作台账" if is_record else "工作安排",
            "labels": RECORD_FIELD_LABELS if is_record else PLAN_FIELD_LABELS,
            "cells": template_cells(item),
            "parts": parts(item),
            "theme_name": (RECORD_THEMES if is_record else PLAN_THEMES).get(item.theme, ""),
            "halves": HALVES,
            "kinds": RECORD_KINDS,
            "history": list(reversed(history)),
            "can_edit": may_edit(staff, _domains(item), item.area_code),
            "errors": errors or [],
            "form": form or {},
            "saved": request.query_params.get("saved") == "1",
            "local_time": lambda at: local_time(at, tz, seconds=True),
            "pretty": pretty_json,
        },
        status_code=422 if errors else 200,
    )


def _renamed(entry: AuditEntry, key_fields: tuple[str, ...]) -> str:
    """The key an item had after ``entry`` (the title is the key's last part, so it may hold
    a slash)."""
    values = dict(zip(key_fields, entry.entity_id.split("/", len(key_fields) - 1), strict=False))
    values |= {k: str(v) for k, v in (entry.after or {}).items() if k in key_fields}
    return "/".join(values.get(k, "") for k in key_fields)


def item_history(
    session: Session, entity_type: str, key_fields: tuple[str, ...], item: WorkRecord | WorkPlan
) -> list[AuditEntry]:
    """The item's audit entries, oldest first. The log names an item by its natural key at the
    time, so an edit of its date, theme or title leaves the earlier entries under the old key:
    follow those renames back to gather them all."""
    keys = {"/".join(str(getattr(item, k)) for k in key_fields)}
    renames = [
        (entry.entity_id, _renamed(entry, key_fields))
        for entry in session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == entity_type, AuditEntry.action == "update"
            )
        )
        if set(entry.after or {}) & set(key_fields)
    ]
    grown = True
    while grown:
        before = len(keys)
        keys |= {old for old, new in renames if new in keys}
        grown = len(keys) > before
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(keys))
            .order_by(AuditEntry.id)
        )
    )


@router.get(
    "/console/worklog/records/{item_id}", response_class=HTMLResponse, include_in_schema=False
)
def record_page(
    item_id: int, request: Request, session: DbSession, staff: CurrentStaff
) -> Response:
    return _detail(request, session, staff, _record(session, staff, item_id))


@router.get(
    "/console/worklog/plans/{item_id}", response_class=HTMLResponse, include_in_schema=False
)
def plan_page(item_id: int, request: Request, session: DbSession, staff: CurrentStaff) -> Response:
    return _detail(request, session, staff, _plan(session, staff, item_id))


def _edit(
    request: Request,
    session: Session,
    staff: Staff,
    item: WorkRecord | WorkPlan,
    form: dict[str, str],
) -> Response:
    check_edit_any(staff, _domains(item), item.area_code)
    update = service.update_record if isinstance(item, WorkRecord) else service.update_plan
    ident = {"record_id" if isinstance(item, WorkRecord) else "plan_id": item.id}
    try:
        update(
            session=session,
            changes={form["field"]: form["value"]},
            actor=staff.username,
            reason=form["reason"],
            **ident,  # type: ignore[arg-type]
        )
    except DomainError as exc:
        return _detail(request, session, staff, item, errors=exc.details, form=form)
    # The item as changed must still be the user's (no moving it to another theme or area);
    # a refusal here rolls the request's transaction back.
    check_edit_any(staff, _domains(item), item.area_code)
    kind_path = "records" if isinstance(item, WorkRecord) else "plans"
    return RedirectResponse(f"/console/worklog/{kind_path}/{item.id}?saved=1", status_code=303)


@router.post(
    "/console/worklog/records/{item_id}/edit", include_in_schema=False, dependencies=[CsrfChecked]
)
def edit_record(
    item_id: int,
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    record = _record(session, staff, item_id)
    form = {"field": field, "value": value, "reason": reason}
    return _edit(request, session, staff, record, form)


@router.post(
    "/console/worklog/plans/{item_id}/edit", include_in_schema=False, dependencies=[CsrfChecked]
)
def edit_plan(
    item_id: int,
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    plan = _plan(session, staff, item_id)
    form = {"field": field, "value": value, "reason": reason}
    return _edit(request, session, staff, plan, form)


# --- JSON ------------------------------------------------------------------------------------


def item_json(item: WorkRecord | WorkPlan) -> dict[str, Any]:
    """An item as the API gives it: its fields, the clause as printed, and the page's link."""
    is_record = isinstance(item, WorkRecord)
    out: dict[str, Any] = {
        "id": f"{'WR' if is_record else 'WP'}{item.id}",
        "theme": item.theme,
        "theme_name": (RECORD_THEMES if is_record else PLAN_THEMES).get(item.theme, ""),
        "title": item.title,
        "text": "".join(piece for piece, _ in parts(item)),
        "quantities": item.quantities,
        "area_code": item.area_code,
        "unit_code": item.unit_code,
        "url": f"/console/worklog/{'records' if is_record else 'plans'}/{item.id}",
    }
    if isinstance(item, WorkRecord):
        out |= {"date": item.date.isoformat(), "kind": item.kind, "attachments": item.attachments}
    else:
        out |= {
            "year": item.year,
            "half": item.half,
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "indicator_id": item.indicator_id,
        }
    return out


@router.get("/api/v1/worklog", tags=["工作台账"], summary="时段的工作台账及其后半年的工作安排")
def worklog_api(
    session: DbSession,
    staff: CurrentStaff,
    period: str | None = None,
    theme: str | None = None,
    area: str | None = None,
) -> dict[str, Any]:
    chosen = parse_period(period) if period else _default_period(session)
    if theme is not None:
        theme = service.resolve_theme(theme)
    area_code = _area(staff, area)
    records = service.list_records(
        session=session, start=chosen.start, end=chosen.end, area_code=area_code, theme=theme
    )
    following, plans = _plans_after(session, chosen, area_code, theme)
    return {
        "period": chosen.code,
        "area_code": area_code,
        "records": [item_json(r) for r in records],
        "plans_period": following.code,
        "plans": [item_json(p) for p in plans],
    }


@router.get("/api/v1/worklog/records/{item_id}", tags=["工作台账"], summary="一条工作台账")
def record_api(item_id: int, session: DbSession, staff: CurrentStaff) -> dict[str, Any]:
    return item_json(_record(session, staff, item_id))


@router.get("/api/v1/worklog/plans/{item_id}", tags=["工作台账"], summary="一项工作安排")
def plan_api(item_id: int, session: DbSession, staff: CurrentStaff) -> dict[str, Any]:
    return item_json(_plan(session, staff, item_id))
