"""Signing in and out of the staff console.

GET /login only reads (its CSRF token lives in the signed cookie, not the database). POST /login
checks the password under the lock and the per-address throttle (``core.accounts.service``),
then opens a server-side session whose token goes into a fresh cookie (no fixation); a user
with a one-time password is sent to the password page. POST /logout deletes the session row.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from envbureau.core.accounts import service as accounts
from envbureau.core.accounts import sessions
from envbureau.core.clock import utc_now
from envbureau.core.config import Settings
from envbureau.core.db import start_writing
from envbureau.web.deps import DbSession, ReadFirstSession
from envbureau.web.security import PASSWORD_PAGE, SESSION_TOKEN, check_csrf, csrf_token

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an absolute URL (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/console"
    parsed = urlparse(target)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def login_policy(settings: Settings) -> accounts.LoginPolicy:
    return accounts.LoginPolicy(
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
        ip_max_failures=settings.login_ip_max_failures,
        refuse_published=settings.environment == "production",
    )


def source_of(request: Request) -> str:
    """The client's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def _page(request: Request, next: str | None, error: str | None, status: int = 200) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    return request.app.state.templates.TemplateResponse(
        request,
        "staff/login.html",
        {
            "csrf_token": csrf_token(request),
            "next": _safe_next(next),
            "error": error,
            "max_failures": settings.login_max_failures,
            "lock_minutes": settings.login_lock_minutes,
        },
        status_code=status,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return _page(request, next, None)


@router.post("/login", dependencies=[Depends(check_csrf)], response_model=None)
def login(
    request: Request,
    session: ReadFirstSession,  # the password is checked before the write lock is taken
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/console",
) -> HTMLResponse | RedirectResponse:
    now = utc_now()
    settings: Settings = request.app.state.settings
    try:
        user = accounts.authenticate(
            session=session,
            username=username,
            password=password,
            now=now,
            source=source_of(request),
            policy=login_policy(settings),
            before_writing=lambda: start_writing(session),
        )
    except accounts.LoginRefused as exc:
        return _page(request, next, str(exc), status=401)
    token = sessions.open_session(
        session=session, user_id=user.id, now=now, hours=settings.session_hours
    )
    request.session.clear()  # a new session on sign-in (no fixation)
    request.session[SESSION_TOKEN] = token
    csrf_token(request)
    if user.must_change_password:
        return RedirectResponse(PASSWORD_PAGE, status_code=303)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: DbSession) -> RedirectResponse:
    sessions.end(session=session, token=request.session.get(SESSION_TOKEN))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
