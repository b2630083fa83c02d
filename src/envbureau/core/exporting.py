"""Writing result tables for staff: the one place that knows how Excel likes its files.

Every CSV or XLSX the project writes goes through ``neutralise_cell`` / ``neutralise_frame``
(OWASP "CSV injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with a single quote, so Excel or WPS shows it as text and never
runs it as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``). Numbers are never touched:
a negative number stays a number, and a text like ``"-5"`` in a column that otherwise holds
numbers is written as the number it is, so numeric columns stay numeric for the staff.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from numbers import Number
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads only when a table is written: templates and CLI stay light
    import pandas as pd

#: First characters a spreadsheet reads as the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _numeric_column(values: list[Any]) -> bool:
    """Real numbers in it, and every other filled cell a plain number written as text."""
    present = [v for v in values if not _is_missing(v) and v != ""]
    if not any(_is_number(v) for v in present):
        return False
    return all(
        _is_number(v) or (isinstance(v, str) and _PLAIN_NUMBER.fullmatch(v.strip()))
        for v in present
    )


def _neutralise_values(values: list[Any]) -> list[Any]:
    if _numeric_column(values):
        # Decimal keeps the text exactly in a CSV ("-0.30") and is a number in an XLSX.
        return [
            Decimal(v.strip()) if isinstance(v, str) and v.startswith(("+", "-")) else v
            for v in values
        ]
    return [neutralise_cell(v) for v in values]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to open in a spreadsheet: text cells and headers neutralised."""
    import pandas as pd

    columns: dict[int, pd.Series] = {}
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            columns[position] = series
        else:
            values = _neutralise_values(series.astype(object).tolist())
            columns[position] = pd.Series(values, index=frame.index, dtype=object)
    out = pd.DataFrame(columns, index=frame.index)
    out.columns = [neutralise_cell(c) for c in frame.columns]
    return out


def write_table(frame: pd.DataFrame, out: Path) -> None:
    """CSV with a BOM (Excel opens it as UTF-8) or XLSX, by the file name; formulas neutralised."""
    out.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralise_frame(frame)
    if out.suffix.lower() == ".xlsx":
        safe.to_excel(out, index=False)
    else:
        safe.to_csv(out, index=False, encoding="utf-8-sig")
