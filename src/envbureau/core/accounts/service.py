"""Accounts: creating users, signing in (timed lock, per-address throttle), passwords.

Sign-in (docs/security.md): every refusal takes one argon2 check, real or against a dummy
hash, so the answer time does not tell which names exist; a wrong password of a real account
adds one to its counter in one SQL statement (``failed_logins = failed_logins + 1``, read back),
so parallel requests are all counted; ``max_failures`` in a row lock the account for
``lock_minutes``, after which the count starts again, never for ever. Failures are recorded per
source address and minute (``throttle``), and per account only while they count towards its lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit, passwords, sessions, throttle
from envbureau.core.accounts.models import AuditEntry, Role, User
from envbureau.core.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.accounts.throttle import LoginPolicy
from envbureau.core.errors import Conflict, NotFound, RuleViolation

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "LoginPolicy",
    "LoginRefused",
    "authenticate",
    "change_password",
    "create",
    "hash_password",
    "reset_password",
    "verify_password",
]


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
    password_rules: bool = True,
) -> User:
    """Create a user; area-scoped roles (分局, 网格员) must name their area. Only the demo
    passes ``password_rules=False``, for its published passwords (never signed in with in
    production: ``LoginPolicy.refuse_published``)."""
    if role not in ROLES:
        raise RuleViolation(f"未知角色“{role}”", code="user.role_unknown", loc=("role",))
    if role in AREA_SCOPED_ROLES and not area_code:
        raise RuleViolation(
            f"角色“{ROLES[role][0]}”必须指定所辖区域", code="user.area_required", loc=("area",)
        )
    if password_rules:
        passwords.check_rules(password, username=username)
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


class LoginRefused(RuleViolation):
    """Wrong name or password, a disabled or a locked account: one message for all, so the
    page does not tell an attacker which names exist."""


REFUSED = "用户名或密码不正确，或账号已停用/锁定"
THROTTLED = "该地址登录失败次数过多，请 {minutes} 分钟后再试"


def _refuse(
    session: Session, *, source: str, username: str, now: datetime, message: str = REFUSED
) -> LoginRefused:
    throttle.record_failure(session=session, source=source, username=username, now=now)
    return LoginRefused(message, code="login.refused")


def _count_failure(session: Session, user: User, now: datetime, policy: LoginPolicy) -> bool:
    """Add one wrong password to ``user``'s count in one statement (a lock that has run out
    starts the count again) and lock when it reaches the limit; True if now locked."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    new_count = case((expired, 1), else_=User.failed_logins + 1)
    row = session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_logins=new_count,
            locked_until=case(
                (User.locked_until > now, User.locked_until),
                (new_count >= policy.max_failures, now + policy.lock),
                else_=None,
            ),
        )
        .returning(User.failed_logins, User.locked_until)
        .execution_options(synchronize_session=False)
    ).one()
    session.expire(user, ["failed_logins", "locked_until"])
    return row.locked_until is not None and row.locked_until > now


def _clear_failures(session: Session, user: User, now: datetime) -> bool:
    """A right password: the count starts again, unless a parallel request locked the account
    meanwhile (then False: refused)."""
    result = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.expire(user, ["failed_logins", "locked_until"])
    return bool(getattr(result, "rowcount", 0))


def _refused_this_minute(session: Session, username: str, now: datetime) -> bool:
    return (
        session.scalar(
            select(AuditEntry.id)
            .where(
                AuditEntry.entity_type == "user",
                AuditEntry.entity_id == username,
                AuditEntry.action == "login_refused",
                AuditEntry.at >= throttle.minute_of(now),
            )
            .limit(1)
        )
        is not None
    )


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    now: datetime,
    source: str = "unknown",
    policy: LoginPolicy | None = None,
    before_writing: Callable[[], None] = lambda: None,
) -> User:
    """The user whose password this is, or ``LoginRefused`` (see the module docstring).

    Everything is read and the one argon2 check made before the first write; ``before_writing``
    is called then (a request passes ``core.db.start_writing``), so the SQLite write lock is
    not held through the hashing and concurrent sign-ins do not queue behind it."""
    policy = policy or LoginPolicy()
    name = username.strip()
    throttled = throttle.is_throttled(session=session, source=source, now=now, policy=policy)
    user = None if throttled else get_by_username(session=session, username=name)
    barred = user is not None and (
        not user.is_active or (user.locked_until is not None and user.locked_until > now)
    )
    if user is None or barred:
        passwords.burn_verification(password)  # the same cost as a real check
        right = False
    else:
        right = verify_password(user.password_hash, password)
    before_writing()
    if throttled:
        message = THROTTLED.format(minutes=policy.lock_minutes)
        raise _refuse(session, source=source, username=name, now=now, message=message)
    if user is None:
        raise _refuse(session, source=source, username=name, now=now)
    if barred:
        if not _refused_this_minute(session, user.username, now):  # one row a minute at most
            _audit_login(
                session,
                user,
                "login_refused",
                "disabled" if not user.is_active else "locked",
                source,
            )
        raise _refuse(session, source=source, username=name, now=now)
    if not right:
        locked = _count_failure(session, user, now, policy)
        # bounded: at most max_failures per account and lock period
        _audit_login(
            session, user, "login_failed", "locked" if locked else "wrong password", source
        )
        raise _refuse(session, source=source, username=name, now=now)
    if policy.refuse_published and passwords.is_published(password):
        _audit_login(session, user, "login_refused", "published password", source)
        raise _refuse(session, source=source, username=name, now=now)
    if not _clear_failures(session, user, now):
        raise _refuse(session, source=source, username=name, now=now)
    audit.record(
        session, actor=user.username, action="login", entity_type="user", entity_id=user.username
    )
    session.flush()
    return user


def _audit_login(session: Session, user: User, action: str, reason: str, source: str) -> None:
    """A refused sign-in of a real account, with the address it came from."""
    audit.record(
        session,
        actor=user.username,
        action=action,
        entity_type="user",
        entity_id=user.username,
        reason=reason,
        after={"source": source},
    )


def _user(session: Session, username: str) -> User:
    user = get_by_username(session=session, username=username)
    if user is None:
        raise NotFound(f"没有用户“{username}”", code="user.unknown", loc=("username",))
    return user


def change_password(
    *, session: Session, username: str, old_password: str, new_password: str
) -> User:
    """The user's own change: the old password is required, the new one meets the rules and
    differs from it; every session of the user ends (sign in again)."""
    user = _user(session, username)
    if not verify_password(user.password_hash, old_password):
        raise RuleViolation("原密码不正确", code="user.password_wrong", loc=("old_password",))
    if new_password == old_password:
        raise RuleViolation(
            "新密码不能与原密码相同", code="user.password_same", loc=("new_password",)
        )
    passwords.check_rules(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    sessions.end_all(session=session, user_id=user.id)
    audit.record(
        session,
        actor=user.username,
        action="password_change",
        entity_type="user",
        entity_id=user.username,
    )
    session.flush()
    return user


def reset_password(*, session: Session, username: str, actor: str, reason: str = "") -> str:
    """An administrator's reset: a one-time password (returned, shown once) that must be
    changed at the next sign-in; the lock is lifted and every session of the user ends."""
    user = _user(session, username)
    one_time = passwords.one_time_password()
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    sessions.end_all(session=session, user_id=user.id)
    audit.record(
        session,
        actor=actor,
        action="password_reset",
        entity_type="user",
        entity_id=user.username,
        reason=reason,
    )
    session.flush()
    return one_time


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
        if not active:
            sessions.end_all(session=session, user_id=user.id)
        session.flush()
    return user
