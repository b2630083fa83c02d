"""Serving the application with uvicorn: the secret, production's refusals, the workers.

There is no built-in secret (docs/security.md). ``serve`` uses ``ENVBUREAU_SECRET_KEY`` when
set (it must pass ``Settings.check_secret``); otherwise, in development only, the random secret
``envbureau demo`` wrote into the data folder (``var/secret_key``, mode 0600), saying so; with
neither it refuses to start. Production also refuses while a demo account is enabled.

Workers (``--workers N``) are separate processes that each build the app from the environment
(``envbureau.web.asgi:create``), so the chosen secret is handed to them there.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import uvicorn
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from envbureau.core.cli_support import console
from envbureau.core.config import Settings, get_settings, secret_problem
from envbureau.core.db import make_engine
from envbureau.core.errors import ConfigError

APP_FACTORY = "envbureau.web.asgi:create"


def demo_secret(settings: Settings) -> str:
    """The demo's secret: read from ``settings.secret_file``, or generated there on first use
    (random, 64 characters, readable by the owner only)."""
    path: Path = settings.secret_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it meanwhile
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
    secret = path.read_text(encoding="utf-8").strip()
    problem = secret_problem(secret)
    if problem is not None:
        raise ConfigError(f"{path}：{problem[1]}", code=problem[0])
    return secret


def serving_secret(settings: Settings, *, demo: bool = False) -> tuple[str, str]:
    """(secret, where it came from) for ``serve`` and ``demo``, or ``ConfigError``."""
    if settings.secret_key:
        return settings.check_secret(), "ENVBUREAU_SECRET_KEY"
    if settings.environment == "development" and (demo or settings.secret_file.is_file()):
        return demo_secret(settings), f"演示生成的密钥文件 {settings.secret_file}"
    raise ConfigError(
        "未设置会话密钥，Web 服务不能启动：请设置环境变量 ENVBUREAU_SECRET_KEY（至少 32 个"
        '随机字符，可用 python -c "import secrets; print(secrets.token_urlsafe(48))" 生成）；'
        "开发环境中也可先运行 envbureau demo，它会在数据文件夹生成随机密钥",
        code="secret_key.missing",
    )


def refuse_demo_accounts(settings: Settings, engine: Engine) -> None:
    """Production never serves while a demo account (published password) is enabled."""
    if settings.environment != "production":
        return
    from envbureau.demo.accounts import enabled_demo_accounts

    with Session(engine) as session:
        names = enabled_demo_accounts(session)
    if names:
        commands = "；".join(f"envbureau users disable {name}" for name in names)
        raise ConfigError(
            f"生产环境中仍启用着演示账号 {'、'.join(names)}（密码已公开），服务不能启动；"
            f"请先停用：{commands}",
            code="demo_accounts.enabled",
        )


def run_server(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    *,
    demo: bool = False,
) -> None:
    secret, origin = serving_secret(settings, demo=demo)
    engine = make_engine(settings.database_url)
    try:
        refuse_demo_accounts(settings, engine)
    finally:
        engine.dispose()
    host, port = host or settings.host, port or settings.port
    workers = workers or settings.workers
    os.environ["ENVBUREAU_SECRET_KEY"] = secret  # the workers read their settings from here
    get_settings.cache_clear()
    if origin != "ENVBUREAU_SECRET_KEY":
        console.print(f"[yellow]会话密钥取自{origin}（仅限开发环境）[/]")
    console.print(f"Web 服务已启动：http://{host}:{port}/ （{workers} 个工作进程，按 Ctrl+C 停止）")
    uvicorn.run(
        APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level="warning"
    )
