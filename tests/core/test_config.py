"""Settings: defaults, URL normalisation, no built-in secret, refusal of unsafe values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from envbureau.core.config import Settings, secret_bits
from envbureau.core.errors import ConfigError

#: 45 characters, 23 distinct: far above 128 bits by the estimate.
SAFE_SECRET = "kT3vQ9pZ_x2LmN8rW4sY7bH1cJ6dF0gA5eR-uI9oPqXyZ"


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


def test_there_is_no_built_in_secret() -> None:
    settings = Settings(_env_file=None)
    assert settings.secret_key is None
    with pytest.raises(ConfigError, match="ENVBUREAU_SECRET_KEY") as refused:
        settings.check_secret()
    assert refused.value.details[0].code == "secret_key.missing"


def test_settings_production_refuses_a_missing_secret() -> None:
    with pytest.raises(ValidationError, match=r"secret_key\.missing"):
        Settings(_env_file=None, environment="production", demo_accounts=False)


def test_settings_production_refuses_the_old_default_secret() -> None:
    with pytest.raises(ValidationError, match=r"secret_key\.unsafe"):
        Settings(
            _env_file=None,
            environment="production",
            secret_key="change-me-development-only",
            demo_accounts=False,
        )


@pytest.mark.parametrize(
    "weak",
    [
        "x" * 40,  # long, but one character: 0 bits
        "abababababababababababababababab",  # 32 characters, 2 distinct: 32 bits
        "abcd" * 9,  # 36 characters, 4 distinct evenly: 72 bits
        "kT3vQ9pZ_x2LmN8rW4sY7bH1",  # 24 characters: too short
    ],
)
def test_check_secret_refuses_weak_secrets(weak: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings(_env_file=None, secret_key=weak).check_secret()
    assert refused.value.details[0].code == "secret_key.unsafe"


def test_secret_entropy_estimate_worked_by_hand() -> None:
    assert secret_bits("x" * 40) == 0
    assert secret_bits("ab" * 16) == 32  # 32 characters of 1 bit each
    assert secret_bits("0123456789abcdef" * 2) == 128  # 32 characters of 4 bits each


def test_check_secret_accepts_a_generated_secret() -> None:
    assert Settings(_env_file=None, secret_key=SAFE_SECRET).check_secret() == SAFE_SECRET


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
