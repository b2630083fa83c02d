"""Reading CSV and XLSX files as the bureau's staff really have them.

Chinese Excel exports come as UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16 ("Unicode text");
every cell is read as text so that validation, not the reader, decides what a value means
(the encoding is decided in ``encoding``). A GeoJSON FeatureCollection reads as a table too:
one row per feature (its row number is the feature's ordinal, from 1), its properties as
columns and its geometry, as JSON text, in the column ``geometry``.

Bounded reading (issue 11): the limits of ``limits.current()`` are applied while reading — a
CSV is parsed in chunks of ``CHUNK_ROWS`` and refused at the first chunk past the row limit, an
XLSX is checked by its zip directory first (``xlsx_guard``) and then streamed row by row in
openpyxl's read-only mode, never wider than the column limit. Cells longer than Excel allows
and CSV cells that are formulas (``=…``, ``@…``) are errors naming their row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from envbureau.core.errors import ErrorDetail, RuleViolation, ValidationFailed
from envbureau.core.importing import limits as import_limits
from envbureau.core.importing.encoding import decode_text
from envbureau.core.importing.limits import MAX_CELL_CHARS, too_many_columns, too_many_rows

__all__ = ["RawTable", "decode_text", "parse_table", "read_table"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
GEOJSON_SUFFIXES = {".geojson"}
CHUNK_ROWS = 50_000
#: At most this many cell errors of the reader are listed (the file is refused anyway).
MAX_CELL_ERRORS = 200
_PARSER_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_PARSER_EOF = re.compile(r"EOF inside string starting at row (\d+)")
_FORMULA = re.compile(r"^[=@]")


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text, indexed by the row number a spreadsheet shows (header = 1)."""

    file_name: str
    frame: pd.DataFrame
    encoding: str


def _delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _parse_csv_text(text: str, file_name: str, encoding: str) -> RawTable:
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    if first_line.strip(" \r\t,"):
        return _parse_csv_fast(text, file_name, encoding, delimiter)
    return _table_from_rows(_csv_rows(text, file_name, delimiter), file_name, encoding)


def _csv_rows(text: str, file_name: str, delimiter: str) -> Iterable[list[str]]:
    """The csv module's rows (a file whose header is not on line 1), errors in Chinese."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(file_name, reader.line_num, str(exc)) from exc
        yield row


def _csv_error(file_name: str, line: int, why: str) -> RuleViolation:
    if "field larger than field limit" in why:
        why = f"单元格超过 {csv.field_size_limit():,} 个字符"
    return RuleViolation(
        f"无法读取 CSV：第 {line} 行格式错误（{why}）",
        code="file.csv_invalid",
        loc=(file_name, line),
    )


def _parser_error(file_name: str, exc: Exception) -> RuleViolation:
    """pandas' English parser errors as the Chinese error naming file, row and rule."""
    message = str(exc)
    fields = _PARSER_FIELDS.search(message)
    if fields is not None:
        expected, line, saw = (int(g) for g in fields.groups())
        return RuleViolation(
            f"第 {line} 行有 {saw} 列，多于表头的 {expected} 列（多余的逗号或未加引号的分隔符）",
            code="file.csv_row_too_wide",
            loc=(file_name, line),
        )
    eof = _PARSER_EOF.search(message)
    if eof is not None:
        line = int(eof.group(1)) + 1
        return RuleViolation(
            f"第 {line} 行起的引号没有闭合，文件在引号内结束",
            code="file.csv_quote_unclosed",
            loc=(file_name, line),
        )
    return RuleViolation(
        "无法读取 CSV：文件不是规则的逗号或制表符分隔表格",
        code="file.csv_invalid",
        loc=(file_name,),
    )


