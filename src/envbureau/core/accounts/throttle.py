"""Failed sign-ins per source address: one counted row per address and minute, and the throttle.

Every failed or refused sign-in adds one to its address's row for the current minute (an
atomic upsert: ``INSERT ... ON CONFLICT DO UPDATE SET attempts = attempts + 1``), so made-up
names from one address add at most one row a minute, never one row per try. An address with
``ip_max_failures`` failures within the last ``window`` is refused whatever name it tries,
which keeps one attacker from locking out every account in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import LoginFailure


@dataclass(frozen=True)
class LoginPolicy:
    """The lock and the throttle (settings ``login_*``)."""

    max_failures: int = 5  # wrong passwords in a row that lock an account
    lock_minutes: int = 15  # how long the lock lasts; then the count starts again
    ip_max_failures: int = 20  # failures from one address within ``lock_minutes``
    refuse_published: bool = False  # production: published (demo) passwords never sign in

    @property
    def lock(self) -> timedelta:
        return timedelta(minutes=self.lock_minutes)


def minute_of(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def record_failure(*, session: Session, source: str, username: str, now: datetime) -> None:
    """Count one failed sign-in of ``source`` in this minute (one row per address and minute)."""
    values = {
        "source": source[:64],
        "minute": minute_of(now),
        "attempts": 1,
        "last_username": username[:60],
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(LoginFailure).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[LoginFailure.source, LoginFailure.minute],
        set_={
            "attempts": LoginFailure.attempts + 1,
            "last_username": stmt.excluded.last_username,
        },
    )
    session.execute(stmt)


def failures_since(*, session: Session, source: str, since: datetime) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(LoginFailure.attempts), 0)).where(
                LoginFailure.source == source[:64], LoginFailure.minute >= minute_of(since)
            )
        )
        or 0
    )


def is_throttled(*, session: Session, source: str, now: datetime, policy: LoginPolicy) -> bool:
    """Has ``source`` failed too often within the last window?"""
    since = now - policy.lock
    return failures_since(session=session, source=source, since=since) >= policy.ip_max_failures
