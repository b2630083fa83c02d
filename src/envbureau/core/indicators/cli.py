"""``envbureau indicators``: the registry, values with provenance, manual entries, targets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.table import Table

from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    print_json,
    reports_errors,
    settings_or_exit,
)
from envbureau.core.db import session_scope
from envbureau.core.importing.cli_run import run_file_import
from envbureau.core.importing.templates import write_template
from envbureau.core.indicators import service
from envbureau.core.indicators.definitions import THEMES, load_catalog
from envbureau.core.indicators.importers import (
    MANUAL_SCHEMA,
    TARGET_SCHEMA,
    ManualEntryImporter,
    TargetImporter,
)
from envbureau.core.periods import parse as parse_period

app = typer.Typer(help="指标：定义、计算值与来源、人工填报、年度目标", no_args_is_help=True)


@app.command("list")
def list_indicators(
    theme: str = typer.Option(None, "--theme", help="只列出某一工作领域，如 air、water"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出全部指标定义。"""
    items = [d for d in load_catalog().all() if theme is None or d.theme == theme]
    if as_json:
        print_json([d.describe() for d in items])
        return
    table = Table("指标代码", "名称", "单位", "领域", "来源")
    for d in items:
        table.add_row(d.id, d.name, d.unit, THEMES[d.theme], "人工填报" if d.is_manual else "计算")
    console.print(table)


@app.command("show")
@reports_errors
def show(
    indicator_id: str = typer.Argument(..., help="指标代码，如 air.good_day_rate"),
    period: str = typer.Option(..., "--period", help="时段：2026、2026H1、2026Q2、2026-03"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """计算并显示一个指标的值、数据来源与覆盖率、适用标准和年度目标。"""
    with session_scope(engine_or_exit()) as session:
        data = service.explain(
            session=session, indicator_id=indicator_id, period=parse_period(period), area_code=area
        )
    if as_json:
        print_json(data)
        return
    d = data["indicator"]
    console.print(f"[bold]{d['name']}[/]（{d['id']}）  {data['period']['label']}  区域 {area}")
    if data["value"] is None:
        console.print(f"值：—  【数据不足：{data['reason']}】")
    else:
        console.print(f"值：[bold]{data['value_reported']}[/] {d['unit']}")
    console.print(f"定义：{d['definition']}\n依据：{d['rule']}")
    if data["edition"]:
        console.print(f"标准版本：{data['edition']}")
    if data["coverage"]:
        c = data["coverage"]
        console.print(
            f"数据覆盖：应有 {c['expected']}，实有 {c['observed']}，"
            f"{'有效' if c['valid'] else '无效'}（{c['rule']}）"
        )
    console.print(f"来源：{'人工填报' if data['source'] == 'manual' else '系统计算'}")
    for key, value in data["inputs"].items():
        console.print(f"  {key}：{_brief(value)}", highlight=False)
    if data["target"]:
        t = data["target"]
        word = service.DIRECTIONS[t["direction"]]
        state = (
            ""
            if t["attained"] is None
            else ("，已达到" if t["attained"] else f"，差 {t['gap']:g} {d['unit']}")
        )
        console.print(
            f"年度目标：{word} {t['value']:g} {d['unit']}（{t['source_document']}）{state}"
        )
    computed = datetime.fromisoformat(data["computed_at"]).replace(tzinfo=UTC)
    console.print(
        f"计算时间：{computed.astimezone(settings_or_exit().tz):%Y-%m-%d %H:%M:%S}（北京时间）"
    )


def _brief(value: object, shown: int = 5) -> str:
    """A long list of inputs as its count and first items; the full list is in ``--json``."""
    if isinstance(value, list) and len(value) > shown:
        return f"{len(value)} 项（{'、'.join(map(str, value[:shown]))} …）"
    return str(value)


@app.command("enter")
@reports_errors
def enter(
    indicator_id: str = typer.Argument(..., help="指标代码"),
    period: str = typer.Option(..., "--period", help="时段"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    value: float = typer.Option(..., "--value", help="数值"),
    source: str = typer.Option(..., "--source", help="来源文件（必填）"),
    note: str = typer.Option("", "--note", help="备注"),
    user: str = typer.Option("cli", "--user", help="填报人"),
) -> None:
    """人工填报一个指标值（须注明来源；更正形成新的版本，原值保留）。"""
    with session_scope(engine_or_exit()) as session:
        entry = service.enter_manual(
            session=session,
            indicator_id=indicator_id,
            period=parse_period(period),
            area_code=area,
            value=value,
            source_document=source,
            entered_by=user,
            note=note,
        )
        console.print(
            f"已填报：{indicator_id} {period} {area} = {entry.value:g}（第 {entry.revision} 版）"
        )


@app.command("target")
@reports_errors
def target(
    indicator_id: str = typer.Argument(..., help="指标代码"),
    year: int = typer.Option(..., "--year", help="年度"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    value: float = typer.Option(..., "--value", help="目标值"),
    direction: str = typer.Option(..., "--direction", help=">=（不低于）或 <=（不高于）"),
    source: str = typer.Option(..., "--source", help="来源文件，如年度目标责任书"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """设定年度目标。"""
    with session_scope(engine_or_exit()) as session:
        service.set_target(
            session=session,
            indicator_id=indicator_id,
            year=year,
            area_code=area,
            value=value,
            direction=direction,
            source_document=source,
            actor=user,
        )
    console.print(f"已设定 {year} 年目标：{indicator_id} {direction} {value:g}")


@app.command("import-manual")
@reports_errors
def import_manual(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
) -> None:
    """从表格导入人工填报的指标值。"""
    run_file_import(ManualEntryImporter(), file, dry_run=dry_run)


@app.command("import-targets")
@reports_errors
def import_targets(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
) -> None:
    """从表格导入年度目标（目标责任书）。"""
    run_file_import(TargetImporter(), file, dry_run=dry_run)


@app.command("template")
def template(
    out: Path = typer.Argument(..., help="输出的 .xlsx 文件"),
    targets: bool = typer.Option(False, "--targets", help="年度目标模板（默认人工填报模板）"),
) -> None:
    """生成导入模板。"""
    write_template(TARGET_SCHEMA if targets else MANUAL_SCHEMA, out)
    console.print(f"已生成模板：{out}")
