"""Accounts: creating users with argon2-hashed passwords and checking them."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.accounts.models import Role, User
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.errors import Conflict, RuleViolation

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def ensure_roles(*, session: Session) -> None:
    """Create the built-in roles that are missing (idempotent)."""
    existing = set(session.scalars(select(Role.code)))
    for code, (name, description) in ROLES.items():
        if code not in existing:
            session.add(Role(code=code, name=name, description=description))
    session.flush()


def get_by_username(*, session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create(
    *,
    session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    area_code: str | None = None,
    unit_code: str | None = None,
    actor: str = audit.SYSTEM_ACTOR,
) -> User:
    """Create a user; area-scoped roles (分局, 网格员) must name their area."""
    if role not in ROLES:
        raise RuleViolation(f"未知角色“{role}”", code="user.role_unknown", loc=("role",))
    if role in AREA_SCOPED_ROLES and not area_code:
        raise RuleViolation(
            f"角色“{ROLES[role][0]}”必须指定所辖区域", code="user.area_required", loc=("area",)
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位", code="user.password_short", loc=("password",)
        )
    if get_by_username(session=session, username=username) is not None:
        raise Conflict(f"用户名“{username}”已存在", code="user.exists", loc=("username",))
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role_code=role,
        area_code=area_code,
        unit_code=unit_code,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="user",
        entity_id=username,
        after={"username": username, "role": role, "area_code": area_code, "unit": unit_code},
    )
    return user
