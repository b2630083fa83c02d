"""``envbureau worklog``: work records (工作台账) and work plans (工作安排) from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    print_json,
    reports_errors,
)
from envbureau.core.clock import local_today
from envbureau.core.config import get_settings
from envbureau.core.db import session_scope
from envbureau.core.errors import RuleViolation
from envbureau.core.importing.cli_run import run_file_import
from envbureau.core.importing.templates import write_template
from envbureau.worklog import service
from envbureau.worklog.importers import PLAN_SCHEMA, RECORD_SCHEMA, PlanImporter, RecordImporter
from envbureau.worklog.models import (
    HALVES,
    PLAN_THEMES,
    RECORD_FIELD_LABELS,
    RECORD_KINDS,
    RECORD_THEMES,
    WorkPlan,
    WorkRecord,
)

app = typer.Typer(help="工作台账与下半年工作安排：导入、查询、修改", no_args_is_help=True)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RuleViolation(
            f"{option} 应为日期（如 2026-06-30）", code="value.invalid", loc=(option,)
        ) from None


def record_dict(record: WorkRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "date": record.date.isoformat(),
        "theme": record.theme,
        "theme_name": RECORD_THEMES[record.theme],
        "kind": record.kind,
        "kind_name": RECORD_KINDS[record.kind],
        "title": record.title,
        "text": record.text,
        "rendered": service.render_text(record.text, record.quantities),
        "quantities": record.quantities,
        "unit_code": record.unit_code,
        "area_code": record.area_code,
        "attachments": record.attachments,
        "sort_order": record.sort_order,
        "updated_by": record.updated_by,
    }


def plan_dict(plan: WorkPlan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "year": plan.year,
        "half": plan.half,
        "theme": plan.theme,
        "theme_name": PLAN_THEMES[plan.theme],
        "title": plan.title,
        "text": plan.text,
        "rendered": service.render_text(plan.text, plan.quantities),
        "quantities": plan.quantities,
        "unit_code": plan.unit_code,
        "area_code": plan.area_code,
        "deadline": plan.deadline.isoformat() if plan.deadline else None,
        "indicator_id": plan.indicator_id,
        "sort_order": plan.sort_order,
        "updated_by": plan.updated_by,
    }


@app.command("import")
@reports_errors
def import_file(
    file: Path = typer.Argument(..., help="工作台账或工作安排表（CSV/XLSX）"),
    plans: bool = typer.Option(False, "--plans", help="导入工作安排（默认导入工作台账）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """导入工作台账（按日期+主题+标题）或工作安排（按年度+半年+主题+标题）。

    表述中的数字写成 {数量名称}，在“数量”列填写“名称=数值单位”；任何一处错误则整个文件不写入，
    同一文件再次导入不作任何更改。
    """
    importer = PlanImporter() if plans else RecordImporter()
    run_file_import(importer, file, dry_run=dry_run, actor=user)


@app.command("template")
def template(
    out: Path = typer.Argument(..., help="输出的 .xlsx 文件"),
    plans: bool = typer.Option(False, "--plans", help="工作安排模板（默认工作台账模板）"),
) -> None:
    """生成导入模板（含填写说明）。"""
    write_template(PLAN_SCHEMA if plans else RECORD_SCHEMA, out)
    console.print(f"已生成模板：{out}")


@app.command("list")
@reports_errors
def list_records(
    first: str = typer.Option(None, "--from", help="开始日期 YYYY-MM-DD"),
    last: str = typer.Option(None, "--to", help="结束日期 YYYY-MM-DD（含当日）"),
    theme: str = typer.Option(None, "--theme", help="主题：water/治水、air/治气 等"),
    area: str = typer.Option(None, "--area", help="区划代码（含下级区域）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出工作台账，按报告主题顺序排列；表述中的 {数量} 已代入数值。"""
    with session_scope(engine_or_exit()) as session:
        rows = [
            record_dict(r)
            for r in service.list_records(
                session=session,
                start=_date(first, "--from"),
                end=_date(last, "--to"),
                area_code=area,
                theme=theme,
            )
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("编号", "日期", "主题", "类别", "标题", "报告表述", "责任单位", "区划")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["date"],
            r["theme_name"],
            r["kind_name"],
            r["title"],
            r["rendered"],
            r["unit_code"] or "",
            r["area_code"],
        )
    console.print(table)
    console.print(f"共 {len(rows)} 条")


@app.command("plans")
@reports_errors
def list_plans(
    year: int = typer.Option(None, "--year", help="年度（默认今年）"),
    half: int = typer.Option(None, "--half", help="1 上半年 / 2 下半年（默认全年）"),
    theme: str = typer.Option(None, "--theme", help="主题：quality、beautiful、reform 等"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出工作安排，按报告第二部分的主题顺序排列。"""
    if half is not None and half not in HALVES:
        raise RuleViolation("--half 应为 1 或 2", code="value.invalid", loc=("--half",))
    with session_scope(engine_or_exit()) as session:
        rows = [
            plan_dict(p)
            for p in service.list_plans(
                session=session,
                year=year or local_today(get_settings().tz).year,
                half=half,
                theme=theme,
            )
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("编号", "半年", "主题", "标题", "报告表述", "责任单位", "完成时限", "服务指标")
    for r in rows:
        table.add_row(
            str(r["id"]),
            HALVES[r["half"]],
            r["theme_name"],
            r["title"],
            r["rendered"],
            r["unit_code"] or "",
            r["deadline"] or "",
            r["indicator_id"] or "",
        )
    console.print(table)
    console.print(f"共 {len(rows)} 项")


@app.command("edit")
@reports_errors
def edit(
    record_id: int = typer.Argument(..., help="工作台账编号（见 worklog list）"),
    field: str = typer.Option(..., "--field", help="字段：title/标题、text/报告表述、数量 等"),
    value: str = typer.Option(..., "--value", help="新值，写法同导入模板"),
    reason: str = typer.Option(..., "--reason", help="修改原因（写入审计日志）"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """修改一条工作台账的一个字段：按导入规则校验，修改前后的值与原因记入审计日志。"""
    with session_scope(engine_or_exit()) as session:
        record = service.get_record_or_raise(session=session, record_id=record_id)
        before = record_dict(record)
        after = record_dict(
            service.update_record(
                session=session,
                record_id=record_id,
                changes={field: value},
                actor=user,
                reason=reason,
            )
        )
    changed = [label for k, label in RECORD_FIELD_LABELS.items() if before[k] != after[k]]
    if not changed:
        console.print(f"工作台账 {record_id}：值未改变，未作修改。")
        return
    console.print(f"已修改工作台账 {record_id}（{'、'.join(changed)}），已记入审计日志。")
    console.print(f"报告表述：{after['rendered']}")
