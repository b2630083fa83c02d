"""``/api/v1/me``: who the session belongs to and what they may reach (for scripts and pages)."""

from __future__ import annotations

from fastapi import APIRouter

from envbureau.core import permissions
from envbureau.core.accounts.web.schemas import MeOut
from envbureau.web.security import CurrentStaff

router = APIRouter(tags=["账号"])


@router.get("/api/v1/me", summary="当前登录用户、角色与可访问区域")
@permissions.route("view")
def me(staff: CurrentStaff) -> MeOut:
    return MeOut(
        username=staff.username,
        display_name=staff.display_name,
        role=staff.role,
        role_name=staff.role_name,
        area_code=staff.area_code,
        scoped=staff.scope is not None,
        domains=sorted(staff.domains),
    )
