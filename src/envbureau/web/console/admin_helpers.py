"""What the import, work-log, report and system pages share: Beijing time, JSON for people,
and the role rule for editing work-log items (a plan's theme spans several office domains)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request

from envbureau.core.indicators.definitions import load_catalog
from envbureau.web.security import Forbidden, Staff

#: The office domains (indicator themes) each part-two plan theme draws on; a plan that names
#: the indicator it serves belongs to that indicator's theme instead.
PLAN_DOMAINS: dict[str, tuple[str, ...]] = {
    "quality": ("air", "water", "soil"),
    "beautiful": ("ecology", "industry"),
    "reform": ("reform",),
    "enforcement": ("enforcement",),
    "publicity": ("publicity",),
}


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


def plan_domains(theme: str, indicator_id: str | None) -> tuple[str, ...]:
    registry = load_catalog()
    if indicator_id and indicator_id in registry:
        return (registry.get(indicator_id).theme,)
    return PLAN_DOMAINS.get(theme, ())


def may_edit(staff: Staff, domains: Iterable[str], area_code: str | None = None) -> bool:
    """Whether ``staff.check_edit`` passes for one of ``domains`` (and the area)."""
    for domain in domains:
        try:
            staff.check_edit(domain, area_code)
        except Forbidden:
            continue
        return True
    return False


def check_edit_any(staff: Staff, domains: Iterable[str], area_code: str | None = None) -> None:
    """``staff.check_edit`` for an item that belongs to any of ``domains``."""
    chosen = tuple(domains)
    if not may_edit(staff, chosen, area_code):
        staff.check_edit(chosen[0] if chosen else "", area_code)  # raises with the reason
        raise Forbidden("只能修改本科室业务领域的数据")
