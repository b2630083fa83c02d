"""Who is asking, and may they: signed sessions, the signed-in user, CSRF.

The session cookie is signed by Starlette's ``SessionMiddleware`` (itsdangerous, HTTP-only,
SameSite=Lax) with the configured secret (there is no built-in one) and holds only a random
session token and the CSRF token; the session itself is a row of ``user_sessions``
(``core.accounts.sessions``), so signing out, disabling a user and changing a password end it.
Looking it up only reads. A user with a one-time password reaches only the password page
(``/account/password``) until it is changed. Every staff route depends on
``current_staff`` (anonymous → login page, or 401 for the API) and, where it changes data, on
``check_csrf`` and the permission table (``envbureau.core.permissions``: ``Staff.check_edit``,
``permissions.check``), which is where roles, office domains and area scopes are decided.
``Staff`` and ``Forbidden`` live there and are re-exported here.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select

from envbureau.core.accounts import sessions
from envbureau.core.accounts.models import User
from envbureau.core.clock import utc_now
from envbureau.core.config import Settings, secret_problem
from envbureau.core.errors import ConfigError
from envbureau.core.permissions import Forbidden, Staff, load_staff
from envbureau.web.deps import DbSession

__all__ = [
    "PASSWORD_PAGE",
    "CsrfChecked",
    "CurrentStaff",
    "Forbidden",
    "LoginRequired",
    "SignedIn",
    "Staff",
    "check_csrf",
    "csrf_token",
    "current_staff",
    "load_staff",
    "require_action",
    "session_options",
    "signed_in",
]

SESSION_COOKIE = "envbureau_session"
SESSION_MAX_AGE = 8 * 3600  # a working day (the default of settings.session_hours)
SESSION_TOKEN = "sid"
PASSWORD_PAGE = "/account/password"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def session_options(settings: Settings) -> dict[str, Any]:
    """The ``SessionMiddleware`` arguments; ``ConfigError`` without a secret (no app ever runs
    with a built-in one: ``envbureau serve`` checks its strength before this)."""
    if not settings.secret_key:
        code, message = secret_problem(settings.secret_key) or ("secret_key.missing", "")
        raise ConfigError(message, code=code)
    return {
        "secret_key": settings.secret_key,
        "session_cookie": SESSION_COOKIE,
        "max_age": settings.session_hours * 3600,
        "same_site": "lax",
        "https_only": settings.tls or settings.environment == "production",
    }


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""


def signed_in(request: Request, session: DbSession) -> Staff:
    """The user of the request's live session, whether or not a password change is due."""
    user_id = sessions.user_of(
        session=session, token=request.session.get(SESSION_TOKEN), now=utc_now()
    )
    staff = load_staff(session, user_id) if user_id is not None else None
    if staff is None:
        request.session.pop(SESSION_TOKEN, None)
        raise LoginRequired()
    request.state.staff = staff
    return staff


SignedIn = Annotated[Staff, Depends(signed_in)]


def current_staff(staff: SignedIn, session: DbSession) -> Staff:
    """The signed-in user; one with a one-time password is sent to change it first."""
    if session.scalar(select(User.must_change_password).where(User.id == staff.user_id)):
        raise Forbidden(f"请先修改初始密码（一次性密码）后再使用系统：{PASSWORD_PAGE}")
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


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
