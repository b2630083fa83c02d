"""Area boundaries: the city's own outlines of its districts and towns, for offline maps.

A bureau has its divisions' outlines from the natural-resources bureau as GeoJSON (or as a
table with a GeoJSON geometry per row). They are stored on the area (WGS 84 longitude and
latitude, as GeoJSON ``Polygon``/``MultiPolygon`` geometry) and drawn under the stations and
sections, so a map needs no tile server and no internet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.runner import ApplyResult, Progress, upsert_rows
from envbureau.core.importing.schema import Column, TableSchema

BOUNDARY_SCHEMA = TableSchema(
    name="area_boundaries",
    label="行政区划边界",
    columns=(
        Column(
            "code",
            "区划代码",
            aliases=("代码", "行政区划代码", "adcode"),
            pattern=r"\d{6}|\d{9}|\d{12}",
            pattern_rule="应为 6、9 或 12 位数字（GB/T 2260 及统计用区划代码）",
        ),
        Column(
            "boundary",
            "边界",
            aliases=("geometry", "几何", "边界坐标"),
            help="GeoJSON 几何（Polygon 或 MultiPolygon，WGS 84 经纬度）；GeoJSON 文件的要素几何自动放入此列",
        ),
    ),
    natural_key=("code",),
)

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Outline:
    """One area's outline as rings of (longitude, latitude) points, ready to draw."""

    code: str
    name: str
    rings: list[Ring]


def geometry_problem(geometry: Any) -> str | None:
    """Why ``geometry`` is not a usable GeoJSON polygon (RFC 7946 §3.1.6–3.1.7), or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "应为 GeoJSON 的 Polygon 或 MultiPolygon 几何"
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return "coordinates 为空"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "多边形没有环"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def _ring_problem(ring: Any) -> str | None:
    """A linear ring: at least four positions, first equals last (RFC 7946 §3.1.6)."""
    if not isinstance(ring, list) or len(ring) < 4:
        return "每个环至少应有 4 个坐标点"
    for point in ring:
        if (
            not isinstance(point, list | tuple)
            or len(point) < 2
            or not all(isinstance(v, int | float) for v in point[:2])
        ):
            return f"坐标点应为 [经度, 纬度] 数值对，实为 {point!r}"
        lon, lat = point[0], point[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"坐标 [{lon}, {lat}] 超出经纬度范围（应为 WGS 84 经度、纬度，经度在前）"
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return "环的首尾坐标应相同（闭合）"
    return None


def rings_of(geometry: dict[str, Any]) -> list[Ring]:
    """Every ring (outer and holes) of a stored geometry, as (lon, lat) tuples."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [[(p[0], p[1]) for p in ring] for polygon in polygons for ring in polygon]


class AreaBoundaryImporter:
    kind = "area_boundaries"
    schema = BOUNDARY_SCHEMA
    #: a dry run only reads (``runner.PREVIEW``: ``upsert_rows`` counts without writing)
    previews = True

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        """The area exists and the geometry is a valid polygon."""
        known = set(session.scalars(select(Area.code)))
        errors: list[ErrorDetail] = []
        for r in records:
            where = (file_name, r["_row"])
            if r["code"] not in known:
                errors.append(
                    ErrorDetail(
                        (*where, "区划代码"),
                        "boundary.area_unknown",
                        "区划不存在，请先导入行政区划",
                        value=r["code"],
                    )
                )
            try:
                geometry = json.loads(r["boundary"])
            except json.JSONDecodeError as exc:
                problem: str | None = f"不是有效的 JSON：{exc.msg}"
            else:
                problem = geometry_problem(geometry)
            if problem:
                errors.append(
                    ErrorDetail(
                        (*where, "边界"),
                        "boundary.geometry_invalid",
                        problem,
                        value=r["boundary"][:80],
                    )
                )
        return errors

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        rows = [
            {"_row": r["_row"], "code": r["code"], "boundary": json.loads(r["boundary"])}
            for r in records
        ]
        return upsert_rows(
            session, Area, rows, key=("code",), entity_type="area", actor=actor, progress=progress
        )


def child_outlines(session: Session, parent_code: str) -> list[Outline]:
    """Outlines of the areas directly under ``parent_code`` that have a boundary."""
    areas = session.scalars(
        select(Area)
        .where(Area.parent_code == parent_code, Area.boundary.is_not(None))
        .order_by(Area.code)
    )
    return [Outline(a.code, a.name, rings_of(a.boundary)) for a in areas if a.boundary]


def outlines_for(session: Session, area_code: str) -> list[Outline]:
    """What a map of ``area_code`` draws: its divisions' outlines, or else its own."""
    children = child_outlines(session, area_code)
    if children:
        return children
    area = session.get(Area, area_code)
    if area is None or not area.boundary:
        return []
    return [Outline(area.code, area.name, rings_of(area.boundary))]
