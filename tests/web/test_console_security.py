"""Signing in, sessions, CSRF, lockout, and that no staff route answers a stranger."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau import domains
from envbureau.core.accounts import service
from envbureau.core.accounts.models import AuditEntry
from factories.web import csrf_of, sign_in

#: The routes anyone may read: the public portal and the health check. Everything else that a
#: manifest's routers serve is for signed-in staff.
PUBLIC_ROUTES = {
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/api/v1/public/air"),
    ("GET", "/api/v1/public/water"),
    ("GET", "/api/v1/public/indicators"),
}


def all_routes() -> list[tuple[str, str]]:
    """(method, path with sample parameters) of every route the manifests' routers serve."""
    out = []
    for router in domains.routers():
        for route in router.routes:
            if isinstance(route, APIRoute):
                path = re.sub(r"\{[^}]+\}", "1", route.path)
                out += [(method, path) for method in sorted(route.methods)]
    return out


def staff_routes() -> list[tuple[str, str]]:
    return [route for route in all_routes() if route not in PUBLIC_ROUTES]


def test_the_public_routes_are_served_and_open(anonymous: TestClient) -> None:
    assert set(all_routes()) >= PUBLIC_ROUTES
    for method, path in sorted(PUBLIC_ROUTES):
        assert anonymous.request(method, path).status_code == 200, path


def test_the_console_has_routes_to_guard() -> None:
    paths = {path for _, path in staff_routes()}
    assert "/console" in paths and any(p.startswith("/api/v1/") for p in paths)


@pytest.mark.parametrize(("method", "path"), staff_routes())
def test_every_staff_route_refuses_anonymous(anonymous: TestClient, method: str, path: str) -> None:
    response = anonymous.request(method, path, follow_redirects=False)
    if path.startswith("/api/"):
        assert response.status_code in (401, 403), (method, path, response.status_code)
    elif method == "GET":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    else:  # a form post without a session: refused before anything is read
        assert response.status_code in (303, 401, 403), (method, path, response.status_code)


def test_sign_in_sets_a_signed_http_only_cookie_and_lands_on_the_console(demo_app) -> None:
    client = TestClient(demo_app)
    page = client.get("/login?next=/console/air")
    assert "用户名" in page.text and 'name="next" value="/console/air"' in page.text
    response = client.post(
        "/login",
        data={
            "username": "leader",
            "password": "demo-leader-2026",
            "csrf_token": csrf_of(page.text),
            "next": "/console/air",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/console/air"
    cookie = response.headers["set-cookie"]
    assert "envbureau_session=" in cookie and "httponly" in cookie.lower()
    home = client.get("/console")
    assert home.status_code == 200 and "局长（局领导）" in home.text


def test_login_never_redirects_off_site(demo_app) -> None:
    client = TestClient(demo_app)
    page = client.get("/login?next=//evil.example/x")
    assert 'value="/console"' in page.text


def test_a_form_without_the_csrf_token_is_refused(demo_app) -> None:
    client = TestClient(demo_app)
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "admin", "password": "demo-admin-2026"},
        follow_redirects=False,
    )
    assert response.status_code == 403 and "CSRF" in response.text
    forged = client.post(
        "/login",
        data={"username": "admin", "password": "demo-admin-2026", "csrf_token": "guess"},
        follow_redirects=False,
    )
    assert forged.status_code == 403


def test_wrong_passwords_lock_the_account_and_are_audited(demo_app, demo_session: Session) -> None:
    client = TestClient(demo_app)
    for _ in range(5):
        page = client.get("/login")
        wrong = client.post(
            "/login",
            data={"username": "viewer", "password": "nope-nope", "csrf_token": csrf_of(page.text)},
        )
        assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    page = client.get("/login")
    right = client.post(
        "/login",
        data={
            "username": "viewer",
            "password": "demo-viewer-2026",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert right.status_code == 401  # locked for 15 minutes, even with the right password
    actions = demo_session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == "viewer")
    ).all()
    user = service.get_by_username(session=demo_session, username="viewer")
    assert user is not None and user.locked_until is not None
    assert actions.count("login_failed") == 5 and "login_refused" in actions


def test_sign_out_ends_the_session(staff_client) -> None:
    client = staff_client("leader")
    home = client.get("/console")
    out = client.post("/logout", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_users_command_adds_lists_and_disables(envbureau, demo_app) -> None:  # type: ignore[no-untyped-def]
    envbureau("db", "upgrade")
    refused = envbureau("users", "add", "zhang", "--role", "branch", input="long-enough-1\n")
    assert refused.exit_code == 2 and "必须指定所辖区域" in refused.output
    added = envbureau("users", "add", "zhang", "--role", "leader", input="long-enough-1\n")
    assert added.exit_code == 0, added.output
    listed = envbureau("users", "list")
    assert "zhang" in listed.output and "局领导" in listed.output
    assert envbureau("users", "disable", "zhang", "--reason", "调离").exit_code == 0
    assert "已停用" in envbureau("users", "list").output


def test_sign_in_helper_works_for_every_demo_role(demo_app) -> None:
    for username in ("admin", "leader", "air", "branch", "grid", "viewer"):
        client = sign_in(TestClient(demo_app), username)
        assert client.get("/console").status_code == 200


UNSAFE = [(m, p) for m, p in staff_routes() if m in ("POST", "PUT", "PATCH", "DELETE")]


def test_the_console_has_unsafe_routes_to_guard() -> None:
    assert len(UNSAFE) >= 5, UNSAFE


@pytest.mark.parametrize(("method", "path"), UNSAFE)
def test_every_unsafe_staff_route_wants_the_csrf_token_even_from_the_admin(
    staff_client, method: str, path: str
) -> None:
    client = staff_client("admin")
    bare = client.request(method, path, data={"x": "1"}, follow_redirects=False)
    assert bare.status_code == 403 and "CSRF" in bare.text, (method, path, bare.status_code)
    forged = client.request(method, path, headers={"X-CSRF-Token": "guess"}, follow_redirects=False)
    assert forged.status_code == 403 and "CSRF" in forged.text, (method, path)


def test_a_bad_address_in_the_console_gets_a_chinese_page_and_the_api_gets_json(
    staff_client,
) -> None:
    client = staff_client("admin")
    page = client.get("/console/worklog?area=999999")
    assert page.status_code in (404, 422) and "text/html" in page.headers["content-type"]
    assert "999999" in page.text or "区划" in page.text
    assert "返回首页" in page.text and '"detail"' not in page.text
    api = client.get("/api/v1/worklog?area=999999")
    assert api.status_code == page.status_code and api.json()["detail"][0]["msg"]
