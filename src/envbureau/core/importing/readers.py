"""Reading CSV and XLSX files as the bureau's staff really have them.

Chinese Excel exports come as UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16 ("Unicode text");
every cell is read as text so that validation, not the reader, decides what a value means.
A GeoJSON FeatureCollection reads as a table too: one row per feature (its row number is the
feature's ordinal, from 1), its properties as columns and its geometry, as JSON text, in the
column ``geometry``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from envbureau.core.errors import RuleViolation

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
GEOJSON_SUFFIXES = {".geojson"}


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


def _table_from_rows(rows: Sequence[Sequence[object]], file_name: str, encoding: str) -> RawTable:
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
    if suffix in GEOJSON_SUFFIXES:
        return _parse_geojson(data, file_name)
    raise RuleViolation(
        f"不支持的文件类型“{suffix or '无扩展名'}”，请使用 CSV、XLSX 或 GeoJSON",
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


def _parse_geojson(data: bytes, file_name: str) -> RawTable:
    """Features as rows (RFC 7946 §3.3): properties as text cells, geometry as JSON text."""
    text, encoding = decode_text(data, file_name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleViolation(
            f"不是有效的 GeoJSON：第 {exc.lineno} 行 {exc.msg}",
            code="file.geojson_invalid",
            loc=(file_name,),
        ) from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or document.get("type") != "FeatureCollection":
        raise RuleViolation(
            "GeoJSON 文件应为 FeatureCollection（含 features 数组）",
            code="file.geojson_invalid",
            loc=(file_name,),
        )
    if not features:
        raise RuleViolation("GeoJSON 文件没有要素", code="file.empty", loc=(file_name,))
    rows: list[dict[str, str]] = []
    for feature in features:
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties") or {}
        row = {str(k): _cell_text(v) for k, v in properties.items() if v is not None}
        geometry = feature.get("geometry")
        row["geometry"] = "" if geometry is None else json.dumps(geometry, ensure_ascii=False)
        rows.append(row)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    index = pd.Index(range(1, len(rows) + 1), name="row")
    frame = pd.DataFrame(
        [[row.get(c, "") for c in columns] for row in rows],
        columns=columns,
        index=index,
        dtype=object,
    )
    return RawTable(file_name=file_name, frame=frame, encoding=encoding)


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX file from disk."""
    if not path.is_file():
        raise RuleViolation("文件不存在", code="file.not_found", loc=(str(path),))
    return parse_table(path.read_bytes(), path.name)
