"""Serving the application with uvicorn."""

from __future__ import annotations

import uvicorn

from envbureau.core.cli_support import console
from envbureau.core.config import Settings
from envbureau.web.app import create_app


def run_server(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    host, port = host or settings.host, port or settings.port
    console.print(f"Web 服务已启动：http://{host}:{port}/ （按 Ctrl+C 停止）")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
