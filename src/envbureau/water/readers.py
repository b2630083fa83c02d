"""Readers of published surface-water files: a path in, a pandas DataFrame out, no database.

``read_cnemc_realtime`` reads the release of China's national surface-water automatic
monitoring stations (国家地表水水质自动监测实时数据发布系统, CNEMC): the per-section CSV files
with the release's own Chinese headings (``省份,流域,断面名称,监测时间,水质类别,水温(℃),…``)
and the converted CSV files kept in ``shared/data/water`` (English headings, a ``datetime``
column, and for the daily file the unrounded ``*_raw`` values and ``value_notes``).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from envbureau.standards import gb3838_tables
from envbureau.standards.gb3095 import BEIJING_TZ  # the release's times are Beijing time (UTC+8)

#: Output column -> (release heading without its unit, unit printed in the heading,
#: heading in shared/data/water). Units: water_temp ℃, ph none, conductivity μS/cm,
#: turbidity NTU, algae density cells/L, the others mg/L — chlorophyll a as the release
#: labels it (mg/L; the TLI needs mg/m³).
CNEMC_COLUMNS: dict[str, tuple[str, str | None, str]] = {
    "province": ("省份", None, "province"),
    "basin": ("流域", None, "basin"),
    "section": ("断面名称", None, "section"),
    "city": ("所在地市", None, "city"),
    "river": ("所属河流", None, "river"),
    "monitor_time": ("监测时间", None, "monitor_time"),
    "published_class": ("水质类别", None, "water_class"),
    "water_temp": ("水温", "℃", "water_temp_C"),
    "ph": ("pH", "无量纲", "pH"),
    "do": ("溶解氧", "mg/L", "DO_mg_L"),
    "conductivity_us_cm": ("电导率", "μS/cm", "conductivity_uS_cm"),
    "turbidity_ntu": ("浊度", "NTU", "turbidity_NTU"),
    "codmn": ("高锰酸盐指数", "mg/L", "CODMn_mg_L"),
    "nh3n": ("氨氮", "mg/L", "NH3N_mg_L"),
    "tp": ("总磷", "mg/L", "TP_mg_L"),
    "tn": ("总氮", "mg/L", "TN_mg_L"),
    "chla_mg_l": ("叶绿素α", "mg/L", "chla_mg_L"),
    "algae_density_cells_l": ("藻密度", "cells/L", "algae_density_cells_L"),
    "site_status": ("站点情况", None, "site_status"),
}
#: Columns every file must have (city and river come from a tooltip not always present).
REQUIRED = [name for name in CNEMC_COLUMNS if name not in {"city", "river"}]
#: Numeric columns, in output order.
NUMERIC = [
    "water_temp", "ph", "do", "conductivity_us_cm", "turbidity_ntu", "codmn", "nh3n", "tp",
    "tn", "chla_mg_l", "algae_density_cells_l",
]  # fmt: skip
#: Markers of "no value" in numeric cells: ``--`` not measured / filtered / failed QC,
#: ``*`` not monitored or not published, empty (no raw value).
VALUE_MARKERS = frozenset({"--", "*", ""})
#: Markers of "no class" in 水质类别: ``*`` (maintenance), ``-``, empty (stopped).
CLASS_MARKERS = frozenset({"*", "-", ""})
_CLASS_CODES = {label: code for code, label in enumerate(gb3838_tables.CLASS_LABELS, start=1)}
_MONITOR_TIME = r"\d{2}-\d{2} \d{2}:\d{2}"
_HEADING = re.compile(r"^(?P<name>[^(（]+?)\s*(?:[(（](?P<unit>[^)）]*)[)）])?$")
_SHOWN = 3


def read_cnemc_realtime(path: str | os.PathLike[str], *, year: int | None = None) -> pd.DataFrame:
    """Read a CNEMC surface-water automatic-station release into one row per reading.

    Parameters
    ----------
    path : str or path-like
        CSV file, plain or gzip, UTF-8, comma-separated, one header line: either the
        release's headings (``省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),
        溶解氧(mg/L),电导率(μS/cm),浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),
        总氮(mg/L),叶绿素α(mg/L),藻密度(cells/L),站点情况``, optional ``所在地市``,
        ``所属河流``) or the headings of the converted files in ``shared/data/water``.
    year : int, optional
        Year of the readings, for files whose 监测时间 ("MM-DD HH:MM") has no year and that
        have no ``datetime`` column. Without it ``time`` is NaT for such files.

    Returns
    -------
    pandas.DataFrame
        One row per file row, in file order: ``line`` (file line, header = 1),
        ``province``, ``basin``, ``section``, ``city`` and ``river`` (when in the file,
        else NA), ``file_date`` (converted daily file only), ``monitor_time`` (as
        published), ``time`` (tz-aware Beijing time, NaT where unknown),
        ``published_class`` (Int64 1–6 for Ⅰ–劣Ⅴ, NA for ``*``/``-``/empty), the
        readings ``water_temp`` [℃], ``ph`` [-], ``do`` [mg/L], ``conductivity_us_cm``
        [μS/cm], ``turbidity_ntu`` [NTU], ``codmn``, ``nh3n``, ``tp``, ``tn`` [mg/L],
        ``chla_mg_l`` [mg/L as labelled], ``algae_density_cells_l`` [cells/L] (float64, NaN
        for ``--``/``*``/empty), the same with ``_raw`` (unrounded values, when in the
        file), ``value_notes`` (when in the file) and ``site_status``.
        Duplicate readings are kept: deduplicating is the caller's choice.

    Raises
    ------
    ValueError
        A malformed file; the message names the file, the line (1-based, header = 1) and
        the column: damaged gzip or non-UTF-8 text, unknown/missing/repeated headings or a
        unit other than the release's, a line with a wrong number of fields, a value that
        is neither a number nor a marker, an unknown class label, a bad time.
    """
    path = Path(path)
    raw = _read_bytes(path)
    header, lines = _check_layout(raw, path)
    columns = _map_headings(header, path)
    try:
        cells = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable CSV file: {exc}") from exc
    cells.columns = columns
    return _table(cells, lines, path, year)


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: damaged gzip file: {exc}") from exc
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return raw


def _check_layout(raw: bytes, path: Path) -> tuple[list[str], np.ndarray]:
    """Header fields and the file line of each data row; every line as wide as the header."""
    header = raw.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8").split(",")
    buffer = np.frombuffer(raw, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(buffer == ord("\n")) + 1))
    starts = starts[starts < buffer.size]
    bounds = np.append(starts, buffer.size)
    commas = np.diff(np.searchsorted(np.flatnonzero(buffer == ord(",")), bounds))
    blank = (commas == 0) & (np.diff(bounds) <= 2)
    bad = np.flatnonzero((commas != len(header) - 1) & ~blank)
    if bad.size:
        shown = ", ".join(f"line {i + 1} has {commas[i] + 1}" for i in bad[:_SHOWN])
        raise ValueError(
            f"{path}: {bad.size} line(s) with a wrong number of fields (header has "
            f"{len(header)}): {shown} (truncated or merged rows?)"
        )
    return header, np.flatnonzero(~blank)[1:] + 1


def _map_headings(header: list[str], path: Path) -> list[str]:
    by_release = {chinese: (name, unit) for name, (chinese, unit, _) in CNEMC_COLUMNS.items()}
    by_shared = {english: name for name, (_, _, english) in CNEMC_COLUMNS.items()}
    by_shared |= {"datetime": "datetime", "file_date": "file_date", "value_notes": "value_notes"}
    by_shared |= {f"{CNEMC_COLUMNS[n][2]}_raw": f"{n}_raw" for n in NUMERIC}
    names = []
    for position, heading in enumerate(header, start=1):
        text = unicodedata.normalize("NFKC", heading.strip())
        match = _HEADING.match(text)
        if heading in by_shared:
            names.append(by_shared[heading])
        elif match and match["name"] in by_release:
            name, unit = by_release[match["name"]]
            if match["unit"] is not None and match["unit"] != unicodedata.normalize(
                "NFKC", unit or ""
            ):
                raise ValueError(
                    f"{path}: line 1, column {position} {heading!r}: unit {match['unit']!r}, "
                    f"the release prints {unit!r}"
                )
            names.append(name)
        else:
            raise ValueError(f"{path}: line 1, column {position}: unknown heading {heading!r}")
    repeated = sorted({n for n in names if names.count(n) > 1})
    missing = [CNEMC_COLUMNS[n][0] for n in REQUIRED if n not in names]
    if repeated or missing:
        raise ValueError(f"{path}: line 1: repeated columns {repeated}, missing columns {missing}")
    return names


def _table(cells: pd.DataFrame, lines: np.ndarray, path: Path, year: int | None) -> pd.DataFrame:
    out = pd.DataFrame({"line": lines})
    for name in ("province", "basin", "section", "city", "river"):
        out[name] = cells[name].replace("", pd.NA).to_numpy() if name in cells else pd.NA
    if "file_date" in cells:
        out["file_date"] = _parse_times(cells["file_date"], "%Y-%m-%d", lines, path, "file_date")
    out["monitor_time"] = cells["monitor_time"].to_numpy()
    _check_pattern(cells["monitor_time"], _MONITOR_TIME, {"*", "--", ""}, lines, path)
    if "datetime" in cells:
        local = _parse_times(cells["datetime"], "%Y-%m-%dT%H:%M", lines, path, "datetime")
    elif year is not None:
        stamp = (str(year) + "-" + cells["monitor_time"]).where(
            cells["monitor_time"].str.fullmatch(_MONITOR_TIME), ""
        )
        local = _parse_times(stamp, "%Y-%m-%d %H:%M", lines, path, "监测时间")
    else:
        local = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    out["time"] = local.dt.tz_localize(BEIJING_TZ).array
    out["published_class"] = _parse_classes(cells["published_class"], lines, path)
    for name in [*NUMERIC, *(f"{n}_raw" for n in NUMERIC)]:
        if name in cells:
            out[name] = _parse_numbers(cells[name], name, lines, path)
    if "value_notes" in cells:
        out["value_notes"] = cells["value_notes"].replace("", pd.NA).to_numpy()
    out["site_status"] = cells["site_status"].replace("", pd.NA).to_numpy()
    return out


def _parse_numbers(cells: pd.Series, name: str, lines: np.ndarray, path: Path) -> np.ndarray:
    text = cells.str.strip()
    number = pd.to_numeric(text.where(~text.isin(VALUE_MARKERS)), errors="coerce")
    _refuse(number.isna() & ~text.isin(VALUE_MARKERS), cells, lines, path, name, "not a number")
    return number.to_numpy(dtype=np.float64, na_value=np.nan)


def _parse_classes(cells: pd.Series, lines: np.ndarray, path: Path) -> pd.arrays.IntegerArray:
    text = cells.str.strip()
    codes = text.map(_CLASS_CODES)
    unknown = codes.isna() & ~text.isin(CLASS_MARKERS)
    rule = f"class not one of {', '.join(_CLASS_CODES)} (Unicode Roman numerals) or * - empty"
    _refuse(unknown, cells, lines, path, "水质类别", rule)
    return pd.array(codes, dtype="Int64")


def _check_pattern(
    cells: pd.Series, pattern: str, markers: set[str], lines: np.ndarray, path: Path
) -> None:
    bad = ~(cells.str.fullmatch(pattern) | cells.isin(markers))
    _refuse(bad, cells, lines, path, "监测时间", "time not 'MM-DD HH:MM'")


def _parse_times(
    cells: pd.Series, fmt: str, lines: np.ndarray, path: Path, column: str
) -> pd.Series:
    parsed = pd.to_datetime(cells.where(cells != ""), format=fmt, errors="coerce")
    _refuse(parsed.isna() & (cells != ""), cells, lines, path, column, f"time not {fmt}")
    return parsed


def _refuse(
    bad: pd.Series, cells: pd.Series, lines: np.ndarray, path: Path, column: str, rule: str
) -> None:
    rows = np.flatnonzero(bad.to_numpy(dtype=bool))
    if rows.size:
        shown = ", ".join(f"line {lines[i]}: {cells.iat[i]!r}" for i in rows[:_SHOWN])
        more = f" (and {rows.size - _SHOWN} more)" if rows.size > _SHOWN else ""
        raise ValueError(f"{path}: column {column}: {rule}: {shown}{more}")
