"""The water file tools from the command line: `water classify` and `water evaluate`, no database.

Expected classes are worked by hand from GB 3838-2002 表1 (river limits unless said):
NH3-N Ⅰ 0.15, Ⅱ 0.5, Ⅲ 1.0, Ⅳ 1.5, Ⅴ 2.0; TP rivers 0.02/0.1/0.2/0.3/0.4, lakes and
reservoirs 0.01/0.025/0.05/0.1/0.2; DO (≥) 7.5/6/5/3/2; CODMn 2/4/6/10/15; TN (lakes)
0.2/0.5/1.0/1.5/2.0; pH 6–9.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from envbureau.cli import app

runner = CliRunner()

SAMPLES = (
    "section,date,water_body,target_class,ph,do,codmn,nh3n,tp,tn\n"
    # NH3-N 1.2 > 1.0 (Ⅲ), ≤ 1.5 → Ⅳ; the rest Ⅰ–Ⅱ; multiple (1.2 − 1.0) / 1.0 = 0.20
    "S1,2026-04-01,river,Ⅲ,7.5,8.0,3.0,1.2,0.05,\n"
    # TP 0.2 in a river: ≤ 0.2 → Ⅲ (limiting); target written III (ASCII)
    "S2,2026-04-01,,III,7,7.5,2,0.15,0.2,\n"
    # the same TP in a lake: > 0.1, ≤ 0.2 → Ⅴ, multiple (0.2 − 0.05) / 0.05 = 3.00; TN 1.2 → Ⅳ
    "S3,2026-04-01 08:00,lake,4,7,7.5,2,0.15,0.2,1.2\n"
    # DO 1.5 < 2 → 劣Ⅴ (no exceedance multiple for DO); TP below detection (0.02L → 0.01)
    "S4,2026/4/1,river,,7,1.5,2,0.1,0.02L,\n"
)
EXPECTED = {
    "water_class": [4, 3, 5, 6],
    "class_label": ["Ⅳ", "Ⅲ", "Ⅴ", "劣Ⅴ"],
    "quality_status": ["轻度污染", "良好", "中度污染", "重度污染"],
    "limiting_items": ["nh3n", "tp", "tp", "do"],
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_water_classify_table_one_classes_and_targets(tmp_path: Path) -> None:
    out = tmp_path / "classes.csv"
    source = write(tmp_path / "samples.csv", SAMPLES)
    result = runner.invoke(app, ["water", "classify", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column, expected in EXPECTED.items():
        assert table[column].tolist() == [str(e) for e in expected]
    assert table["over_class_iii"].tolist() == ["nh3n:0.20", "", "tp:3.00", ""]
    assert table["tn_class"].tolist() == ["", "", "4", ""]  # TN is classed for lakes only
    assert table["meets_target"].tolist() == ["False", "True", "False", ""]
    assert table["tp"].tolist() == ["0.05", "0.2", "0.2", "0.02L"]  # the input is kept
    assert table["section"].tolist() == ["S1", "S2", "S3", "S4"]


def test_water_classify_chinese_headers_gbk_csv_and_xlsx(tmp_path: Path) -> None:
    header = ["断面名称", "监测时间", "水体类型", "水质目标", "pH", "溶解氧", "氨氮(mg/L)", "总磷"]
    rows = [
        ["甲桥", "2026-04-01", "河流", "Ⅲ类", 7.5, 8.0, 1.2, 0.05],
        ["乙湖", "2026-04-01", "湖泊", "Ⅴ", 7.0, 7.5, 0.15, 0.2],
    ]
    csv = write(
        tmp_path / "国控断面.csv",
        "\n".join(",".join(str(c) for c in r) for r in [header, *rows]),
        encoding="gbk",
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(row)
    xlsx = tmp_path / "国控断面.xlsx"
    workbook.save(xlsx)
    for source in (csv, xlsx):
        result = runner.invoke(app, ["water", "classify", str(source), "--json"])
        assert result.exit_code == 0, result.output
        got = json.loads(result.output)
        assert [r["断面名称"] for r in got] == ["甲桥", "乙湖"]
        assert [r["class_label"] for r in got] == ["Ⅳ", "Ⅴ"]
        assert [r["limiting_items"] for r in got] == ["nh3n", "tp"]
        assert [r["meets_target"] for r in got] == [False, True]
        assert got[0]["氨氮(mg/L)"] == 1.2  # plain numbers come back as numbers


def test_water_classify_xlsx_out_and_json_together(tmp_path: Path) -> None:
    source = write(tmp_path / "samples.csv", SAMPLES)
    out = tmp_path / "out" / "classes.xlsx"
    result = runner.invoke(app, ["water", "classify", str(source), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    start = result.stdout.index("[")
    assert [r["water_class"] for r in json.loads(result.stdout[start:])] == [4, 3, 5, 6]
    table = pd.read_excel(out)
    assert table["class_label"].tolist() == EXPECTED["class_label"]
    assert table["nh3n"].tolist() == [1.2, 0.15, 0.15, 0.1]


def test_water_classify_needs_an_output(tmp_path: Path) -> None:
    source = write(tmp_path / "samples.csv", SAMPLES)
    result = runner.invoke(app, ["water", "classify", str(source)])
    assert result.exit_code == 2 and "-o" in result.output


EVALUATION = (
    "section,date,water_body,target_class,codmn,nh3n,tp\n"
    "A,2026-03-31,river,Ⅲ,4,0.2,0.05\n"  # before the period
    "A,2026-04-05,river,Ⅲ,4,0.8,0.1\n"
    "A,2026-04-05,river,Ⅲ,4,0.8,0.1\n"  # the same sample twice: used once
    "A,2026-04-20,,,4,1.4,0.3\n"
    "A,2026-05-02,,,4,5.0,0.3\n"  # after the period
    "B,2026-04-10,river,Ⅱ,3,0.2L,0.04\n"
    "B,2026-04-25,,,5,0.85,0.06\n"
)


def test_water_evaluate_two_sections_summary_by_hand(tmp_path: Path) -> None:
    """A: NH3-N (0.8 + 1.4) / 2 = 1.1 → Ⅳ, TP (0.1 + 0.3) / 2 = 0.2 → Ⅲ: Ⅳ, target Ⅲ missed.

    B: below detection 0.2L counts as 0.1, NH3-N (0.1 + 0.85) / 2 = 0.475 → Ⅱ (the whole
    limit would give 0.525 → Ⅲ); CODMn 4 → Ⅱ; TP 0.05 → Ⅱ: Ⅱ, target Ⅱ met.
    Summary: Ⅰ–Ⅲ 1 of 2 = 50 %, 劣Ⅴ 0 %, compliance 1 of 2 = 50 %. Fewer than 5 sections:
    status of the mean of the sections: CODMn 4 (Ⅱ), NH3-N 0.7875 (Ⅲ), TP 0.125 (Ⅲ) → 良好.
    """
    source = write(tmp_path / "samples.csv", EVALUATION)
    args = ["water", "evaluate", str(source), "--from", "2026-04-01", "--to", "2026-04-30"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    a, b = data["by_section"]
    assert (a["section"], a["class_label"], a["limiting_items"]) == ("A", "Ⅳ", "nh3n")
    assert (a["n_samples"], a["nh3n"], a["tp"], a["over_class_iii"]) == (2, 1.1, 0.2, "nh3n:0.10")
    assert (a["target_class"], a["meets_target"]) == (3, False)
    assert (b["class_label"], b["limiting_items"], b["nh3n"]) == ("Ⅱ", "codmn;nh3n;tp", 0.475)
    assert b["meets_target"] is True
    assert data["summary"] == {
        "sections": 2,
        "share_class_i_iii": 50.0,
        "share_inferior_v": 0.0,
        "status": "良好",
        "method": "mean_of_sections",
        "main_pollutants": "",
        "function_zone_compliance_rate": 50.0,
        "sections_with_target": 2,
        "samples": 4,
        "repeats_dropped": 1,
    }
    assert data["period"] == {"from": "2026-04-01", "to": "2026-04-30"}
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0 and "水功能区达标率 50.0%" in shown.output


def test_water_evaluate_without_targets_has_no_compliance_rate(tmp_path: Path) -> None:
    source = write(tmp_path / "s.csv", "断面,日期,氨氮\nA,2026-04-01,0.1\nB,2026-04-01,2.5\n")
    result = runner.invoke(
        app,
        ["water", "evaluate", str(source), "--from", "2026-04-01", "--to", "2026-04-01", "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["function_zone_compliance_rate"] is None
    assert (summary["share_class_i_iii"], summary["share_inferior_v"]) == (50.0, 50.0)


def test_water_evaluate_empty_period_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "samples.csv", EVALUATION)
    args = ["water", "evaluate", str(source), "--from", "2027-01-01", "--to", "2027-01-31"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "没有可评价的样品" in result.output


HEADER = "断面名称,监测时间,水体类型,目标类别,pH,溶解氧,汞,氨氮\n"
GOOD = "S1,2026-04-01,河流,Ⅲ,7.5,8.0,0.00004,0.5\n"


@pytest.mark.parametrize(
    ("rows", "where", "code"),
    [
        ("S2,2026-04-01,池塘,,7,8,,0.5\n", "bad.csv / 3 / 水体类型", "value.invalid"),
        ("S2,2026-04-01,,Ⅶ,7,8,,0.5\n", "bad.csv / 3 / 目标类别", "value.invalid"),
        ("S2,2026-04-01,,,7,8,0.05,0.5\n", "bad.csv / 3 / 汞", "value.unit"),  # μg/L as mg/L
        ("S2,2026-04-01,,,7,80,,0.5\n", "bad.csv / 3 / 溶解氧", "value.unit"),  # % saturation
        ("S2,2026-04-01,,,15,8,,0.5\n", "bad.csv / 3 / pH", "value.ph_range"),
        ("S2,2026-04-01,,,7,8,,-0.1\n", "bad.csv / 3 / 氨氮", "value.negative"),
        ("S2,2026-04-01,,,7,8,,n.d.\n", "bad.csv / 3 / 氨氮", "value.invalid"),
        ("S2,2026-13-01,,,7,8,,0.5\n", "bad.csv / 3 / 监测时间", "value.invalid"),
        ("S2,2026-02-30,,,7,8,,0.5\n", "bad.csv / 3 / 监测时间", "value.invalid"),
        ("S1,2026-04-01,,,7.5,8.0,0.00004,0.6\n", "bad.csv / 3 / 氨氮", "row.duplicate_sample"),
        ("S1,2026-04-02,湖泊,,7.5,8.0,,0.6\n", "bad.csv / 3 / 水体类型", "section.inconsistent"),
    ],
)
def test_water_classify_bad_cell_named_and_nothing_written(
    tmp_path: Path, rows: str, where: str, code: str
) -> None:
    source = write(tmp_path / "bad.csv", HEADER + GOOD + rows)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["water", "classify", str(source), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{where}: " in result.output and f"({code})" in result.output
    assert "共 1 处错误" in result.output
    assert not out.exists()


def test_water_evaluate_reports_every_error_of_every_file(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", HEADER + GOOD)
    second = write(
        tmp_path / "b.csv", HEADER + "S1,2026-04-01,,,7.5,8.0,0.00004,0.9\nS3,x,,,7,8,,1\n"
    )
    args = [
        "water",
        "evaluate",
        str(first),
        str(second),
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "b.csv / 2 / 氨氮: 与“a.csv”第 2 行同一断面、同一时间" in result.output
    assert "b.csv / 3 / 监测时间" in result.output


def test_water_classify_header_in_another_unit_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "ug.csv", "断面,日期,汞(μg/L)\nA,2026-04-01,0.02\n")
    result = runner.invoke(app, ["water", "classify", str(source), "--json"])
    assert result.exit_code == 2
    assert "ug.csv / 1 / 汞(μg/L)" in result.output and "(column.unit)" in result.output


@pytest.mark.real_data
def test_water_evaluate_cnemc_april_release(shared_dir: Path) -> None:
    release = shared_dir / "data/water/cnemc_realtime_202104_by_section.csv.gz"
    result = runner.invoke(
        app,
        [
            "water",
            "evaluate",
            str(release),
            "--format",
            "cnemc",
            "--from",
            "2021-04-01",
            "--to",
            "2021-04-30",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    summary = data["summary"]
    assert set(summary) >= {
        "sections",
        "share_class_i_iii",
        "share_inferior_v",
        "status",
        "function_zone_compliance_rate",
    }
    assert summary["sections"] > 1500 and summary["method"] == "proportion"
    assert 0 <= summary["share_inferior_v"] <= summary["share_class_i_iii"] <= 100
    assert summary["status"] in {"优", "良好", "轻度污染", "中度污染", "重度污染"}
    assert summary["function_zone_compliance_rate"] is None  # the release has no targets
    assert summary["repeats_dropped"] > 0  # the release repeats readings (README quirk 1)
    assert len(data["by_section"]) == summary["sections"]
    first = data["by_section"][0]
    assert first["water_body"] == "river" and {"province", "basin", "section"} <= set(first)
