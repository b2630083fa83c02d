"""工作台账 pages: the records of a period (by theme, in the user's area) with their quantities
marked, the plans of the half that follows, each item's history, and audited edits.

An edit changes one field at a time, written as in the import template, with a reason; the
work log's service checks it by the import rules and writes the audit entry. Who may edit
follows the permission table: an office its domains, a branch or grid user its own area.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from envbureau.core import clock, permissions
from envbureau.core.errors import DomainError, RuleViolation
from envbureau.core.periods import parse as parse_period
from envbureau.core.permissions import check_edit_any, may_edit
from envbureau.web.deps import DbSession
from envbureau.web.pages import pretty_json, render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff
from envbureau.worklog import overview, service
from envbureau.worklog.items import clause_parts, get_detail, item_domains
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
from envbureau.worklog.web.access import area_to_list, visible_plan, visible_record

router = APIRouter(include_in_schema=False)


@router.get("/console/worklog", response_class=HTMLResponse)
@permissions.route("view")
def worklog_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: str | None = None,
    theme: str | None = None,
    area: str | None = None,
) -> Response:
    tz = request.app.state.settings.tz
    error = None
    try:
        chosen = parse_period(period) if period else None
    except RuleViolation as exc:
        chosen, error = None, str(exc)
    chosen = chosen or overview.default_period(session=session, tz=tz)
    found = overview.get_overview(
        session=session,
        period=chosen,
        area_code=area_to_list(staff, area),
        theme=theme if theme in RECORD_THEMES else None,
    )
    return render(
        request,
        staff,
        "worklog/index.html",
        {
            "overview": found,
            "period_text": period or chosen.code,
            "parts": clause_parts,
            "error": error,
            "themes": RECORD_THEMES,
            "kinds": RECORD_KINDS,
            "plan_themes": PLAN_THEMES,
        },
    )


# --- one item: detail, history, edit ---------------------------------------------------------


def _detail(
    request: Request,
    session: Session,
    staff: Staff,
    item: WorkRecord | WorkPlan,
    *,
    errors: list[Any] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    detail = get_detail(session=session, item=item)
    tz = request.app.state.settings.tz
    return render(
        request,
        staff,
        "worklog/item.html",
        {
            "detail": detail,
            "item": item,
            "kind_path": "records" if detail.is_record else "plans",
            "name": "工作台账" if detail.is_record else "工作安排",
            "labels": RECORD_FIELD_LABELS if detail.is_record else PLAN_FIELD_LABELS,
            "halves": HALVES,
            "kinds": RECORD_KINDS,
            "can_edit": may_edit(staff, detail.domains, item.area_code),
            "errors": errors or [],
            "form": form or {},
            "saved": request.query_params.get("saved") == "1",
            "local_time": lambda at: clock.local_text(at, tz, seconds=True),
            "pretty": pretty_json,
        },
        status_code=422 if errors else 200,
    )


@router.get("/console/worklog/records/{item_id}", response_class=HTMLResponse)
@permissions.route("view")
def record_page(
    item_id: int, request: Request, session: DbSession, staff: CurrentStaff
) -> Response:
    return _detail(request, session, staff, visible_record(session, staff, item_id))


@router.get("/console/worklog/plans/{item_id}", response_class=HTMLResponse)
@permissions.route("view")
def plan_page(item_id: int, request: Request, session: DbSession, staff: CurrentStaff) -> Response:
    return _detail(request, session, staff, visible_plan(session, staff, item_id))


def _edit(
    request: Request,
    session: Session,
    staff: Staff,
    item: WorkRecord | WorkPlan,
    form: dict[str, str],
) -> Response:
    check_edit_any(staff, item_domains(item), item.area_code)
    changes = {form["field"]: form["value"]}
    try:
        if isinstance(item, WorkRecord):
            service.update_record(
                session=session,
                record_id=item.id,
                changes=changes,
                actor=staff.username,
                reason=form["reason"],
            )
        else:
            service.update_plan(
                session=session,
                plan_id=item.id,
                changes=changes,
                actor=staff.username,
                reason=form["reason"],
            )
    except DomainError as exc:
        return _detail(request, session, staff, item, errors=exc.details, form=form)
    # The item as changed must still be the user's (no moving it to another theme or area);
    # a refusal here rolls the request's transaction back.
    check_edit_any(staff, item_domains(item), item.area_code)
    kind_path = "records" if isinstance(item, WorkRecord) else "plans"
    return RedirectResponse(f"/console/worklog/{kind_path}/{item.id}?saved=1", status_code=303)


@router.post("/console/worklog/records/{item_id}/edit", dependencies=[CsrfChecked])
@permissions.route("edit")
def edit_record(
    item_id: int,
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    record = visible_record(session, staff, item_id)
    form = {"field": field, "value": value, "reason": reason}
    return _edit(request, session, staff, record, form)


@router.post("/console/worklog/plans/{item_id}/edit", dependencies=[CsrfChecked])
@permissions.route("edit")
def edit_plan(
    item_id: int,
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    plan = visible_plan(session, staff, item_id)
    form = {"field": field, "value": value, "reason": reason}
    return _edit(request, session, staff, plan, form)
