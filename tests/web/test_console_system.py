"""系统 in the console: admin only; users added, disabled and enabled again, each change in the
audit log; the audit page lists who did what.

Each test runs in a transaction rolled back afterwards (``demo_app``, ``demo_session``): the
users made here and their audit entries are seen by no other test.
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry, User
from factories.web import csrf_of, sign_in

pytestmark = pytest.mark.slow  # every test here signs in to the demo city

PASSWORD = "test-pass-2026!"


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def new_name() -> str:
    """A user name nobody has."""
    return f"t-{uuid.uuid4().hex[:8]}"


def _row(html: str, username: str) -> str:
    match = re.search(rf'<tr id="user-{re.escape(username)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {username}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def _post(client: TestClient, path: str, **data: str) -> Any:
    token = csrf_of(client.get("/console").text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _audit(session: Session, name: str) -> list[tuple[str, str, dict | None, dict | None]]:
    session.expire_all()  # read again what the app wrote
    rows = session.execute(
        select(AuditEntry.actor, AuditEntry.action, AuditEntry.before, AuditEntry.after)
        .where(AuditEntry.entity_type == "user", AuditEntry.entity_id == name)
        .order_by(AuditEntry.id)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.mark.parametrize("username", ["leader", "air", "branch", "grid", "viewer"])
def test_every_system_route_is_refused_to_non_admins(
    staff_client, username: str, demo_session: Session
) -> None:
    client = staff_client(username)
    for path in ("/console/system", "/console/system/audit", "/console/system/audit?page=2"):
        page = client.get(path)
        assert page.status_code == 403 and "只有系统管理员可以进行此操作" in page.text, path
        assert "共 " not in page.text and "添加用户" not in page.text
    users = demo_session.scalar(select(func.count()).select_from(User))
    name = f"x-{uuid.uuid4().hex[:8]}"
    added = _post(client, "/console/system/users", username=name, role="admin", password=PASSWORD)
    assert added.status_code == 403 and "只有系统管理员可以进行此操作" in added.text
    for action in ("disable", "enable"):
        changed = _post(client, f"/console/system/users/admin/{action}", reason="x")
        assert changed.status_code == 403
    demo_session.expire_all()  # read again what the app wrote
    assert demo_session.scalar(select(func.count()).select_from(User)) == users
    admin = demo_session.scalar(select(User).where(User.username == "admin"))
    assert admin is not None and admin.is_active


def test_anonymous_is_sent_to_login(anonymous: TestClient) -> None:
    for path in ("/console/system", "/console/system/audit"):
        page = anonymous.get(path, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_the_admin_sees_users_and_roles(staff_client) -> None:
    page = staff_client("admin").get("/console/system")
    assert page.status_code == 200
    assert "清江区分局" in _row(page.text, "branch") and "分局" in _row(page.text, "branch")
    assert "清江区（990102）" in _row(page.text, "branch") and "正常" in _row(page.text, "branch")
    assert "大气环境科" in _row(page.text, "air") and "业务科室" in _row(page.text, "air")
    text = _text(page.text)
    for code, name in (("admin", "系统管理员"), ("leader", "局领导"), ("readonly", "只读")):
        assert code in text and name in text
    assert "本区域及下级区域" in text  # branch and grid are area-scoped


def test_the_admin_adds_a_user_who_then_signs_in_and_disabling_stops_them(
    staff_client, demo_app, new_name: str, demo_session: Session
) -> None:
    admin = staff_client("admin")
    added = _post(
        admin,
        "/console/system/users",
        username=new_name,
        display_name="测试分局用户",
        role="branch",
        area_code="990103",
        password=PASSWORD,
    )
    assert added.status_code == 303
    listed = admin.get(added.headers["location"])
    assert f"已添加用户 {new_name}" in _text(listed.text)
    row = _row(listed.text, new_name)
    assert "测试分局用户" in row and "分局" in row and "东湖区（990103）" in row and "正常" in row

    user = sign_in(TestClient(demo_app), new_name, PASSWORD)
    me = user.get("/api/v1/me").json()
    assert me["role"] == "branch" and me["area_code"] == "990103" and me["scoped"] is True
    assert user.get("/console/system").status_code == 403

    disabled = _post(admin, f"/console/system/users/{new_name}/disable", reason="离职")
    assert disabled.status_code == 303
    assert "已停用" in _row(admin.get("/console/system").text, new_name)
    # The open session ends, and signing in again is refused.
    gone = user.get("/console", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    again = TestClient(demo_app)
    login = again.post(
        "/login",
        data={
            "username": new_name,
            "password": PASSWORD,
            "csrf_token": csrf_of(again.get("/login").text),
        },
        follow_redirects=False,
    )
    assert login.status_code == 401 and "账号已停用" in login.text

    enabled = _post(admin, f"/console/system/users/{new_name}/enable", reason="返岗")
    assert enabled.status_code == 303
    assert "正常" in _row(admin.get("/console/system").text, new_name)
    sign_in(TestClient(demo_app), new_name, PASSWORD)

    changes = [(a, act, b, c) for a, act, b, c in _audit(demo_session, new_name)]
    ours = [c for c in changes if c[0] == "admin"]
    assert [c[1] for c in ours] == ["create", "disable", "enable"]
    assert ours[0][3] == {
        "username": new_name,
        "role": "branch",
        "area_code": "990103",
        "unit": None,
    }
    assert ours[1][2:] == ({"is_active": True}, {"is_active": False})
    assert ours[2][2:] == ({"is_active": False}, {"is_active": True})
    assert ("login_refused" in [c[1] for c in changes]) and ("login" in [c[1] for c in changes])

    page = admin.get("/console/system/audit", params={"entity_type": "user", "actor": "admin"})
    rows = [r for r in page.text.split("<tr>") if f">{new_name}<" in r]
    assert [re.search(r"<td>(create|disable|enable)</td>", r).group(1) for r in rows] == [  # type: ignore[union-attr]
        "enable",
        "disable",
        "create",
    ]
    assert "离职" in rows[1] and "返岗" in rows[0] and all("<td>admin</td>" in r for r in rows)


def test_a_bad_new_user_is_shown_with_the_rule_and_nothing_is_added(
    staff_client, new_name: str, demo_session: Session
) -> None:
    admin = staff_client("admin")
    cases = (
        ({"role": "branch", "password": PASSWORD}, "必须指定所辖区域"),
        ({"role": "viewer", "password": PASSWORD}, "未知角色"),
        ({"role": "readonly", "password": "short"}, "密码至少"),
        ({"role": "grid", "area_code": "990999", "password": PASSWORD}, "区划代码不存在"),
    )
    for data, message in cases:
        refused = _post(admin, "/console/system/users", username=new_name, **data)
        assert refused.status_code == 422 and message in refused.text, message
    taken = _post(admin, "/console/system/users", username="admin", role="admin", password=PASSWORD)
    assert taken.status_code == 422 and "用户名“admin”已存在" in taken.text
    bad_name = _post(
        admin, "/console/system/users", username="a b", role="admin", password=PASSWORD
    )
    assert bad_name.status_code == 422
    demo_session.expire_all()  # read again what the app wrote
    assert demo_session.scalar(select(User).where(User.username == new_name)) is None
    assert _audit(demo_session, new_name) == []


def test_forms_without_the_token_are_refused(staff_client, new_name: str) -> None:
    admin = staff_client("admin")
    refused = admin.post(
        "/console/system/users",
        data={"username": new_name, "role": "admin", "password": PASSWORD},
        follow_redirects=False,
    )
    assert refused.status_code == 403 and "安全令牌（CSRF）" in refused.text
    off = admin.post("/console/system/users/viewer/disable", data={}, follow_redirects=False)
    assert off.status_code == 403 and "安全令牌（CSRF）" in off.text
    assert "正常" in _row(admin.get("/console/system").text, "viewer")


def test_the_admin_cannot_disable_itself(staff_client) -> None:
    admin = staff_client("admin")
    refused = _post(admin, "/console/system/users/admin/disable")
    assert refused.status_code == 403 and "不能停用自己的账号" in refused.text
    assert admin.get("/console/system").status_code == 200


def test_the_audit_page_lists_who_did_what(staff_client, demo_session: Session) -> None:
    admin = staff_client("admin")
    total = demo_session.scalar(select(func.count()).select_from(AuditEntry))
    latest = demo_session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    created = demo_session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.actor == "demo", AuditEntry.entity_type == "user")
    )
    page = admin.get("/console/system/audit")
    text = _text(page.text)
    # Signing in above wrote an entry or two more than we counted: the total is at least ours.
    shown = int(re.search(r"共 (\d+) 条", text).group(1))  # type: ignore[union-attr]
    assert shown >= total and "最新在前" in text
    first = re.search(r'<td class="num">(\d+)</td>', page.text)
    assert first and int(first.group(1)) >= latest.id

    demo = admin.get("/console/system/audit", params={"actor": "demo", "entity_type": "user"})
    rows = [r for r in demo.text.split("<tr>")[1:] if "<td>demo</td>" in r]
    assert {re.search(r'<span class="code">([^<]+)</span>', r).group(1) for r in rows} >= {  # type: ignore[union-attr]
        "admin",
        "branch",
        "air",
    }
    assert all("<td>create</td>" in r for r in rows)
    shown_json = html.unescape(demo.text)
    assert '"role": "branch"' in shown_json and '"area_code": "990102"' in shown_json
    counted = int(re.search(r"共 (\d+) 条", _text(demo.text)).group(1))  # type: ignore[union-attr]
    assert counted == created >= 6  # the six demo accounts, made by ``demo``

    bad = admin.get("/console/system/audit", params={"since": "2026-13-01"})
    assert "日期应写作 2026-06-30" in _text(bad.text)
    future = admin.get("/console/system/audit", params={"since": "2999-01-01"})
    assert "共 0 条" in _text(future.text)
