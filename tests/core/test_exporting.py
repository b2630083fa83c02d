"""Every CSV/XLSX the project writes neutralises formula-like text (OWASP CSV injection).

A station named ``=HYPERLINK("http://x")`` or ``=cmd|' /C calc'!A0`` must reach the staff's
spreadsheet as text with a leading ``'``, never as a live formula; numbers stay numbers.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from envbureau.air.formats import TEMPLATE_SCHEMA
from envbureau.air.importers import STATION_SCHEMA
from envbureau.cli import app
from envbureau.core.exporting import neutralise_cell, neutralise_frame, write_table
from envbureau.core.importing.schema import Column, TableSchema
from envbureau.core.importing.templates import write_template

runner = CliRunner()

LINK = '=HYPERLINK("http://x")'
DDE = "=cmd|' /C calc'!A0"


def xlsx_cells(path: Path, sheet: int = 0) -> list[list[tuple[object, str]]]:
    book = load_workbook(path)
    rows = book.worksheets[sheet].iter_rows()
    return [[(c.value, c.data_type) for c in row] for row in rows]


def no_formulas(path: Path) -> None:
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("甲站", "甲站"),
        ("a=1", "a=1"),
        (-5, -5),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_numeric_columns_stay_numeric_text_columns_get_the_quote() -> None:
    frame = pd.DataFrame(
        {
            "=bad header": ["a", "b", "c"],
            "station": ["-5", "=1", "ok"],  # text column: "-5" is a code here
            "value": [1.5, "-5", "-0.30"],  # numbers with stray text numbers
            "conc": [-1.0, -2.0, 3.0],
        }
    )
    safe = neutralise_frame(frame)
    assert list(safe.columns) == ["'=bad header", "station", "value", "conc"]
    assert safe["station"].tolist() == ["'-5", "'=1", "ok"]
    assert safe["value"].tolist() == [1.5, Decimal("-5"), Decimal("-0.30")]
    assert safe["conc"].tolist() == [-1.0, -2.0, 3.0]
    assert frame["station"].tolist() == ["-5", "=1", "ok"]  # the caller's frame is not changed


def text_workbook(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx whose formula-like cells are typed as text (as ' makes them in Excel): the
    importers refuse formulas in a CSV, but text in a workbook is the staff's own data."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def aqi_source(tmp_path: Path) -> Path:
    header = "date,station,so2_24h,no2_24h,co_24h,pm10_24h,pm25_24h,o3_8h_max,o3_1h_max"
    values = ["2026-02-28", "?", 5, 10, 0.5, 60, 70, 50, 60]
    rows = [[*values[:1], name, *values[2:]] for name in (LINK, DDE, "@A", "-1+1")]
    return text_workbook(tmp_path / "daily.xlsx", [header.split(","), *rows])


def test_air_aqi_xlsx_writes_station_names_as_text(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = runner.invoke(app, ["air", "aqi", str(aqi_source(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    no_formulas(out)
    rows = xlsx_cells(out)
    station = [c[0] for c in rows[0]].index("station")
    aqi = [c[0] for c in rows[0]].index("aqi")
    assert [r[station] for r in rows[1:]] == [
        (f"'{LINK}", "s"),
        (f"'{DDE}", "s"),
        ("'@A", "s"),
        ("'-1+1", "s"),
    ]
    assert [r[aqi] for r in rows[1:]] == [(94, "n")] * 4  # PM2.5 70 under HJ 633-2012


def test_air_aqi_csv_writes_station_names_as_text(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = runner.invoke(app, ["air", "aqi", str(aqi_source(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert table["station"].tolist() == [f"'{LINK}", f"'{DDE}", "'@A", "'-1+1"]
    assert table["aqi"].tolist() == ["94", "94", "94", "94"]


def test_water_classify_xlsx_neutralises_section_names(tmp_path: Path) -> None:
    header = ["section", "date", "water_body", "target_class", "ph", "do", "nh3n", "tp"]
    row = ["=1+2", "2026-04-01", "river", "3", 7.5, 8, 1.2, 0.05]
    source = text_workbook(tmp_path / "samples.xlsx", [header, row])
    out = tmp_path / "classes.xlsx"
    result = runner.invoke(app, ["water", "classify", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    no_formulas(out)
    rows = xlsx_cells(out)
    section = [c[0] for c in rows[0]].index("section")
    assert rows[1][section] == ("'=1+2", "s")


def test_write_table_neutralises_both_formats(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": [DDE, "+86 10"], "value": [-3, 4]})
    write_table(frame, tmp_path / "t.xlsx")
    write_table(frame, tmp_path / "t.csv")
    assert xlsx_cells(tmp_path / "t.xlsx")[1:] == [
        [(f"'{DDE}", "s"), (-3, "n")],
        [("'+86 10", "s"), (4, "n")],
    ]
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig") == (
        f"name,value\n'{DDE},-3\n'+86 10,4\n"
    )


@pytest.mark.parametrize("schema", [TEMPLATE_SCHEMA, STATION_SCHEMA], ids=lambda s: s.name)
def test_templates_hold_no_formulas(schema: TableSchema, tmp_path: Path) -> None:
    no_formulas(write_template(schema, tmp_path / "t.xlsx"))


def test_template_neutralises_a_formula_like_label(tmp_path: Path) -> None:
    schema = TableSchema(
        name="t",
        label="测试",
        columns=(Column(name="a", label="=A1", aliases=("-x",), help="@rule"),),
        natural_key=("a",),
    )
    path = write_template(schema, tmp_path / "t.xlsx")
    no_formulas(path)
    assert xlsx_cells(path)[0] == [("'=A1", "s")]
    assert xlsx_cells(path, sheet=1)[1] == [
        ("'=A1", "s"),
        ("a", "s"),
        ("文本", "s"),
        ("是", "s"),
        ("'@rule", "s"),
        ("'-x", "s"),
    ]
