"""Who is asking, and may they: signed sessions, the signed-in user, CSRF.

The session cookie is signed by Starlette's ``SessionMiddleware`` (itsdangerous, HTTP-only,
SameSite=Lax) and holds only the user id and the CSRF token. Every staff route depends on
``current_staff`` (anonymous → login page, or 401 for the API) and, where it changes data, on
``check_csrf`` and the permission table (``envbureau.core.permissions``: ``Staff.check_edit``,
``permissions.check``), which is where roles, office domains and area scopes are decided.
``Staff`` and ``Forbidden`` live there and are re-exported here.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from envbureau.core.permissions import Forbidden, Staff, load_staff
from envbureau.web.deps import DbSession

__all__ = [
    "CsrfChecked",
    "CurrentStaff",
    "Forbidden",
    "LoginRequired",
    "Staff",
    "check_csrf",
    "csrf_token",
    "current_staff",
    "load_staff",
    "require_action",
    "require_roles",
]

SESSION_COOKIE = "envbureau_session"
SESSION_MAX_AGE = 8 * 3600  # a working day
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""


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


def require_action(action: str) -> Callable[..., Staff]:
    """A dependency admitting only users the permission table gives ``action`` (anywhere)."""

    def dependency(staff: CurrentStaff) -> Staff:
        staff.check(action)
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
