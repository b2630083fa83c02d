"""``envbureau demo``: build the demo city, compute its indicators, serve the console."""

from __future__ import annotations

import typer
from rich.table import Table

from envbureau.core.accounts.roles import ROLES
from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    labelled_progress,
    reports_errors,
    settings_or_exit,
)
from envbureau.demo import DEFAULT_SEED
from envbureau.demo.accounts import ACCOUNTS
from envbureau.demo.report import write_demo_report
from envbureau.demo.runner import build_demo


@reports_errors
def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="建成后启动 Web 服务（默认启动）"),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="随机种子（同一种子得到同一座城市）"),
    report: bool = typer.Option(
        True, "--report/--no-report", help="写出2026年上半年工作报告到输出文件夹（默认写出）"
    ),
) -> None:
    """构建演示城市“示范市”：载入数据、计算指标、写出上半年工作报告，然后启动 Web 服务。"""
    settings = settings_or_exit()
    engine = engine_or_exit(settings)
    if not settings.secret_key and settings.environment == "development":
        from envbureau.web.server import demo_secret

        demo_secret(settings)  # generated on the first run, reused after (docs/security.md)
        console.print(f"会话密钥：{settings.secret_file}（随机生成，仅限开发环境）")
    console.print(
        f"[bold]构建演示城市 示范市[/]，数据库：{engine.url.render_as_string(hide_password=True)}"
    )
    with labelled_progress() as progress:
        summary = build_demo(engine, seed=seed, progress=progress)
    for line in summary.lines:
        console.print(f"  ✓ {line}")
    table = Table("指标", "时段", "值", "单位/说明", title="示范市指标（全市）")
    for row in summary.indicator_values:
        table.add_row(*row)
    console.print(table)
    if report:
        with labelled_progress() as progress:
            written, warnings = write_demo_report(engine, settings.output_dir, progress)
        console.print("[bold]2026年上半年工作报告[/]：")
        for fmt, path in written.items():
            console.print(f"  {fmt:>7}: {path}")
        for warning in warnings:
            console.print(f"  [yellow]【数据不足】{warning}[/yellow]")
    if settings.environment != "production" and settings.demo_accounts:
        accounts = Table("用户名", "密码", "角色", title="演示账号（仅供演示；生产环境不创建）")
        for username, (role, name, _area, _unit, password) in ACCOUNTS.items():
            accounts.add_row(username, password, f"{ROLES[role][0]}（{name}）")
        console.print(accounts)
        console.print(f"工作台：http://{settings.host}:{settings.port}/login")
    if serve:
        from envbureau.web.server import run_server

        run_server(settings, demo=True)
