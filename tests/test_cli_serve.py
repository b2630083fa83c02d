"""``envbureau serve`` and ``users passwd`` / ``users reset-password`` from the command line.

``serve`` is run up to the point where uvicorn would start (``uvicorn.run`` is replaced): what
it refuses, which secret it hands the workers, and how many workers.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from envbureau.core import migrate
from envbureau.core.accounts import service
from envbureau.core.config import Settings, get_settings
from envbureau.core.db import make_engine, session_scope
from envbureau.core.errors import ConfigError
from envbureau.web import asgi
from envbureau.web.server import demo_secret
from factories.demo import DEMO_FOLDER, Invoke

SAFE_SECRET = "kT3vQ9pZ_x2LmN8rW4sY7bH1cJ6dF0gA5eR-uI9oPqXyZ"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The calls ``serve`` makes to uvicorn; the secret variable is restored afterwards."""
    monkeypatch.setenv("ENVBUREAU_SECRET_KEY", "")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def output(result: Result) -> str:
    return " ".join(result.output.split())


def test_serve_refuses_without_a_secret(envbureau: Invoke, started: list) -> None:
    result = envbureau("serve")
    assert result.exit_code == 2 and started == []
    assert "ENVBUREAU_SECRET_KEY" in output(result) and "secret_key.missing" in output(result)


def test_serve_refuses_a_weak_secret(
    envbureau: Invoke, started: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVBUREAU_SECRET_KEY", "x" * 40)
    result = envbureau("serve")
    assert result.exit_code == 2 and started == []
    assert "secret_key.unsafe" in output(result)


def test_serve_runs_the_app_factory_in_workers(
    envbureau: Invoke, started: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVBUREAU_SECRET_KEY", SAFE_SECRET)
    monkeypatch.setenv("ENVBUREAU_WORKERS", "2")
    assert envbureau("serve").exit_code == 0
    assert envbureau("serve", "--workers", "4", "--port", "8123").exit_code == 0
    assert [(c["app"], c["factory"], c["workers"], c["port"]) for c in started] == [
        ("envbureau.web.asgi:create", True, 2, 8000),
        ("envbureau.web.asgi:create", True, 4, 8123),
    ]
    assert os.environ["ENVBUREAU_SECRET_KEY"] == SAFE_SECRET


def test_serve_in_development_may_use_the_demo_secret_file(
    envbureau: Invoke, started: list, tmp_path: Path
) -> None:
    secret = demo_secret(Settings(_env_file=None, data_dir=tmp_path / "var"))
    result = envbureau("serve")
    assert result.exit_code == 0, result.output
    assert "演示生成的密钥文件" in output(result) and "仅限开发环境" in output(result)
    assert os.environ["ENVBUREAU_SECRET_KEY"] == secret  # what the workers build their app with


def test_the_demo_secret_is_random_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "var")
    first = demo_secret(settings)
    assert demo_secret(settings) == first and len(first) == 64
    assert stat.S_IMODE((tmp_path / "var" / "secret_key").stat().st_mode) == 0o600
    other = demo_secret(Settings(_env_file=None, data_dir=tmp_path / "elsewhere"))
    assert other != first


def test_the_demo_wrote_its_secret_into_its_data_folder(demo_database_url: str) -> None:
    path = DEMO_FOLDER[0] / "var" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(_env_file=None, secret_key=path.read_text().strip()).check_secret()


def _production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVBUREAU_ENVIRONMENT", "production")
    monkeypatch.setenv("ENVBUREAU_DEMO_ACCOUNTS", "false")
    monkeypatch.setenv("ENVBUREAU_SECRET_KEY", SAFE_SECRET)


def test_production_refuses_to_serve_while_a_demo_account_is_enabled(
    envbureau: Invoke, started: list, fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fresh_database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        service.ensure_roles(session=session)
        for name, password in (("admin", "demo-admin-2026"), ("leader", "own-leader-pass-9")):
            service.create(
                session=session,
                username=name,
                password=password,
                role="admin",
                actor="cli",
                password_rules=False,
            )
    engine.dispose()
    _production(monkeypatch)
    refused = envbureau("serve")
    assert refused.exit_code == 2 and started == []
    text = output(refused)
    assert "演示账号 admin（密码已公开）" in text and "envbureau users disable admin" in text
    assert "demo_accounts.enabled" in text and "leader" not in text
    assert envbureau("users", "disable", "admin").exit_code == 0
    assert envbureau("serve").exit_code == 0 and len(started) == 1


def test_the_asgi_factory_checks_the_secret_and_the_demo_accounts(
    envbureau: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    envbureau("db", "upgrade")
    monkeypatch.setenv("ENVBUREAU_SECRET_KEY", "")
    get_settings.cache_clear()
    with pytest.raises(ConfigError):
        asgi.create()
    monkeypatch.setenv("ENVBUREAU_SECRET_KEY", SAFE_SECRET)
    get_settings.cache_clear()
    uploads = Path(get_settings().data_dir) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    stale, fresh = uploads / ("a" * 64), uploads / ("b" * 64)
    stale.write_bytes(b"old upload")
    fresh.write_bytes(b"new upload")
    two_days_ago = stale.stat().st_mtime - 48 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    app = asgi.create()
    assert app.state.settings.secret_key == SAFE_SECRET
    assert not stale.exists() and fresh.exists()  # kept 24 hours (upload_retention_hours)
    app.state.engine.dispose()


# --- users passwd / reset-password -------------------------------------------------------------


def test_users_passwd_and_reset_password(envbureau: Invoke) -> None:
    envbureau("db", "upgrade")
    assert (
        envbureau("users", "add", "wang", "--role", "leader", input="first-pass-2026\n").exit_code
        == 0
    )
    wrong = envbureau("users", "passwd", "wang", input="not-it-2026\nnext-pass-2027\n")
    assert wrong.exit_code == 2 and "原密码不正确" in wrong.output
    weak = envbureau("users", "passwd", "wang", input="first-pass-2026\npassword123\n")
    assert weak.exit_code == 2 and "user.password_common" in output(weak)
    changed = envbureau("users", "passwd", "wang", input="first-pass-2026\nnext-pass-2027\n")
    assert changed.exit_code == 0 and "已修改用户 wang 的密码" in changed.output
    reset = envbureau("users", "reset-password", "wang", "--reason", "忘记密码")
    assert reset.exit_code == 0 and "一次性密码" in reset.output
    one_time = reset.output.split("）：")[1].split()[0]
    assert len(one_time) == 12
    listed = envbureau("users", "list")
    assert "须改密码" in listed.output
    again = envbureau("users", "passwd", "wang", input=f"{one_time}\nthird-pass-2028\n")
    assert again.exit_code == 0, again.output
    assert "须改密码" not in envbureau("users", "list").output
