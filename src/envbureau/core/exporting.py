"""Writing result tables for staff: the one place that knows how Excel likes its files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_table(frame: pd.DataFrame, out: Path) -> None:
    """CSV with a BOM (Excel opens it as UTF-8) or XLSX, by the file name."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        frame.to_excel(out, index=False)
    else:
        frame.to_csv(out, index=False, encoding="utf-8-sig")
