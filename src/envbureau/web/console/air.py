"""空气 pages: stations with their coverage, a station's hours and days, the daily AQI calendar,
the evaluation of any period with year-on-year comparison, and the ranking.

Every page reads through the air service and shows only the areas the user may see: a branch
its district (another district's area or station → 403). Figures are kept per process under
the data version (``web.monitoring``).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import POLLUTANTS, Station
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.errors import RuleViolation
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.web import monitoring
from envbureau.web.air_evaluation import evaluation_table, ranking_rows
from envbureau.web.charts import PLOTLY_SCRIPT
from envbureau.web.deps import DbSession
from envbureau.web.monitoring_charts import daily_chart, hourly_chart
from envbureau.web.pages import render
from envbureau.web.security import CurrentStaff, Staff

router = APIRouter()
BY_VALUES = ("district", "station")
PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]

HOURLY_DAYS = 7
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def chosen_area(session: Session, staff: Staff, code: str | None) -> Area:
    """The area a page is asked for (default: the user's own); another district's → 403."""
    home = monitoring.home_area(session, staff)
    code = code or (home.code if home else None)
    if code is None:
        raise RuleViolation("尚未载入行政区划", code="area.none", loc=("area",))
    monitoring.check_view(session, staff, code)
    return areas_service.get_or_raise(session=session, code=code)


def chosen_period(session: Session, code: str | None) -> Period:
    """The period asked for (default: the year to the latest data)."""
    if code:
        return parse_period(code)
    as_of = monitoring.air_as_of(session)
    if as_of is None:
        raise RuleViolation("库中没有空气监测数据", code="air.no_data", loc=("period",))
    return monitoring.ytd_period(as_of)


def _page(
    request: Request, staff: Staff, session: Session, template: str, context: dict[str, Any]
) -> HTMLResponse:
    return render(
        request,
        staff,
        template,
        {
            "plotly_script": PLOTLY_SCRIPT,
            "areas": monitoring.visible_areas(session, staff),
            "as_of": monitoring.air_as_of(session),
            **context,
        },
        status_code=422 if context.get("error") else 200,
    )


@router.get("/console/air", response_class=HTMLResponse, include_in_schema=False)
def stations_page(
    request: Request, staff: CurrentStaff, session: DbSession, area: str | None = None
) -> HTMLResponse:
    place = chosen_area(session, staff, area)
    stations = monitoring.stations_in_view(session, staff, place.code)
    rows = monitoring.station_snapshots(session, stations, monitoring.air_as_of(session))
    return _page(request, staff, session, "staff/air_stations.html", {"area": place, "rows": rows})


@router.get("/console/air/stations/{code}", response_class=HTMLResponse, include_in_schema=False)
def station_page(
    request: Request, staff: CurrentStaff, session: DbSession, code: str, month: str | None = None
) -> HTMLResponse:
    station = station_in_view(session, staff, code)
    context: dict[str, Any] = {"station": station, "names": monitoring.area_names(session)}
    try:
        span = station_span(session, station, month)
    except RuleViolation as exc:
        return _page(request, staff, session, "staff/air_station.html", {**context, "error": exc})
    if span is not None:
        context |= station_figures(session, station, *span)
    return _page(request, staff, session, "staff/air_station.html", context)


def station_in_view(session: Session, staff: Staff, code: str) -> Station:
    """The station, when it lies in an area the user may read (else 403)."""
    station = air_service.get_station_or_raise(session=session, code=code)
    monitoring.check_view(session, staff, station.area_code)
    return station


def station_span(
    session: Session, station: Station, month: str | None
) -> tuple[date, Period] | None:
    """The station's last day with data and the month asked for (default: that day's month);
    None when the database has no air data."""
    as_of = monitoring.air_as_of(session)
    if as_of is None:
        return None
    last = min(as_of, station.active_to or as_of)
    return last, parse_period(month) if month else parse_period(f"{last:%Y-%m}")


def station_days(session: Session, station: Station, last: date, month: Period) -> dict[str, Any]:
    """The month's daily AQI of one station and its coverage: valid days and hourly values of
    each pollutant against the days and hours the station was in service (STYLE 15)."""
    month_last = min(month.end, last)
    active = monitoring.active_days(station, month.start, month_last)
    days: list[dict[str, Any]] = []
    by_pollutant = dict.fromkeys(POLLUTANTS, 0)
    if active:
        evaluation = air_service.evaluate_stations(
            session=session, stations=[station.code], first_day=active[0], last_day=active[-1]
        )
        if evaluation is not None:
            days = [monitoring.day_figures(row) for _, row in evaluation.city_daily.iterrows()]
        hours = air_service.load_hourly(
            session=session, stations=[station.code], first_day=active[0], last_day=active[-1]
        )
        by_pollutant = {p: int(hours[p].notna().sum()) for p in POLLUTANTS}
    return {
        "days": days,
        "coverage": {
            "first_day": active[0].isoformat() if active else None,
            "last_day": active[-1].isoformat() if active else None,
            "expected_days": len(active),
            "valid_days": sum(1 for d in days if d["aqi"] is not None),
            "expected_hours": 24 * len(active),
            "by_pollutant": by_pollutant,
        },
    }


def station_figures(
    session: Session, station: Station, last: date, month: Period
) -> dict[str, Any]:
    """The station page: the last week's hours, the month's days and the month's coverage."""
    first = last - timedelta(days=HOURLY_DAYS - 1)
    hourly = air_service.load_hourly(
        session=session, stations=[station.code], first_day=first, last_day=last
    )
    figures = station_days(session, station, last, month)
    days = figures["days"]
    return figures | {
        "last_day": last,
        "month": month,
        "hourly_chart": hourly_chart(
            hourly, title=f"最近{HOURLY_DAYS}日小时浓度（{first:%m-%d}至{last:%m-%d}）"
        ),
        "hourly_count": len(hourly),
        "daily_chart": daily_chart(days, title=f"{month.label}逐日 AQI") if days else None,
        "previous_month": (month.start - timedelta(days=1)).strftime("%Y-%m"),
        "next_month": (month.end + timedelta(days=1)).strftime("%Y-%m")
        if month.end < last
        else None,
    }


