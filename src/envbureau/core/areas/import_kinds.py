"""What the import page offers of areas and organisation units: system administrators only."""

from __future__ import annotations

from envbureau.core.areas.boundaries import BOUNDARY_SCHEMA, AreaBoundaryImporter
from envbureau.core.areas.importers import AREA_SCHEMA, UNIT_SCHEMA, AreaImporter, OrgUnitImporter
from envbureau.core.importing.kinds import ImportKind, table

AREAS = ImportKind("areas", "行政区划", AREA_SCHEMA, "admin", table(AreaImporter))
ORG_UNITS = ImportKind("org_units", "组织机构", UNIT_SCHEMA, "admin", table(OrgUnitImporter))
AREA_BOUNDARIES = ImportKind(
    "area_boundaries",
    "行政区划边界",
    BOUNDARY_SCHEMA,
    "admin",
    table(AreaBoundaryImporter),
    note="GeoJSON 文件（要素属性含区划代码），或每行一个 GeoJSON 几何的表格",
)
