"""Typed settings: one object, read from ``ENVBUREAU_*`` variables and an optional ``.env`` file.

Tests build ``Settings(...)`` directly; code asks ``get_settings()``, never ``os.environ``.

There is no built-in secret (docs/security.md): ``secret_key`` is None until configured, the
web app refuses to start without one, and ``check_secret`` (run by ``serve`` and, in
production, by the settings themselves) refuses a short or guessable one.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from envbureau.core.errors import ConfigError

DEFAULT_SQLITE_URL = "sqlite:///var/envbureau.db"
#: A secret must be this long and carry about this much entropy (the estimate below).
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128
#: The demo's generated secret, in ``data_dir`` (mode 0600).
SECRET_FILE_NAME = "secret_key"
#: Once the built-in development secret; a cookie signed with it must never be honoured.
RETIRED_SECRETS = frozenset({"change-me-development-only"})


def secret_bits(secret: str) -> float:
    """A cautious estimate of a secret's entropy: its length times the Shannon entropy of its own
    characters, so ``"x" * 40`` scores 0 and a ``secrets.token_urlsafe(32)`` about 200 bits."""
    if not secret:
        return 0.0
    size = len(secret)
    return sum(n * math.log2(size / n) for n in Counter(secret).values())


def secret_problem(secret: str | None) -> tuple[str, str] | None:
    """Why ``secret`` may not sign sessions: (rule code, Chinese message), or None if it may."""
    how = '可用 python -c "import secrets; print(secrets.token_urlsafe(48))" 生成'
    if not secret:
        return "secret_key.missing", f"未设置会话密钥 ENVBUREAU_SECRET_KEY，Web 服务不能启动；{how}"
    if secret in RETIRED_SECRETS:
        return "secret_key.unsafe", f"ENVBUREAU_SECRET_KEY 是已公开的旧默认值，不能使用；{how}"
    if len(secret) < MIN_SECRET_LENGTH or secret_bits(secret) < MIN_SECRET_BITS:
        return "secret_key.unsafe", (
            f"ENVBUREAU_SECRET_KEY 太短或太有规律（至少 {MIN_SECRET_LENGTH} 个字符、"
            f"约 {MIN_SECRET_BITS} 位熵）；{how}"
        )
    return None


class Settings(BaseSettings):
    """Everything the platform reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="ENVBUREAU_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    secret_key: str | None = None  # no default: see check_secret and docs/security.md
    data_dir: Path = Path("var")
    output_dir: Path = Path("out")
    template_dir: Path | None = None
    water_cross_boundary_rules: Path | None = None  # JSON rule table of the province
    map_tile_url: str | None = None  # an intranet tile server ({z}/{x}/{y}); none = plain map
    timezone: str = "Asia/Shanghai"
    port: int = Field(default=8000, ge=1, le=65535)
    host: str = "127.0.0.1"
    demo_accounts: bool = True
    # --- hardening limits (docs/security.md) ---
    tls: bool = False  # served behind HTTPS: secure cookies and Strict-Transport-Security
    workers: int = Field(default=1, ge=1, le=64)  # uvicorn worker processes for `serve`
    max_request_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)  # larger bodies: 413
    import_max_rows: int = Field(default=1_000_000, ge=1)
    import_max_columns: int = Field(default=200, ge=1)
    import_max_xlsx_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)  # uncompressed
    upload_retention_hours: int = Field(default=24, ge=1)  # kept uploads removed after this
    login_max_failures: int = Field(default=5, ge=1)  # wrong passwords in a row → timed lock
    login_lock_minutes: int = Field(default=15, ge=1)
    login_ip_max_failures: int = Field(default=20, ge=1)  # per source address and window
    session_hours: int = Field(default=8, ge=1)

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, url: str) -> str:
        """Accept the usual spellings and pin the drivers we ship (SQLite, psycopg 3)."""
        url = url.strip()
        if not url:
            raise ValueError("数据库地址为空 (database_url.empty)")
        for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        if url.startswith(("postgresql+psycopg://", "sqlite://")):
            return url
        raise ValueError(
            f"不支持的数据库地址“{url}”：应为 sqlite:/// 或 postgresql:// 开头 "
            "(database_url.unsupported)"
        )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"未知时区“{name}” (timezone.unknown)") from exc
        return name

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        """Production refuses a missing or weak secret and the demo accounts."""
        if self.environment != "production":
            return self
        problem = secret_problem(self.secret_key)
        if problem is not None:
            raise ValueError(f"生产环境：{problem[1]} ({problem[0]})")
        if self.demo_accounts:
            raise ValueError(
                "生产环境不允许演示账号，请设置 ENVBUREAU_DEMO_ACCOUNTS=false (demo_accounts.production)"
            )
        return self

    def check_secret(self) -> str:
        """The configured secret, or ``ConfigError`` if it is missing or weak (run at start-up:
        the model itself accepts a weak one outside production, so tests can build settings)."""
        problem = secret_problem(self.secret_key)
        if problem is not None:
            raise ConfigError(problem[1], code=problem[0])
        assert self.secret_key is not None
        return self.secret_key

    @property
    def secret_file(self) -> Path:
        """Where ``envbureau demo`` keeps the random secret it generated."""
        return self.data_dir / SECRET_FILE_NAME

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; ``get_settings.cache_clear()`` re-reads the environment."""
    return Settings()