@router.get("/console/air/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(
    request: Request,
    staff: CurrentStaff,
    session: DbSession,
    year: int | None = None,
    area: str | None = None,
) -> HTMLResponse:
    place = chosen_area(session, staff, area)
    year, figures, last = calendar_days(session, place.code, year)
    return _page(
        request,
        staff,
        session,
        "staff/air_calendar.html",
        {
            "area": place,
            "year": year,
            "months": calendar_months(year, figures, last),
            "legend": monitoring.AQI_LEGEND,
        },
    )


def calendar_days(
    session: Session, area_code: str, year: int | None
) -> tuple[int, dict[str, dict[str, Any]], date | None]:
    """The year asked for (default: the year of the latest data), the area's daily figures by
    ISO date (HJ 633, each day by the edition of its date), and the last day with data."""
    as_of = monitoring.air_as_of(session)
    year = year or (as_of.year if as_of else date.today().year)
    last = min(date(year, 12, 31), as_of) if as_of else None
    if last is None or last < date(year, 1, 1):
        return year, {}, last

    def build() -> dict[str, dict[str, Any]]:
        evaluation = air_service.evaluate(
            session=session, area_code=area_code, first_day=date(year, 1, 1), last_day=last
        )
        if evaluation is None:
            return {}
        days = (monitoring.day_figures(row) for _, row in evaluation.city_daily.iterrows())
        return {day["date"]: day for day in days}

    key = ("calendar", area_code, year, monitoring.data_version(session))
    return year, monitoring.CACHE.get_or_build(key, build), last


