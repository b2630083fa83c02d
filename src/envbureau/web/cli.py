"""``envbureau serve``: the web server (FastAPI and uvicorn load only when it starts)."""

from __future__ import annotations

import typer

from envbureau.core.cli_support import engine_or_exit, reports_errors, settings_or_exit


@reports_errors
def serve(
    host: str = typer.Option(None, "--host", help="监听地址（默认 127.0.0.1）"),
    port: int = typer.Option(None, "--port", help="端口（默认 ENVBUREAU_PORT 或 8000）"),
    workers: int = typer.Option(
        None, "--workers", min=1, max=64, help="工作进程数（默认 ENVBUREAU_WORKERS 或 1）"
    ),
) -> None:
    """启动 Web 服务（工作台 /console、登录 /login、公众信息公开页 / 与 JSON API）。

    须先设置会话密钥 ENVBUREAU_SECRET_KEY（开发环境可用 envbureau demo 生成的密钥）；
    生产环境中仍有启用的演示账号时拒绝启动。"""
    from envbureau.web.server import run_server

    settings = settings_or_exit()
    engine_or_exit(settings)
    run_server(settings, host, port, workers)
