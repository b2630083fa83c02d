"""Reading CSV and XLSX files as the bureau's staff really have them.

Chinese Excel exports come as UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16 ("Unicode text");
every cell is read as text so that validation, not the reader, decides what a value means.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from envbureau.core.errors import RuleViolation

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text, indexed by the row number a spreadsheet shows (header = 1)."""

    file_name: str
    frame: pd.DataFrame
    encoding: str


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode bytes by the encodings Chinese spreadsheets use; refuse anything else."""
    utf32 = data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf32:
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data:
        raise RuleViolation(
            "无法识别文件编码：文件含有二进制内容（支持 UTF-8、GBK/GB18030、UTF-16）",
            code="file.encoding_unknown",
            loc=(file_name,),
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise RuleViolation(
        "无法识别文件编码（支持 UTF-8、GBK/GB18030、UTF-16）",
        code="file.encoding_unknown",
        loc=(file_name,),
    )


def _parse_csv_text(text: str, file_name: str, encoding: str) -> RawTable:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    if first_line.strip(" \r\t,"):
        return _parse_csv_fast(text, file_name, encoding, delimiter)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _table_from_rows(rows, file_name, encoding)


def _parse_csv_fast(text: str, file_name: str, encoding: str, delimiter: str) -> RawTable:
    """pandas' C parser for the usual file whose first line is the header (large files)."""
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            header=0,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise RuleViolation(
            f"无法读取 CSV：{exc}", code="file.csv_invalid", loc=(file_name,)
        ) from exc
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter))
    if len(header) == len(frame.columns):  # keep repeated headers as they are (pandas renames)
        frame.columns = [h.strip() for h in header]
    frame.index = pd.Index(frame.index + 2, name="row")
    frame = frame.apply(lambda column: column.str.strip())
    frame = frame[(frame != "").any(axis=1)]
    if frame.columns.empty:
        raise RuleViolation("文件为空或没有表头", code="file.empty", loc=(file_name,))
    return RawTable(file_name=file_name, frame=frame.astype(object), encoding=encoding)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.isoformat(sep=" ", timespec="minutes")
            if value.time() != time()
            else (value.date().isoformat())
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table_from_rows(rows: list[list[object]], file_name: str, encoding: str) -> RawTable:
    """The first non-empty row is the header; empty rows are skipped but keep their numbers."""
    numbered = [(number, [_cell_text(c) for c in row]) for number, row in enumerate(rows, start=1)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        raise RuleViolation("文件为空或没有表头", code="file.empty", loc=(file_name,))
    header = numbered[0][1]
    width = len(header)
    body = [(cells[:width] + [""] * (width - len(cells))) for _, cells in numbered[1:]]
    index = pd.Index([number for number, _ in numbered[1:]], name="row")
    frame = pd.DataFrame(body, columns=header, index=index, dtype=object)
    return RawTable(file_name=file_name, frame=frame, encoding=encoding)


def parse_table(data: bytes, file_name: str) -> RawTable:
    """Parse a file's bytes (CSV or XLSX, chosen by the file name)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _parse_xlsx(data, file_name)
    if suffix in CSV_SUFFIXES:
        text, encoding = decode_text(data, file_name)
        return _parse_csv_text(text, file_name, encoding)
    raise RuleViolation(
        f"不支持的文件类型“{suffix or '无扩展名'}”，请使用 CSV 或 XLSX",
        code="file.type_unsupported",
        loc=(file_name,),
    )


def _parse_xlsx(data: bytes, file_name: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise RuleViolation(
            f"无法打开 Excel 文件：{exc}", code="file.xlsx_invalid", loc=(file_name,)
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table_from_rows(rows, file_name, "xlsx")


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX file from disk."""
    if not path.is_file():
        raise RuleViolation("文件不存在", code="file.not_found", loc=(str(path),))
    return parse_table(path.read_bytes(), path.name)
