"""Request-scoped dependencies: one session per request, committed at the request boundary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from envbureau.core.db import session_scope
from envbureau.core.freshness import mark_reads_only

#: Requests that read only (they never write; see docs/web.md).
READ_METHODS = frozenset({"GET", "HEAD"})


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as session:
        if request.method in READ_METHODS:
            mark_reads_only(session)
        yield session


DbSession = Annotated[Session, Depends(get_session)]
