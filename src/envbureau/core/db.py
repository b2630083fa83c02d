"""Database engine, declarative base and the one transaction owner for commands and jobs.

SQLite (the default) gets WAL, foreign keys and a busy timeout; pysqlite's own transaction
handling is turned off so that SAVEPOINTs and transactional DDL behave as on PostgreSQL.

Writes that hold (docs/security.md): on SQLite a transaction that will write begins with
``BEGIN IMMEDIATE``, taking the write lock before its first read. A deferred ``BEGIN`` that reads
and then writes cannot wait for the lock: when another writer committed meanwhile, its snapshot
is stale and SQLite answers 「database is locked」 at once, whatever the busy timeout. A writing
unit of work says so with ``WRITE`` (``session_scope(engine, write=True)``, or
``engine.execution_options(**WRITE)``); reading ones keep the deferred ``BEGIN``, which never
blocks anybody under WAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from envbureau.core.clock import utc_now
from envbureau.core.errors import ConfigError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: Execution option of an engine or connection whose transactions will write (``BEGIN IMMEDIATE``).
WRITES = "envbureau_writes"
WRITE: dict[str, Any] = {WRITES: True}
#: How long a SQLite writer waits for another's write lock before giving up, in milliseconds:
#: longer than the longest single write transaction the platform runs (a report's figures).
BUSY_TIMEOUT_MS = 60_000

#: Beijing time is UTC+8 all year (China has kept no daylight saving since 1991).
BEIJING_OFFSET = timedelta(hours=8)


def utcnow() -> datetime:
    """Times are stored in UTC (STYLE 15) and shown in Beijing time (``core.clock``)."""
    return utc_now()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writes = conn.get_execution_options().get(WRITES, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created on first use."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def check_connection(engine: Engine) -> None:
    """Fail with one clear message when the database cannot be reached."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(
            f"无法连接数据库 {engine.url.render_as_string(hide_password=True)}：{reason}",
            code="database.unreachable",
        ) from exc


#: The largest value of an INTEGER key column on PostgreSQL (32-bit); a larger id names no row.
MAX_INTEGER_KEY = 2**31 - 1


def fits_integer_key(value: int) -> bool:
    """Whether ``value`` can be an integer key at all: a client's id past 32 bits is simply
    not found, instead of PostgreSQL's "integer out of range" (a 500)."""
    return -MAX_INTEGER_KEY - 1 <= value <= MAX_INTEGER_KEY


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def writing(engine: Engine) -> Engine:
    """``engine`` whose transactions write: ``BEGIN IMMEDIATE`` on SQLite, the same elsewhere."""
    return engine.execution_options(**WRITE)


def start_writing(session: Session) -> None:
    """End ``session``'s reading transaction (it must have written nothing) and make its next
    one a writing one (``BEGIN IMMEDIATE`` on SQLite): for work that reads for long and then
    writes briefly (a report), so that the write lock is held only while it writes."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("start_writing: the reading transaction has unsaved changes")
    session.commit()
    session.bind = writing(session.get_bind())  # type: ignore[arg-type]


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close.

    Commands and jobs write as a rule, so ``write`` defaults to True (the SQLite write lock is
    taken at the start); a long command that only reads passes ``write=False``.
    """
    session = session_factory(writing(engine) if write else engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
