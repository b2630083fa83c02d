"""The attack corpus of issue 11: bad files every import kind must refuse, changing nothing.

Small files are committed next to this module (``FILES``); the large and explosive ones are
built at test time into a temporary folder (``generated``), never committed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

#: Committed file → the rule code the refusal names (first error).
FILES = {
    "damaged_utf8.csv": "file.encoding_damaged",
    "mixed_encodings.csv": "file.encoding_mixed",
    "binary_junk.csv": "file.encoding_unknown",
    "nul_bytes.csv": "file.encoding_unknown",
    "empty.csv": "file.empty",
    "header_only.csv": "file.no_rows",
    "wrong_headers.csv": "column.missing",
    "formulas.csv": "value.formula",
    "row_too_wide.csv": "file.csv_row_too_wide",
    "unclosed_quote.csv": "file.csv_quote_unclosed",
    "not_a_zip.xlsx": "file.xlsx_invalid",
    "not_feature_collection.geojson": "file.geojson_invalid",
    "not_json.geojson": "file.geojson_invalid",
    "report.pdf": "file.type_unsupported",
}


def committed() -> dict[str, bytes]:
    return {name: (HERE / name).read_bytes() for name in FILES}


def _workbook_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change: object) -> bytes:
    """The workbook ``data`` with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)  # type: ignore[operator]
            target.writestr(item.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def wide_xlsx() -> bytes:
    """A few KB declaring 16,384 columns × 2,000 rows (the issue's 462 MB file)."""
    base = _workbook_bytes([["区划代码", "名称"], ["990100", "示范市"]])

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD2000"', xml)
        cell = b'<row r="2000"><c r="XFD2000" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    return _rewrite_sheet(base, change)


def bomb_xlsx(megabytes: int) -> bytes:
    """A sheet padded with megabytes of whitespace: a tiny file that expands a thousandfold."""
    base = _workbook_bytes([["区划代码", "名称"], ["990100", "示范市"]])
    padding = b" " * (megabytes * 1024 * 1024)
    return _rewrite_sheet(base, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding))


def formula_xlsx() -> bytes:
    """Formula cells as Excel never computed them (no cached value): read as empty."""
    return _workbook_bytes(
        [["区划代码", "名称", "级别"], ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "=1+1"]]
    )


def huge_cell_csv() -> bytes:
    return ("区划代码,名称\n990100," + "长" * 40_000 + "\n").encode("utf-8")


def long_csv(rows: int) -> bytes:
    """A valid-looking CSV of ``rows`` data rows (over a row limit)."""
    return b"a,b,c\n" + b"1,2,3\n" * rows


def generated(max_rows: int, max_xlsx_megabytes: int) -> dict[str, tuple[bytes, str]]:
    """Built at test time: file name → (bytes, the rule code of the refusal)."""
    return {
        "wide.xlsx": (wide_xlsx(), "file.too_many_columns"),
        "bomb.xlsx": (bomb_xlsx(max_xlsx_megabytes // 2), "file.xlsx_bomb"),
        "too_large.xlsx": (bomb_xlsx(max_xlsx_megabytes + 1), "file.xlsx_too_large"),
        "formulas.xlsx": (formula_xlsx(), "file.no_rows"),
        "huge_cell.csv": (huge_cell_csv(), "value.too_long"),
        "too_many_rows.csv": (long_csv(max_rows + 1), "file.too_many_rows"),
    }
