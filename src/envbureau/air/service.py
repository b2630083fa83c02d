"""Reading stations and observations for evaluation: the current revision, in Beijing time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from envbureau.air.evaluation import Evaluation, evaluate_hourly
from envbureau.air.models import POLLUTANTS, DustEvent, Observation, Station, invalid_bit
from envbureau.core.areas import service as areas_service
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.errors import NotFound
from envbureau.standards import ranking
from envbureau.standards.gb3095 import BEIJING_TZ


def get_station_or_raise(*, session: Session, code: str) -> Station:
    station = session.get(Station, code)
    if station is None:
        raise NotFound(f"未知站点“{code}”", code="air.station_unknown", loc=("station",))
    return station


def list_stations(
    *,
    session: Session,
    area_code: str | None = None,
    city: str | None = None,
    active_between: tuple[date, date] | None = None,
) -> list[Station]:
    """Stations of an area (and the areas below it) or of a published city name."""
    stmt = select(Station).order_by(Station.code)
    if area_code is not None:
        codes = areas_service.area_and_descendant_codes(session=session, code=area_code)
        stmt = stmt.where(Station.area_code.in_(codes))
    if city is not None:
        stmt = stmt.where(Station.city == city)
    if active_between is not None:
        first, last = active_between
        stmt = stmt.where(
            or_(Station.active_from.is_(None), Station.active_from <= last),
            or_(Station.active_to.is_(None), Station.active_to >= first),
        )
    return list(session.scalars(stmt))


def _utc_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Hour-ending times of the Beijing days first_day … last_day, in naive UTC."""
    start = datetime.combine(first_day, time(1)) - BEIJING_OFFSET
    end = datetime.combine(last_day + timedelta(days=1), time(0)) - BEIJING_OFFSET
    return start, end


def load_hourly(
    *,
    session: Session,
    stations: list[str],
    first_day: date,
    last_day: date,
) -> pd.DataFrame:
    """Current hourly values of ``stations`` for the Beijing days first_day … last_day.

    Returns ``station``, ``time`` (hour-ending, tz-aware Beijing) and the six pollutants;
    values flagged invalid are NaN. Hours of a station outside its active dates are dropped.
    Frames are kept for the life of the session (an import clears them), like evaluations.
    """
    cache = session.info.setdefault(_HOURLY_CACHE_KEY, {})
    key = (tuple(sorted(stations)), first_day, last_day)
    if key not in cache:
        cache[key] = _load_hourly(session, stations, first_day, last_day)
    return cache[key].copy()


def _load_hourly(
    session: Session, stations: list[str], first_day: date, last_day: date
) -> pd.DataFrame:
    start, end = _utc_bounds(first_day, last_day)
    stmt = (
        select(
            Observation.station_code,
            Observation.time_utc,
            Observation.invalid_flags,
            *(getattr(Observation, p) for p in POLLUTANTS),
        )
        .where(
            Observation.is_current.is_(True),
            Observation.station_code.in_(stations),
            Observation.time_utc >= start,
            Observation.time_utc <= end,
        )
        .order_by(Observation.station_code, Observation.time_utc)
    )
    rows = session.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=["station", "time_utc", "invalid_flags", *POLLUTANTS])
    frame[list(POLLUTANTS)] = frame[list(POLLUTANTS)].astype(float)
    flags = frame["invalid_flags"].to_numpy(dtype=np.int64)
    for p in POLLUTANTS:
        frame.loc[(flags & invalid_bit(p)) != 0, p] = np.nan
    frame["time"] = pd.to_datetime(frame["time_utc"]).dt.tz_localize(UTC).dt.tz_convert(BEIJING_TZ)
    frame = _within_active_dates(session, frame)
    return frame[["station", "time", *POLLUTANTS]].reset_index(drop=True)


