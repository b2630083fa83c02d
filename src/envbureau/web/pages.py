"""Rendering staff pages: every page gets the signed-in user, the CSRF token and the menu."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from envbureau import domains
from envbureau.web.security import Staff, csrf_token


def menu_for(staff: Staff) -> list[tuple[str, str]]:
    """The console menu (path, label) offered to ``staff``: the entries whose action the
    permission table gives them."""
    return [(e.path, e.label) for e in domains.menu() if staff.may(e.action)]


def render(
    request: Request,
    staff: Staff,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    menu = menu_for(staff)
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "staff": staff,
            "menu": menu,
            "csrf_token": csrf_token(request),
            "path": request.url.path,
            **(context or {}),
        },
        status_code=status_code,
    )


def pretty_json(value: Any) -> str:
    """Before/after values and inputs as indented JSON with Chinese left readable."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)
