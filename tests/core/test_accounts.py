"""Accounts: password rules, the timed lock, the per-address throttle, one answer time for
unknown names, bounded failure records, password change and reset, revocable sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts import passwords, service, sessions
from envbureau.core.accounts.models import AuditEntry, LoginFailure, User
from envbureau.core.accounts.throttle import LoginPolicy
from envbureau.core.errors import RuleViolation

T0 = datetime(2026, 12, 3, 9, 30, 0)
PASSWORD = "river-clean-2026"
POLICY = LoginPolicy(max_failures=3, lock_minutes=15, ip_max_failures=10)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its smallest cost: the same code path, a test that does not take minutes."""
    monkeypatch.setattr(
        passwords, "hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    passwords._dummy_hash.cache_clear()


@pytest.fixture
def verify_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 check made, by the hash it was made against."""
    calls: list[str] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str, password: str) -> bool:
        calls.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


@pytest.fixture
def zhang(session: Session) -> User:
    service.ensure_roles(session=session)
    return service.create(session=session, username="zhang", password=PASSWORD, role="leader")


def sign_in(
    session: Session,
    password: str,
    at: datetime,
    *,
    username: str = "zhang",
    source: str = "10.0.0.1",
    policy: LoginPolicy = POLICY,
) -> User:
    return service.authenticate(
        session=session, username=username, password=password, now=at, source=source, policy=policy
    )


def refused(session: Session, password: str, at: datetime, **kwargs: object) -> str:
    with pytest.raises(service.LoginRefused) as exc:
        sign_in(session, password, at, **kwargs)  # type: ignore[arg-type]
    return str(exc.value)


# --- password rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short-1", "user.password_short"),  # 7 characters
        ("no-digits-here", "user.password_simple"),
        ("1234567890123", "user.password_simple"),
        ("zhang-12345", "user.password_username"),  # without "zhang": "-12345", 6 characters
        ("Password123", "user.password_common"),
        ("demo-admin-2026", "user.password_common"),  # published in the README
    ],
)
def test_password_rules_refuse(password: str, code: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        passwords.check_rules(password, username="zhang")
    assert exc.value.details[0].code == code


def test_password_rules_accept_a_fair_password() -> None:
    passwords.check_rules(PASSWORD, username="zhang")
    passwords.check_rules("zhang-river-2026", username="zhang")  # 11 characters without the name


def test_create_applies_the_rules(session: Session) -> None:
    service.ensure_roles(session=session)
    with pytest.raises(RuleViolation, match=r"密码须同时含有字母和数字"):
        service.create(session=session, username="li", password="onlyletters", role="leader")


def test_every_demo_password_is_on_the_published_list() -> None:
    from envbureau.demo.accounts import ACCOUNTS

    assert all(passwords.is_published(account[4]) for account in ACCOUNTS.values())


def test_one_time_passwords_differ_and_meet_the_rules() -> None:
    first, second = passwords.one_time_password(), passwords.one_time_password()
    assert first != second and len(first) == 12
    passwords.check_rules(first, username="zhang")


# --- the timed lock ------------------------------------------------------------------------------


def test_wrong_passwords_lock_for_a_while_then_the_count_starts_again(
    session: Session, zhang: User
) -> None:
    for minute in range(3):
        refused(session, "wrong-pass-1", T0 + timedelta(minutes=minute))
    session.refresh(zhang)
    assert zhang.failed_logins == 3 and zhang.locked_until == datetime(2026, 12, 3, 9, 47, 0)
    refused(session, PASSWORD, datetime(2026, 12, 3, 9, 46, 59))  # the right one, still locked
    # the lock runs out: a wrong password counts from one again, it does not re-lock
    refused(session, "wrong-pass-1", datetime(2026, 12, 3, 9, 47, 0))
    session.refresh(zhang)
    assert zhang.failed_logins == 1 and zhang.locked_until is None
    assert sign_in(session, PASSWORD, datetime(2026, 12, 3, 9, 48, 0)).username == "zhang"
    session.refresh(zhang)
    assert zhang.failed_logins == 0 and zhang.locked_until is None


def test_a_right_password_resets_the_count(session: Session, zhang: User) -> None:
    refused(session, "wrong-pass-1", T0)
    refused(session, "wrong-pass-1", T0)
    sign_in(session, PASSWORD, T0)
    refused(session, "wrong-pass-1", T0)
    session.refresh(zhang)
    assert zhang.failed_logins == 1 and zhang.locked_until is None


# --- the per-address throttle ------------------------------------------------------------------


def test_one_address_is_throttled_whatever_name_it_tries(session: Session, zhang: User) -> None:
    for n in range(10):
        refused(session, "guess-1234", T0, username=f"nobody{n}", source="10.9.9.9")
    message = refused(session, PASSWORD, T0 + timedelta(minutes=1), source="10.9.9.9")
    assert message == "该地址登录失败次数过多，请 15 分钟后再试"
    # another address is not affected, and zhang was never locked by the stranger
    assert sign_in(session, PASSWORD, T0 + timedelta(minutes=1), source="10.0.0.2")
    # the window passes: the address may try again
    assert sign_in(session, PASSWORD, T0 + timedelta(minutes=17), source="10.9.9.9")


# --- one answer time for every name ------------------------------------------------------------


def test_every_refusal_spends_one_password_check(
    session: Session, zhang: User, verify_calls: list[str]
) -> None:
    refused(session, "guess-1234", T0, username="nobody")  # unknown name
    refused(session, "guess-1234", T0)  # known name, wrong password
    assert len(verify_calls) == 2 and verify_calls[0] != zhang.password_hash
    assert verify_calls[1] == zhang.password_hash
    refused(session, "guess-1234", T0)
    refused(session, "guess-1234", T0)  # now locked
    refused(session, PASSWORD, T0)  # locked: checked against the dummy, not the real hash
    assert len(verify_calls) == 5 and verify_calls[4] == verify_calls[0]


# --- bounded records of failures ---------------------------------------------------------------


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_made_up_names_from_one_address_add_one_row_a_minute(session: Session, zhang: User) -> None:
    audit_before = _count(session, AuditEntry)
    for n in range(200):
        refused(session, "guess-1234", T0 + timedelta(seconds=n % 60), username=f"ghost{n}")
    rows = session.scalars(select(LoginFailure)).all()
    assert [(r.source, r.minute, r.attempts, r.last_username) for r in rows] == [
        ("10.0.0.1", T0, 200, "ghost199")
    ]
    assert _count(session, AuditEntry) == audit_before  # no audit row per made-up name


def test_a_locked_account_is_audited_once_a_minute(session: Session, zhang: User) -> None:
    for _ in range(3):
        refused(session, "guess-1234", T0)
    for n in range(50):
        refused(session, "guess-1234", T0 + timedelta(seconds=n), source=f"10.1.0.{n}")
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == "zhang").order_by(AuditEntry.id)
    ).all()
    assert list(actions) == [
        "create",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_refused",
    ]


# --- production: published passwords never sign in ---------------------------------------------


def test_production_refuses_a_published_password(session: Session) -> None:
    service.ensure_roles(session=session)
    service.create(
        session=session,
        username="admin",
        password="demo-admin-2026",
        role="admin",
        actor="demo",
        password_rules=False,
    )
    production = LoginPolicy(refuse_published=True)
    refused(session, "demo-admin-2026", T0, username="admin", policy=production)
    assert sign_in(session, "demo-admin-2026", T0, username="admin").username == "admin"


# --- password change and reset -----------------------------------------------------------------


def test_change_password_wants_the_old_one_and_ends_every_session(
    session: Session, zhang: User
) -> None:
    token = sessions.open_session(session=session, user_id=zhang.id, now=T0, hours=8)
    with pytest.raises(RuleViolation, match="原密码不正确"):
        service.change_password(
            session=session,
            username="zhang",
            old_password="nope-1234",
            new_password="new-pass-2027",
        )
    with pytest.raises(RuleViolation, match="常见或已公开"):
        service.change_password(
            session=session, username="zhang", old_password=PASSWORD, new_password="password123"
        )
    assert sessions.user_of(session=session, token=token, now=T0) == zhang.id
    service.change_password(
        session=session, username="zhang", old_password=PASSWORD, new_password="new-pass-2027"
    )
    assert sessions.user_of(session=session, token=token, now=T0) is None
    assert sign_in(session, "new-pass-2027", T0).username == "zhang"


def test_reset_gives_a_one_time_password_to_change_and_lifts_the_lock(
    session: Session, zhang: User
) -> None:
    for _ in range(3):
        refused(session, "guess-1234", T0)
    token = sessions.open_session(session=session, user_id=zhang.id, now=T0, hours=8)
    one_time = service.reset_password(session=session, username="zhang", actor="admin")
    assert sessions.user_of(session=session, token=token, now=T0) is None
    user = sign_in(session, one_time, T0)
    assert user.must_change_password is True
    service.change_password(
        session=session, username="zhang", old_password=one_time, new_password="fresh-pass-2027"
    )
    assert user.must_change_password is False
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("password_%"))
    ).all()
    assert list(actions) == ["password_reset", "password_change"]


# --- sessions ----------------------------------------------------------------------------------


def test_sessions_end_on_sign_out_on_disabling_and_on_expiry(session: Session, zhang: User) -> None:
    first = sessions.open_session(session=session, user_id=zhang.id, now=T0, hours=8)
    second = sessions.open_session(session=session, user_id=zhang.id, now=T0, hours=8)
    assert sessions.user_of(session=session, token=first, now=T0) == zhang.id
    assert sessions.user_of(session=session, token=first, now=T0 + timedelta(hours=8)) is None
    sessions.end(session=session, token=first)
    assert sessions.user_of(session=session, token=first, now=T0) is None
    assert sessions.user_of(session=session, token=second, now=T0) == zhang.id
    service.set_active(session=session, username="zhang", active=False, actor="admin")
    service.set_active(session=session, username="zhang", active=True, actor="admin")
    assert sessions.user_of(session=session, token=second, now=T0) is None
    assert sessions.user_of(session=session, token={"uid": 1}, now=T0) is None


def test_only_the_token_hash_is_stored(session: Session, zhang: User) -> None:
    from envbureau.core.accounts.models import UserSession

    token = sessions.open_session(session=session, user_id=zhang.id, now=T0, hours=8)
    stored = session.scalars(select(UserSession.id)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


def test_enabled_demo_accounts_are_those_the_demo_made_or_with_a_published_password(
    session: Session,
) -> None:
    from envbureau.demo.accounts import enabled_demo_accounts

    service.ensure_roles(session=session)
    for name, password, actor in (
        ("admin", "demo-admin-2026", "cli"),  # published password
        ("viewer", "own-viewer-pass-9", "demo"),  # made by the demo
        ("leader", "own-leader-pass-9", "cli"),  # the bureau's own account of that name
    ):
        service.create(
            session=session,
            username=name,
            password=password,
            role="admin",
            actor=actor,
            password_rules=False,
        )
    assert enabled_demo_accounts(session) == ["admin", "viewer"]
    service.set_active(session=session, username="admin", active=False, actor="cli")
    assert enabled_demo_accounts(session) == ["viewer"]


# --- parallel wrong passwords, each in its own committed transaction -----------------------------


def _parallel_wrong_passwords(url: str, policy: LoginPolicy, n: int = 30) -> tuple[int, bool, int]:
    from concurrent.futures import ThreadPoolExecutor

    from envbureau.core import migrate
    from envbureau.core.db import make_engine, session_scope

    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        service.ensure_roles(session=session)
        service.create(session=session, username="zhang", password=PASSWORD, role="leader")

    def attempt(i: int) -> str:
        with session_scope(engine) as session:  # as POST /login: the refusal is committed
            try:
                sign_in(session, f"wrong-pass-{i}", T0, source=f"10.2.0.{i}", policy=policy)
            except service.LoginRefused:
                return "refused"
        return "signed in"

    with ThreadPoolExecutor(max_workers=n) as pool:
        answers = list(pool.map(attempt, range(n)))
    with session_scope(engine) as session:
        user = service.get_by_username(session=session, username="zhang")
        assert user is not None
        failures = session.scalar(select(func.sum(LoginFailure.attempts))) or 0
        result = (user.failed_logins, user.locked_until is not None, failures)
    engine.dispose()
    assert answers == ["refused"] * n
    return result


def test_thirty_parallel_wrong_passwords_are_all_counted(fresh_database_url: str) -> None:
    roomy = LoginPolicy(max_failures=100, lock_minutes=15, ip_max_failures=100)
    assert _parallel_wrong_passwords(fresh_database_url, roomy) == (30, False, 30)


def test_thirty_parallel_wrong_passwords_lock_the_account(fresh_database_url: str) -> None:
    count, locked, failures = _parallel_wrong_passwords(fresh_database_url, LoginPolicy())
    assert locked and count >= 5 and failures == 30
