"""``envbureau db``: the schema, and backup, restore and copy of the data (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from envbureau.core import migrate
from envbureau.core.cli_support import console, engine_or_exit, labelled_progress, reports_errors
from envbureau.core.config import Settings

if TYPE_CHECKING:
    from envbureau.core.backup import Manifest

app = typer.Typer(help="数据库：迁移与版本、备份与恢复、迁移到 PostgreSQL", no_args_is_help=True)


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


def _print_tables(manifest: Manifest, verb: str) -> None:
    rows = sum(manifest.tables.values())
    console.print(
        f"{verb} {len(manifest.tables)} 张表、{rows:,} 行（数据库版本 {manifest.revision}）"
    )


@app.command("backup")
@reports_errors
def backup(file: Path = typer.Argument(..., help="备份文件（.zip）")) -> None:
    """备份整个数据库到一个文件（服务运行中也可执行；SQLite 与 PostgreSQL 通用格式）。"""
    from envbureau.core import backup as backups

    engine = engine_or_exit()
    with labelled_progress() as update:
        manifest = backups.backup(engine, file, update)
    _print_tables(manifest, f"已备份到 {file}：")


@app.command("restore")
@reports_errors
def restore(
    file: Path = typer.Argument(..., help="envbureau db backup 生成的备份文件"),
    force: bool = typer.Option(False, "--force", help="目标数据库已有数据时仍然覆盖"),
) -> None:
    """从备份文件恢复数据库：全部成功或全部不变，恢复后核对版本与每张表的行数。"""
    from envbureau.core import backup as backups

    engine = engine_or_exit()
    with labelled_progress() as update:
        manifest = backups.restore(engine, file, force=force, progress=update)
    _print_tables(manifest, "已恢复并核对")
    head = migrate.head_revision(engine)
    if manifest.revision != head:
        console.print(f"备份的数据库版本早于最新版本 {head}，请执行 envbureau db upgrade")


@app.command("copy")
@reports_errors
def copy(
    to: str = typer.Option(
        ..., "--to", help="目标数据库，如 postgresql://user@host/db（须为空库）"
    ),
) -> None:
    """把当前数据库的全部数据复制到另一个空数据库（如从 SQLite 迁到 PostgreSQL），核对行数。"""
    from envbureau.core import backup as backups
    from envbureau.core.db import check_connection, make_engine

    source = engine_or_exit()
    target = make_engine(Settings(database_url=to).database_url)
    check_connection(target)
    with labelled_progress() as update:
        manifest = backups.copy(source, target, update)
    _print_tables(manifest, f"已复制到 {target.url.render_as_string(hide_password=True)}：")
