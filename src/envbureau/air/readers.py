"""Readers of published air-quality files: a path in, a pandas DataFrame out, no database.

``read_china_sites`` reads the wide daily files of China's national urban air-quality real-time
publishing platform (全国城市空气质量实时发布平台, operated by CNEMC 中国环境监测总站) in the
widely redistributed ``china_sites_YYYYMMDD.csv`` format, plain or gzip-compressed, and any
concatenation of such files under one header (for example a year of a few cities).
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from envbureau.standards.gb3095 import BEIJING_TZ  # the ``time`` column: Beijing time (UTC+8)

#: Row ``type`` of a china_sites file -> column of the long table. Units: μg/m³, CO mg/m³.
CHINA_SITES_TYPES: dict[str, str] = {
    "AQI": "published_aqi",  # the officially published real-time (hourly) AQI
    "SO2": "so2",  # 1-h means
    "NO2": "no2",
    "CO": "co",
    "O3": "o3",
    "PM10": "pm10",
    "PM2.5": "pm25",
    "O3_8h": "o3_8h",  # 8-h moving mean ending at this hour
    "SO2_24h": "so2_24h",  # 24-h moving means ending at this hour
    "NO2_24h": "no2_24h",
    "CO_24h": "co_24h",
    "PM10_24h": "pm10_24h",
    "PM2.5_24h": "pm25_24h",
    "O3_24h": "o3_1h_max_24h",  # largest 1-h O3 of the past 24 h
    "O3_8h_24h": "o3_8h_max_24h",  # largest 8-h moving O3 of the past 24 h
}
_KEY_COLUMNS = ["date", "hour", "type"]
_SHOWN = 3  # how many offending lines an error message quotes


def read_china_sites(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read one ``china_sites`` wide file into a long table, one row per station-hour.

    Parameters
    ----------
    path : str or path-like
        A ``china_sites_YYYYMMDD.csv`` file (or its ``.gz``), or a concatenation of such files
        with a single header. Columns ``date`` (``YYYYMMDD``), ``hour`` (0–23), ``type`` (one
        of :data:`CHINA_SITES_TYPES`), then one column per station code.

    Returns
    -------
    pandas.DataFrame
        Columns ``time`` (end of the averaging hour, tz-aware Beijing time: hour *h* of day
        *D* is the hour (*h*−1):00–*h*:00 of *D*, so hour 0 is the last hour of the day
        before), ``station`` (station code), ``published_aqi`` (Int64), then the concentrations named
        in :data:`CHINA_SITES_TYPES` (float64, NaN = not published) [μg/m³; CO mg/m³].
        Station-hours with no value at all are left out. Rows are ordered by time, then by
        the file's station order.

    Raises
    ------
    ValueError
        If the file is not a well-formed china_sites file; the message names the file and the
        line (1-based, header = line 1) and what is wrong.
    """
    path = Path(path)
    raw = _read_bytes(path)
    stations = _check_layout(raw, path)
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype={"date": str, "type": str})
    except (pd.errors.ParserError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable CSV file: {exc}") from exc
    return _to_long(frame, stations, path)


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: damaged gzip file: {exc}") from exc
    return raw.removeprefix(b"\xef\xbb\xbf")


def _check_layout(raw: bytes, path: Path) -> list[str]:
    """Check the header and that every line has as many fields as the header."""
    first_line = raw.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        header = first_line.decode("utf-8").split(",")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: header is not UTF-8 text") from exc
    if header[:3] != _KEY_COLUMNS or len(header) < 4:
        raise ValueError(
            f"{path}: header must start with 'date,hour,type' followed by station codes, "
            f"found {first_line[:60].decode('utf-8', 'replace')!r}"
        )
    stations = header[3:]
    counts = Counter(stations)
    duplicated = sorted(code for code, count in counts.items() if count > 1 or not code)
    if duplicated:
        raise ValueError(f"{path}: empty or repeated station codes in the header: {duplicated}")
    buffer = np.frombuffer(raw, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(buffer == ord("\n")) + 1))
    starts = starts[starts < buffer.size]
    bounds = np.append(starts, buffer.size)
    commas = np.diff(np.searchsorted(np.flatnonzero(buffer == ord(",")), bounds))
    lengths = np.diff(bounds)
    blank = (commas == 0) & (lengths <= 2)
    bad = np.flatnonzero((commas != len(header) - 1) & ~blank)
    if bad.size:
        shown = ", ".join(f"line {i + 1} has {commas[i] + 1}" for i in bad[:_SHOWN])
        raise ValueError(
            f"{path}: {bad.size} line(s) with a wrong number of fields (header has "
            f"{len(header)}): {shown} (truncated or merged rows?)"
        )
    return stations


