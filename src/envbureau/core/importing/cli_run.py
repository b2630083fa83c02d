"""Imports from the command line: read and check outside the write lock, refuse a busy database
in Chinese (issue 11: two CLI imports at once).

``import_session`` is a unit of work for one file: it reads and checks in a reading transaction
and begins the writing one just before the first write (``runner.BEFORE_WRITE``). On SQLite a
second import started while another writes waits for it (the busy timeout); if the lock is not
released in that time it stops with ``import.database_busy`` — a Chinese message naming the
file, never a traceback — and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from envbureau.core.cli_support import engine_or_exit, print_outcome, progress_bar
from envbureau.core.db import session_factory
from envbureau.core.importing.runner import (
    BEFORE_WRITE,
    Importer,
    ImportOutcome,
    begin_writing,
    database_busy,
    import_file,
)


def is_busy(exc: OperationalError) -> bool:
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


@contextmanager
def import_session(engine: Engine, file_name: str) -> Iterator[Session]:
    """Commit on success, roll back on any error; a locked database becomes a Chinese error."""
    session = session_factory(engine)()
    session.info[BEFORE_WRITE] = begin_writing
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        if is_busy(exc):
            raise database_busy(file_name) from None
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def run_file_import(
    importer: Importer, path: Path, *, dry_run: bool, actor: str = "cli"
) -> ImportOutcome:
    """Import one file in its own unit of work and print what it changed (or would change)."""
    engine = engine_or_exit()
    with import_session(engine, path.name) as session, progress_bar(f"导入 {path.name}") as update:
        outcome = import_file(
            session, importer, path, actor=actor, dry_run=dry_run, progress=update
        )
    print_outcome(outcome)
    return outcome
