"""Accounts: creating users with argon2-hashed passwords and checking them."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.accounts.models import Role, User
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.errors import Conflict, NotFound, RuleViolation

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


#: Failed logins in a row that lock an account, and for how long.
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class LoginRefused(RuleViolation):
    """Wrong name or password, a disabled or a locked account: one message for all, so the
    page does not tell an attacker which names exist."""


def authenticate(*, session: Session, username: str, password: str, now: datetime) -> User:
    """The user whose password this is; failures count towards a lockout and are audited."""
    user = get_by_username(session=session, username=username.strip())
    refused = LoginRefused("用户名或密码不正确，或账号已停用/锁定", code="login.refused")
    if user is None:
        audit.record(
            session,
            actor=username[:60],
            action="login_failed",
            entity_type="user",
            entity_id=username[:120],
            reason="unknown user",
        )
        raise refused
    if not user.is_active or (user.locked_until is not None and user.locked_until > now):
        audit.record(
            session,
            actor=user.username,
            action="login_refused",
            entity_type="user",
            entity_id=user.username,
            reason="disabled" if not user.is_active else "locked",
        )
        raise refused
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        locked = user.failed_logins >= MAX_FAILED_LOGINS
        if locked:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        audit.record(
            session,
            actor=user.username,
            action="login_failed",
            entity_type="user",
            entity_id=user.username,
            reason="locked" if locked else "wrong password",
        )
        session.flush()
        raise refused
    user.failed_logins, user.locked_until = 0, None
    audit.record(
        session, actor=user.username, action="login", entity_type="user", entity_id=user.username
    )
    session.flush()
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_active(
    *, session: Session, username: str, active: bool, actor: str, reason: str = ""
) -> User:
    """Disable (or enable again) an account; users are never deleted, the audit log keeps them."""
    user = get_by_username(session=session, username=username)
    if user is None:
        raise NotFound(f"没有用户“{username}”", code="user.unknown", loc=("username",))
    if user.is_active != active:
        audit.record(
            session,
            actor=actor,
            action="enable" if active else "disable",
            entity_type="user",
            entity_id=username,
            before={"is_active": user.is_active},
            after={"is_active": active},
            reason=reason,
        )
        user.is_active = active
        session.flush()
    return user
