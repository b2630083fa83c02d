"""The console's page cache is keyed by a data version that moves whenever the figures could."""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.core.importing.models import ImportRecord
from envbureau.web import monitoring


def test_any_import_that_changed_something_moves_the_data_version(session: Session) -> None:
    before = monitoring.data_version(session)
    assert monitoring.data_version(session) == before  # nothing changed, same key
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
    assert monitoring.data_version(session) != before
