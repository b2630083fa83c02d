"""The ``envbureau`` command: thin wrappers over each domain's services."""

from __future__ import annotations

import typer

from envbureau import __version__
from envbureau.air import cli as air_cli
from envbureau.core import cli_db
from envbureau.core.accounts import cli as users_cli
from envbureau.core.areas import cli as areas_cli
from envbureau.core.indicators import cli as indicators_cli
from envbureau.demo import cli as demo_cli
from envbureau.reports import cli as report_cli
from envbureau.water import cli as water_cli
from envbureau.water import cli_data as _water_cli_data  # noqa: F401  (registers commands)
from envbureau.web import cli as web_cli
from envbureau.worklog import cli as worklog_cli

app = typer.Typer(
    help="envbureau 生态环境局工作平台：监测数据、国家标准指标、目标督查与工作报告。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(cli_db.app, name="db")
app.add_typer(areas_cli.app, name="areas")
app.add_typer(users_cli.app, name="users")
app.add_typer(indicators_cli.app, name="indicators")
app.add_typer(air_cli.app, name="air")
app.add_typer(water_cli.app, name="water")
app.add_typer(report_cli.app, name="report")
app.add_typer(worklog_cli.app, name="worklog")
app.command("demo")(demo_cli.demo)
app.command("serve")(web_cli.serve)


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