def _within_active_dates(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    stations = {
        s.code: s
        for s in session.scalars(
            select(Station).where(Station.code.in_(frame["station"].unique().tolist()))
        )
    }
    day = (frame["time"] - pd.Timedelta(hours=1)).dt.date
    keep = np.ones(len(frame), dtype=bool)
    for code, station in stations.items():
        mine = (frame["station"] == code).to_numpy()
        if station.active_from:
            keep &= ~(mine & (day < station.active_from).to_numpy())
        if station.active_to:
            keep &= ~(mine & (day > station.active_to).to_numpy())
    return frame[keep]


def dust_days(*, session: Session, first_day: date, last_day: date) -> pd.Series:
    """A bool Series indexed by every day of the span: True on a recorded dust day."""
    days = pd.date_range(first_day, last_day, freq="D")
    flags = pd.Series(False, index=days)
    for event in session.scalars(
        select(DustEvent).where(DustEvent.end_date >= first_day, DustEvent.start_date <= last_day)
    ):
        flags[(days >= pd.Timestamp(event.start_date)) & (days <= pd.Timestamp(event.end_date))] = (
            True
        )
    return flags


# --- evaluation ------------------------------------------------------------------------------
_CACHE_KEY = "air_evaluations"
_HOURLY_CACHE_KEY = "air_hourly"


def evaluation_stations(
    *, session: Session, area_code: str, first_day: date, last_day: date
) -> list[str]:
    """The stations whose values make the area's figures.

    A city is evaluated on its national-control (国控) stations, as the national evaluation is
    (环办监测〔2018〕19号); a city without any uses all its stations. A district or county uses
    every station in it. Stations count only while active (a moved station ends, its successor
    begins).
    """
    stations = list_stations(
        session=session, area_code=area_code, active_between=(first_day, last_day)
    )
    area = areas_service.get_or_raise(session=session, code=area_code)
    if area.level == "city":
        national = [s for s in stations if s.control_level == "national"]
        stations = national or stations
    return [s.code for s in stations]


def evaluate(
    *,
    session: Session,
    area_code: str,
    first_day: date,
    last_day: date,
    edition: str = "auto",
) -> Evaluation | None:
    """Evaluate an area over a span of days; None when it has no stations."""
    stations = evaluation_stations(
        session=session, area_code=area_code, first_day=first_day, last_day=last_day
    )
    return evaluate_stations(
        session=session, stations=stations, first_day=first_day, last_day=last_day, edition=edition
    )


def evaluate_stations(
    *,
    session: Session,
    stations: list[str],
    first_day: date,
    last_day: date,
    edition: str = "auto",
) -> Evaluation | None:
    """Evaluate stations as one place (one station alone, or a city's set); None without data.

    Evaluations are kept for the life of the session (one command or request), since many
    indicators read the same one; an observation import clears them.
    """
    if not stations:
        return None
    cache = session.info.setdefault(_CACHE_KEY, {})
    key = (tuple(sorted(stations)), first_day, last_day, edition)
    if key not in cache:
        hourly = load_hourly(
            session=session, stations=stations, first_day=first_day, last_day=last_day
        )
        cache[key] = (
            None
            if hourly.empty
            else evaluate_hourly(
                hourly,
                stations=stations,
                period_start=first_day,
                period_end=last_day,
                edition=edition,
                dust=dust_days(session=session, first_day=first_day, last_day=last_day),
            )
        )
    return cache[key]


def forget_evaluations(session: Session) -> None:
    """Drop what this session computed from observations (after an import changed them)."""
    session.info.pop(_CACHE_KEY, None)
    session.info.pop(_HOURLY_CACHE_KEY, None)


def evaluate_cities(
    *, session: Session, first_day: date, last_day: date, edition: str = "auto"
) -> dict[str, Evaluation]:
    """Every city with stations in the database, evaluated on all its active stations."""
    stations = list_stations(session=session, active_between=(first_day, last_day))
    by_city: dict[str, list[str]] = {}
    for station in stations:
        by_city.setdefault(station.city, []).append(station.code)
    out = {}
    for city, codes in by_city.items():
        hourly = load_hourly(
            session=session, stations=codes, first_day=first_day, last_day=last_day
        )
        if hourly.empty:
            continue
        out[city] = evaluate_hourly(
            hourly, stations=codes, period_start=first_day, period_end=last_day, edition=edition
        )
    return out


def rank_areas(
    *,
    session: Session,
    area_code: str,
    first_day: date,
    last_day: date,
    by: str = "district",
    edition: str = "auto",
) -> pd.DataFrame:
    """Districts (``by="district"``) or stations (``by="station"``) of an area ranked by
    composite index, ascending, ties sharing a rank (环办监测〔2018〕19号)."""
    places: list[tuple[str, str, list[str]]] = []
    if by == "district":
        for area in areas_service.list_descendants(
            session=session, code=area_code, level="district"
        ):
            codes = evaluation_stations(
                session=session, area_code=area.code, first_day=first_day, last_day=last_day
            )
            places.append((area.code, area.name, codes))
    else:
        for station in list_stations(
            session=session, area_code=area_code, active_between=(first_day, last_day)
        ):
            places.append((station.code, station.name, [station.code]))
    rows = []
    for code, name, stations in places:
        result = evaluate_stations(
            session=session,
            stations=stations,
            first_day=first_day,
            last_day=last_day,
            edition=edition,
        )
        if result is None:
            continue
        summary = result.summary()
        rows.append(
            {
                "code": code,
                "name": name,
                "composite_index": summary["composite_index"],
                "good_day_rate": summary["good_day_rate"],
                "pm25": summary["pm25"],
                "valid": summary["coverage"]["statistics_valid"],
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["rank"] = ranking.rank_by_composite_index(frame["composite_index"])
    return frame.sort_values(["rank", "code"]).reset_index(drop=True)


def data_version(session: Session) -> tuple[str, ...]:
    """Changes whenever observations (new revisions included), dust events or stations change."""
    parts: list[str] = []
    for statement in (
        select(func.max(Observation.id), func.max(Observation.created_at)),
        select(func.count(DustEvent.id), func.max(DustEvent.id)),
        select(select(func.count(Station.code)).scalar_subquery()),
    ):
        parts += [str(v) for v in session.execute(statement).one()]
    return tuple(parts)
