"""Who is asking, and may they: signed sessions, roles, area scope, domains, CSRF.

The session cookie is signed by Starlette's ``SessionMiddleware`` (itsdangerous, HTTP-only,
SameSite=Lax) and holds only the user id and the CSRF token. Every staff route depends on
``current_staff`` (anonymous → login page, or 401 for the API) and, where it changes data, on
``check_csrf`` and ``Staff.check_edit``. Branch and grid users see only their own area and the
areas below it; office users edit only their office's domains (org unit ``domains``).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import User
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import OrgUnit
from envbureau.web.deps import DbSession

SESSION_COOKIE = "envbureau_session"
SESSION_MAX_AGE = 8 * 3600  # a working day
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Roles that may change data at all (each within its own limits below).
EDIT_ROLES = frozenset({"admin", "office", "branch", "grid"})


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""


class Forbidden(Exception):
    """Signed in but not allowed: wrong role, another district's data, a missing CSRF token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Staff:
    """The signed-in user and what they may reach."""

    user_id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    scope: frozenset[str] | None  # area codes the user may see; None = every area
    domains: frozenset[str]  # what an office user may edit (indicator themes)

    @property
    def role_name(self) -> str:
        return ROLES[self.role][0]

    def can_see(self, area_code: str | None) -> bool:
        return self.scope is None or (area_code is not None and area_code in self.scope)

    def check_area(self, area_code: str | None) -> None:
        if not self.can_see(area_code):
            raise Forbidden("无权查看其他区域的数据")

    def check_edit(self, domain: str, area_code: str | None = None) -> None:
        """May this user change ``domain`` data of ``area_code``?"""
        if self.role not in EDIT_ROLES:
            raise Forbidden(f"“{self.role_name}”角色只能查看")
        if self.role == "office" and domain not in self.domains:
            raise Forbidden("只能修改本科室业务领域的数据")
        if area_code is not None:
            self.check_area(area_code)


def load_staff(session: Session, user_id: int) -> Staff | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    scope = None
    if user.role_code in AREA_SCOPED_ROLES and user.area_code:
        scope = frozenset(
            areas_service.area_and_descendant_codes(session=session, code=user.area_code)
        )
    domains: frozenset[str] = frozenset()
    if user.unit_code:
        unit = session.get(OrgUnit, user.unit_code)
        domains = frozenset(unit.domains or []) if unit is not None else frozenset()
    return Staff(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role_code,
        area_code=user.area_code,
        scope=scope,
        domains=domains,
    )


def current_staff(request: Request, session: DbSession) -> Staff:
    user_id = request.session.get("uid")
    staff = load_staff(session, int(user_id)) if user_id is not None else None
    if staff is None:
        request.session.pop("uid", None)
        raise LoginRequired()
    request.state.staff = staff
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


def require_roles(*roles: str) -> Callable[..., Staff]:
    """A dependency admitting only ``roles`` (e.g. the system pages: admin only)."""

    def dependency(staff: CurrentStaff) -> Staff:
        if staff.role not in roles:
            raise Forbidden("当前角色无权访问此页面")
        return staff

    return dependency


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Unsafe methods must carry the session's token (form field or ``X-CSRF-Token``)."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    expected = request.session.get("csrf")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise Forbidden("表单已过期或缺少安全令牌（CSRF），请刷新页面后重试")


CsrfChecked = Depends(check_csrf)
