"""Rendering staff pages: every page gets the signed-in user, the CSRF token and the menu."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from envbureau.web.security import Staff, csrf_token

#: The console's menu: (path, label, roles that see it; empty = every staff role).
MENU: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/console", "首页", frozenset()),
    ("/console/air", "空气", frozenset()),
    ("/console/water", "水", frozenset()),
    ("/console/imports", "数据导入", frozenset({"admin", "office", "branch"})),
    ("/console/indicators", "指标", frozenset()),
    ("/console/worklog", "工作台账", frozenset()),
    ("/console/reports", "报告", frozenset()),
    ("/console/system", "系统", frozenset({"admin"})),
)


def render(
    request: Request,
    staff: Staff,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    menu = [(path, label) for path, label, roles in MENU if not roles or staff.role in roles]
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
