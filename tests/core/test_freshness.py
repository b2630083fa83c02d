"""The data version: worked out once in a session that only reads (a GET request), afresh each
time in one that may write."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from envbureau.core.freshness import data_version, data_version_key, mark_reads_only


def statements_run(session: Session, call) -> int:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append("x")

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_reading_session_asks_the_database_once(session: Session) -> None:
    mark_reads_only(session)
    first = data_version(session)
    assert statements_run(session, lambda: data_version(session)) == 0
    assert data_version(session) == first
    assert statements_run(session, lambda: data_version_key(session)) == 0


def test_a_writing_session_asks_every_time(session: Session) -> None:
    data_version(session)
    # one max/count query per domain's version function and one for the imports
    assert statements_run(session, lambda: data_version(session)) >= 4
