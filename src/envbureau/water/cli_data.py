"""``envbureau water`` commands on the database: sections, samples, period classes, warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    print_json,
    print_outcome,
    reports_errors,
)
from envbureau.core.db import session_scope
from envbureau.core.errors import RuleViolation
from envbureau.core.importing.cli_run import import_session, run_file_import
from envbureau.core.importing.templates import write_template
from envbureau.core.periods import parse as parse_period
from envbureau.water import service
from envbureau.water.cli import app
from envbureau.water.importers import (
    SAMPLE_SCHEMA,
    SECTION_SCHEMA,
    SectionImporter,
    import_samples,
)
from envbureau.water.release_import import import_release
from envbureau.water.trophic import trophic_states


@app.command("import-sections")
@reports_errors
def import_sections(
    file: Path = typer.Argument(..., help="断面表（CSV/XLSX）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
) -> None:
    """导入水质监测断面（水体类型、区县、水功能区目标、“水十条”目标、水源地、交接断面、消劣清单）。"""
    run_file_import(SectionImporter(), file, dry_run=dry_run)


@app.command("import")
@reports_errors
def import_data(
    files: list[Path] = typer.Argument(..., help="监测数据表（CSV/XLSX）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """导入断面监测数据；有任何错误则该文件一行不写，数值变化形成新版本、原值保留。"""
    engine = engine_or_exit()
    for path in files:
        if not path.is_file():
            raise RuleViolation("文件不存在", code="file.not_found", loc=(str(path),))
        with import_session(engine, path.name) as session:
            outcome = import_samples(
                session, data=path.read_bytes(), file_name=path.name, actor=user, dry_run=dry_run
            )
        print_outcome(outcome)


@app.command("import-release")
@reports_errors
def import_release_command(
    file: Path = typer.Argument(..., help="国家地表水自动监测实时数据发布表（CSV，可为 .gz）"),
    province: str = typer.Option(None, "--province", help="只导入该省份的行，如 浙江省"),
    year: int = typer.Option(None, "--year", help="监测时间的年份（发布表的时间不带年份时必填）"),
    register: bool = typer.Option(
        False, "--register", help="把未登记的断面登记为国控河流断面（湖库类型需另行修正）"
    ),
    skip_conflicts: bool = typer.Option(
        False, "--skip-conflicts", help="同名断面同一时间数据不一致时跳过这些行（默认整表拒绝）"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """按断面名称把国家自动站发布数据导入已登记的断面；其他断面的行跳过并计数。"""
    if not file.is_file():
        raise RuleViolation("文件不存在", code="file.not_found", loc=(str(file),))
    with session_scope(engine_or_exit()) as session:
        done = import_release(
            session,
            data=file.read_bytes(),
            file_name=file.name,
            actor=user,
            province=province,
            year=year,
            register=register,
            skip_conflicts=skip_conflicts,
            dry_run=dry_run,
        )
    print_outcome(done.outcome)
    console.print(
        f"匹配断面 {done.matched_sections} 个，新登记 {done.registered} 个，"
        f"未登记断面的行 {done.skipped_rows} 行、数据冲突的行 {done.conflicting_rows} 行已跳过"
    )


@app.command("trophic")
@reports_errors
def trophic(
    period: str = typer.Option(..., "--period", help="时段：2026、2026H1、2026-03 等"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """湖库断面的综合营养状态指数 TLI(Σ) 与营养状态（五项参数各取月均值的均值）。"""
    span = parse_period(period)
    with session_scope(engine_or_exit()) as session:
        frame = trophic_states(
            session=session, area_code=area, first_day=span.start, last_day=span.end
        )
    if frame.empty:
        console.print("【数据不足：该时段没有湖库断面监测数据】")
        raise typer.Exit(1)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    if as_json:
        print_json(rows)
        return
    table = Table("断面", "名称", "TLI(Σ)", "营养状态", "缺少参数")
    for r in rows:
        tli = "" if r["tli"] is None else f"{r['tli']:.1f}"
        table.add_row(r["code"], r["name"], tli, r["trophic_state"] or "", "、".join(r["missing"]))
    console.print(table)


@app.command("template")
def template(
    out: Path = typer.Argument(..., help="输出的 .xlsx 文件"),
    sections: bool = typer.Option(False, "--sections", help="断面模板（默认监测数据模板）"),
) -> None:
    """生成导入模板（含填写说明）。"""
    write_template(SECTION_SCHEMA if sections else SAMPLE_SCHEMA, out)
    console.print(f"已生成模板：{out}")


@app.command("show")
@reports_errors
def show(
    period: str = typer.Option(..., "--period", help="时段：2026、2026H1、2026-03 等"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """库中断面在时段内的水质类别（月均值的均值）、定类项目与目标达成情况。"""
    span = parse_period(period)
    with session_scope(engine_or_exit()) as session:
        frame = service.evaluate_sections(
            session=session, area_code=area, first_day=span.start, last_day=span.end
        )
    if frame.empty:
        console.print("【数据不足：该时段没有断面监测数据】")
        raise typer.Exit(1)
    columns = [
        "code",
        "name",
        "kind",
        "class_label",
        "quality_status",
        "limiting_items",
        "main_pollutants",
        "target_class",
        "samples",
    ]
    if as_json:
        print_json(
            frame[columns].astype(object).where(frame[columns].notna(), None).to_dict("records")
        )
        return
    table = Table("断面", "名称", "类别", "状况", "定类项目", "主要污染指标", "目标", "样品数")
    for r in frame[columns].to_dict("records"):
        target = (
            ""
            if r["target_class"] != r["target_class"] or r["target_class"] is None
            else (f"{int(r['target_class'])}")
        )
        table.add_row(
            r["code"],
            r["name"],
            r["class_label"],
            r["quality_status"],
            r["limiting_items"],
            r["main_pollutants"] or "",
            target,
            str(r["samples"]),
        )
    console.print(table)


@app.command("warnings")
@reports_errors
def warnings(
    area: str = typer.Option(..., "--area", help="区划代码"),
    as_of: str = typer.Option(..., "--as-of", help="截至日期 YYYY-MM-DD"),
) -> None:
    """水质预警：近三个月变差、不达标或接近目标限值的断面。"""
    with session_scope(engine_or_exit()) as session:
        frame = service.drift_warnings(
            session=session, area_code=area, as_of=date.fromisoformat(as_of)
        )
    if frame.empty:
        console.print("没有需要预警的断面。")
        return
    for r in frame.to_dict("records"):
        near = f"（接近限值：{'、'.join(r['near_limit_items'])}）" if r["near_limit_items"] else ""
        console.print(f"{r['code']} {r['name']}：{r['class_label']}，{'、'.join(r['flags'])}{near}")
