"""Reading CSV/XLSX as Chinese spreadsheets really come: encodings, row numbers, errors."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from envbureau.core.errors import RuleViolation
from envbureau.core.importing.readers import parse_table

TEXT = "区划代码,名称\n990102,清江区\n990103,东湖区\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_parse_table_csv_encodings(encoding: str) -> None:
    table = parse_table(TEXT.encode(encoding), "a.csv")
    assert list(table.frame.columns) == ["区划代码", "名称"]
    assert table.frame["名称"].tolist() == ["清江区", "东湖区"]


def test_parse_table_gbk_reported_as_gb18030() -> None:
    assert parse_table(TEXT.encode("gbk"), "a.csv").encoding == "gb18030"


def test_parse_table_binary_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_table(b"\x00\x01\x02PK\x03", "a.csv")
    assert info.value.details[0].code == "file.encoding_unknown"
    assert info.value.details[0].loc == ("a.csv", 1)


def test_parse_table_undecodable_bytes_refused() -> None:
    with pytest.raises(RuleViolation, match="无法识别文件编码"):
        parse_table(b"\x81\x30\xff\xff\xfe", "a.csv")


def test_parse_table_keeps_spreadsheet_row_numbers_across_blank_rows() -> None:
    table = parse_table("代码,名称\n1,a\n,\n2,b\n".encode(), "a.csv")
    assert table.frame.index.tolist() == [2, 4]


def test_parse_table_tab_separated() -> None:
    table = parse_table("代码\t名称\n1\ta\n".encode("utf-16"), "a.txt")
    assert table.frame.loc[2, "名称"] == "a"


def test_parse_table_xlsx_numbers_and_dates_as_text() -> None:
    from datetime import date

    book = Workbook()
    sheet = book.active
    sheet.append(["区划代码", "名称", "成立日期", "数值"])
    sheet.append([990102, "清江区", date(2026, 3, 1), 12.5])
    buffer = io.BytesIO()
    book.save(buffer)
    table = parse_table(buffer.getvalue(), "a.xlsx")
    assert table.frame.loc[2].tolist() == ["990102", "清江区", "2026-03-01", "12.5"]


def test_parse_table_damaged_xlsx_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_table(b"not a zip", "a.xlsx")
    assert info.value.details[0].code == "file.xlsx_invalid"


def test_parse_table_unknown_type_refused() -> None:
    with pytest.raises(RuleViolation, match="不支持的文件类型"):
        parse_table(b"x", "a.pdf")


def test_parse_table_empty_file_refused() -> None:
    with pytest.raises(RuleViolation, match="文件为空"):
        parse_table(b"\n\n", "a.csv")


def test_parse_table_keeps_repeated_headers_for_the_checker() -> None:
    table = parse_table("代码,名称,代码\n1,a,2\n".encode(), "a.csv")
    assert list(table.frame.columns) == ["代码", "名称", "代码"]
