"""Tables of administrative divisions and organisation units."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from envbureau.core.db import Base

# GB/T 2260 gives 6-digit codes to provinces, cities and districts/counties; the statistical
# division code (统计用区划代码) extends them to 9 digits for towns and 12 for villages.
AREA_LEVELS = ("city", "district", "town", "village")
AREA_CODE_LENGTH = {"city": 6, "district": 6, "town": 9, "village": 12}

UNIT_KINDS = ("bureau", "office", "branch", "member_unit", "town_office")

org_unit_areas = Table(
    "org_unit_areas",
    Base.metadata,
    Column("unit_code", ForeignKey("org_units.code", ondelete="CASCADE"), primary_key=True),
    Column("area_code", ForeignKey("areas.code", ondelete="CASCADE"), primary_key=True),
)


class Area(Base):
    """One administrative division: city → district/county → town/street → village/community."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str | None] = mapped_column(String(20))  # 区/县/县级市/镇/乡/街道/村/社区
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("areas.code", ondelete="RESTRICT"), index=True
    )

    # GeoJSON Polygon/MultiPolygon in WGS 84, for offline maps (see core.areas.boundaries).
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    parent: Mapped[Area | None] = relationship(remote_side="Area.code", back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")


class OrgUnit(Base):
    """The bureau, its offices (科室), branches (分局), member units (成员单位), town 环保办."""

    __tablename__ = "org_units"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("org_units.code", ondelete="RESTRICT"), index=True
    )
    established_on: Mapped[date | None] = mapped_column(Date)
    # The indicator themes an office (科室) is responsible for: what its staff may edit.
    domains: Mapped[list[str] | None] = mapped_column(JSON, default=list)

    areas: Mapped[list[Area]] = relationship(secondary=org_unit_areas, order_by=Area.code)
