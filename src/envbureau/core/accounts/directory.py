"""The users as the system page lists them, and adding one from a form.

A user's state is read against the clock's now (``core.clock.utc_now``): disabled, locked
until a time (after too many failed logins) or active. Adding checks the form's name, area and
unit before ``service.create``, which checks the role and password and writes the audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from envbureau.core import clock
from envbureau.core.accounts import service
from envbureau.core.accounts.models import User
from envbureau.core.accounts.roles import ROLES
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area, OrgUnit
from envbureau.core.errors import RuleViolation

USERNAME = re.compile(r"[A-Za-z0-9_.\-]{2,60}")

UserState = Literal["active", "disabled", "locked"]


@dataclass(frozen=True)
class UserRow:
    """A user with the names of its role, area and unit, and its state now."""

    username: str
    display_name: str
    is_active: bool
    role_name: str
    area_text: str  # 清江区（990102）, or 全市 for a user without an area
    unit_name: str
    state: UserState
    locked_until: datetime | None  # stored (naive UTC) time, when locked


def _state(user: User, now: datetime) -> UserState:
    if not user.is_active:
        return "disabled"
    if user.locked_until is not None and user.locked_until > now:
        return "locked"
    return "active"


def list_user_rows(*, session: Session) -> list[UserRow]:
    """Every user, by user name, as the system page shows them."""
    now = clock.utc_now()
    rows = []
    for user in service.list_users(session=session):
        area = session.get(Area, user.area_code) if user.area_code else None
        unit = session.get(OrgUnit, user.unit_code) if user.unit_code else None
        state = _state(user, now)
        rows.append(
            UserRow(
                username=user.username,
                display_name=user.display_name,
                is_active=user.is_active,
                role_name=ROLES.get(user.role_code, (user.role_code, ""))[0],
                area_text=f"{area.name}（{area.code}）" if area else "全市",
                unit_name=unit.name if unit else "",
                state=state,
                locked_until=user.locked_until if state == "locked" else None,
            )
        )
    return rows


def _check_new_user(
    session: Session, username: str, area_code: str | None, unit_code: str | None
) -> None:
    if not USERNAME.fullmatch(username):
        raise RuleViolation(
            "用户名应为 2～60 个字母、数字、点、下划线或连字符",
            code="user.username_invalid",
            loc=("username",),
        )
    if area_code and areas_service.get(session=session, code=area_code) is None:
        raise RuleViolation("区划代码不存在", code="area.unknown", loc=("area_code",))
    if unit_code and session.get(OrgUnit, unit_code) is None:
        raise RuleViolation("单位代码不存在", code="unit.unknown", loc=("unit_code",))


def add_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str | None,
    area_code: str | None,
    unit_code: str | None,
    actor: str,
) -> User:
    """A new user from the system page's form: name, area and unit checked, then created."""
    _check_new_user(session, username, area_code, unit_code)
    return service.create(
        session=session,
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        area_code=area_code,
        unit_code=unit_code,
        actor=actor,
    )
