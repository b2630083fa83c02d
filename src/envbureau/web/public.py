"""Public pages and API: what the bureau discloses, with no login and nothing internal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.indicators.definitions import THEMES, load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.core.indicators.service import format_value
from envbureau.web.deps import DbSession

router = APIRouter()


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
def portal(request: Request, session: DbSession) -> HTMLResponse:
    roots = areas_service.list_root(session=session)
    return request.app.state.templates.TemplateResponse(
        request,
        "portal.html",
        {"city": roots[0].name if roots else "", "values": public_values(session)},
    )


@router.get("/api/v1/public/indicators", tags=["公开信息"], summary="公开指标的最新值")
def api_public_indicators(session: DbSession) -> list[dict[str, Any]]:
    return public_values(session)


@router.get("/healthz", include_in_schema=False)
def healthz(session: DbSession) -> dict[str, str]:
    session.execute(select(1))
    return {"status": "ok"}
