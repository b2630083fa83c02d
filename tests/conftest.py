"""Test-wide fixtures: shared reference data, marker rules, and the databases under test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from envbureau.core import migrate
from envbureau.core.config import Settings
from envbureau.core.db import make_engine

# Each domain's factory fixtures live in tests/factories/<domain>.py.
pytest_plugins = [
    "factories.core",
    "factories.air",
    "factories.worklog",
    "factories.demo",
    "factories.web",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("ENVBUREAU_SHARED_DIR", REPO_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared reference folder (``../shared``); tests marked ``real_data`` read from it."""
    return SHARED_DIR


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if (SHARED_DIR / "data").is_dir():
        return
    skip = pytest.mark.skip(reason=f"real data folder not found: {SHARED_DIR / 'data'}")
    for item in items:
        if "real_data" in item.keywords:
            item.add_marker(skip)


# --- databases -------------------------------------------------------------------------------
# ENVBUREAU_TEST_DATABASE_URL chooses the database the suite runs on (default: a SQLite file in
# a temporary folder). On PostgreSQL the suite owns that database: it resets its public schema.


def _test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("ENVBUREAU_TEST_DATABASE_URL")
    if url:
        return Settings(database_url=url).database_url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def postgres_admin_url() -> str | None:
    """A PostgreSQL server to create throw-away databases on, when the run has one."""
    for name in ("ENVBUREAU_TEST_DATABASE_URL", "ENVBUREAU_TEST_POSTGRES_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgres"):
            return Settings(database_url=url).database_url
    return None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _test_database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test (STYLE 13)."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@contextmanager
def _throwaway_postgres_database(admin_url: str) -> Iterator[str]:
    name = f"envbureau_t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _fresh_database(folder: Path, database_url: str) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{folder / 'fresh.db'}"
        return
    with _throwaway_postgres_database(database_url) as url:
        yield url


@pytest.fixture
def fresh_database_url(tmp_path: Path, database_url: str) -> Iterator[str]:
    """An empty database of the suite's kind, for tests that commit (CLI, migrations)."""
    with _fresh_database(tmp_path, database_url) as url:
        yield url


@pytest.fixture(scope="session")
def session_database_url(
    tmp_path_factory: pytest.TempPathFactory, database_url: str
) -> Iterator[str]:
    """An empty database of the suite's kind shared by a whole run (e.g. the demo city)."""
    with _fresh_database(tmp_path_factory.mktemp("shared-db"), database_url) as url:
        yield url


@pytest.fixture
def postgres_database_url() -> Iterator[str]:
    """An empty PostgreSQL database, whichever database the suite runs on."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL server given (ENVBUREAU_TEST_POSTGRES_URL)")
    with _throwaway_postgres_database(admin_url) as url:
        yield url