def calendar_months(
    year: int, figures: dict[str, dict[str, Any]], last: date | None
) -> list[dict[str, Any]]:
    """Twelve months of weeks (Monday first); each day a cell with its AQI and colour."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[dict[str, Any] | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                found = figures.get(day.isoformat())
                state = "future" if last is None or day > last else "data"
                if state == "data" and (found is None or found["aqi"] is None):
                    state = "no-data"
                cells.append({"date": day, "state": state, "figures": found})
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


def cached_evaluation(session: Session, area_code: str, period: Period) -> dict[str, Any] | None:
    key = ("evaluate", area_code, period.code, monitoring.data_version(session))
    return monitoring.CACHE.get_or_build(key, lambda: evaluation_table(session, area_code, period))


@router.get("/console/air/evaluate", response_class=HTMLResponse, include_in_schema=False)
def evaluate_page(
    request: Request,
    staff: CurrentStaff,
    session: DbSession,
    period: str | None = None,
    area: str | None = None,
) -> HTMLResponse:
    place = chosen_area(session, staff, area)
    context: dict[str, Any] = {"area": place, "period_code": period or ""}
    try:
        chosen = chosen_period(session, period)
    except RuleViolation as exc:
        return _page(request, staff, session, "staff/air_evaluate.html", {**context, "error": exc})
    table = cached_evaluation(session, place.code, chosen)
    context |= {"period": chosen, "period_code": chosen.code, "table": table}
    return _page(request, staff, session, "staff/air_evaluate.html", context)


def ranking_of(session: Session, area_code: str, period: Period, by: str) -> dict[str, Any]:
    """The ranking an area has: its districts (by default) or its stations (asked for, or when
    the area has no districts below it, as a district has not)."""
    has_districts = bool(
        areas_service.list_descendants(session=session, code=area_code, level="district")
    )
    by = by if by in BY_VALUES else "district"
    if not has_districts:
        by = "station"
    key = ("ranking", area_code, period.code, by, monitoring.data_version(session))
    ranked = monitoring.CACHE.get_or_build(
        key, lambda: ranking_rows(session, area_code, period, by)
    )
    return {"by": by, "has_districts": has_districts, "rows": ranked}


@router.get("/console/air/ranking", response_class=HTMLResponse, include_in_schema=False)
def ranking_page(
    request: Request,
    staff: CurrentStaff,
    session: DbSession,
    period: str | None = None,
    by: str = "district",
    area: str | None = None,
) -> HTMLResponse:
    place = chosen_area(session, staff, area)
    context: dict[str, Any] = {"area": place, "period_code": period or "", "by": by}
    try:
        chosen = chosen_period(session, period)
    except RuleViolation as exc:
        return _page(request, staff, session, "staff/air_ranking.html", {**context, "error": exc})
    context |= {
        "period": chosen,
        "period_code": chosen.code,
        **ranking_of(session, place.code, chosen, by),
    }
    return _page(request, staff, session, "staff/air_ranking.html", context)


# --- JSON API: the same figures, for scripts (area scope as the pages) -----------------------
@router.get("/api/v1/air/stations", tags=["空气"], summary="站点、最新日 AQI 与本月数据覆盖")
def api_stations(session: DbSession, staff: CurrentStaff, area: AreaQuery = None) -> dict[str, Any]:
    place = chosen_area(session, staff, area)
    as_of = monitoring.air_as_of(session)
    stations = monitoring.stations_in_view(session, staff, place.code)
    return {
        "area_code": place.code,
        "as_of": as_of.isoformat() if as_of else None,
        "items": monitoring.station_snapshots(session, stations, as_of),
    }


@router.get("/api/v1/air/stations/{code}", tags=["空气"], summary="站点逐日 AQI 与数据覆盖")
def api_station(
    session: DbSession,
    staff: CurrentStaff,
    code: str,
    month: Annotated[str | None, Query(description="月份：2026-03（默认：最新数据所在月）")] = None,
) -> dict[str, Any]:
    station = station_in_view(session, staff, code)
    span = station_span(session, station, month)
    out: dict[str, Any] = {
        "code": station.code,
        "name": station.name,
        "area_code": station.area_code,
        "control_level": station.control_level,
        "lon": station.lon,
        "lat": station.lat,
        "active_from": station.active_from.isoformat() if station.active_from else None,
        "active_to": station.active_to.isoformat() if station.active_to else None,
        "period": None,
        "days": [],
        "coverage": None,
    }
    if span is not None:
        out |= {"period": span[1].code, **station_days(session, station, *span)}
    return out


@router.get("/api/v1/air/calendar", tags=["空气"], summary="全年逐日 AQI 与类别（日历）")
def api_calendar(
    session: DbSession,
    staff: CurrentStaff,
    year: Annotated[int | None, Query(description="年份（默认：最新数据所在年）")] = None,
    area: AreaQuery = None,
) -> dict[str, Any]:
    place = chosen_area(session, staff, area)
    year, figures, last = calendar_days(session, place.code, year)
    return {
        "area_code": place.code,
        "year": year,
        "last_day": last.isoformat() if last else None,
        "days": [figures[d] for d in sorted(figures)],
    }


@router.get("/api/v1/air/evaluate", tags=["空气"], summary="时段评价与同比（含标准版本）")
def api_evaluate(
    session: DbSession, staff: CurrentStaff, period: PeriodQuery = None, area: AreaQuery = None
) -> dict[str, Any]:
    place = chosen_area(session, staff, area)
    chosen = chosen_period(session, period)
    return {"area_code": place.code, "evaluation": cached_evaluation(session, place.code, chosen)}


@router.get("/api/v1/air/ranking", tags=["空气"], summary="区县或站点综合指数排名")
def api_ranking(
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    by: Annotated[str, Query(description="district（区县）或 station（站点）")] = "district",
    area: AreaQuery = None,
) -> dict[str, Any]:
    place = chosen_area(session, staff, area)
    chosen = chosen_period(session, period)
    ranked = ranking_of(session, place.code, chosen, by)
    return {
        "area_code": place.code,
        "period": chosen.code,
        "by": ranked["by"],
        "edition": ranked["rows"]["edition"],
        "rows": ranked["rows"]["rows"],
    }
