"""Server-side sign-in sessions (docs/security.md): revocable, and read without writing.

The signed cookie carries only a random token (and the CSRF token); the database keeps the
token's SHA-256 with its user and expiry. Signing out deletes the row; disabling a user or
changing or resetting a password deletes all of theirs, so no old cookie works again. Looking a
session up only reads (GET requests never write); expired rows are swept at sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import UserSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(*, session: Session, user_id: int, now: datetime, hours: int) -> str:
    """A new session for ``user_id``; the token goes into the cookie, only its hash is kept."""
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            id=_digest(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return token


def user_of(*, session: Session, token: object, now: datetime) -> int | None:
    """The user of a live session, or None (unknown, ended or expired token). Reads only."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    return session.scalar(
        select(UserSession.user_id).where(
            UserSession.id == _digest(token), UserSession.expires_at > now
        )
    )


def end(*, session: Session, token: object) -> None:
    """Sign-out: this session's row goes."""
    if isinstance(token, str) and token:
        session.execute(delete(UserSession).where(UserSession.id == _digest(token)))


def end_all(*, session: Session, user_id: int) -> int:
    """Every session of ``user_id`` ends (disabled, password changed or reset)."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)
