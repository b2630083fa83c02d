"""``envbureau air``: stations, observation imports, templates (and the file tools)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from envbureau.air import file_tools
from envbureau.air import service as air_service
from envbureau.air.attainment import target_outlook
from envbureau.air.corrections import add_dust_event, correct_observation
from envbureau.air.formats import FORMATS, TEMPLATE_SCHEMA, read_observation_file
from envbureau.air.importers import STATION_SCHEMA, StationImporter, import_observations
from envbureau.core.cli_support import (
    console,
    engine_or_exit,
    print_json,
    print_outcome,
    progress_bar,
    reports_errors,
)
from envbureau.core.db import session_scope
from envbureau.core.errors import RuleViolation
from envbureau.core.exporting import write_table
from envbureau.core.importing.cli_run import import_session, run_file_import
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
        with import_session(engine, name) as session, progress_bar(f"导入 {name}") as update:
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


EDITION_HELP = "标准版本：auto（按日期，2026-03-01 起用 2026 版）、2012、2026"


@app.command("aqi")
@reports_errors
def aqi(
    files: list[Path] = typer.Argument(
        ..., help="日数据或小时数据表（CSV/XLSX），或国家发布平台文件"
    ),
    kind: str = typer.Option("daily", "--kind", help="daily（日报）或 hourly（实时报）"),
    edition: str = typer.Option("auto", "--edition", help=EDITION_HELP),
    fmt: str = typer.Option("columns", "--format", help="columns（说明书列名）或 china-sites"),
    out: Path = typer.Option(..., "-o", "--out", help="输出文件（.csv 或 .xlsx）"),
) -> None:
    """按 HJ 633 计算 AQI、级别、类别、首要污染物和各项分指数（不需要数据库）。"""
    frames = []
    for path in files:
        if fmt == "china-sites":
            frames.append(file_tools.aqi_of_china_sites(path, edition=edition))
        elif kind in ("daily", "hourly"):
            frames.append(file_tools.aqi_of_table(path, kind=kind, edition=edition))
        else:
            raise RuleViolation(f"--kind 应为 daily 或 hourly，不是“{kind}”", code="air.kind")
    result = pd.concat(frames, ignore_index=True)
    write_table(result, out)
    console.print(f"已计算 {len(result)} 行 AQI（{edition}），写入 {out}")


@app.command("evaluate")
@reports_errors
def evaluate(
    files: list[Path] = typer.Argument(..., help="小时数据文件"),
    fmt: str = typer.Option("template", "--format", help=f"文件格式：{'、'.join(FORMATS)}"),
    first: str = typer.Option(..., "--from", help="开始日期 YYYY-MM-DD"),
    last: str = typer.Option(..., "--to", help="结束日期 YYYY-MM-DD"),
    stations: str = typer.Option(None, "--stations", help="只评价这些站点（逗号分隔）"),
    sites: Path = typer.Option(
        None, "--sites", help="站点表（监测点编码、城市），与 --group-by city 合用"
    ),
    group_by: str = typer.Option(None, "--group-by", help="city：按城市分别评价并排名"),
    edition: str = typer.Option("auto", "--edition", help=EDITION_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """按 HJ 663 评价一个时段：优良天数比例、各项浓度、综合指数（不需要数据库）。"""
    period = parse_period(f"{first}~{last}")
    if group_by not in (None, "city"):
        raise RuleViolation("--group-by 只支持 city", code="air.group_by")
    if group_by and sites is None:
        raise RuleViolation("--group-by city 需要 --sites 站点表", code="air.sites_required")
    cities = file_tools.read_site_cities(sites) if group_by else None
    codes = [s.strip() for s in stations.split(",")] if stations else None
    results = file_tools.evaluate_files(
        files,
        fmt=fmt,
        first_day=period.start,
        last_day=period.end,
        edition=edition,
        stations=codes,
        site_cities=cities,
    )
    if as_json:
        print_json(results if group_by else results[0])
        return
    table = Table(
        "城市/站点", "有效天数", "优良天数比例%", "PM2.5", "PM10", "O3-8h P90", "综合指数", "排名"
    )
    for r in results:
        table.add_row(
            r.get("city", "、".join(r["stations"][:3]) + ("…" if len(r["stations"]) > 3 else "")),
            str(r["valid_days"]),
            f"{r['good_day_rate']:.1f}",
            _fmt(r["pm25"]),
            _fmt(r["pm10"]),
            _fmt(r["o3_8h_p90"]),
            f"{r['composite_index']:.2f}",
            str(r.get("rank", "")),
        )
    console.print(table)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@app.command("outlook")
@reports_errors
def outlook(
    year: int = typer.Option(..., "--year", help="年度"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    as_of: str = typer.Option(None, "--as-of", help="截至日期，默认数据最后一天所在半年末"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """年度目标完成形势：还需优良天数、剩余时段 PM2.5 均值上限与达标可能性。"""
    day = date.fromisoformat(as_of) if as_of else date(year, 6, 30)
    with session_scope(engine_or_exit()) as session:
        data = target_outlook(session=session, area_code=area, year=year, as_of=day)
    if as_json:
        print_json(data)
        return
    if "reason" in data:
        console.print(f"【数据不足：{data['reason']}】")
        return
    if "good_day_rate" in data:
        g = data["good_day_rate"]
        chance = "—" if g["probability"] is None else f"{g['probability']:.0%}"
        console.print(
            f"优良天数比例目标 ≥{g['target']:g}%：截至 {day} 有效 {g['ytd_valid_days']} 天、"
            f"优良 {g['ytd_good_days']} 天；剩余 {g['remaining_days']} 天还需优良天数 "
            f"{g['good_days_needed']} 天（{g['share_needed']:.1f}%），达标可能性 {chance}"
        )
    if "pm25" in data:
        p = data["pm25"]
        chance = "—" if p["probability"] is None else f"{p['probability']:.0%}"
        console.print(
            f"PM2.5 目标 ≤{p['target']:g} μg/m³：截至 {day} 均值 {p['ytd_mean']:.1f}；"
            f"剩余时段 PM2.5 均值需 ≤{p['remaining_mean_allowed']:.1f} μg/m³，"
            f"达标可能性 {chance}"
        )


@app.command("rank")
@reports_errors
def rank(
    period: str = typer.Option(..., "--period", help="时段：2026H1、2026-03 等"),
    area: str = typer.Option(..., "--area", help="区划代码"),
    by: str = typer.Option("district", "--by", help="district（区县）或 station（站点）"),
    edition: str = typer.Option("auto", "--edition", help=EDITION_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """按综合指数排名（由小到大，相同并列）：区县或站点。"""
    span = parse_period(period)
    with session_scope(engine_or_exit()) as session:
        frame = air_service.rank_areas(
            session=session,
            area_code=area,
            first_day=span.start,
            last_day=span.end,
            by=by,
            edition=edition,
        )
    if as_json:
        print_json(frame.to_dict("records"))
        return
    table = Table("名次", "代码", "名称", "综合指数", "优良天数比例%", "PM2.5", "数据有效")
    for r in frame.to_dict("records"):
        table.add_row(
            str(r["rank"]),
            r["code"],
            r["name"],
            f"{r['composite_index']:.2f}",
            f"{r['good_day_rate']:.1f}",
            _fmt(r["pm25"]),
            "是" if r["valid"] else "否",
        )
    console.print(table)


@app.command("correct")
@reports_errors
def correct(
    station: str = typer.Argument(..., help="站点编码"),
    hour: str = typer.Argument(..., help="小时结束时刻（北京时间），如 2026-03-01 14:00"),
    reason: str = typer.Option(..., "--reason", help="修正原因（必填）"),
    set_values: list[str] = typer.Option([], "--set", help="新值，如 --set pm25=38（可多次）"),
    invalid: list[str] = typer.Option([], "--invalid", help="标为无效的项目，如 --invalid o3"),
    user: str = typer.Option("cli", "--user", help="审核人"),
) -> None:
    """审核修正一个站点小时的数据：形成新的修订版本，原值保留，写入审计日志。"""
    values: dict[str, float | None] = {}
    for item in set_values:
        name, _, text = item.partition("=")
        try:
            values[name.strip()] = float(text) if text.strip() else None
        except ValueError:
            raise RuleViolation(f"--set {item}：数值无法识别", code="value.invalid") from None
    try:
        when = datetime.strptime(hour.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise RuleViolation(f"时间“{hour}”应为 YYYY-MM-DD HH:MM", code="time.invalid") from None
    with session_scope(engine_or_exit()) as session:
        revision = correct_observation(
            session=session,
            station_code=station,
            hour_ending=when,
            actor=user,
            reason=reason,
            values=values,
            invalid=set(invalid) if invalid else None,
        )
        console.print(f"已修正 {station} {hour}（第 {revision.revision} 版）")


@app.command("dust")
@reports_errors
def dust(
    first: str = typer.Option(..., "--from", help="开始日期"),
    last: str = typer.Option(..., "--to", help="结束日期"),
    source: str = typer.Option(..., "--source", help="依据文件，如省生态环境厅沙尘天气通报"),
    note: str = typer.Option("", "--note", help="备注"),
    user: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """登记沙尘天气过程（评价时 PM10、PM2.5 可扣除沙尘日）。"""
    span = parse_period(f"{first}~{last}")
    with session_scope(engine_or_exit()) as session:
        add_dust_event(
            session=session,
            first_day=span.start,
            last_day=span.end,
            source_document=source,
            actor=user,
            note=note,
        )
    console.print(f"已登记沙尘过程 {span.start} 至 {span.end}")


@app.command("show")
@reports_errors
def show(
    period: str = typer.Option(..., "--period", help="时段：2026、2026H1、2026Q2、2026-03、起~止"),
    area: str = typer.Option(None, "--area", help="区划代码（市或区县）"),
    station: str = typer.Option(None, "--station", help="或：单个站点编码"),
    edition: str = typer.Option("auto", "--edition", help=EDITION_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """评价库中数据：任一时段的市、区县或单个站点（优良天数、各项浓度、综合指数、数据覆盖）。"""
    if (area is None) == (station is None):
        raise RuleViolation("请指定 --area 或 --station 之一", code="air.scope")
    span = parse_period(period)
    with session_scope(engine_or_exit()) as session:
        if station:
            air_service.get_station_or_raise(session=session, code=station)
            result = air_service.evaluate_stations(
                session=session,
                stations=[station],
                first_day=span.start,
                last_day=span.end,
                edition=edition,
            )
        else:
            result = air_service.evaluate(
                session=session,
                area_code=area,
                first_day=span.start,
                last_day=span.end,
                edition=edition,
            )
    if result is None:
        console.print("【数据不足：该时段没有监测数据】")
        raise typer.Exit(1)
    summary = result.summary()
    if as_json:
        print_json(summary)
        return
    console.print(
        f"[bold]{span.label}[/]  {station or area}  标准：{summary['edition']} "
        f"（按日 {summary['editions_used']}）"
    )
    console.print(
        f"有效天数 {summary['valid_days']}，优良 {summary['good_days']} 天，"
        f"优良天数比例 {summary['good_day_rate']:.1f}%，重度及以上 {summary['heavy_days']} 天"
    )
    console.print("、".join(f"{k} {v} 天" for k, v in summary["days_by_category"].items()))
    console.print(
        f"PM2.5 {_fmt(summary['pm25'])}、PM10 {_fmt(summary['pm10'])}、SO2 "
        f"{_fmt(summary['so2'])}、NO2 {_fmt(summary['no2'])} μg/m³；CO-95per "
        f"{_fmt(summary['co_p95'])} mg/m³；O3-8h-90per {_fmt(summary['o3_8h_p90'])} μg/m³；"
        f"综合指数 {summary['composite_index']:.2f}"
    )
    c = summary["coverage"]
    console.print(
        f"数据覆盖：站日 {c['valid_station_days']}/{c['expected_station_days']}，"
        f"统计量{'均有效' if c['statistics_valid'] else '存在无效（有效天数不足）'}"
    )
