"""Tables of the air domain: stations, hourly observations (with revisions), dust events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from envbureau.core.db import Base, utcnow

POLLUTANTS = ("so2", "no2", "co", "o3", "pm10", "pm25")
CONTROL_LEVELS = {"national": "国控", "provincial": "省控", "city": "市控"}


def invalid_bit(pollutant: str) -> int:
    """The bit of ``Observation.invalid_flags`` that marks ``pollutant``'s value invalid."""
    return 1 << POLLUTANTS.index(pollutant)


class Station(Base):
    """A monitoring station; a station that moves ends and a new code begins (``replaces``)."""

    __tablename__ = "air_stations"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(50), index=True)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    control_level: Mapped[str] = mapped_column(String(12), default="national")
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)
    replaces: Mapped[str | None] = mapped_column(String(20))


class Observation(Base):
    """One station-hour of 1-h means; corrections are new revisions, the old row is kept.

    ``time_utc`` is the end of the averaging hour in UTC. Concentrations in μg/m³, CO in mg/m³.
    ``invalid_flags`` marks values that are present but flagged invalid (bit per pollutant).
    """

    __tablename__ = "air_observations"
    __table_args__ = (
        UniqueConstraint("station_code", "time_utc", "revision"),
        Index("ix_air_observations_current", "station_code", "is_current", "time_utc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("air_stations.code"))
    time_utc: Mapped[datetime] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12), default="provisional")  # or audited
    so2: Mapped[float | None] = mapped_column(Float)
    no2: Mapped[float | None] = mapped_column(Float)
    co: Mapped[float | None] = mapped_column(Float)
    o3: Mapped[float | None] = mapped_column(Float)
    pm10: Mapped[float | None] = mapped_column(Float)
    pm25: Mapped[float | None] = mapped_column(Float)
    invalid_flags: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(255), default="")  # file or form it came from
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")


class DustEvent(Base):
    """A sand-dust episode (沙尘天气过程) whose days may be deducted in evaluation."""

    __tablename__ = "air_dust_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    source_document: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
