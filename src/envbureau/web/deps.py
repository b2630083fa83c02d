"""Request-scoped dependencies: one session per request, committed at the request boundary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from envbureau.core.db import session_scope


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]
