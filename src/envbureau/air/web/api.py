"""The air JSON API (``/api/v1/air/…``): the figures of the 空气 pages for scripts, in the same
area scope (another district's area or station → 403), each answer declared in ``schemas``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from envbureau.air.station_month import station_month
from envbureau.air.web import figures
from envbureau.air.web.schemas import (
    CalendarRead,
    EvaluationRead,
    RankingRead,
    StationRead,
    StationsRead,
)
from envbureau.web.deps import DbSession
from envbureau.web.security import CurrentStaff

router = APIRouter(tags=["空气"])
PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]


@router.get("/api/v1/air/stations", summary="站点、最新日 AQI 与本月数据覆盖")
def api_stations(session: DbSession, staff: CurrentStaff, area: AreaQuery = None) -> StationsRead:
    place = figures.area_of(session, staff, area)
    found = figures.stations(session, staff, place.code)
    return StationsRead.model_validate(
        {"area_code": place.code, "as_of": found.as_of, "items": found.items}
    )


@router.get("/api/v1/air/stations/{code}", summary="站点逐日 AQI 与数据覆盖")
def api_station(
    session: DbSession,
    staff: CurrentStaff,
    code: str,
    month: Annotated[str | None, Query(description="月份：2026-03（默认：最新数据所在月）")] = None,
) -> StationRead:
    station = figures.station_of(session, staff, code)
    chosen = figures.month_of(month)
    return StationRead.of(station_month(session=session, station=station, month=chosen))


@router.get("/api/v1/air/calendar", summary="全年逐日 AQI 与类别（日历）")
def api_calendar(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="年份（默认：最新数据所在年）")
    ] = None,
    area: AreaQuery = None,
) -> CalendarRead:
    place = figures.area_of(session, staff, area)
    shown = figures.calendar(session, place.code, year, request.app.state.settings.tz)
    return CalendarRead.model_validate(
        {
            "area_code": place.code,
            "year": shown.year,
            "last_day": shown.last_day,
            "days": shown.days,
        }
    )


@router.get("/api/v1/air/evaluate", summary="时段评价与同比（含标准版本）")
def api_evaluate(
    session: DbSession, staff: CurrentStaff, period: PeriodQuery = None, area: AreaQuery = None
) -> EvaluationRead:
    place = figures.area_of(session, staff, area)
    chosen = figures.period_of(session, period)
    table = figures.evaluation(session, place.code, chosen)
    return EvaluationRead.model_validate({"area_code": place.code, "evaluation": table})


@router.get("/api/v1/air/ranking", summary="区县或站点综合指数排名")
def api_ranking(
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    by: Annotated[str, Query(description="district（区县）或 station（站点）")] = "district",
    area: AreaQuery = None,
) -> RankingRead:
    place = figures.area_of(session, staff, area)
    chosen = figures.period_of(session, period)
    ranked = figures.ranking(session, place.code, chosen, by)
    return RankingRead.model_validate(
        {
            "area_code": place.code,
            "period": chosen.code,
            "by": ranked.by,
            "edition": ranked.edition,
            "rows": ranked.rows,
        }
    )
