"""``envbureau areas``: administrative divisions and organisation units."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from envbureau.core.areas import service
from envbureau.core.areas.boundaries import BOUNDARY_SCHEMA, AreaBoundaryImporter
from envbureau.core.areas.importers import AREA_SCHEMA, UNIT_SCHEMA, AreaImporter, OrgUnitImporter
from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    print_json,
    reports_errors,
)
from envbureau.core.db import session_scope
from envbureau.core.importing.cli_run import run_file_import
from envbureau.core.importing.templates import write_template

app = typer.Typer(help="行政区划与组织机构", no_args_is_help=True)

LEVEL_NAMES = {"city": "市", "district": "区县", "town": "乡镇（街道）", "village": "村（社区）"}


@app.command("import")
@reports_errors
def import_areas(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验并报告将会发生的更改，不写入"),
) -> None:
    """导入行政区划（区划代码、名称、级别、类型、上级代码）。"""
    run_file_import(AreaImporter(), file, dry_run=dry_run)


@app.command("import-units")
@reports_errors
def import_units(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
) -> None:
    """导入组织机构（局机关、科室、分局、成员单位、乡镇环保办）。"""
    run_file_import(OrgUnitImporter(), file, dry_run=dry_run)


@app.command("import-boundaries")
@reports_errors
def import_boundaries(
    file: Path = typer.Argument(..., help="GeoJSON 文件（要素属性含区划代码），或 CSV/XLSX"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不写入"),
) -> None:
    """导入区划边界（WGS 84 经纬度多边形），用于不依赖在线底图的地图。"""
    run_file_import(AreaBoundaryImporter(), file, dry_run=dry_run)


@app.command("template")
def template(
    out: Path = typer.Argument(..., help="输出的 .xlsx 文件"),
    units: bool = typer.Option(False, "--units", help="组织机构模板（默认行政区划模板）"),
    boundaries: bool = typer.Option(False, "--boundaries", help="区划边界模板"),
) -> None:
    """生成导入模板（含填写说明）。"""
    schema = BOUNDARY_SCHEMA if boundaries else UNIT_SCHEMA if units else AREA_SCHEMA
    write_template(schema, out)
    console.print(f"已生成模板：{out}")


@app.command("list")
@reports_errors
def list_areas(
    parent: str = typer.Option(None, "--under", help="只列出该区划之下的区域"),
    level: str = typer.Option(None, "--level", help="city / district / town / village"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出行政区划。"""
    with session_scope(engine_or_exit()) as session:
        roots = service.list_root(session=session)
        if parent:
            areas = service.list_descendants(session=session, code=parent, level=level)
        else:
            areas = [
                a
                for r in roots
                for a in [r, *service.list_descendants(session=session, code=r.code)]
                if level is None or a.level == level
            ]
        rows = [
            {
                "code": a.code,
                "name": a.name,
                "level": a.level,
                "kind": a.kind,
                "parent_code": a.parent_code,
            }
            for a in areas
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("区划代码", "名称", "级别", "上级代码")
    for a in areas:
        table.add_row(a.code, a.name, LEVEL_NAMES[a.level], a.parent_code or "")
    console.print(table)
    console.print(f"共 {len(rows)} 个区域")
