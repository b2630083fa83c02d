"""``envbureau db``: the schema."""

from __future__ import annotations

import typer

from envbureau.core import migrate
from envbureau.core.cli_support import console, engine_or_exit, reports_errors

app = typer.Typer(help="数据库：迁移与版本", no_args_is_help=True)


@app.command("upgrade")
@reports_errors
def upgrade(revision: str = typer.Argument("head", help="目标版本，默认最新")) -> None:
    """升级数据库结构到指定版本（默认最新）。"""
    engine = engine_or_exit()
    migrate.upgrade(engine, revision)
    console.print(
        f"数据库已升级到版本 {migrate.current_revision(engine)}："
        f"{engine.url.render_as_string(hide_password=True)}"
    )


@app.command("downgrade")
@reports_errors
def downgrade(revision: str = typer.Argument(..., help="目标版本，如 base")) -> None:
    """降级数据库结构到指定版本。"""
    engine = engine_or_exit()
    migrate.downgrade(engine, revision)
    console.print(f"数据库已降级到版本 {migrate.current_revision(engine) or 'base'}")


@app.command("current")
@reports_errors
def current() -> None:
    """显示数据库当前版本与最新版本。"""
    engine = engine_or_exit()
    now, head = migrate.current_revision(engine), migrate.head_revision(engine)
    state = "（已是最新）" if now == head else "（需要执行 envbureau db upgrade）"
    console.print(f"当前版本 {now or '空库'}，最新版本 {head}{state}")