def _parse_csv_fast(text: str, file_name: str, encoding: str, delimiter: str) -> RawTable:
    """pandas' C parser, in chunks, for the usual file whose first line is the header."""
    limits = import_limits.current()
    leading = list(_first_rows(text, file_name, delimiter, 2))
    header = [h.strip() for h in leading[0]]
    width = len(header)
    if width > limits.max_columns:
        raise too_many_columns(file_name, width, limits.max_columns)
    if len(leading) > 1 and len(leading[1]) > width:
        raise _parser_error(
            file_name, ValueError(f"Expected {width} fields in line 2, saw {len(leading[1])}")
        )
    chunks: list[pd.DataFrame] = []
    rows = 0
    problems: list[ErrorDetail] = []
    try:
        reader = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            header=None,
            names=list(range(width)),
            skiprows=1,
            index_col=False,
            chunksize=CHUNK_ROWS,
        )
        for chunk in reader:
            rows += len(chunk)
            if rows > limits.max_rows:
                raise too_many_rows(file_name, limits.max_rows)
            chunk.index = pd.RangeIndex(rows - len(chunk) + 2, rows + 2, name="row")
            chunk = chunk.fillna("").apply(lambda column: column.str.strip())
            problems += _cell_problems(chunk, header, file_name, len(problems), formulas=True)
            chunks.append(chunk[(chunk != "").any(axis=1)])
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise _parser_error(file_name, exc) from exc
    _raise_cell_problems(problems, file_name)
    if not any(len(chunk) for chunk in chunks):
        raise _no_rows(file_name)
    frame = pd.concat(chunks)
    frame.columns = header  # keep repeated headers as they are (pandas would rename)
    frame.index.name = "row"
    return RawTable(file_name=file_name, frame=frame.astype(object), encoding=encoding)


def _first_rows(text: str, file_name: str, delimiter: str, count: int) -> Iterable[list[str]]:
    for number, row in enumerate(_csv_rows(text[: 1024 * 1024], file_name, delimiter)):
        if number >= count:
            return
        yield row


def _cell_problems(
    chunk: pd.DataFrame, header: Sequence[str], file_name: str, found: int, *, formulas: bool
) -> list[ErrorDetail]:
    """Cells longer than Excel allows, and (in a CSV) formulas, with row and column."""
    if found >= MAX_CELL_ERRORS or chunk.empty:
        return []
    long = chunk.apply(lambda column: column.str.len() > MAX_CELL_CHARS)
    masks = [(long, "value.too_long", f"单元格超过 {MAX_CELL_CHARS:,} 个字符")]
    if formulas:
        formula = chunk.apply(lambda column: column.str.match(_FORMULA))
        masks.append((formula, "value.formula", "单元格是公式（以 = 或 @ 开头），请填写数值或文字"))
    out = []
    for mask, code, msg in masks:
        for position, name in enumerate(chunk.columns):
            for row in chunk.index[mask[name].fillna(False).to_numpy(dtype=bool)]:
                label = header[position] if position < len(header) else f"第 {position + 1} 列"
                value = str(chunk.at[row, name])[:80]
                out.append(ErrorDetail((file_name, int(row), label), code, msg, value=value))
    return out[: MAX_CELL_ERRORS - found]


def _raise_cell_problems(problems: list[ErrorDetail], file_name: str) -> None:
    if problems:
        problems.sort(key=lambda e: (e.loc[1], str(e.loc[2])))
        raise ValidationFailed(details=problems, summary=f"文件“{file_name}”含有不能导入的单元格")


def _no_rows(file_name: str) -> RuleViolation:
    return RuleViolation(
        f"文件“{file_name}”只有表头，没有数据行", code="file.no_rows", loc=(file_name, 2)
    )


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


