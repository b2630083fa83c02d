"""Public pages and API: what the bureau discloses, with no login and nothing internal.

The portal (``/``) and its JSON twins (``/api/v1/public/...``) show the same figures: the
current air quality of the city and its stations with HJ 633 health advice (``portal_air``),
the GB 3838 class of every section month by month (``portal_water``) and the public
indicators. No user, audit, note, provenance input or unpublished indicator is read here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.indicators.definitions import THEMES, load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.core.indicators.service import format_value
from envbureau.web import monitoring
from envbureau.web.deps import DbSession
from envbureau.web.portal_air import POLLUTANT_COLUMNS, current_air, level_table
from envbureau.web.portal_water import legend, water_months

router = APIRouter()
YearQuery = Annotated[
    int | None, Query(ge=2000, le=2100, description="年份（默认：最新水质监测数据所在年份）")
]


def portal_city(session: Session) -> Area | None:
    """The city the portal speaks for: the first top-level area."""
    roots = areas_service.list_root(session=session)
    return roots[0] if roots else None


def public_air(session: Session) -> dict[str, Any] | None:
    """Current air quality with the level table of its edition, cached by data version."""
    city = portal_city(session)
    if city is None:
        return None
    key = ("portal-air", city.code, monitoring.data_version(session))
    air = monitoring.CACHE.get_or_build(key, lambda: current_air(session, city))
    if air is None:
        return None
    return air | {"levels": level_table(air["edition"])}


def public_values(session: Session) -> list[dict[str, Any]]:
    """The latest stored value of every public indicator for each top-level area."""
    registry = load_catalog()
    public = {d.id: d for d in registry.all() if d.public}
    roots = {a.code: a.name for a in areas_service.list_root(session=session)}
    rows = session.scalars(
        select(IndicatorValue)
        .where(IndicatorValue.indicator_id.in_(public), IndicatorValue.area_code.in_(roots))
        .order_by(IndicatorValue.indicator_id, IndicatorValue.period_end.desc())
    )
    out, seen = [], set()
    for row in rows:
        key = (row.indicator_id, row.area_code)
        if key in seen:
            continue
        seen.add(key)
        d = public[row.indicator_id]
        out.append(
            {
                "indicator_id": d.id,
                "name": d.name,
                "theme": THEMES[d.theme],
                "unit": d.unit,
                "area_code": row.area_code,
                "area_name": roots[row.area_code],
                "period": row.period_code,
                "value": row.value,
                "value_reported": format_value(d, row.value),
                "status": row.status,
                "reason": row.reason,
            }
        )
    return out


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def portal(request: Request, session: DbSession, year: YearQuery = None) -> HTMLResponse:
    city = portal_city(session)
    return request.app.state.templates.TemplateResponse(
        request,
        "portal.html",
        {
            "city": city.name if city else "",
            "air": public_air(session),
            "pollutants": POLLUTANT_COLUMNS,
            "water": water_months(session, city, year),
            "water_legend": legend(),
            "water_colours": monitoring.WATER_CLASS_COLOURS,
            "values": public_values(session),
        },
    )


@router.get("/api/v1/public/air", tags=["公开信息"], summary="最新监测小时的空气质量")
def api_public_air(session: DbSession) -> dict[str, Any] | None:
    """The city's and each station's real-time AQI (HJ 633) of the latest observed hour, with
    category, colour, health effect and advice; null without observations."""
    return public_air(session)


@router.get("/api/v1/public/water", tags=["公开信息"], summary="各断面逐月水质类别")
def api_public_water(session: DbSession, year: YearQuery = None) -> dict[str, Any]:
    """Each section's GB 3838 class in each month of the year (null: no sample that month)."""
    return water_months(session, portal_city(session), year)


@router.get("/api/v1/public/indicators", tags=["公开信息"], summary="公开指标的最新值")
def api_public_indicators(session: DbSession) -> list[dict[str, Any]]:
    return public_values(session)


@router.get("/healthz", include_in_schema=False)
def healthz(session: DbSession) -> dict[str, str]:
    session.execute(select(1))
    return {"status": "ok"}
