"""``envbureau serve``: the web server (FastAPI and uvicorn load only when it starts)."""

from __future__ import annotations

import typer

from envbureau.core.cli_support import engine_or_exit, reports_errors, settings_or_exit


@reports_errors
def serve(
    host: str = typer.Option(None, "--host", help="监听地址（默认 127.0.0.1）"),
    port: int = typer.Option(None, "--port", help="端口（默认 ENVBUREAU_PORT 或 8000）"),
) -> None:
    """启动 Web 服务（工作台 /console、登录 /login、公众信息公开页 / 与 JSON API）。"""
    from envbureau.web.server import run_server

    settings = settings_or_exit()
    engine_or_exit(settings)
    run_server(settings, host, port)
