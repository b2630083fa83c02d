"""The history of one work record or plan, read from the audit log with its renames followed.

The audit log names an item by its natural key at the time of the change (as imports write it:
``date/theme/title``, ``year/half/theme/title``), so an edit of a key field leaves the earlier
entries under the old key. ``item_history`` follows those renames back and gathers them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from envbureau.worklog.importers import PLAN_SCHEMA, RECORD_SCHEMA
from envbureau.worklog.models import WorkPlan, WorkRecord


@dataclass(frozen=True)
class HistoryEntry:
    """One audited change of an item; ``at`` is stored (naive UTC) time."""

    at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


def entity_of(item: WorkRecord | WorkPlan) -> tuple[str, tuple[str, ...]]:
    """The audit log's entity type of an item and the fields of its natural key."""
    if isinstance(item, WorkRecord):
        return "work_record", RECORD_SCHEMA.natural_key
    return "work_plan", PLAN_SCHEMA.natural_key


def _renamed(entry: AuditEntry, key_fields: tuple[str, ...]) -> str:
    """The key an item had after ``entry`` (the title is the key's last part, so it may hold
    a slash)."""
    values = dict(zip(key_fields, entry.entity_id.split("/", len(key_fields) - 1), strict=False))
    values |= {k: str(v) for k, v in (entry.after or {}).items() if k in key_fields}
    return "/".join(values.get(k, "") for k in key_fields)


def _keys(session: Session, entity_type: str, key_fields: tuple[str, ...], key: str) -> set[str]:
    """``key`` and every key the item had before, found through the audited renames."""
    renames = [
        (entry.entity_id, _renamed(entry, key_fields))
        for entry in session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == entity_type, AuditEntry.action == "update"
            )
        )
        if set(entry.after or {}) & set(key_fields)
    ]
    keys = {key}
    grown = True
    while grown:
        before = len(keys)
        keys |= {old for old, new in renames if new in keys}
        grown = len(keys) > before
    return keys


def item_history(*, session: Session, item: WorkRecord | WorkPlan) -> list[HistoryEntry]:
    """The item's audit entries under every key it has had, oldest first."""
    entity_type, key_fields = entity_of(item)
    key = "/".join(str(getattr(item, k)) for k in key_fields)
    keys = _keys(session, entity_type, key_fields, key)
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(keys))
        .order_by(AuditEntry.id)
    )
    return [
        HistoryEntry(
            at=e.at, actor=e.actor, action=e.action, before=e.before, after=e.after, reason=e.reason
        )
        for e in entries
    ]
