"""What the import page offers of air data: stations and hourly data, for the "air" office."""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.air.formats import TEMPLATE_SCHEMA
from envbureau.air.importers import STATION_SCHEMA, StationImporter, import_observations
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.kinds import ImportKind, table
from envbureau.core.importing.runner import ImportOutcome
from envbureau.core.permissions import Staff

#: Names of the observation formats, for import records read by the command line.
FORMAT_NAMES = {
    "template": "模板格式",
    "china-sites": "全国城市站点格式",
    "prsa": "北京多站点格式",
}


def _observations(
    session: Session, staff: Staff, data: bytes, file_name: str, dry_run: bool
) -> tuple[ImportOutcome, list[ErrorDetail]]:
    return import_observations(
        session,
        data=data,
        file_name=file_name,
        fmt="template",
        actor=staff.username,
        dry_run=dry_run,
    )


def _format_label(fmt: str) -> str:
    return f"空气质量小时数据（{FORMAT_NAMES.get(fmt, fmt)}）"


AIR_STATIONS = ImportKind(
    "air_stations", "空气监测站点", STATION_SCHEMA, "domain", table(StationImporter), "air"
)
AIR_OBSERVATIONS = ImportKind(
    "air_observations",
    _format_label("template"),
    TEMPLATE_SCHEMA,
    "domain",
    _observations,
    "air",
    note="数值变化的站点小时形成新的修订版本，原值保留",
    format_label=_format_label,
)
