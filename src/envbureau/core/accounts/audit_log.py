"""Reading the audit log a page at a time: by actor, entity type and local dates, newest first.

Dates are days of the bureau's zone (the ``timezone`` setting); entries are stored in UTC, so a
day runs from its local midnight to the next, converted to stored time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of the entries that match, with how many match in all."""

    entries: tuple[AuditEntry, ...]
    total: int
    page: int
    pages: int
    entity_types: tuple[str, ...]  # every entity type in the log, for the filter


def utc_start(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight of ``day`` as a stored (naive UTC) time."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def list_page(
    *,
    session: Session,
    tz: ZoneInfo,
    actor: str | None = None,
    entity_type: str | None = None,
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """Entries of ``actor`` on ``entity_type`` from ``since`` to ``until`` (local days,
    inclusive), newest first, page ``page``."""
    clauses: list[Any] = []
    if actor:
        clauses.append(AuditEntry.actor == actor)
    if entity_type:
        clauses.append(AuditEntry.entity_type == entity_type)
    if since is not None:
        clauses.append(AuditEntry.at >= utc_start(since, tz))
    if until is not None:
        clauses.append(AuditEntry.at < utc_start(until + timedelta(days=1), tz))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*clauses)) or 0
    entries = session.scalars(
        select(AuditEntry)
        .where(*clauses)
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    types = session.scalars(select(AuditEntry.entity_type).distinct().order_by("entity_type"))
    return AuditPage(
        entries=tuple(entries),
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        entity_types=tuple(types),
    )
