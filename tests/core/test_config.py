"""Settings: defaults, URL normalisation, refusal of unsafe production values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from envbureau.core.config import DEFAULT_SECRET_KEY, Settings

SAFE_SECRET = "s" * 40


def test_settings_defaults_are_sqlite_under_var_and_shanghai_time() -> None:
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///var/envbureau.db"
    assert settings.is_sqlite
    assert settings.timezone == "Asia/Shanghai"
    assert settings.environment == "development"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///var/x.db", "sqlite:///var/x.db"),
    ],
)
def test_settings_database_url_normalised(given: str, expected: str) -> None:
    assert Settings(_env_file=None, database_url=given).database_url == expected


def test_settings_unsupported_database_url_refused() -> None:
    with pytest.raises(ValidationError, match=r"database_url\.unsupported"):
        Settings(_env_file=None, database_url="mysql://root@localhost/x")


def test_settings_production_refuses_default_secret() -> None:
    with pytest.raises(ValidationError, match=r"secret_key\.unsafe"):
        Settings(
            _env_file=None,
            environment="production",
            secret_key=DEFAULT_SECRET_KEY,
            demo_accounts=False,
        )


def test_settings_production_refuses_short_secret() -> None:
    with pytest.raises(ValidationError, match=r"secret_key\.unsafe"):
        Settings(_env_file=None, environment="production", secret_key="short", demo_accounts=False)


def test_settings_production_refuses_demo_accounts() -> None:
    with pytest.raises(ValidationError, match=r"demo_accounts\.production"):
        Settings(_env_file=None, environment="production", secret_key=SAFE_SECRET)


def test_settings_production_accepts_safe_values() -> None:
    settings = Settings(
        _env_file=None, environment="production", secret_key=SAFE_SECRET, demo_accounts=False
    )
    assert settings.environment == "production"


def test_settings_unknown_timezone_refused() -> None:
    with pytest.raises(ValidationError, match=r"timezone\.unknown"):
        Settings(_env_file=None, timezone="Mars/Olympus")


def test_settings_read_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVBUREAU_PORT", "8123")
    monkeypatch.setenv("ENVBUREAU_DATABASE_URL", "postgres://a@b/c")
    settings = Settings(_env_file=None)
    assert settings.port == 8123
    assert settings.database_url == "postgresql+psycopg://a@b/c"


def test_settings_malformed_port_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVBUREAU_PORT", "eighty")
    with pytest.raises(ValidationError, match="port"):
        Settings(_env_file=None)


def test_settings_env_file_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("ENVBUREAU_OUTPUT_DIR=reports\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert str(Settings().output_dir) == "reports"
