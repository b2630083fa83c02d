"""Checking an XLSX file's zip before openpyxl opens it (issue 11: zip bombs, huge sheets).

An XLSX is a zip of XML parts. Without expanding anything, the zip's directory says how large
each part is once uncompressed, and the first sheet's ``<dimension ref="A1:XFD2000">`` says how
many rows and columns it declares. Refused here: a total uncompressed size over
``import_max_xlsx_bytes``, a part compressed more than ``MAX_RATIO`` times (a zip bomb), a first
sheet declaring more rows or columns than the limits. Only the first few KB of the sheet are
read to find its dimension.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from envbureau.core.errors import RuleViolation
from envbureau.core.importing.limits import Limits, too_many_columns, too_many_rows

#: Spreadsheet XML compresses 5-30 times; a part compressed more than this is built to explode.
MAX_RATIO = 200
#: Parts smaller than this are never called bombs, whatever their ratio.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", re.S)
_FIRST_SHEET_ANY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]+)\"", re.S)


def _invalid(file_name: str, why: str) -> RuleViolation:
    return RuleViolation(f"无法打开 Excel 文件：{why}", code="file.xlsx_invalid", loc=(file_name,))


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def check_xlsx(data: bytes, file_name: str, limits: Limits) -> None:
    """Refuse an XLSX over the limits, judged by its zip directory and declared dimension."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _invalid(file_name, "不是有效的 XLSX（zip）文件") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _invalid(file_name, f"压缩包含 {len(members):,} 个部件，不是正常的 Excel 文件")
        total = sum(m.file_size for m in members)
        if total > limits.max_xlsx_bytes:
            raise RuleViolation(
                f"文件“{file_name}”解压后 {total / 1024 / 1024:,.0f} MB，超过 "
                f"{limits.max_xlsx_bytes / 1024 / 1024:,.0f} MB 的上限（import_max_xlsx_bytes），"
                "请分批导入",
                code="file.xlsx_too_large",
                loc=(file_name,),
            )
        for m in members:
            if m.file_size > RATIO_FLOOR_BYTES and m.file_size > MAX_RATIO * max(
                m.compress_size, 1
            ):
                raise RuleViolation(
                    f"文件“{file_name}”的部件 {m.filename} 压缩比超过 {MAX_RATIO} 倍"
                    "（疑似压缩炸弹），已拒绝",
                    code="file.xlsx_bomb",
                    loc=(file_name,),
                )
        sheet = _first_sheet(archive)
        if sheet is None:
            raise _invalid(file_name, "找不到工作表")
        _check_dimension(archive, sheet, file_name, limits)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    found = _FIRST_SHEET.search(book) or _FIRST_SHEET_ANY.search(book)
    if found is None:
        return None
    target = re.search(
        rb"<(?:\w+:)?Relationship\b[^>]*?(?:Id=\"" + re.escape(found.group(1)) + rb"\"[^>]*?"
        rb"Target=\"([^\"]+)\"|Target=\"([^\"]+)\"[^>]*?Id=\""
        + re.escape(found.group(1))
        + rb"\")",
        rels,
    )
    if target is None:
        return None
    path = (target.group(1) or target.group(2)).decode("utf-8", errors="replace")
    path = path.lstrip("/") if path.startswith("/") else posixpath.normpath(f"xl/{path}")
    return path if path in names else None


def _check_dimension(archive: zipfile.ZipFile, sheet: str, file_name: str, limits: Limits) -> None:
    with archive.open(sheet) as stream:
        head = stream.read(8192)
    found = _DIMENSION.search(head)
    if found is None:
        return  # no declaration: the streaming reader counts rows and columns as it goes
    first_col, first_row, last_col, last_row = found.groups()
    columns = column_number(last_col or first_col)
    rows = int(last_row or first_row)
    if columns > limits.max_columns:
        raise too_many_columns(file_name, columns, limits.max_columns)
    if rows > limits.max_rows + 1:  # the header row is not a data row
        raise too_many_rows(file_name, limits.max_rows)
