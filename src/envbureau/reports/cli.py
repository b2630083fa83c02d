"""``envbureau report``: write the half-year work report, explain any of its figures."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    labelled_progress,
    print_json,
    reports_errors,
)
from envbureau.core.db import session_scope
from envbureau.core.errors import RuleViolation
from envbureau.reports.builder import build_half_year
from envbureau.reports.explain import explain_figure
from envbureau.reports.outputs import FORMATS, write_report
from envbureau.reports.receipts import read_figures

app = typer.Typer(help="工作报告：上半年工作进展情况和下半年工作安排；每个数字可追溯。")


@app.command("half-year")
@reports_errors
def half_year(
    year: int = typer.Option(..., "--year", help="年度，如 2026"),
    half: int = typer.Option(1, "--half", min=1, max=2, help="1 = 上半年（默认），2 = 下半年"),
    area: str = typer.Option("", "--area", help="区划代码（默认：库中的市级区划）"),
    out: Path = typer.Option(Path("out"), "--out", help="输出文件夹"),
    formats: str = typer.Option(",".join(FORMATS), "--formats", help="docx,pdf,html,md 任选"),
    strict: bool = typer.Option(False, "--strict", help="有任何【数据不足】即失败"),
) -> None:
    """生成半年工作报告（Word 公文版式、PDF、HTML、Markdown）和 figures.json 数字来源清单。"""
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    engine = engine_or_exit()
    with session_scope(engine, write=False) as session, labelled_progress() as progress:
        area_code = area or _city_code(session)
        progress("汇总指标与工作台账", 0, 1)
        report = build_half_year(session, year=year, half=half, area_code=area_code)
        progress("汇总指标与工作台账", 1, 1)
        if strict and report.book.warnings:
            raise RuleViolation(
                "报告中有无法计算的数字（--strict）：" + "；".join(report.book.warnings),
                code="report.insufficient_data",
            )
        steps = ["charts", *chosen]
        done = [0]

        def step(label: str) -> None:
            progress(label, done[0], len(steps))
            done[0] += 1

        written = write_report(session, report, out, formats=chosen, progress=step)
        progress("完成", len(steps), len(steps))
    for fmt, path in written.items():
        console.print(f"{fmt:>7}: {path}")
    console.print(f"数字 {len(report.book.figures)} 个，均可用 report explain 追溯。")
    for warning in report.book.warnings:
        console.print(f"[yellow]【数据不足】{warning}[/yellow]")


@app.command("explain")
@reports_errors
def explain(
    figure_id: str = typer.Argument(..., help="数字编号，如 F003（见 figures.json 或 HTML 悬停）"),
    report: Path = typer.Option(..., "--report", help="报告文件夹（含 figures.json）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """说明报告中一个数字的来历：指标定义与依据、输入与数据覆盖、标准版本，并按现有数据重算。"""
    if not (report / "figures.json").is_file() and not report.is_file():
        raise RuleViolation(
            f"找不到 {report}/figures.json", code="file.not_found", loc=(str(report),)
        )
    receipts = read_figures(report)
    with session_scope(engine_or_exit(), write=False) as session:
        result = explain_figure(session, receipts, figure_id.upper())
    if as_json:
        print_json(result)
        return
    figure, again = result["figure"], result["recomputed"]
    console.print(
        f"[bold]{figure['id']} {figure['name']}[/bold]：{figure['printed']} {figure['unit']}"
    )
    console.print(
        f"时段：{figure['period_label']}　区域：{figure['area_name'] or figure['area_code']}"
    )
    console.print(f"来源：{figure['source']}")
    if "definition" in result:
        definition = result["definition"]
        console.print(f"指标：{definition['id']}（{definition['name']}）")
        console.print(f"定义：{definition['definition']}")
        console.print(f"依据：{definition['rule']}")
    if figure.get("edition"):
        console.print(f"标准版本：{figure['edition']}")
    if figure.get("coverage"):
        c = figure["coverage"]
        console.print(f"数据覆盖：应有 {c['expected']}，实有 {c['observed']}（{c['rule']}）")
    if figure.get("inputs"):
        console.print("输入：")
        print_json(figure["inputs"])
    if again.get("same") is None:
        console.print(again["note"])
    elif again["same"]:
        console.print(f"按现有数据重算：{again['printed_now']}，与报告一致。")
    elif again.get("printed_now") is None:
        console.print(f"[red]现在无法重算：{again.get('reason', '')}[/red]")
    else:
        console.print(
            f"[red]按现有数据重算为 {again['printed_now']}，与报告中的 {figure['printed']} 不同"
            "（数据在报告生成后有更正或补充）。[/red]"
        )


def _city_code(session: Session) -> str:
    roots = areas_service.list_root(session=session)
    if len(roots) != 1:
        raise RuleViolation(
            "库中有多个或没有市级区划，请用 --area 指定", code="report.area_required"
        )
    return roots[0].code
