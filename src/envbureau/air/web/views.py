"""空气 pages: stations with their coverage, a station's hours and days, the daily AQI calendar,
the evaluation of a period with its year on year, and the ranking.

Each handler reads the query, checks the user's area (another district's area or station →
403), asks the air domain once (``figures``) and renders; the figures are the domain's result
objects, drawn by ``charts``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from envbureau.air.snapshots import AQI_LEGEND, air_as_of
from envbureau.air.station_month import HOURLY_DAYS, station_info, station_month
from envbureau.air.web import charts, figures
from envbureau.core.errors import RuleViolation
from envbureau.web.charts import PLOTLY_SCRIPT
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.scope import visible_areas
from envbureau.web.security import CurrentStaff, Staff

router = APIRouter()


def _page(
    request: Request, staff: Staff, session: Session, template: str, context: dict[str, Any]
) -> HTMLResponse:
    """A page with the area picker and the day the data reach; 422 when it shows an error."""
    return render(
        request,
        staff,
        template,
        {
            "plotly_script": PLOTLY_SCRIPT,
            "areas": visible_areas(session, staff),
            "as_of": air_as_of(session),
            **context,
        },
        status_code=422 if context.get("error") else 200,
    )


@router.get("/console/air", response_class=HTMLResponse, include_in_schema=False)
def stations_page(
    request: Request, staff: CurrentStaff, session: DbSession, area: str | None = None
) -> HTMLResponse:
    place = figures.area_of(session, staff, area)
    rows = figures.stations(session, staff, place.code).items
    return _page(request, staff, session, "air/stations.html", {"area": place, "rows": rows})


@router.get("/console/air/stations/{code}", response_class=HTMLResponse, include_in_schema=False)
def station_page(
    request: Request, staff: CurrentStaff, session: DbSession, code: str, month: str | None = None
) -> HTMLResponse:
    station = figures.station_of(session, staff, code)
    try:
        chosen = figures.month_of(month)
    except RuleViolation as exc:
        info = station_info(session=session, station=station)
        return _page(request, staff, session, "air/station.html", {"station": info, "error": exc})
    found = station_month(session=session, station=station, month=chosen, hours=True)
    context: dict[str, Any] = {"station": found.station, "figures": found}
    if found.month is not None and found.hours is not None:
        context |= {
            "hourly_days": HOURLY_DAYS,
            "hourly_chart": charts.hourly_chart(found.hours),
            "daily_chart": charts.daily_chart(found.days, title=f"{found.month.label}逐日 AQI")
            if found.days
            else None,
        }
    return _page(request, staff, session, "air/station.html", context)


@router.get("/console/air/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(
    request: Request,
    staff: CurrentStaff,
    session: DbSession,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    area: str | None = None,
) -> HTMLResponse:
    place = figures.area_of(session, staff, area)
    shown = figures.calendar(session, place.code, year, request.app.state.settings.tz)
    context = {
        "area": place,
        "year": shown.year,
        "months": shown.months,
        "year_from_clock": shown.year_from_clock,
        "legend": AQI_LEGEND,
    }
    return _page(request, staff, session, "air/calendar.html", context)


@router.get("/console/air/evaluate", response_class=HTMLResponse, include_in_schema=False)
def evaluate_page(
    request: Request,
    staff: CurrentStaff,
    session: DbSession,
    period: str | None = None,
    area: str | None = None,
) -> HTMLResponse:
    place = figures.area_of(session, staff, area)
    context: dict[str, Any] = {"area": place, "period_code": period or ""}
    try:
        chosen = figures.period_of(session, period)
    except RuleViolation as exc:
        return _page(request, staff, session, "air/evaluate.html", {**context, "error": exc})
    table = figures.evaluation(session, place.code, chosen)
    context |= {"period": chosen, "period_code": chosen.code, "table": table}
    return _page(request, staff, session, "air/evaluate.html", context)


@router.get("/console/air/ranking", response_class=HTMLResponse, include_in_schema=False)
def ranking_page(
    request: Request,
    staff: CurrentStaff,
    session: DbSession,
    period: str | None = None,
    by: str = "district",
    area: str | None = None,
) -> HTMLResponse:
    place = figures.area_of(session, staff, area)
    context: dict[str, Any] = {"area": place, "period_code": period or "", "by": by}
    try:
        chosen = figures.period_of(session, period)
    except RuleViolation as exc:
        return _page(request, staff, session, "air/ranking.html", {**context, "error": exc})
    ranked = figures.ranking(session, place.code, chosen, by)
    context |= {
        "period": chosen,
        "period_code": chosen.code,
        "by": ranked.by,
        "has_districts": ranked.has_districts,
        "ranking": ranked,
    }
    return _page(request, staff, session, "air/ranking.html", context)
