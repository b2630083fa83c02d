"""Demo part: one account per role, with the passwords ``make demo`` prints.

Never in production: the settings refuse demo accounts there, this part checks again, ``serve``
in production refuses to start while one is enabled (``enabled_demo_accounts``), and a sign-in
with one of these published passwords is refused in production (``LoginPolicy``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import service
from envbureau.core.accounts.models import AuditEntry, User
from envbureau.core.config import get_settings
from envbureau.demo import CITY_CODE, DemoContext

LABEL = "演示账号"
DEMO_ACTOR = "demo"
BRANCH_AREA = "990102"
GRID_TOWN = "990102001"

#: username → (role, display name, area, unit, password)
ACCOUNTS = {
    "admin": ("admin", "系统管理员", None, None, "demo-admin-2026"),
    "leader": ("leader", "局长", CITY_CODE, "EEB", "demo-leader-2026"),
    "air": ("office", "大气环境科", CITY_CODE, "EEB-AIR", "demo-air-2026"),
    "branch": ("branch", "清江区分局", BRANCH_AREA, f"BR-{BRANCH_AREA}", "demo-branch-2026"),
    "grid": ("grid", "网格员", GRID_TOWN, None, "demo-grid-2026"),
    "viewer": ("readonly", "只读用户", CITY_CODE, None, "demo-viewer-2026"),
}


def build(ctx: DemoContext) -> list[str]:
    settings = get_settings()
    if settings.environment == "production" or not settings.demo_accounts:
        return ["生产环境或已关闭演示账号：未创建"]
    service.ensure_roles(session=ctx.session)
    created = 0
    for username, (role, name, area, unit, password) in ACCOUNTS.items():
        if service.get_by_username(session=ctx.session, username=username) is None:
            service.create(
                session=ctx.session,
                username=username,
                password=password,
                role=role,
                display_name=name,
                area_code=area,
                unit_code=unit,
                actor=DEMO_ACTOR,
                password_rules=False,  # published on purpose; refused in production
            )
            created += 1
    listed = "；".join(f"{u} / {a[4]}（{a[1]}）" for u, a in ACCOUNTS.items())
    return [f"账号 {len(ACCOUNTS)} 个（新增 {created}）：{listed}"]


def enabled_demo_accounts(session: Session) -> list[str]:
    """The enabled accounts the demo created (per the audit log) or that still have its
    published password: production refuses to serve while there is one."""
    users = session.scalars(
        select(User).where(User.username.in_(ACCOUNTS), User.is_active.is_(True))
    ).all()
    made_by_demo = set(
        session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity_type == "user",
                AuditEntry.action == "create",
                AuditEntry.actor == DEMO_ACTOR,
            )
        )
    )
    return sorted(
        u.username
        for u in users
        if u.username in made_by_demo
        or service.verify_password(u.password_hash, ACCOUNTS[u.username][4])
    )
