"""``/api/v1/dashboard``: the figures 首页 shows, for the user's area."""

from __future__ import annotations

from fastapi import APIRouter

from envbureau.web.deps import DbSession
from envbureau.web.home import figures
from envbureau.web.home.schemas import Dashboard
from envbureau.web.scope import home_area
from envbureau.web.security import CurrentStaff

router = APIRouter()


@router.get(
    "/api/v1/dashboard",
    tags=["首页"],
    summary="首页数字：年度目标与完成形势、当日空气质量、断面类别、提醒",
    response_model=Dashboard,
)
def api_dashboard(staff: CurrentStaff, session: DbSession) -> Dashboard:
    """The city's figures for a city-wide user, a district's for a branch or grid user."""
    area = home_area(session, staff)
    return Dashboard.of(None if area is None else figures.overview(session, area.code))
