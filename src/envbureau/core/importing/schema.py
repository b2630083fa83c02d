"""Declaring a table's columns once: header aliases, types, rules — and checking a file by them.

Validation is column-wise (pandas), so a large file is checked fast and every broken cell is
reported with its file, row, column, value and rule; nothing stops at the first error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.readers import RawTable

Kind = Literal["text", "int", "float", "date", "datetime", "bool", "choice"]

TRUE_WORDS = {"是", "true", "yes", "y", "1", "√"}
FALSE_WORDS = {"否", "false", "no", "n", "0", ""}


@dataclass(frozen=True)
class Column:
    """One field of an import table; ``label`` is the Chinese header of the template."""

    name: str
    label: str
    kind: Kind = "text"
    required: bool = True
    aliases: tuple[str, ...] = ()
    choices: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    pattern_rule: str = ""
    unit: str = ""
    help: str = ""

    def headers(self) -> set[str]:
        return {_fold(h) for h in (self.name, self.label, *self.aliases)}


@dataclass(frozen=True)
class TableSchema:
    name: str
    label: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass
class CheckedTable:
    """Typed values (columns = field names, index = sheet row) and every error found."""

    frame: pd.DataFrame
    errors: list[ErrorDetail]
    headers: dict[str, str]

    def records(self) -> list[dict[str, object]]:
        out = []
        for row, values in self.frame.iterrows():
            record = {k: (None if _is_missing(v) else v) for k, v in values.items()}
            record["_row"] = int(row)
            out.append(record)
        return out


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _fold(header: str) -> str:
    """Headers match regardless of case, spaces, full-width brackets and unit suffixes."""
    text = header.strip().lower().replace("（", "(").replace("）", ")")
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\(.*\)$", "", text) or text


def map_headers(raw: RawTable, schema: TableSchema) -> tuple[dict[str, str], list[ErrorDetail]]:
    """Match the file's headers to fields; report missing required and doubled columns."""
    mapping: dict[str, str] = {}
    errors: list[ErrorDetail] = []
    for header in raw.frame.columns:
        folded = _fold(str(header))
        for column in schema.columns:
            if folded in column.headers():
                if column.name in mapping:
                    errors.append(
                        ErrorDetail(
                            (raw.file_name, 1, str(header)),
                            "column.duplicate",
                            f"列“{column.label}”出现了两次（另见“{mapping[column.name]}”）",
                        )
                    )
                else:
                    mapping[column.name] = str(header)
                break
    for column in schema.columns:
        if column.required and column.name not in mapping:
            accepted = "、".join(dict.fromkeys((column.label, column.name, *column.aliases)))
            errors.append(
                ErrorDetail(
                    (raw.file_name, 1, column.label),
                    "column.missing",
                    f"缺少必填列“{column.label}”（可用表头：{accepted}）",
                )
            )
    return mapping, errors


def _normalise_date_text(text: pd.Series) -> pd.Series:
    return (
        text.str.replace(r"[年/.]", "-", regex=True)
        .str.replace("月", "-", regex=False)
        .str.replace("日", "", regex=False)
        .str.replace("T", " ", regex=False)
        .str.strip()
    )


