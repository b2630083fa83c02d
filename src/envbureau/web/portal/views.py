"""The portal page (``/``): the city's air quality of the latest hour with health advice, each
section's class by month, the disclosed indicators (``overview.portal``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from envbureau.air.realtime import POLLUTANT_COLUMNS
from envbureau.overview import portal as portal_service
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.portal import LEGEND
from envbureau.web.deps import DbSession
from envbureau.web.portal import figures

router = APIRouter()
YearQuery = Annotated[
    int | None, Query(ge=2000, le=2100, description="年份（默认：最新水质监测数据所在年份）")
]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def portal(request: Request, session: DbSession, year: YearQuery = None) -> HTMLResponse:
    city = portal_service.portal_city(session=session)
    return request.app.state.templates.TemplateResponse(
        request,
        "portal.html",
        {
            "city": city.name if city else "",
            "air": figures.air(session),
            "pollutants": POLLUTANT_COLUMNS,
            "water": figures.water(session, year),
            "water_legend": LEGEND,
            "water_colours": WATER_CLASS_COLOURS,
            "values": portal_service.public_values(session=session),
        },
    )
