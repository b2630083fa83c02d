"""系统 (system administrator only): users, roles, and the audit log.

Users are added with a password the administrator sets and are never deleted, only disabled
(and enabled again); each change goes through ``accounts.service`` and so into the audit log.
The audit page filters by actor, entity type and Beijing dates, newest first, a page at a time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts import service as accounts
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area, OrgUnit
from envbureau.core.errors import DomainError, RuleViolation
from envbureau.web.console.admin_helpers import local_time, pretty_json, tz_of
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, Forbidden, Staff, require_roles

router = APIRouter(include_in_schema=False)
Admin = Annotated[Staff, Depends(require_roles("admin"))]
USERNAME = re.compile(r"[A-Za-z0-9_.\-]{2,60}")
PAGE_SIZE = 50


def _users(session: Session, tz: ZoneInfo) -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for user in accounts.list_users(session=session):
        area = session.get(Area, user.area_code) if user.area_code else None
        unit = session.get(OrgUnit, user.unit_code) if user.unit_code else None
        if not user.is_active:
            state = "已停用"
        elif user.locked_until is not None and user.locked_until > now:
            state = f"锁定至 {local_time(user.locked_until, tz)}"
        else:
            state = "正常"
        rows.append(
            {
                "user": user,
                "role": ROLES.get(user.role_code, (user.role_code, ""))[0],
                "area": f"{area.name}（{area.code}）" if area else "全市",
                "unit": unit.name if unit else "",
                "state": state,
            }
        )
    return rows


def _system(
    request: Request, session: Session, staff: Staff, *, status: int = 200, **context: Any
) -> HTMLResponse:
    return render(
        request,
        staff,
        "staff/system.html",
        {
            "users": _users(session, tz_of(request)),
            "roles": ROLES,
            "scoped_roles": AREA_SCOPED_ROLES,
            "units": areas_service.list_units(session=session),
            "min_password": accounts.MIN_PASSWORD_LENGTH,
            "notice": request.query_params.get("notice", ""),
            "form": context.pop("form", {}),
            **context,
        },
        status_code=status,
    )


@router.get("/console/system", response_class=HTMLResponse)
def system_page(request: Request, session: DbSession, staff: Admin) -> Response:
    return _system(request, session, staff)


def _check_new_user(session: Session, form: dict[str, str]) -> None:
    if not USERNAME.fullmatch(form["username"]):
        raise RuleViolation(
            "用户名应为 2～60 个字母、数字、点、下划线或连字符",
            code="user.username_invalid",
            loc=("username",),
        )
    if form["area_code"] and areas_service.get(session=session, code=form["area_code"]) is None:
        raise RuleViolation("区划代码不存在", code="area.unknown", loc=("area_code",))
    if form["unit_code"] and session.get(OrgUnit, form["unit_code"]) is None:
        raise RuleViolation("单位代码不存在", code="unit.unknown", loc=("unit_code",))


@router.post("/console/system/users", dependencies=[CsrfChecked])
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
        _check_new_user(session, form)
        accounts.create(
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
    notice = f"已添加用户 {form['username']}"
    return RedirectResponse(f"/console/system?{urlencode({'notice': notice})}", status_code=303)


def _set_active(
    session: Session, staff: Staff, username: str, active: bool, reason: str
) -> Response:
    if username == staff.username and not active:
        raise Forbidden("不能停用自己的账号")
    accounts.set_active(
        session=session, username=username, active=active, actor=staff.username, reason=reason
    )
    notice = f"已{'启用' if active else '停用'}用户 {username}"
    return RedirectResponse(f"/console/system?{urlencode({'notice': notice})}", status_code=303)


@router.post("/console/system/users/{username}/disable", dependencies=[CsrfChecked])
def disable_user(
    username: str, session: DbSession, staff: Admin, reason: Annotated[str, Form()] = ""
) -> Response:
    return _set_active(session, staff, username, False, reason.strip())


@router.post("/console/system/users/{username}/enable", dependencies=[CsrfChecked])
def enable_user(
    username: str, session: DbSession, staff: Admin, reason: Annotated[str, Form()] = ""
) -> Response:
    return _set_active(session, staff, username, True, reason.strip())


# --- the audit log ---------------------------------------------------------------------------


def _utc_start(day: date, tz: ZoneInfo) -> datetime:
    """Midnight of a Beijing date as a stored (naive UTC) time."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


@router.get("/console/system/audit", response_class=HTMLResponse)
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
    tz = tz_of(request)
    clauses = []
    if actor.strip():
        clauses.append(AuditEntry.actor == actor.strip())
    if entity_type.strip():
        clauses.append(AuditEntry.entity_type == entity_type.strip())
    first, last = _date(since), _date(until)
    if first is not None:
        clauses.append(AuditEntry.at >= _utc_start(first, tz))
    if last is not None:
        clauses.append(AuditEntry.at < _utc_start(last + timedelta(days=1), tz))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*clauses)) or 0
    entries = session.scalars(
        select(AuditEntry)
        .where(*clauses)
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    types = session.scalars(select(AuditEntry.entity_type).distinct().order_by("entity_type"))
    filters = {"actor": actor, "entity_type": entity_type, "since": since, "until": until}
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        staff,
        "staff/system_audit.html",
        {
            "entries": entries,
            "total": total,
            "page": page,
            "pages": pages,
            "filters": filters,
            "entity_types": list(types),
            "query": lambda p: urlencode({**filters, "page": p}),
            "local_time": lambda at: local_time(at, tz, seconds=True),
            "pretty": pretty_json,
            "bad_dates": (bool(since.strip()) and first is None)
            or (bool(until.strip()) and last is None),
        },
    )
