"""Migrations: applied on empty SQLite and PostgreSQL databases, reversible, matching the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from envbureau.core import migrate
from envbureau.core.db import make_engine
from envbureau.core.model_registry import load_models

EXPECTED_TABLES = {
    "areas",
    "org_units",
    "org_unit_areas",
    "roles",
    "users",
    "audit_log",
    "import_records",
    "indicator_values",
    "indicator_manual_entries",
    "indicator_targets",
    "alembic_version",
}


def _upgrade_and_check(url: str) -> None:
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
        with engine.connect() as connection:
            roles = connection.execute(text("SELECT code FROM roles ORDER BY code")).scalars()
            assert list(roles) == ["admin", "branch", "grid", "leader", "office", "readonly"]
            diff = compare_metadata(MigrationContext.configure(connection), load_models().metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_on_empty_sqlite(tmp_path) -> None:
    _upgrade_and_check(f"sqlite:///{tmp_path / 'empty.db'}")


@pytest.mark.requires_postgres
def test_migrations_on_empty_postgresql(postgres_database_url: str) -> None:
    _upgrade_and_check(postgres_database_url)


def test_sqlite_pragmas_on(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()