def _to_long(frame: pd.DataFrame, stations: list[str], path: Path) -> pd.DataFrame:
    line = np.arange(len(frame)) + 2  # file line of each data row
    day = _parse_dates(frame["date"], line, path)
    hour = _parse_hours(frame["hour"], line, path)
    type_codes = _parse_types(frame["type"], line, path)
    hour_end = day + hour * np.int64(3_600_000_000_000)
    hour_codes, hours = pd.factorize(hour_end, sort=True)
    n_types = len(CHINA_SITES_TYPES)
    key = pd.Series(hour_codes * n_types + type_codes)
    repeated = key.duplicated().to_numpy()
    if repeated.any():
        rows = np.flatnonzero(repeated)[:_SHOWN]
        shown = ", ".join(
            f"line {line[i]} ({frame['date'].iat[i]}, {frame['hour'].iat[i]}, "
            f"{frame['type'].iat[i]})"
            for i in rows
        )
        raise ValueError(f"{path}: repeated (date, hour, type) rows: {shown}")
    values = _station_values(frame[stations], line, path)
    n_stations = len(stations)
    # One (hour × station) plane per type: each file row fills one contiguous plane row.
    cube = np.full((n_types, len(hours), n_stations), np.nan)
    cube[type_codes, hour_codes] = values
    flat = cube.reshape(n_types, len(hours) * n_stations)
    keep = np.flatnonzero(~np.isnan(flat).all(axis=0))
    times = pd.DatetimeIndex(pd.to_datetime(hours, unit="ns")).tz_localize(BEIJING_TZ)
    out = {
        "time": times.take(keep // n_stations),
        "station": np.asarray(stations, dtype=object)[keep % n_stations],
    }
    for j, column in enumerate(CHINA_SITES_TYPES.values()):
        out[column] = flat[j, keep]
    long = pd.DataFrame(out)
    aqi = long["published_aqi"]
    if (aqi.notna() & (aqi % 1 != 0)).any():
        raise ValueError(f"{path}: AQI rows must hold whole numbers")
    long["published_aqi"] = aqi.astype("Int64")
    return long


def _parse_dates(dates: pd.Series, line: np.ndarray, path: Path) -> np.ndarray:
    parsed = pd.to_datetime(dates, format="%Y%m%d", errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        shown = ", ".join(f"line {line[i]}: {dates.iat[i]!r}" for i in bad[:_SHOWN])
        raise ValueError(f"{path}: 'date' must be YYYYMMDD: {shown}")
    return parsed.to_numpy().astype("datetime64[ns]").view(np.int64)


def _parse_hours(hours: pd.Series, line: np.ndarray, path: Path) -> np.ndarray:
    number = pd.to_numeric(hours, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.flatnonzero(~np.isin(number, np.arange(24)))
    if bad.size:
        shown = ", ".join(f"line {line[i]}: {hours.iat[i]!r}" for i in bad[:_SHOWN])
        raise ValueError(f"{path}: 'hour' must be a whole number 0–23: {shown}")
    return number.astype(np.int64)


def _parse_types(types: pd.Series, line: np.ndarray, path: Path) -> np.ndarray:
    codes = pd.Index(list(CHINA_SITES_TYPES)).get_indexer(types).astype(np.int64)
    bad = np.flatnonzero(codes < 0)
    if bad.size:
        shown = ", ".join(f"line {line[i]}: {types.iat[i]!r}" for i in bad[:_SHOWN])
        raise ValueError(
            f"{path}: unknown 'type' (expected one of {', '.join(CHINA_SITES_TYPES)}): {shown}"
        )
    return codes


def _station_values(cells: pd.DataFrame, line: np.ndarray, path: Path) -> np.ndarray:
    for name, column in cells.items():
        if not pd.api.types.is_numeric_dtype(column):
            number = pd.to_numeric(column, errors="coerce")
            i = int(np.flatnonzero((number.isna() & column.notna()).to_numpy())[0])
            raise ValueError(
                f"{path}: line {line[i]}, station {name}: not a number: {column.iat[i]!r}"
            )
    values = cells.to_numpy(dtype=np.float64)
    negative = np.argwhere(values < 0)
    if negative.size:
        i, j = negative[0]
        raise ValueError(
            f"{path}: line {line[i]}, station {cells.columns[j]}: negative value {values[i, j]}"
        )
    return values
