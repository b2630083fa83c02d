"""Reading CSV/XLSX as Chinese spreadsheets really come: encodings, row numbers, errors."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from corpus.build import bomb_xlsx, wide_xlsx
from envbureau.core.errors import RuleViolation, ValidationFailed
from envbureau.core.importing import limits
from envbureau.core.importing.readers import CHUNK_ROWS, parse_table

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


# --- issue 11: encodings decided strictly, parser errors in Chinese, limits while reading ----

DISTRICTS = "区划代码,名称,级别\n990100,示范市,市\n990102,清江区,区县\n990103,东湖区,区县\n"


def test_damaged_utf8_is_an_error_naming_line_and_column_not_gb18030() -> None:
    data = bytearray(DISTRICTS.encode("utf-8"))
    at = data.index("东".encode())
    data[at + 1] = 0x41  # one damaged byte inside 东 (E4 B8 9C → E4 41 9C)
    with pytest.raises(ValidationFailed) as info:
        parse_table(bytes(data), "区划.csv")
    first = info.value.details[0]
    assert (first.code, first.loc) == ("file.encoding_damaged", ("区划.csv", 4, "名称"))
    assert "E4" in first.msg and "不会按其他编码猜测读取" in first.msg


def test_a_real_gbk_file_with_many_chinese_cells_still_imports() -> None:
    text = DISTRICTS + "".join(f"99020{i},第{i}号生态环境监测站点,乡镇\n" for i in range(9))
    table = parse_table(text.encode("gbk"), "区划.csv")
    assert table.encoding == "gb18030" and table.frame.loc[5, "名称"] == "第0号生态环境监测站点"


def test_a_file_mixing_utf8_and_gbk_is_refused() -> None:
    data = DISTRICTS.encode("utf-8") + "990104,西山区,区县\n990105,南湖区,区县\n".encode("gbk")
    with pytest.raises(ValidationFailed) as info:
        parse_table(data, "区划.csv")
    assert {d.code for d in info.value.details} == {"file.encoding_mixed"}
    assert info.value.details[0].loc[:2] == ("区划.csv", 5)


def test_pandas_tokenizing_errors_come_out_in_chinese_with_the_row() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_table(b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,2,3,4\n", "x.csv")
    detail = info.value.details[0]
    assert (detail.code, detail.loc) == ("file.csv_row_too_wide", ("x.csv", 5))
    assert detail.msg == "第 5 行有 4 列，多于表头的 3 列（多余的逗号或未加引号的分隔符）"


def test_a_wide_first_data_row_is_refused_not_taken_as_an_index() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_table(b"a,b\n1,2,3\n", "x.csv")
    assert info.value.details[0].loc == ("x.csv", 2)


def test_rows_over_the_limit_are_refused_at_the_first_chunk_past_it() -> None:
    # A malformed line far past the limit is never reached: the file is refused for its length.
    data = b"a,b\n" + b"1,2\n" * (CHUNK_ROWS * 2) + b"1,2,3\n"
    with limits.using(limits.Limits(max_rows=CHUNK_ROWS - 1)), pytest.raises(RuleViolation) as info:
        parse_table(data, "long.csv")
    assert info.value.details[0].code == "file.too_many_rows"
    assert "超过 49,999 行数据的导入上限（import_max_rows）" in info.value.details[0].msg


def test_columns_over_the_limit_are_refused() -> None:
    with limits.using(limits.Limits(max_columns=2)), pytest.raises(RuleViolation) as info:
        parse_table(b"a,b,c\n1,2,3\n", "wide.csv")
    assert (
        info.value.details[0].msg
        == "文件“wide.csv”有 3 列，超过 2 列的导入上限（import_max_columns）"
    )


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_declaring_16384_columns_is_refused_before_openpyxl_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import openpyxl

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open it")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(RuleViolation) as info:
        parse_table(wide_xlsx(), "wide.xlsx")
    assert info.value.details[0].code == "file.too_many_columns"
    assert "16,384 列" in info.value.details[0].msg


def test_an_xlsx_zip_bomb_is_refused_without_expanding() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_table(bomb_xlsx(20), "bomb.xlsx")
    assert info.value.details[0].code == "file.xlsx_bomb"


def test_an_xlsx_over_its_uncompressed_limit_is_refused() -> None:
    data = _xlsx([["a"], [1]])
    with limits.using(limits.Limits(max_xlsx_bytes=1024)), pytest.raises(RuleViolation) as info:
        parse_table(data, "a.xlsx")
    assert info.value.details[0].code == "file.xlsx_too_large"


def test_an_xlsx_with_more_rows_than_the_limit_is_refused_while_streaming() -> None:
    data = _xlsx([["a"], *([i] for i in range(5))])
    with limits.using(limits.Limits(max_rows=4)), pytest.raises(RuleViolation) as info:
        parse_table(data, "a.xlsx")
    assert info.value.details[0].code == "file.too_many_rows"
    with limits.using(limits.Limits(max_rows=5)):
        assert len(parse_table(data, "a.xlsx").frame) == 5


def test_csv_formulas_and_huge_cells_are_errors_with_row_and_column() -> None:
    data = ('a,b\n1,=HYPERLINK("x")\n2,@SUM(A1)\n3,' + "长" * 40_000 + "\n").encode()
    with pytest.raises(ValidationFailed) as info:
        parse_table(data, "f.csv")
    assert [(d.loc, d.code) for d in info.value.details] == [
        (("f.csv", 2, "b"), "value.formula"),
        (("f.csv", 3, "b"), "value.formula"),
        (("f.csv", 4, "b"), "value.too_long"),
    ]


def test_a_header_only_file_is_refused() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_table("区划代码,名称\n".encode(), "h.csv")
    assert info.value.details[0].code == "file.no_rows"
