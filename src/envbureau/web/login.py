"""Signing in and out of the staff console."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from envbureau.core.accounts import service as accounts
from envbureau.core.clock import utc_now
from envbureau.web.deps import DbSession
from envbureau.web.security import check_csrf, csrf_token

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an absolute URL (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/console"
    parsed = urlparse(target)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request,
        "staff/login.html",
        {"csrf_token": csrf_token(request), "next": _safe_next(next), "error": None},
    )


@router.post("/login", dependencies=[Depends(check_csrf)], response_model=None)
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/console",
) -> HTMLResponse | RedirectResponse:
    now = utc_now()
    try:
        user = accounts.authenticate(session=session, username=username, password=password, now=now)
    except accounts.LoginRefused as exc:
        return request.app.state.templates.TemplateResponse(
            request,
            "staff/login.html",
            {"csrf_token": csrf_token(request), "next": _safe_next(next), "error": str(exc)},
            status_code=401,
        )
    request.session.clear()  # a new session on sign-in (no fixation)
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
