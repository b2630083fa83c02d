"""The ``envbureau`` command end to end: demo, indicators, imports, and bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select
from typer.testing import CliRunner

from envbureau.cli import app
from envbureau.core.areas.models import Area
from envbureau.core.config import get_settings
from envbureau.core.db import make_engine, session_scope
from factories.demo import DEMO_FOLDER, DEMO_OUTPUT, invoker

Invoke = Callable[..., Result]


@pytest.fixture
def demo_built(
    demo_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Invoke]:
    yield invoker(demo_database_url, tmp_path, monkeypatch)
    get_settings.cache_clear()


def test_demo_builds_city_and_prints_what_it_did(demo_built: Invoke, demo_database_url) -> None:
    assert "环境空气质量优良天数比例" in DEMO_OUTPUT[0]
    assert "Ⅰ～Ⅲ类水质断面比例" in DEMO_OUTPUT[0] and "断面 40 个" in DEMO_OUTPUT[0]
    with session_scope(make_engine(demo_database_url)) as session:
        levels = dict(session.execute(select(Area.level, func.count()).group_by(Area.level)).all())
    assert levels["district"] == 6 and 55 <= levels["town"] <= 70 and levels["city"] == 1
    again = demo_built("demo", "--no-serve", "--no-report")
    assert again.exit_code == 0
    assert "新增 0" in again.output  # a second build changes nothing
    assert not re.search(r"新增 [1-9]", again.output), again.output
    assert "已成立环保办的乡镇（街道）数" in again.output
    assert "区县边界 6 个（地图用），更新 6" in DEMO_OUTPUT[0] and "更新 0" in again.output


def test_indicators_show_json_has_provenance(demo_built: Invoke) -> None:
    result = demo_built(
        "indicators",
        "show",
        "org.town_env_offices",
        "--period",
        "2026H1",
        "--area",
        "990100",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["indicator"]["id"] == "org.town_env_offices"
    assert data["status"] == "ok" and data["value"] == data["coverage"]["observed"]
    assert data["coverage"]["expected"] == 64
    assert len(data["inputs"]["units"]) == data["value"]
    assert data["target"]["direction"] == ">=" and data["target"]["value"] == 60


def test_indicators_show_manual_value_names_its_source(demo_built: Invoke) -> None:
    result = demo_built(
        "indicators", "show", "enforcement.cases_filed", "--period", "2026H1", "--area", "990100"
    )
    assert result.exit_code == 0, result.output
    assert "327" in result.output and "人工填报" in result.output
    assert "执法统计月报" in result.output


def test_indicators_list_json(envbureau: Invoke) -> None:
    result = envbureau("indicators", "list", "--json")
    ids = {item["id"] for item in json.loads(result.output)}
    assert {"org.town_env_offices", "enforcement.cases_filed"} <= ids


def test_import_bad_file_reports_row_and_column_and_exits_nonzero(
    demo_built: Invoke, tmp_path: Path
) -> None:
    bad = tmp_path / "坏文件.csv"
    bad.write_bytes(
        "指标代码,时段,区域代码,数值,来源文件\n"
        "enforcement.cases_filed,2026H1,990100,abc,月报\n"
        "no.such,2026H1,990100,1,月报\n".encode("gbk")
    )
    result = demo_built("indicators", "import-manual", str(bad))
    assert result.exit_code == 2
    assert "坏文件.csv / 2 / 数值" in result.output and "value.invalid" in result.output
    assert "坏文件.csv / 3 / 指标代码" in result.output and "indicator.unknown" in result.output
    assert "未写入任何数据" in result.output


def test_import_good_file_then_again_changes_nothing(demo_built: Invoke, tmp_path: Path) -> None:
    good = tmp_path / "填报.csv"
    good.write_text(
        "指标代码,时段,区域代码,数值,来源文件\n"
        "enforcement.cases_filed,2026Q1,990102,41,清江分局执法台账\n",
        encoding="utf-8-sig",
    )
    first = demo_built("indicators", "import-manual", str(good))
    assert first.exit_code == 0 and "新增 1" in first.output
    second = demo_built("indicators", "import-manual", str(good))
    assert second.exit_code == 0 and "未作任何更改" in second.output


def test_areas_boundaries_import_from_geojson(demo_built: Invoke, tmp_path: Path) -> None:
    from envbureau.demo.areas import boundaries_geojson

    same = tmp_path / "区县边界.geojson"
    same.write_bytes(boundaries_geojson())
    again = demo_built("areas", "import-boundaries", str(same))
    assert again.exit_code == 0 and "未作任何更改" in again.output, again.output
    bad = tmp_path / "坏边界.geojson"
    geometry = {"type": "Polygon", "coordinates": [[[121, 28], [121.1, 28], [121, 28.1]]]}
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"区划代码": "990102"}, "geometry": geometry}
                ],
            }
        ),
        encoding="utf-8",
    )
    refused = demo_built("areas", "import-boundaries", str(bad))
    assert refused.exit_code == 2
    assert "坏边界.geojson" in refused.output and "边界" in refused.output
    assert "每个环至少应有 4 个坐标点" in refused.output


def test_areas_template_round_trip(envbureau: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    assert envbureau("areas", "template", str(out)).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert [c.value for c in book.worksheets[0][1]] == [
        "区划代码",
        "名称",
        "级别",
        "类型",
        "上级代码",
    ]
    assert book.sheetnames[1] == "填写说明"


def test_unreachable_database_gives_one_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVBUREAU_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["db", "current"])
    get_settings.cache_clear()
    assert result.exit_code == 2
    assert "无法连接数据库" in result.output and "database.unreachable" in result.output


def test_malformed_setting_gives_one_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVBUREAU_DATABASE_URL", "oracle://x")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["db", "upgrade"])
    get_settings.cache_clear()
    assert result.exit_code == 2
    assert "配置错误" in result.output and "ENVBUREAU_DATABASE_URL" in result.output


def test_db_upgrade_and_current(envbureau: Invoke) -> None:
    assert "空库" in envbureau("db", "current").output
    assert envbureau("db", "upgrade").exit_code == 0
    assert "已是最新" in envbureau("db", "current").output


def test_import_file_in_unknown_encoding_refused(envbureau: Invoke, tmp_path: Path) -> None:
    envbureau("db", "upgrade")
    odd = tmp_path / "areas.csv"
    odd.write_bytes("区划代码,名称\n".encode("utf-32"))
    result = envbureau("areas", "import", str(odd))
    assert result.exit_code == 2
    assert "无法识别文件编码" in result.output and "file.encoding_unknown" in result.output


def test_second_demo_database_is_independent(
    envbureau: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVBUREAU_DATABASE_URL", "sqlite:///var/second.db")
    get_settings.cache_clear()
    result = envbureau("demo", "--no-serve")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "var" / "second.db").is_file()


def test_air_commands_on_the_demo_city(demo_built: Invoke) -> None:
    shown = demo_built("air", "show", "--period", "2026H1", "--area", "990100", "--json")
    assert shown.exit_code == 0, shown.output
    summary = json.loads(shown.output)
    assert summary["editions_used"] == {"2012": 59, "2026": 122}  # Jan–Feb, then Mar–Jun
    assert summary["valid_days"] == 181 and 80 <= summary["good_day_rate"] <= 100
    indicator = json.loads(
        demo_built(
            "indicators",
            "show",
            "air.good_day_rate",
            "--period",
            "2026H1",
            "--area",
            "990100",
            "--json",
        ).output
    )
    assert indicator["value_reported"] == f"{summary['good_day_rate']:.1f}"
    assert indicator["target"]["value"] == 95.0
    station = demo_built("air", "show", "--period", "2026Q1", "--station", "9911A")
    assert station.exit_code == 0 and "优良天数比例" in station.output
    ranked = json.loads(
        demo_built("air", "rank", "--period", "2026H1", "--area", "990100", "--json").output
    )
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked) and len(ranked) == 6
    outlook = json.loads(
        demo_built("air", "outlook", "--year", "2026", "--area", "990100", "--json").output
    )
    assert outlook["good_day_rate"]["remaining_days"] == 184
    assert outlook["pm25"]["past_years"] == [2023, 2024, 2025]
    assert 0 <= outlook["pm25"]["probability"] <= 1
    both = demo_built("air", "show", "--period", "2026H1")
    assert both.exit_code == 2 and "--area 或 --station" in both.output


def test_water_commands_on_the_demo_city(demo_built: Invoke, tmp_path: Path) -> None:
    shown = demo_built("water", "show", "--period", "2026H1", "--area", "990100", "--json")
    assert shown.exit_code == 0, shown.output
    sections = {r["code"]: r for r in json.loads(shown.output)}
    assert len(sections) == 40 and sections["W01"]["kind"] == "reservoir"
    share = json.loads(
        demo_built(
            "indicators",
            "show",
            "water.share_class_i_iii",
            "--period",
            "2026H1",
            "--area",
            "990100",
            "--json",
        ).output
    )
    good = sum(1 for r in sections.values() if r["class_label"] in ("Ⅰ", "Ⅱ", "Ⅲ"))
    assert share["value"] == pytest.approx(100 * good / 40)
    warned = demo_built("water", "warnings", "--area", "990100", "--as-of", "2026-06-30")
    assert "W10" in warned.output and "变差" in warned.output  # the relapsing section
    bad = tmp_path / "样品.csv"
    bad.write_text("断面编码,监测时间,氨氮\nW01,2026-07-10 10:00,-0.5\n", encoding="utf-8")
    result = demo_built("water", "import", str(bad))
    assert result.exit_code == 2 and "样品.csv / 2 / 氨氮" in result.output


def test_water_trophic_and_release_commands(demo_built: Invoke, tmp_path: Path) -> None:
    trophic = demo_built("water", "trophic", "--period", "2026H1", "--area", "990100", "--json")
    assert trophic.exit_code == 0, trophic.output
    states = {r["code"]: r for r in json.loads(trophic.output)}
    assert set(states) == {"W01", "W02", "W03"}  # the demo's reservoir sections
    assert all(r["trophic_state"] == "中营养" and 30 <= r["tli"] <= 50 for r in states.values())
    release = tmp_path / "release.csv"
    release.write_text(
        "省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),"
        "浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),"
        "藻密度(cells/L),站点情况\n"
        "某省,某流域,清溪水库坝前,07-01 08:00,Ⅱ,24.1,7.8,8.0,210,3,2.0,0.12,0.02,0.6,*,*,正常\n"
        "某省,某流域,外省断面,07-01 08:00,Ⅲ,24.1,7.8,8.0,210,3,2.0,0.12,0.02,0.6,*,*,正常\n",
        encoding="utf-8",
    )
    no_year = demo_built("water", "import-release", str(release))
    assert no_year.exit_code == 2 and "--year" in no_year.output
    dry = demo_built("water", "import-release", str(release), "--year", "2026", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "试导入" in dry.output and "匹配断面 1 个" in dry.output and "1 行" in dry.output


def test_demo_writes_the_half_year_report_every_number_traceable(demo_built: Invoke) -> None:
    from docx import Document as WordDocument
    from pypdf import PdfReader

    out = DEMO_FOLDER[0] / "out"
    stem = "示范市生态环境局2026年上半年工作进展情况和下半年工作安排"
    for suffix in (".docx", ".pdf", ".html", ".md"):
        assert (out / f"{stem}{suffix}").is_file(), suffix
    receipts = json.loads((out / "figures.json").read_text("utf-8"))
    assert receipts["report"]["warnings"] == []  # every figure computed, none typed by hand
    figures = {f["id"]: f for f in receipts["figures"]}
    assert len(figures) > 60 and all(f["printed"] for f in figures.values())
    markdown = (out / f"{stem}.md").read_text("utf-8")
    assert "x" not in markdown.replace("xlsx", "") and "【数据不足" not in markdown
    leads = re.findall(r"^\*\*(（[一二三四五六七]）)", markdown, flags=re.M)
    part_one = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"]
    assert leads == [*part_one, *part_one[:5]]
    air = next(line for line in markdown.splitlines() if line.startswith("**（二）"))
    assert "HJ 633-2012" in air and "HJ 633-2026" in air  # the half spans the switch
    html = (out / f"{stem}.html").read_text("utf-8")
    marked = set(re.findall(r'data-fig="(F\d+)"', html))
    assert marked == set(figures)  # each receipt is printed and each printed figure has one
    assert 'data-record="WR' in html and "data:image/png;base64," in html
    word = WordDocument(str(out / f"{stem}.docx"))
    assert word.paragraphs[0].text == stem
    pdf_text = "".join(page.extract_text() for page in PdfReader(out / f"{stem}.pdf").pages)
    assert "狠抓“治水”工作" in pdf_text.replace("\n", "")
    rate = next(f for f in figures.values() if f["indicator_id"] == "air.good_day_rate")
    explained = demo_built("report", "explain", rate["id"], "--report", str(out))
    assert explained.exit_code == 0, explained.output
    assert "与报告一致" in explained.output and "HJ 663" in explained.output


def test_report_command_strict_and_formats(demo_built: Invoke, tmp_path: Path) -> None:
    result = demo_built(
        "report",
        "half-year",
        "--year",
        "2026",
        "--out",
        str(tmp_path / "r"),
        "--formats",
        "md",
        "--strict",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "r").iterdir() if p.is_file()) == [
        "figures.json",
        "示范市生态环境局2026年上半年工作进展情况和下半年工作安排.md",
    ]
    # 2027 has no data: the report still comes out, every gap marked, and --strict refuses it.
    gaps = demo_built(
        "report", "half-year", "--year", "2027", "--out", str(tmp_path / "g"), "--formats", "md"
    )
    assert gaps.exit_code == 0 and "【数据不足】" in gaps.output
    strict = demo_built(
        "report",
        "half-year",
        "--year",
        "2027",
        "--out",
        str(tmp_path / "s"),
        "--formats",
        "md",
        "--strict",
    )
    assert strict.exit_code != 0 and "--strict" in strict.output
