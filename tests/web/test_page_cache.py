"""The console's page cache is keyed by a data version that moves whenever the figures could."""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.core.freshness import data_version
from envbureau.core.importing.models import ImportRecord


def test_any_import_that_changed_something_moves_the_data_version(session: Session) -> None:
    before = data_version(session)
    assert data_version(session) == before  # nothing changed, same key
    session.add(
        ImportRecord(
            importer="area_boundaries",
            file_name="区县边界.geojson",
            content_sha256="0" * 64,
            rows=6,
            created=0,
            updated=6,
            unchanged=0,
            actor="t",
        )
    )
    session.flush()
    assert data_version(session) != before
