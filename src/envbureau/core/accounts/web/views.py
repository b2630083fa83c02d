"""系统 (system administrator only): users, roles, and the audit log.

Users are added with a password the administrator sets and are never deleted, only disabled
(and enabled again); each change goes through the accounts services and so into the audit log.
The audit page filters by actor, entity type and local dates, newest first, a page at a time.
Times are shown in the bureau's zone (``core.clock.local_text``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from envbureau.core import clock, permissions
from envbureau.core.accounts import audit_log, directory
from envbureau.core.accounts import service as accounts
from envbureau.core.accounts.roles import ROLES
from envbureau.core.areas import service as areas_service
from envbureau.core.errors import DomainError
from envbureau.web.deps import DbSession
from envbureau.web.pages import pretty_json, render
from envbureau.web.security import CsrfChecked, Forbidden, Staff, require_action

router = APIRouter(include_in_schema=False)
Admin = Annotated[Staff, Depends(require_action("admin"))]


def _system(
    request: Request, session: Session, staff: Staff, *, status: int = 200, **context: Any
) -> HTMLResponse:
    tz = request.app.state.settings.tz
    return render(
        request,
        staff,
        "system/users.html",
        {
            "users": directory.list_user_rows(session=session),
            "roles": ROLES,
            "actions": permissions.ACTIONS,
            "action_names": permissions.ACTION_NAMES,
            "reach": lambda role, action: permissions.reach_name(
                permissions.grant_of(role, action)
            ),
            "units": areas_service.list_units(session=session),
            "min_password": accounts.MIN_PASSWORD_LENGTH,
            "notice": request.query_params.get("notice", ""),
            "form": context.pop("form", {}),
            "local_time": lambda at: clock.local_text(at, tz),
            **context,
        },
        status_code=status,
    )


def _back(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/console/system?{urlencode({'notice': notice})}", status_code=303)


@router.get("/console/system", response_class=HTMLResponse)
@permissions.route("admin")
def system_page(request: Request, session: DbSession, staff: Admin) -> Response:
    return _system(request, session, staff)


@router.post("/console/system/users", dependencies=[CsrfChecked])
@permissions.route("admin")
def add_user(
    request: Request,
    session: DbSession,
    staff: Admin,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    area_code: Annotated[str, Form()] = "",
    unit_code: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "username": username.strip(),
        "display_name": display_name.strip(),
        "role": role,
        "area_code": area_code.strip(),
        "unit_code": unit_code.strip(),
    }
    try:
        directory.add_user(
            session=session,
            username=form["username"],
            password=password,
            role=role,
            display_name=form["display_name"] or None,
            area_code=form["area_code"] or None,
            unit_code=form["unit_code"] or None,
            actor=staff.username,
        )
    except DomainError as exc:
        return _system(request, session, staff, status=422, errors=exc.details, form=form)
    return _back(f"已添加用户 {form['username']}")


def _set_active(
    session: Session, staff: Staff, username: str, active: bool, reason: str
) -> Response:
    if username == staff.username and not active:
        raise Forbidden("不能停用自己的账号")
    accounts.set_active(
        session=session, username=username, active=active, actor=staff.username, reason=reason
    )
    return _back(f"已{'启用' if active else '停用'}用户 {username}")


@router.post("/console/system/users/{username}/disable", dependencies=[CsrfChecked])
@permissions.route("admin")
def disable_user(
    username: str, session: DbSession, staff: Admin, reason: Annotated[str, Form()] = ""
) -> Response:
    return _set_active(session, staff, username, False, reason.strip())


@router.post("/console/system/users/{username}/enable", dependencies=[CsrfChecked])
@permissions.route("admin")
def enable_user(
    username: str, session: DbSession, staff: Admin, reason: Annotated[str, Form()] = ""
) -> Response:
    return _set_active(session, staff, username, True, reason.strip())


# --- the audit log ---------------------------------------------------------------------------


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@router.get("/console/system/audit", response_class=HTMLResponse)
@permissions.route("admin")
def audit_page(
    request: Request,
    session: DbSession,
    staff: Admin,
    actor: str = "",
    entity_type: str = "",
    since: str = "",
    until: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    tz = request.app.state.settings.tz
    first, last = _date(since), _date(until)
    found = audit_log.list_page(
        session=session,
        tz=tz,
        actor=actor.strip() or None,
        entity_type=entity_type.strip() or None,
        since=first,
        until=last,
        page=page,
    )
    filters = {"actor": actor, "entity_type": entity_type, "since": since, "until": until}
    return render(
        request,
        staff,
        "system/audit.html",
        {
            "found": found,
            "filters": filters,
            "query": lambda p: urlencode({**filters, "page": p}),
            "local_time": lambda at: clock.local_text(at, tz, seconds=True),
            "pretty": pretty_json,
            "bad_dates": (bool(since.strip()) and first is None)
            or (bool(until.strip()) and last is None),
        },
    )
