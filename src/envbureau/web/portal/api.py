"""The portal's JSON twins (``/api/v1/public/...``): the figures the page shows, no login; and
``/healthz`` for the server's watchdog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from envbureau.overview import portal as portal_service
from envbureau.web.deps import DbSession
from envbureau.web.portal import figures
from envbureau.web.portal.schemas import Health, PublicAir, PublicValueOut, PublicWater

router = APIRouter()
YearQuery = Annotated[
    int | None, Query(ge=2000, le=2100, description="年份（默认：最新水质监测数据所在年份）")
]


@router.get(
    "/api/v1/public/air",
    tags=["公开信息"],
    summary="最新监测小时的空气质量",
    response_model=PublicAir | None,
)
def api_public_air(session: DbSession) -> PublicAir | None:
    """The city's and each station's real-time AQI (HJ 633) of the latest observed hour, with
    category, colour, health effect and advice; null without observations."""
    report = figures.air(session)
    return None if report is None else PublicAir.model_validate(report)


@router.get(
    "/api/v1/public/water",
    tags=["公开信息"],
    summary="各断面逐月水质类别",
    response_model=PublicWater,
)
def api_public_water(session: DbSession, year: YearQuery = None) -> PublicWater:
    """Each section's GB 3838 class in each month of the year (null: no sample that month)."""
    return PublicWater.model_validate(figures.water(session, year))


@router.get(
    "/api/v1/public/indicators",
    tags=["公开信息"],
    summary="公开指标的最新值",
    response_model=list[PublicValueOut],
)
def api_public_indicators(session: DbSession) -> list[PublicValueOut]:
    """The latest stored value of every disclosed indicator for the city."""
    values = portal_service.public_values(session=session)
    return [PublicValueOut.model_validate(v) for v in values]


@router.get("/healthz", include_in_schema=False, response_model=Health)
def healthz(session: DbSession) -> Health:
    session.execute(select(1))  # the check's one job: the database answers
    return Health(status="ok")
