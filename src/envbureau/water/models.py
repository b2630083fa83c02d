"""Tables of the water domain: water bodies, monitoring sections with their targets, samples."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from envbureau.core.db import Base, utcnow

WATER_BODY_KINDS = {"river": "河流", "lake": "湖泊", "reservoir": "水库"}
SECTION_LEVELS = {"national": "国控", "provincial": "省控", "city": "市控", "county": "县控"}


class WaterBody(Base):
    __tablename__ = "water_bodies"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))  # river | lake | reservoir
    basin: Mapped[str] = mapped_column(String(100), default="")


class Section(Base):
    """A monitoring section (断面) with the targets and lists the bureau evaluates it against.

    ``kind`` decides which limits apply (lake/reservoir TP and TN); the published class of the
    national release depends on it, so it is stored per section, not guessed from the name.
    """

    __tablename__ = "water_sections"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    water_body_code: Mapped[str | None] = mapped_column(ForeignKey("water_bodies.code"))
    kind: Mapped[str] = mapped_column(String(12), default="river")
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    lon: Mapped[float | None] = mapped_column()
    lat: Mapped[float | None] = mapped_column()
    control_level: Mapped[str] = mapped_column(String(12), default="city")
    target_class: Mapped[int | None] = mapped_column(Integer)  # water-function zone target
    assessment_target_class: Mapped[int | None] = mapped_column(Integer)  # "水十条" section
    cross_boundary: Mapped[bool] = mapped_column(Boolean, default=False)
    upstream: Mapped[str] = mapped_column(String(100), default="")
    downstream: Mapped[str] = mapped_column(String(100), default="")
    drinking_source: Mapped[bool] = mapped_column(Boolean, default=False)
    source_level: Mapped[str] = mapped_column(String(12), default="")  # county | city
    population_served: Mapped[int | None] = mapped_column(Integer)
    elimination_level: Mapped[str] = mapped_column(String(12), default="")  # 劣Ⅴ list
    elimination_baseline_year: Mapped[int | None] = mapped_column(Integer)


class Sample(Base):
    """One sampling of a section: item values (mg/L; pH; ℃; 个/L) and below-detection items.

    Corrections are new revisions; the earlier row is kept and stops being current.
    """

    __tablename__ = "water_samples"
    __table_args__ = (
        UniqueConstraint("section_code", "time_utc", "revision"),
        Index("ix_water_samples_current", "section_code", "is_current", "time_utc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_code: Mapped[str] = mapped_column(ForeignKey("water_sections.code"))
    time_utc: Mapped[datetime] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    below_detection: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(255), default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
