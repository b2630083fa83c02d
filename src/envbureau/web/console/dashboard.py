"""首页 (dashboard): the year's key figures of the user's area, against the targets."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from envbureau.web.pages import render
from envbureau.web.security import CurrentStaff

router = APIRouter(include_in_schema=False)


@router.get("/console", response_class=HTMLResponse)
def dashboard(request: Request, staff: CurrentStaff) -> HTMLResponse:
    return render(request, staff, "staff/dashboard.html", {})
