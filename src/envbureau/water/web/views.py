"""水 pages: the section list, one section against its class limits, classes by period and the
compliance tables. Each handler parses, checks the area scope, makes one water service call
and renders; the services compute every figure (architecture.md, "The shape of a domain")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area
from envbureau.core.periods import Period
from envbureau.water.assessment import assessment
from envbureau.water.class_overview import class_overview
from envbureau.water.section_detail import section_detail
from envbureau.water.section_list import section_list
from envbureau.water.web import charts
from envbureau.water.web.choices import page_scope, section_of, today
from envbureau.web.charts import PLOTLY_SCRIPT
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.scope import area_choices
from envbureau.web.security import CurrentStaff, Staff

router = APIRouter(include_in_schema=False)
PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]
DayQuery = Annotated[date | None, Query()]


def _page(
    session: Session, staff: Staff, period: Period, area: Area, notice: str | None
) -> dict[str, Any]:
    """What every page with the period and area picker shows."""
    return {
        "period": period,
        "area": area,
        "areas": area_choices(session, staff, monitoring_data=True),
        "notice": notice,
        "plotly": PLOTLY_SCRIPT,
    }


@router.get("/console/water", response_class=HTMLResponse)
def sections_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    chosen, place, notice = page_scope(request, session, staff, period, area)
    found = section_list(session=session, area_code=place.code, period=chosen, today=today(request))
    return render(
        request,
        staff,
        "water/sections.html",
        {"page": found, **_page(session, staff, chosen, place, notice)},
    )


@router.get("/console/water/sections/{code}", response_class=HTMLResponse)
def section_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    code: str,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> HTMLResponse:
    section = section_of(session, staff, code)
    found = section_detail(
        session=session, section=section, first=first, last=last, today=today(request)
    )
    return render(
        request,
        staff,
        "water/section.html",
        {
            "page": found,
            "charts": [charts.trend_chart(trend) for trend in found.trends],
            "plotly": PLOTLY_SCRIPT,
        },
    )


@router.get("/console/water/classes", response_class=HTMLResponse)
def classes_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    chosen, place, notice = page_scope(request, session, staff, period, area)
    found = class_overview(
        session=session, area_code=place.code, period=chosen, today=today(request)
    )
    return render(
        request,
        staff,
        "water/classes.html",
        {
            "page": found,
            "chart": charts.history_chart(found.history) if found.history else None,
            **_page(session, staff, chosen, place, notice),
        },
    )


@router.get("/console/water/compliance", response_class=HTMLResponse)
def compliance_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    chosen, place, notice = page_scope(request, session, staff, period, area)
    found = assessment(session=session, area_code=place.code, period=chosen, today=today(request))
    return render(
        request,
        staff,
        "water/compliance.html",
        {"page": found, **_page(session, staff, chosen, place, notice)},
    )
