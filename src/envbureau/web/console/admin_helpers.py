"""What the import, work-log, report and system pages share: Beijing time and JSON for people.

TRANSITIONAL: the permission helpers moved to ``envbureau.core.permissions`` (``may_edit``,
``check_edit_any``) and the office domains of a work plan to ``envbureau.worklog.import_kinds``
(``plan_domains``); they are re-exported here until the pages importing them have moved.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request

from envbureau.core.permissions import check_edit_any, may_edit
from envbureau.worklog.import_kinds import PLAN_DOMAINS, plan_domains

__all__ = [
    "PLAN_DOMAINS",
    "check_edit_any",
    "local_time",
    "may_edit",
    "plan_domains",
    "pretty_json",
    "tz_of",
]


def tz_of(request: Request) -> ZoneInfo:
    return request.app.state.settings.tz


def local_time(at: datetime | None, tz: ZoneInfo, *, seconds: bool = False) -> str:
    """A stored UTC time as Beijing (the settings' zone) wall-clock time."""
    if at is None:
        return ""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def pretty_json(value: Any) -> str:
    """Before/after values and inputs as indented JSON with Chinese left readable."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)
