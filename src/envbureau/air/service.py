"""Reading stations and observations for evaluation: the current revision, in Beijing time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from envbureau.air.models import POLLUTANTS, DustEvent, Observation, Station, invalid_bit
from envbureau.core.areas import service as areas_service
from envbureau.core.errors import NotFound

BEIJING = "Asia/Shanghai"
BEIJING_OFFSET = timedelta(hours=8)  # China has kept UTC+8 without daylight saving since 1991


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
    """
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
    frame["time"] = pd.to_datetime(frame["time_utc"]).dt.tz_localize(UTC).dt.tz_convert(BEIJING)
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
