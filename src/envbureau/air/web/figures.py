"""What the air pages and the air API both read: the area, period, month and station asked
for, within the areas the user may see (``web.scope``), and the air domain's results kept per
data version (``web.cache``), so a page and its JSON twin show the same figures."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.aqi_calendar import AqiCalendar, year_calendar
from envbureau.air.evaluation_table import EvaluationTable, evaluation_table
from envbureau.air.models import Station
from envbureau.air.ranking_table import RankingTable, ranking_table
from envbureau.air.snapshots import StationList, air_as_of, list_snapshots
from envbureau.core.areas.models import Area
from envbureau.core.errors import RuleViolation
from envbureau.core.periods import Period, year_to_date
from envbureau.core.periods import parse as parse_period
from envbureau.web.cache import cached
from envbureau.web.scope import check_view, resolve_area, view_codes
from envbureau.web.security import Staff


def area_of(session: Session, staff: Staff, code: str | None) -> Area:
    """The area asked for (default: the user's own); another district's → 403. Monitoring
    results sit at district level, so a grid inspector reads its district."""
    return resolve_area(session, staff, code, monitoring_data=True)


def period_of(session: Session, code: str | None) -> Period:
    """The period asked for (default: the year to the day the data reach)."""
    if code:
        return parse_period(code)
    as_of = air_as_of(session)
    if as_of is None:
        raise RuleViolation("库中没有空气监测数据", code="air.no_data", loc=("period",))
    return year_to_date(as_of)


def month_of(code: str | None) -> Period | None:
    """The month asked for (None: the month of the station's last day with data)."""
    return parse_period(code) if code else None


def station_of(session: Session, staff: Staff, code: str) -> Station:
    """The station, when it lies in an area the user may read (else 403)."""
    station = air_service.get_station_or_raise(session=session, code=code)
    check_view(session, staff, station.area_code)
    return station


def stations(session: Session, staff: Staff, area_code: str) -> StationList:
    """The area's stations the user may see, as of the day the data reach."""
    codes = view_codes(session, staff)
    visible = None if codes is None else frozenset(codes)
    return cached(
        session,
        ("air-stations", area_code, visible),
        lambda: list_snapshots(session=session, area_code=area_code, visible=visible),
    )


def calendar(session: Session, area_code: str, year: int | None, tz: ZoneInfo) -> AqiCalendar:
    """The area's AQI calendar of ``year`` (default: the year of the latest data; the zone's
    current year only while the database has no air data)."""
    return cached(
        session,
        ("air-calendar", area_code, year),
        lambda: year_calendar(session=session, area_code=area_code, year=year, tz=tz),
    )


def evaluation(session: Session, area_code: str, period: Period) -> EvaluationTable | None:
    """The period's evaluation table with its year on year (None: no stations)."""
    return cached(
        session,
        ("air-evaluate", area_code, period.code),
        lambda: evaluation_table(session=session, area_code=area_code, period=period),
    )


def ranking(session: Session, area_code: str, period: Period, by: str) -> RankingTable:
    """The area's districts or stations ranked by composite index."""
    return cached(
        session,
        ("air-ranking", area_code, period.code, by),
        lambda: ranking_table(session=session, area_code=area_code, period=period, by=by),
    )
