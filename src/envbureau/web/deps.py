"""Request-scoped dependencies: one session per request, finished before the response is sent.

Writes that hold (docs/security.md): a request with an unsafe method gets a writing session
(``BEGIN IMMEDIATE`` on SQLite, ``core.db.writing``) and its commit finishes BEFORE the response
leaves (``scope="function"``: FastAPI runs the code after ``yield`` when the route returns, not
after sending), so a failed commit becomes an error response (``web.errors``), never a success
already sent, and a client's next request cannot overlap its previous commit. A GET or HEAD
request reads only: its session is marked read-only (a write raises,
``core.freshness.WriteInReadOnlySession``) and is rolled back, never committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from envbureau.core.db import session_factory, writing
from envbureau.core.freshness import mark_reads_only

#: Requests that read only (they never write; see docs/web.md).
READ_METHODS = frozenset({"GET", "HEAD"})


def get_session(request: Request) -> Iterator[Session]:
    reads = request.method in READ_METHODS
    yield from _request_session(request, writes=not reads, reads=reads)


def get_read_first_session(request: Request) -> Iterator[Session]:
    """For a route that reads for long before it writes (generating a report): its transaction
    starts deferred, and the route calls ``core.db.start_writing`` before its writes."""
    yield from _request_session(request, writes=False, reads=False)


def _request_session(request: Request, *, writes: bool, reads: bool) -> Iterator[Session]:
    """``writes``: begin with the write lock; ``reads``: read-only, rolled back at the end."""
    engine = request.app.state.engine
    session = session_factory(writing(engine) if writes else engine)()
    if reads:
        mark_reads_only(session)
    try:
        yield session
        if reads:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session, scope="function")]
ReadFirstSession = Annotated[Session, Depends(get_read_first_session, scope="function")]
