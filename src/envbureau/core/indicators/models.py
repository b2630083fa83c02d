"""Stored indicator values (with provenance), manual entries (append-only) and annual targets.

Each is for an area and, optionally, a subject (``subjects.Subject``: an enterprise, an org unit
or a campaign); ``subject_kind`` and ``subject_code`` are ``''`` for the area's own figure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from envbureau.core.db import Base, utcnow


def _subject_kind() -> Mapped[str]:
    return mapped_column(String(20), default="", server_default="")


def _subject_code() -> Mapped[str]:
    return mapped_column(String(60), default="", server_default="")


class IndicatorValue(Base):
    """The latest computation of an indicator for a period, an area and (optionally) a subject,
    with its provenance and the data version it was computed from."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint(
            "indicator_id",
            "period_code",
            "area_code",
            "subject_kind",
            "subject_code",
            name="uq_indicator_values_subject",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(80), index=True)
    period_code: Mapped[str] = mapped_column(String(30))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    subject_kind: Mapped[str] = _subject_kind()
    subject_code: Mapped[str] = _subject_code()
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))  # ok | insufficient
    reason: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(10))  # computed | manual
    edition: Mapped[str | None] = mapped_column(Text)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    coverage: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # core.freshness.data_version_key when computed; None for values stored before it was kept
    data_version: Mapped[str | None] = mapped_column(Text)


class ManualEntry(Base):
    """A figure entered by staff with its source; a correction is a new revision, never an edit."""

    __tablename__ = "indicator_manual_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(80), index=True)
    period_code: Mapped[str] = mapped_column(String(30))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    subject_kind: Mapped[str] = _subject_kind()
    subject_code: Mapped[str] = _subject_code()
    value: Mapped[float] = mapped_column(Float)
    source_document: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class IndicatorTarget(Base):
    """An annual target of an indicator for an area (and optionally a subject), from a named
    document (目标责任书), with the member unit answerable for it when one is named."""

    __tablename__ = "indicator_targets"
    __table_args__ = (
        UniqueConstraint(
            "indicator_id",
            "year",
            "area_code",
            "subject_kind",
            "subject_code",
            name="uq_indicator_targets_subject",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(80), index=True)
    year: Mapped[int] = mapped_column(Integer)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    subject_kind: Mapped[str] = _subject_kind()
    subject_code: Mapped[str] = _subject_code()
    responsible_unit: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"))
    value: Mapped[float] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(2))  # ">=" or "<="
    source_document: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(60))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
