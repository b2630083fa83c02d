"""Sessions that end: no known secret to forge with, sign-out, disabling, password change and
reset, expiry; sign-in pages that do not write; published passwords refused in production."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import event, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from envbureau.core.accounts import service
from envbureau.core.accounts.models import UserSession
from envbureau.core.clock import utc_now
from envbureau.core.config import Settings
from envbureau.core.errors import ConfigError
from envbureau.web.app import create_app
from envbureau.web.deps import get_session
from envbureau.web.security import SESSION_COOKIE
from factories.web import csrf_of, sign_in

SAFE_SECRET = "kT3vQ9pZ_x2LmN8rW4sY7bH1cJ6dF0gA5eR-uI9oPqXyZ"


def forged(secret: str, data: dict[str, object]) -> str:
    """A session cookie as Starlette signs it."""
    payload = b64encode(json.dumps(data).encode())
    return TimestampSigner(secret).sign(payload).decode()


def cookie_of(client: TestClient) -> str:
    value = client.cookies.get(SESSION_COOKIE)
    assert value
    return value


def reaches_console(app, cookie: str) -> bool:  # type: ignore[no-untyped-def]
    client = TestClient(app, cookies={SESSION_COOKIE: cookie})
    return client.get("/console", follow_redirects=False).status_code == 200


def test_no_app_without_a_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as refused:
        create_app(Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert refused.value.details[0].code == "secret_key.missing"


@pytest.mark.parametrize(
    "secret", ["change-me-development-only", "x" * 40], ids=["old-default", "app-secret"]
)
def test_a_forged_admin_cookie_gets_nowhere(demo_app, secret: str) -> None:  # type: ignore[no-untyped-def]
    """The old built-in secret is gone, and even the app's own secret signs only a token that
    must be a live session in the database: ``{"uid": 1}`` is nobody."""
    for data in ({"uid": 1}, {"sid": "made-up-token"}, {"uid": 1, "sid": ""}):
        assert not reaches_console(demo_app, forged(secret, data))


def test_the_cookie_holds_only_a_token_and_the_csrf_token(staff_client) -> None:  # type: ignore[no-untyped-def]
    cookie = cookie_of(staff_client("leader"))
    data = json.loads(b64decode(TimestampSigner("x" * 40).unsign(cookie)))
    assert sorted(data) == ["csrf", "sid"]


def test_after_sign_out_the_old_cookie_is_refused(demo_app, staff_client) -> None:  # type: ignore[no-untyped-def]
    client = staff_client("leader")
    cookie = cookie_of(client)
    assert reaches_console(demo_app, cookie)
    home = client.get("/console")
    client.post("/logout", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False)
    assert not reaches_console(demo_app, cookie)


def test_after_disable_and_enable_the_old_cookie_is_refused(  # type: ignore[no-untyped-def]
    demo_app, staff_client, demo_session: Session
) -> None:
    cookie = cookie_of(staff_client("viewer"))
    service.set_active(session=demo_session, username="viewer", active=False, actor="admin")
    service.set_active(session=demo_session, username="viewer", active=True, actor="admin")
    demo_session.commit()
    assert not reaches_console(demo_app, cookie)
    assert reaches_console(demo_app, cookie_of(staff_client("viewer")))  # signing in again works


def test_after_a_password_change_other_cookies_are_refused(demo_app, staff_client) -> None:  # type: ignore[no-untyped-def]
    elsewhere = cookie_of(staff_client("air"))
    client = staff_client("air")
    page = client.get("/account/password")
    assert page.status_code == 200
    changed = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(page.text),
            "old_password": "demo-air-2026",
            "new_password": "clean-air-2027",
            "confirm_password": "clean-air-2027",
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/account/password?done=1"
    assert not reaches_console(demo_app, elsewhere)
    assert client.get("/console", follow_redirects=False).status_code == 200  # this browser stays
    sign_in(TestClient(demo_app), "air", "clean-air-2027")


def test_an_expired_session_is_refused(demo_app, staff_client, demo_session: Session) -> None:  # type: ignore[no-untyped-def]
    cookie = cookie_of(staff_client("leader"))
    demo_session.execute(update(UserSession).values(expires_at=utc_now() - timedelta(seconds=1)))
    demo_session.commit()
    assert not reaches_console(demo_app, cookie)


def test_a_one_time_password_leads_to_the_password_page_only(  # type: ignore[no-untyped-def]
    demo_app, demo_session: Session
) -> None:
    one_time = service.reset_password(session=demo_session, username="grid", actor="admin")
    demo_session.commit()
    client = TestClient(demo_app)
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": "grid", "password": one_time, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/account/password"
    console = client.get("/console", follow_redirects=False)
    assert console.status_code == 403 and "请先修改初始密码" in console.text
    form = client.get("/account/password")
    assert "一次性密码" in form.text
    client.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(form.text),
            "old_password": one_time,
            "new_password": "grid-walk-2027",
            "confirm_password": "grid-walk-2027",
        },
    )
    assert client.get("/console", follow_redirects=False).status_code == 200


@pytest.fixture
def writes(demo_connection: Connection) -> Iterator[list[str]]:
    """Every INSERT, UPDATE or DELETE sent on the test's connection."""
    seen: list[str] = []

    def watch(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            seen.append(statement)

    event.listen(demo_connection, "before_cursor_execute", watch)
    yield seen
    event.remove(demo_connection, "before_cursor_execute", watch)


def test_reading_pages_signed_in_writes_nothing(staff_client, writes: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = staff_client("viewer")
    writes.clear()
    for path in ("/login", "/console", "/account/password", "/login?next=/console/air"):
        assert client.get(path).status_code == 200, path
    assert TestClient(client.app).get("/login").status_code == 200
    assert writes == []


def test_production_refuses_the_published_demo_password(demo_app, demo_database_url: str) -> None:  # type: ignore[no-untyped-def]
    """On a database the demo built, ``admin / demo-admin-2026`` does not sign in once the
    environment is production (and ``serve`` would not start: tests/test_cli_serve.py)."""
    production = create_app(
        Settings(
            _env_file=None,
            environment="production",
            database_url=demo_database_url,
            secret_key=SAFE_SECRET,
            demo_accounts=False,
        )
    )
    production.dependency_overrides[get_session] = demo_app.dependency_overrides[get_session]
    client = TestClient(production, base_url="https://testserver")
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": "admin", "password": "demo-admin-2026", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 401 and "用户名或密码不正确" in answer.text
    production.state.engine.dispose()
