"""``envbureau air``: stations, observation imports, templates (and the file tools)."""

from __future__ import annotations

from pathlib import Path

import typer

from envbureau.air.formats import FORMATS, TEMPLATE_SCHEMA, read_observation_file
from envbureau.air.importers import STATION_SCHEMA, StationImporter, import_observations
from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    print_outcome,
    progress_bar,
    reports_errors,
    run_file_import,
)
from envbureau.core.db import session_scope
from envbureau.core.importing.templates import write_template
from envbureau.core.periods import parse as parse_period

app = typer.Typer(help="空气质量：站点、小时数据导入、AQI 与评价", no_args_is_help=True)

WARNINGS_SHOWN = 20


@app.command("import-stations")
@reports_errors
def import_stations(
    file: Path = typer.Argument(..., help="站点表（CSV/XLSX），如 site_list.csv"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
) -> None:
    """导入监测站点（监测点编码、名称、城市、经纬度、区划代码、控制级别、启用/停用日期）。"""
    run_file_import(StationImporter(), file, dry_run=dry_run)


@app.command("import")
@reports_errors
def import_data(
    files: list[Path] = typer.Argument(..., help="一个或多个数据文件"),
    fmt: str = typer.Option("template", "--format", help=f"文件格式：{'、'.join(FORMATS)}"),
    stations: str = typer.Option(None, "--stations", help="只导入这些站点（逗号分隔），其余列忽略"),
    period: str = typer.Option(None, "--period", help="只接受该时段内的数据，时段外的行报错"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """导入空气质量小时数据（模板、国家发布平台 china_sites 格式、北京多站点研究格式）。

    每个文件单独校验并整体导入：有任何错误则该文件一行不写；同一内容重复导入不作更改；
    数值变化的站点小时形成新的修订版本，原值保留。
    """
    chosen = {s.strip() for s in stations.split(",")} if stations else None
    limit = parse_period(period) if period else None
    engine = engine_or_exit()
    for path in files:
        data, name = read_observation_file(path, fmt)
        with session_scope(engine) as session, progress_bar(f"导入 {name}") as update:
            outcome, warnings = import_observations(
                session,
                data=data,
                file_name=name,
                fmt=fmt,
                actor=user,
                dry_run=dry_run,
                period=limit,
                stations=chosen,
                progress=update,
            )
        print_outcome(outcome)
        if warnings:
            console.print(f"[yellow]提示[/] {len(warnings)} 处数据已导入但需核查：")
            for w in warnings[:WARNINGS_SHOWN]:
                console.print(f"  - {w.render()}", highlight=False)


@app.command("template")
def template(
    out: Path = typer.Argument(..., help="输出的 .xlsx 文件"),
    stations: bool = typer.Option(False, "--stations", help="站点模板（默认小时数据模板）"),
) -> None:
    """生成导入模板（含填写说明）。"""
    write_template(STATION_SCHEMA if stations else TEMPLATE_SCHEMA, out)
    console.print(f"已生成模板：{out}")