def _convert(column: Column, text: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Typed values, a mask of cells that failed, and the rule they broke."""
    present = text != ""
    if column.kind == "text":
        if column.pattern:
            ok = text.str.fullmatch(column.pattern)
            return text.where(present, None), present & ~ok, column.pattern_rule
        return text.where(present, None), pd.Series(False, index=text.index), ""
    if column.kind in ("int", "float"):
        cleaned = text.str.replace(",", "", regex=False).str.replace("，", "", regex=False)
        values = pd.to_numeric(cleaned.where(present, None), errors="coerce")
        bad = present & values.isna()
        if column.kind == "int":
            bad |= present & values.notna() & (values % 1 != 0)
            return (
                values.astype("Int64", errors="ignore") if not bad.any() else values,
                bad,
                ("应为整数"),
            )
        return values.astype(float), bad, "应为数字"
    if column.kind == "date":
        normalised = _normalise_date_text(text)
        values = pd.to_datetime(normalised.where(present, None), format="%Y-%m-%d", errors="coerce")
        bad = present & values.isna()
        return values.dt.date.where(values.notna(), None), bad, "应为日期（如 2026-06-30）"
    if column.kind == "datetime":
        normalised = _normalise_date_text(text)
        values = pd.to_datetime(
            normalised.where(present, None), format="%Y-%m-%d %H:%M", errors="coerce"
        )
        retry = present & values.isna()
        if retry.any():
            values[retry] = pd.to_datetime(
                normalised[retry], format="%Y-%m-%d %H:%M:%S", errors="coerce"
            )
        bad = present & values.isna()
        return values, bad, "应为时间（如 2026-06-30 14:00）"
    if column.kind == "bool":
        lowered = text.str.lower()
        values = lowered.map(lambda v: v in TRUE_WORDS)
        bad = ~lowered.isin(TRUE_WORDS | FALSE_WORDS)
        return values.astype(bool), bad, "应为“是”或“否”"
    if column.kind == "choice":
        lookup = {_fold(k): v for k, v in column.choices.items()}
        values = text.map(lambda v: lookup.get(_fold(v)))
        bad = present & values.isna()
        allowed = "、".join(dict.fromkeys(column.choices))
        return values, bad, f"应为以下之一：{allowed}"
    raise ValueError(f"unknown column kind {column.kind}")


def check_table(raw: RawTable, schema: TableSchema) -> CheckedTable:
    """Check every cell of ``raw`` against ``schema``; return typed values and all errors."""
    mapping, errors = map_headers(raw, schema)
    frame = pd.DataFrame(index=raw.frame.index)
    for column in schema.columns:
        header = mapping.get(column.name)
        if header is None:
            frame[column.name] = None
            continue
        source = raw.frame[header]
        if isinstance(source, pd.DataFrame):  # the same header twice: take the first
            source = source.iloc[:, 0]
        text = source.fillna("").astype(str).str.strip()
        values, bad, rule = _convert(column, text)
        errors += _cell_errors(raw, header, text, bad, "value.invalid", f"“{column.label}”{rule}")
        if column.required:
            errors += _cell_errors(
                raw, header, text, text == "", "value.required", f"“{column.label}”不能为空"
            )
        if column.kind in ("int", "float"):
            numbers = pd.to_numeric(values, errors="coerce")
            if column.minimum is not None:
                errors += _cell_errors(
                    raw,
                    header,
                    text,
                    numbers < column.minimum,
                    "value.below_minimum",
                    f"“{column.label}”不能小于 {column.minimum:g}{column.unit}",
                )
            if column.maximum is not None:
                errors += _cell_errors(
                    raw,
                    header,
                    text,
                    numbers > column.maximum,
                    "value.above_maximum",
                    f"“{column.label}”不能大于 {column.maximum:g}{column.unit}",
                )
        frame[column.name] = values
    errors += _duplicate_key_errors(raw, schema, frame, mapping)
    errors.sort(key=lambda e: e.loc[1] if len(e.loc) > 1 else 0)
    return CheckedTable(frame=frame, errors=errors, headers=mapping)


def _cell_errors(
    raw: RawTable, header: str, text: pd.Series, mask: pd.Series, code: str, msg: str
) -> list[ErrorDetail]:
    mask = mask.fillna(False).astype(bool)
    return [
        ErrorDetail((raw.file_name, int(row), header), code, msg, value=text[row])
        for row in text.index[mask]
    ]


def _duplicate_key_errors(
    raw: RawTable, schema: TableSchema, frame: pd.DataFrame, mapping: dict[str, str]
) -> list[ErrorDetail]:
    if not schema.natural_key or any(k not in mapping for k in schema.natural_key):
        return []
    keys = frame[list(schema.natural_key)].astype(str)
    doubled = keys.duplicated(keep="first") & frame[list(schema.natural_key)].notna().all(axis=1)
    first_rows = keys.reset_index().groupby(list(schema.natural_key))["row"].first()
    header = mapping[schema.natural_key[0]]
    errors = []
    for row in frame.index[doubled]:
        key = tuple(keys.loc[row])
        first = int(first_rows.loc[key if len(key) > 1 else key[0]])
        errors.append(
            ErrorDetail(
                (raw.file_name, int(row), header),
                "row.duplicate_key",
                f"与第 {first} 行重复（同一{'、'.join(schema.column(k).label for k in schema.natural_key)}）",
                value="/".join(key),
            )
        )
    return errors
