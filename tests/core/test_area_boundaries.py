"""Area boundaries: GeoJSON read as a table, checked polygon by polygon, stored for offline maps."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas.boundaries import (
    AreaBoundaryImporter,
    child_outlines,
    geometry_problem,
)
from envbureau.core.areas.models import Area
from envbureau.core.errors import RuleViolation, ValidationFailed
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.readers import parse_table
from envbureau.core.importing.runner import run_import
from envbureau.demo import air as demo_air
from envbureau.demo import areas as demo_areas
from envbureau.demo import water as demo_water

SQUARE = [[121.0, 28.0], [121.1, 28.0], [121.1, 28.1], [121.0, 28.1], [121.0, 28.0]]


def collection(*features: tuple[dict, dict | None]) -> bytes:
    items = [{"type": "Feature", "properties": p, "geometry": g} for p, g in features]
    return json.dumps({"type": "FeatureCollection", "features": items}).encode()


def polygon(ring: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": [ring]}


def test_geojson_reads_as_one_row_per_feature_with_the_geometry_as_text() -> None:
    data = collection(
        ({"区划代码": "990102", "名称": "清江区"}, polygon(SQUARE)), ({"adcode": 990103}, None)
    )
    table = parse_table(data, "边界.geojson")
    assert list(table.frame.index) == [1, 2]
    assert table.frame.loc[1, "区划代码"] == "990102" and table.frame.loc[2, "adcode"] == "990103"
    assert json.loads(table.frame.loc[1, "geometry"]) == polygon(SQUARE)
    assert table.frame.loc[2, "geometry"] == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "不是有效的 GeoJSON"),
        (b'{"type": "Feature", "features": []}', "FeatureCollection"),
        (b"[1, 2]", "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "没有要素"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(RuleViolation, match=message) as info:
        parse_table(data, "边界.geojson")
    assert info.value.details[0].loc == ("边界.geojson",)


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        (polygon(SQUARE), None),
        ({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]}, None),
        ({"type": "Point", "coordinates": [121, 28]}, "Polygon 或 MultiPolygon"),
        (polygon(SQUARE[:3]), "至少应有 4 个坐标点"),
        (polygon([*SQUARE[:-1], [121.0, 28.05]]), "闭合"),
        (polygon([[28.0, 121.0], *SQUARE[1:-1], [28.0, 121.0]]), "超出经纬度范围"),
        (polygon([["121", 28]] * 4), "数值对"),
        ({"type": "Polygon", "coordinates": []}, "没有环"),
        ({"type": "MultiPolygon", "coordinates": []}, "coordinates 为空"),
    ],
)
def test_geometry_problems_follow_rfc_7946(geometry: dict, problem: str | None) -> None:
    found = geometry_problem(geometry)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_boundaries_import_checks_every_feature_then_writes_all_or_nothing(
    session: Session, city
) -> None:
    bad = collection(
        ({"区划代码": "990102"}, polygon(SQUARE)),
        ({"区划代码": "990999"}, polygon(SQUARE)),
        ({"区划代码": "990121"}, polygon([*SQUARE[:-1], [121.0, 28.05]])),
    )
    with pytest.raises(ValidationFailed) as info:
        run_import(session, AreaBoundaryImporter(), data=bad, file_name="b.geojson", actor="t")
    found = [(d.loc, d.code) for d in info.value.details]
    assert found == [
        (("b.geojson", 2, "区划代码"), "boundary.area_unknown"),
        (("b.geojson", 3, "边界"), "boundary.geometry_invalid"),
    ]
    assert session.get(Area, "990102").boundary is None

    good = collection(({"区划代码": "990102"}, polygon(SQUARE)))
    outcome = run_import(
        session, AreaBoundaryImporter(), data=good, file_name="b.geojson", actor="t"
    )
    assert outcome.result.updated == 1
    assert session.get(Area, "990102").boundary == polygon(SQUARE)
    records = session.scalar(select(func.count()).select_from(ImportRecord))
    again = run_import(session, AreaBoundaryImporter(), data=good, file_name="b.geojson", actor="t")
    assert again.result.unchanged == 1 and not again.changed
    assert session.scalar(select(func.count()).select_from(ImportRecord)) == records

    outlines = child_outlines(session, "990100")
    assert [(o.code, o.name) for o in outlines] == [("990102", "甲区")]
    assert outlines[0].rings == [[tuple(p) for p in SQUARE]]


def _inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Even-odd rule: does a ray from ``point`` cross the ring an odd number of times?"""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            crossings += 1
    return crossings % 2 == 1


def test_every_demo_station_and_section_lies_in_its_own_district_and_no_other() -> None:
    geo = json.loads(demo_areas.boundaries_geojson())
    rings = {
        f["properties"]["区划代码"]: [tuple(p) for p in f["geometry"]["coordinates"][0]]
        for f in geo["features"]
    }
    assert geometry_problem(geo["features"][0]["geometry"]) is None
    places = [(s[0], s[2], (s[3], s[4])) for s in demo_air.STATIONS]
    sections = _demo_sections()
    places += [(r["断面编码"], r["区划代码"], (r["经度"], r["纬度"])) for r in sections]
    assert len(places) == len(demo_air.STATIONS) + 40
    for code, district, point in places:
        containing = [d for d, ring in rings.items() if _inside(point, ring)]
        assert containing == [district], (code, point, containing)


def _demo_sections() -> list[dict]:
    from envbureau.demo import DemoContext

    frame, _ = demo_water.section_table(DemoContext(session=None))  # type: ignore[arg-type]
    return frame.to_dict("records")
