"""``envbureau water``: section classes and period evaluation of sample files (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.table import Table

from envbureau.core.cli_support import console, err_console, print_json, reports_errors
from envbureau.core.errors import RuleViolation
from envbureau.core.exporting import write_table
from envbureau.core.periods import parse as parse_period
from envbureau.standards import gb3838_tables as tables
from envbureau.water import file_tools

app = typer.Typer(help="水环境：断面水质类别与评价", no_args_is_help=True)

FORMATS = ("table", "cnemc")
FORMAT_HELP = "table（样品表，CSV/XLSX）或 cnemc（国家地表水自动监测实时数据发布文件）"


@app.command("classify")
@reports_errors
def classify(
    files: list[Path] = typer.Argument(..., help="样品表（CSV/XLSX）：断面名称、监测时间、各项目"),
    out: Path = typer.Option(None, "-o", "--out", help="输出文件（.csv 或 .xlsx）"),
    as_json: bool = typer.Option(False, "--json", help="把各行结果以 JSON 输出到屏幕"),
) -> None:
    """按 GB 3838-2002 单因子法判定每个样品的水质类别、状况、定类项目和超Ⅲ类倍数（不需要数据库）。

    项目单位 mg/L（pH 无量纲，粪大肠菌群 个/L）；未检出写检出限加 L（如 0.01L），按检出限一半计。
    湖泊、水库用湖库总磷限值，并单独给出总氮类别；有“目标类别”列时判断是否达到目标。
    任何一处错误则不输出，并列出每处错误的文件、行和列。
    """
    if out is None and not as_json:
        raise RuleViolation("请用 -o 指定输出文件，或加 --json", code="water.output_missing")
    checked = file_tools.read_checked(files)
    frames = [file_tools.classify(f) for f in checked]
    if len(frames) > 1:
        frames = [f.assign(file=c.file_name) for f, c in zip(frames, checked, strict=True)]
    result = pd.concat(frames, ignore_index=True)
    if len(frames) > 1:
        result = result[["file", *result.columns.drop("file")]]
    if out is not None:
        write_table(result, out)
        (err_console if as_json else console).print(f"已判定 {len(result)} 个样品，写入 {out}")
    if as_json:
        print_json(records(result))


@app.command("evaluate")
@reports_errors
def evaluate(
    files: list[Path] = typer.Argument(..., help="样品表或国家发布文件"),
    first: str = typer.Option(..., "--from", help="开始日期 YYYY-MM-DD"),
    last: str = typer.Option(..., "--to", help="结束日期 YYYY-MM-DD"),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """评价一个时段：各断面按时段内样品均值定类，汇总类别比例、水质状况和目标达标率（不需要数据库）。

    未检出按检出限一半计入均值；同一断面同一时间的重复样品只计一次。
    5 个及以上断面按类别比例法、不足 5 个按断面均值评价水质状况（环办〔2011〕22号）。
    水功能区达标率：时段类别达到目标类别的断面占有目标断面的比例。
    cnemc 格式只取站点情况为“正常”的读数，水体类型按河流。
    """
    period = parse_period(f"{first}~{last}")
    if fmt == "cnemc":
        samples = file_tools.read_cnemc(files, year=period.start.year)
        keys = ["province", "basin", "section"]
    elif fmt == "table":
        checked = file_tools.read_checked(files)
        samples, keys = pd.concat([f.samples for f in checked], ignore_index=True), ["section"]
    else:
        raise RuleViolation(f"--format 应为 {'、'.join(FORMATS)}", code="water.format")
    result = file_tools.evaluate(samples, keys, period.start, period.end)
    if as_json:
        print_json(result | {"by_section": records(result["by_section"])})
        return
    _print_evaluation(result, period.label)


def _print_evaluation(result: dict[str, Any], label: str) -> None:
    table = Table("断面", "样品数", "类别", "水质状况", "定类项目", "目标", "达标")
    for r in records(result["by_section"]):
        met = {True: "是", False: "否"}.get(r["meets_target"], "—")
        table.add_row(
            r["section"],
            str(r["n_samples"]),
            r["class_label"] or "—",
            r["quality_status"] or "—",
            r["limiting_items"] or "",
            tables.CLASS_LABELS[r["target_class"] - 1] if r["target_class"] else "—",
            met,
        )
    console.print(table)
    s = result["summary"]
    rate = s["function_zone_compliance_rate"]
    console.print(
        f"{label}：{s['sections']} 个断面，Ⅰ～Ⅲ类 {s['share_class_i_iii']:.1f}%，劣Ⅴ类 "
        f"{s['share_inferior_v']:.1f}%，水质状况 {s['status']}；水功能区达标率 "
        f"{'—（无目标断面）' if rate is None else f'{rate:.1f}%'}",
        highlight=False,
        soft_wrap=True,
    )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NA → None, numpy numbers → Python numbers)."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
