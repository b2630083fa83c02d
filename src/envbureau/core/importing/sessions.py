"""The unit of work of one import outside a request: read and check first, then write briefly.

The session begins as a reading transaction (it never holds the SQLite write lock) and begins
its one writing transaction just before the first write (``runner.BEFORE_WRITE``). A database
another writer keeps locked past the busy timeout is ``import.database_busy`` in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from envbureau.core.db import session_factory
from envbureau.core.importing.runner import BEFORE_WRITE, begin_writing, database_busy


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
