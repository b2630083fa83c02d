"""What the import page offers of water data: sections and samples, for the "water" office."""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.kinds import ImportKind, table
from envbureau.core.importing.runner import ImportOutcome
from envbureau.core.permissions import Staff
from envbureau.water.importers import SAMPLE_SCHEMA, SECTION_SCHEMA, SectionImporter, import_samples


def _samples(
    session: Session, staff: Staff, data: bytes, file_name: str, dry_run: bool
) -> tuple[ImportOutcome, list[ErrorDetail]]:
    outcome = import_samples(
        session, data=data, file_name=file_name, actor=staff.username, dry_run=dry_run
    )
    return outcome, []


WATER_SECTIONS = ImportKind(
    "water_sections", "水质监测断面", SECTION_SCHEMA, "domain", table(SectionImporter), "water"
)
WATER_SAMPLES = ImportKind(
    "water_samples",
    "水质监测数据",
    SAMPLE_SCHEMA,
    "domain",
    _samples,
    "water",
    note="未检出写检出限加 L（如 0.01L）",
)