def _table_from_rows(
    rows: Iterable[Sequence[object]], file_name: str, encoding: str, *, formulas: bool = True
) -> RawTable:
    """The first non-empty row is the header; empty rows are skipped but keep their numbers.

    Rows are taken one by one (a stream), refused at the first past the row or column limit.
    """
    limits = import_limits.current()
    header: list[str] | None = None
    body: list[list[str]] = []
    index: list[int] = []
    problems: list[ErrorDetail] = []
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(c) for c in row]
        if not any(cells):
            continue
        if header is None:
            while cells and not cells[-1]:
                cells.pop()
            header = cells
            if len(header) > limits.max_columns:
                raise too_many_columns(file_name, len(header), limits.max_columns)
            continue
        if len(index) >= limits.max_rows:
            raise too_many_rows(file_name, limits.max_rows)
        width = len(header)
        if any(cells[width:]):
            used = max(i for i, c in enumerate(cells) if c) + 1
            if used > limits.max_columns:
                raise too_many_columns(file_name, used, limits.max_columns)
        body.append(cells[:width] + [""] * (width - len(cells)))
        index.append(number)
    if header is None:
        raise RuleViolation("文件为空或没有表头", code="file.empty", loc=(file_name,))
    if not body:
        raise _no_rows(file_name)
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, name="row"), dtype=object)
    positional = frame.set_axis(range(len(header)), axis=1)
    problems = _cell_problems(positional.astype(str), header, file_name, 0, formulas=formulas)
    _raise_cell_problems(problems, file_name)
    return RawTable(file_name=file_name, frame=frame, encoding=encoding)


def parse_table(data: bytes, file_name: str) -> RawTable:
    """Parse a file's bytes (CSV or XLSX, chosen by the file name)."""
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise RuleViolation("文件是空的（0 字节）", code="file.empty", loc=(file_name,))
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
    """The first sheet, streamed in read-only mode after ``xlsx_guard`` passed the zip."""
    from openpyxl import load_workbook

    from envbureau.core.importing.xlsx_guard import check_xlsx

    limits = import_limits.current()
    check_xlsx(data, file_name, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise RuleViolation(
            "无法打开 Excel 文件：文件已损坏或不是 Excel 工作簿",
            code="file.xlsx_invalid",
            loc=(file_name,),
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1)
        return _table_from_rows(_xlsx_rows(rows, file_name), file_name, "xlsx", formulas=False)
    finally:
        workbook.close()


def _xlsx_rows(rows: Iterable[Sequence[object]], file_name: str) -> Iterable[Sequence[object]]:
    try:
        yield from rows
    except (ValueError, KeyError, TypeError, OSError) as exc:  # a damaged sheet part
        raise RuleViolation(
            "无法读取 Excel 工作表：内容已损坏", code="file.xlsx_invalid", loc=(file_name,)
        ) from exc


def _parse_geojson(data: bytes, file_name: str) -> RawTable:
    """Features as rows (RFC 7946 §3.3): properties as text cells, geometry as JSON text."""
    limits = import_limits.current()
    text, encoding = decode_text(data, file_name)
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f"第 {exc.lineno} 行 {exc.msg}" if isinstance(exc, json.JSONDecodeError) else ""
        raise RuleViolation(
            f"不是有效的 GeoJSON：{where or '嵌套过深'}",
            code="file.geojson_invalid",
            loc=(file_name,),
        ) from exc
    del text
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or document.get("type") != "FeatureCollection":
        raise RuleViolation(
            "GeoJSON 文件应为 FeatureCollection（含 features 数组）",
            code="file.geojson_invalid",
            loc=(file_name,),
        )
    if not features:
        raise RuleViolation("GeoJSON 文件没有要素", code="file.empty", loc=(file_name,))
    if len(features) > limits.max_rows:
        raise too_many_rows(file_name, limits.max_rows)
    rows: list[dict[str, str]] = []
    for feature in features:
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        if len(properties) + 1 > limits.max_columns:
            raise too_many_columns(file_name, len(properties) + 1, limits.max_columns)
        row = {str(k): _cell_text(v) for k, v in properties.items() if v is not None}
        geometry = feature.get("geometry")
        row["geometry"] = "" if geometry is None else json.dumps(geometry, ensure_ascii=False)
        rows.append(row)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if len(columns) > limits.max_columns:
        raise too_many_columns(file_name, len(columns), limits.max_columns)
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
