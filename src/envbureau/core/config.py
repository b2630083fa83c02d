"""Typed settings: one object, read from ``ENVBUREAU_*`` variables and an optional ``.env`` file.

Tests build ``Settings(...)`` directly; code asks ``get_settings()``, never ``os.environ``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-development-only"
DEFAULT_SQLITE_URL = "sqlite:///var/envbureau.db"


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
    secret_key: str = DEFAULT_SECRET_KEY
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
        """Production refuses the development secret, short secrets and the demo accounts."""
        if self.environment != "production":
            return self
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            raise ValueError(
                "生产环境必须设置至少 32 个字符的 ENVBUREAU_SECRET_KEY，不能使用默认值 "
                "(secret_key.unsafe)"
            )
        if self.demo_accounts:
            raise ValueError(
                "生产环境不允许演示账号，请设置 ENVBUREAU_DEMO_ACCOUNTS=false (demo_accounts.production)"
            )
        return self

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
