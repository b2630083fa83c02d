"""HJ 663 环境空气质量评价技术规范: station daily values, O3 8-hour means, city values.

Implements the statistics of HJ 663-2013 (in force 2013-10-01) and, as far as its text is known,
HJ 663-2026 (in force 2026-03-01) that turn hourly values into daily and city values, with the
data-validity minima of GB 3095 Table 4 (:mod:`.gb3095`); also the HJ 663 percentile, the
exceedance multiple and the reported precision of each statistic (:data:`REPORTED_DECIMALS`).
Period statistics are in :mod:`.hj663_period`, day counts in :mod:`.hj663_day_counts`, the
comprehensive index and the city ranking in :mod:`.ranking`. Pure numpy/pandas, no I/O.

Names and units follow ``docs/nomenclature.md``: hourly columns ``so2, no2, co, o3, pm10, pm25``
(1-hour means, hour-ending Beijing ``time``), daily columns ``so2_24h … pm25_24h``,
``o3_1h_max``, ``o3_8h_max``; μg/m³ except CO in mg/m³ (a CO value above 150 is refused as
μg/m³). A missing or invalid value is NaN.

Assumptions
-----------
Decisions taken where the standards (or what is known of them) are silent:

* **Hour-ending time.** The hourly value labelled *h* covers (h−1):00–h:00; the natural day D
  holds the values labelled D 01:00 … D+1 00:00 (the 24:00 value).
* **Invalid statistics are NaN** in daily and city frames, with the counts that explain why.
* **Rounding** (``rounding="reported"``, the default): every statistic is rounded by GB/T 8170
  (:func:`~envbureau.standards.rounding.round_gbt8170`) to its reported precision
  (:data:`REPORTED_DECIMALS`) before it enters a later step, as published statistics are;
  ``rounding="none"`` keeps raw values. HJ 663-2026 "makes rounding more detailed" (text not
  available): the 2013 precision is used for both.
* **O3 daily maximum 1-hour** (HJ 633-2012 daily report): valid with ≥ 20 valid hours, or with
  fewer when the maximum already exceeds the 1-hour limit (the 8-hour rule applied by analogy).
* **City values** are the mean of the valid station values of the same statistic (O3: the mean
  of the stations' daily maximum 8-hour values); one valid station suffices by default.

References
----------
HJ 663-2013 clauses on statistics (daily, 8-hour, O3 daily maximum 8-hour, percentiles,
exceedance multiple, city scale, rounding per GB/T 8170); HJ 663-2026 6.1.2; GB 3095-2012 /
GB 3095-2026 Table 4; GB/T 8170-2008 3.3.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from envbureau.standards.gb3095 import (
    BEIJING_TZ,
    UNITS,
    Edition,
    Grade,
    ValidityRules,
    limit_by_date_gb3095,
    validity_rules_gb3095,
)
from envbureau.standards.rounding import _like, round_gbt8170

__all__ = [
    "REPORTED_DECIMALS",
    "city_values_hj663",
    "daily_values_hj663",
    "exceedance_multiple_hj663",
    "o3_8h_moving_mean_hj663",
    "percentile_hj663",
]

Rounding = Literal["reported", "none"]
ArrayLike: TypeAlias = float | npt.ArrayLike | pd.Series

HOURLY_COLUMNS = ("so2", "no2", "co", "o3", "pm10", "pm25")
DAILY_MEAN_POLLUTANTS = ("so2", "no2", "co", "pm10", "pm25")
DAILY_VALUE_COLUMNS = (
    "so2_24h",
    "no2_24h",
    "co_24h",
    "pm10_24h",
    "pm25_24h",
    "o3_1h_max",
    "o3_8h_max",
)
HOURS_PER_DAY = 24

# Reported precision (decimals) by GB/T 8170 (HJ 663-2013 数据修约; facts file §2.6):
# μg/m³ items integers, CO mg/m³ one decimal, indices and multiples two, rates one.
REPORTED_DECIMALS: Mapping[str, int] = MappingProxyType(
    {
        "so2": 0,
        "no2": 0,
        "o3": 0,
        "pm10": 0,
        "pm25": 0,
        "co": 1,
        "single_index": 2,
        "composite_index": 2,
        "exceedance_multiple": 2,
        "rate": 1,  # good-day rate, exceedance rates [%]
        "days": 0,
    }
)

# A CO value above the top HJ 633 CO breakpoint (1-h, IAQI 500: 150 mg/m³) is taken to be in
# μg/m³ and refused (nomenclature: never convert a unit silently).
CO_MGM3_MAX = 150.0

_DAY = pd.Timedelta(days=1)
_HOUR = pd.Timedelta(hours=1)


# --- reported precision and elementary statistics -------------------------------------------


def _round_reported(values: np.ndarray, quantity: str, rounding: Rounding) -> np.ndarray:
    if rounding == "none":
        return values
    return np.asarray(round_gbt8170(values, REPORTED_DECIMALS[quantity]))


def _check_rounding(rounding: str) -> None:
    if rounding not in ("reported", "none"):
        raise ValueError(f"rounding must be 'reported' or 'none', got {rounding!r}")


def percentile_hj663(values: npt.ArrayLike, p: float, *, axis: int = -1) -> float | np.ndarray:
    """The p-th percentile of the valid values by the HJ 663 rank formula.

    Parameters
    ----------
    values : array_like
        Daily values; NaN values are ignored [any unit].
    p : float
        Percentile as a fraction, 0 ≤ p ≤ 1 (0.95 for the 95th).
    axis : int
        Axis along which the percentile is taken (one result per other index).

    Returns
    -------
    float or numpy.ndarray
        :math:`m_p` in the unit of ``values``; NaN where there is no valid value.

    Notes
    -----
    Sort the n valid values, :math:`X_{(1)} \\le \\dots \\le X_{(n)}`; rank
    :math:`k = 1 + (n-1)p`, :math:`s = \\lfloor k \\rfloor`;
    :math:`m_p = X_{(s)} + (X_{(s+1)} - X_{(s)})(k - s)`, and :math:`m_p = X_{(n)}` when
    :math:`s = n`. This is linear interpolation between order statistics (Hyndman–Fan type 7,
    ``numpy.percentile`` ``method="linear"``), not nearest rank. A rank within 1e-9 of an
    integer is taken as that integer (binary 0.95 is not exactly 0.95).

    References
    ----------
    HJ 663-2013 百分位数计算 (facts file §2.4).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p is a fraction in [0, 1], got {p!r}")
    arr = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    if arr.shape[-1] == 0:
        result = np.full(arr.shape[:-1], np.nan)
        return float(result) if result.ndim == 0 else result
    ordered = np.sort(arr, axis=-1)  # NaN sorts last
    n = np.sum(~np.isnan(arr), axis=-1)
    k = 1.0 + (n - 1) * p
    k = np.where(np.abs(k - np.round(k)) < 1e-9, np.round(k), k)
    s = np.floor(k).astype(np.int64)
    last = np.maximum(n - 1, 0)
    lower = np.take_along_axis(ordered, np.clip(s - 1, 0, last)[..., None], axis=-1)[..., 0]
    upper = np.take_along_axis(ordered, np.clip(s, 0, last)[..., None], axis=-1)[..., 0]
    with np.errstate(invalid="ignore"):
        result = np.where(s >= n, lower, lower + (upper - lower) * (k - s))
    result = np.where(n > 0, result, np.nan)
    return float(result) if result.ndim == 0 else result


def exceedance_multiple_hj663(
    concentration: ArrayLike, limit: ArrayLike
) -> float | np.ndarray | pd.Series:
    """Exceedance multiple 超标倍数 of a concentration or statistic over its limit.

    Parameters
    ----------
    concentration : float, array_like or Series
        Value of the statistic [μg/m³; CO mg/m³].
    limit : float or array_like
        GB 3095 limit of the same averaging time, same unit.

    Returns
    -------
    float, numpy.ndarray or Series
        :math:`(C - S)/S` where :math:`C > S`, 0 where :math:`C \\le S` (not exceeding), NaN
        where C is NaN. Unrounded (reported to two decimals).

    References
    ----------
    HJ 663-2013 超标倍数 (facts file §2.7).
    """
    conc = np.asarray(concentration, dtype=np.float64)
    lim = np.asarray(limit, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        multiple = np.where(conc > lim, (conc - lim) / lim, 0.0)
    return _like(concentration, np.where(np.isnan(conc), np.nan, multiple))


# --- hourly → daily -------------------------------------------------------------------------


def _check_concentrations(values: np.ndarray, columns: tuple[str, ...]) -> None:
    with np.errstate(invalid="ignore"):
        for j, column in enumerate(columns):
            col = values[:, j]
            if np.isinf(col).any() or (col < 0).any():
                raise ValueError(f"column {column!r}: concentrations must be finite and >= 0")
            if UNITS.get(column.split("_")[0]) == "mg/m³" and (col > CO_MGM3_MAX).any():
                raise ValueError(
                    f"column {column!r}: CO above {CO_MGM3_MAX:g} mg/m³ — the values look like "
                    "μg/m³; convert to mg/m³ before evaluation"
                )


def _hour_ending_beijing(times: pd.Series) -> pd.Series:
    try:
        stamps = pd.to_datetime(times)
    except (ValueError, TypeError) as error:
        raise ValueError(f"column 'time': not readable as date-times ({error})") from None
    if stamps.isna().any():
        raise ValueError("column 'time': missing values")
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert(BEIJING_TZ).dt.tz_localize(None)
    if (stamps != stamps.dt.floor("h")).any():
        raise ValueError("column 'time': hour-ending times must fall on whole hours")
    return stamps


def _hourly_cube(
    hourly: pd.DataFrame, columns: tuple[str, ...]
) -> tuple[pd.Index, pd.DatetimeIndex, np.ndarray]:
    """Stations, natural days and the values as an array (station, day, hour, column)."""
    missing = [c for c in ("station", "time", *columns) if c not in hourly.columns]
    if missing:
        raise ValueError(f"hourly data lack the columns {missing}")
    if hourly.empty:
        raise ValueError("hourly data are empty")
    begins = _hour_ending_beijing(hourly["time"]) - _HOUR
    days = begins.dt.normalize()
    codes, stations = pd.factorize(hourly["station"], sort=True)
    if (codes < 0).any():
        raise ValueError("column 'station': missing values")
    first = days.min()
    n_days = (days.max() - first).days + 1
    flat = (codes * n_days + (days - first).dt.days.to_numpy()) * HOURS_PER_DAY
    flat = flat + begins.dt.hour.to_numpy()
    duplicated = pd.Series(flat).duplicated().to_numpy()
    if duplicated.any():
        row = hourly.iloc[int(np.argmax(duplicated))]
        raise ValueError(f"duplicate hourly value: station {row['station']!r}, {row['time']}")
    try:
        values = hourly[list(columns)].to_numpy(dtype=np.float64)
    except (ValueError, TypeError) as error:
        raise ValueError(f"pollutant columns must be numeric ({error})") from None
    _check_concentrations(values, columns)
    cube = np.full((len(stations) * n_days * HOURS_PER_DAY, len(columns)), np.nan)
    cube[flat] = values
    dates = pd.date_range(first, periods=n_days, freq="D")
    return stations, dates, cube.reshape(len(stations), n_days, HOURS_PER_DAY, len(columns))


def _utc_bounds(starts: pd.DatetimeIndex, length: pd.Timedelta) -> dict[str, pd.DatetimeIndex]:
    """Start and end in UTC of periods starting at ``starts`` (naive Beijing time)."""
    local = starts.tz_localize(BEIJING_TZ)
    return {"start_utc": local.tz_convert("UTC"), "end_utc": (local + length).tz_convert("UTC")}


def _rules_for_days(dates: pd.DatetimeIndex, edition: Edition) -> ValidityRules:
    first = validity_rules_gb3095(dates[0], edition=edition)
    last = validity_rules_gb3095(dates[-1], edition=edition)
    if dataclasses.replace(first, edition="") != dataclasses.replace(last, edition=""):
        raise NotImplementedError("validity rules differ across the data: split at 2026-03-01")
    return last


def _window_means(windows: np.ndarray, min_hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and count of the valid hours of each window (last axis); NaN when too few."""
    counts = np.sum(~np.isnan(windows), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.nansum(windows, axis=-1) / counts
    return np.where(counts >= min_hours, means, np.nan), counts


def o3_8h_moving_mean_hj663(
    hourly: pd.DataFrame, *, edition: Edition = "auto", rounding: Rounding = "reported"
) -> pd.DataFrame:
    """O3 8-hour moving mean (8小时滑动平均) of every station-hour.

    Parameters
    ----------
    hourly : pandas.DataFrame
        Columns ``station``, ``time`` (hour-ending; naive = Beijing time, tz-aware converted)
        and ``o3`` (1-hour mean, NaN = missing or invalid) [μg/m³].
    edition : {"auto", "2012", "2026"}
        Edition whose validity minima apply (identical in both).
    rounding : {"reported", "none"}
        Round to integers by GB/T 8170, or keep raw values.

    Returns
    -------
    pandas.DataFrame
        One row per station and hour of the complete hourly grid (from 01:00 of the first day
        to 24:00 of the last): ``station``, ``time``, ``o3_8h`` [μg/m³] (NaN when invalid),
        ``o3_8h_count`` (valid hours in the window), ``o3_8h_valid``.

    Notes
    -----
    :math:`O_{3,8h}(t) = \\frac{1}{n}\\sum_{i=0}^{7} c(t - i\\,h)` over the :math:`n` valid
    hourly values among the 8 hours ending at :math:`t` (label = last hour: 08:00 covers the
    hours ending 01:00–08:00); valid when :math:`n \\ge 6`. Hours before the first input day
    count as missing.

    References
    ----------
    GB 3095-2012 / GB 3095-2026 Table 4 (O3 8-hour: ≥ 6 hourly values); HJ 663-2013 8小时滑动平均.
    """
    _check_rounding(rounding)
    stations, dates, cube = _hourly_cube(hourly, ("o3",))
    rules = _rules_for_days(dates, edition)
    width = rules.hours_per_8h_window
    series = cube[..., 0].reshape(len(stations), -1)
    padded = np.concatenate([np.full((len(stations), width - 1), np.nan), series], axis=1)
    means, counts = _window_means(sliding_window_view(padded, width, axis=1), rules.min_hours_8h)
    hours = dates[0] + pd.to_timedelta(np.arange(1, series.shape[1] + 1), unit="h")
    return pd.DataFrame(
        {
            "station": np.repeat(stations.to_numpy(), series.shape[1]),
            "time": np.tile(hours.to_numpy(), len(stations)),
            "o3_8h": _round_reported(means.ravel(), "o3", rounding),
            "o3_8h_count": counts.ravel(),
            "o3_8h_valid": counts.ravel() >= rules.min_hours_8h,
        }
    )


def _o3_daily_max_8h(o3: np.ndarray, rules: ValidityRules) -> tuple[np.ndarray, ...]:
    """Daily max of the 8-h means labelled first…last window hour: (max, valid windows, hour)."""
    width = rules.hours_per_8h_window
    windows = sliding_window_view(o3, width, axis=-1)  # window i ends at hour i + width
    windows = windows[..., rules.o3_8h_first_window_hour - width : rules.o3_8h_last_window_hour]
    means, counts = _window_means(windows[..., : rules.o3_8h_windows_per_day, :], 0)
    valid = counts >= rules.min_hours_8h
    n_valid = valid.sum(axis=-1)
    best = np.argmax(np.where(valid, means, -np.inf), axis=-1)
    maximum = np.take_along_axis(means, best[..., None], axis=-1)[..., 0]
    maximum = np.where(n_valid > 0, maximum, np.nan)
    hour = np.where(n_valid > 0, best + rules.o3_8h_first_window_hour, np.nan)
    return maximum, n_valid, hour


def daily_values_hj663(
    hourly: pd.DataFrame,
    *,
    edition: Edition = "auto",
    grade: Grade = 2,
    rounding: Rounding = "reported",
) -> pd.DataFrame:
    """Daily values of every station-day from hourly values, with the validity rules.

    Parameters
    ----------
    hourly : pandas.DataFrame
        Long format: ``station``, ``time`` (hour-ending; naive = Beijing time, tz-aware
        converted) and the 1-hour means ``so2, no2, o3, pm10, pm25`` [μg/m³] and ``co``
        [mg/m³]. NaN = missing or invalid hour (the 45-minute rule is the producer's).
    edition : {"auto", "2012", "2026"}
        GB 3095 edition of the limits used by the "valid if it exceeds" rules (by day).
    grade : {1, 2}
        GB 3095 grade of those limits.
    rounding : {"reported", "none"}
        Round each daily value by GB/T 8170 (μg/m³ integers, CO one decimal) or keep raw.

    Returns
    -------
    pandas.DataFrame
        One row per station and natural day from the first to the last day of the input:
        ``station``, ``date`` (Beijing natural day, the period [date 00:00, date+1 00:00)
        Beijing), ``start_utc``, ``end_utc``; for ``p`` in so2, no2, co, pm10, pm25:
        ``p_24h`` (NaN when invalid), ``p_24h_count`` (valid hours), ``p_24h_valid``;
        ``o3_1h_max``, ``o3_1h_max_count``, ``o3_1h_max_valid``; ``o3_8h_max``,
        ``o3_8h_max_count`` (valid 8-hour windows), ``o3_8h_max_hour`` (hour-ending label 8–24
        of the maximum window; earliest on ties), ``o3_8h_max_valid``; ``hours_expected`` (24)
        and ``o3_8h_windows_expected`` (17).

    Raises
    ------
    ValueError
        Missing columns, duplicate station-hours, times not on whole hours, negative or
        infinite concentrations, CO in μg/m³.

    Notes
    -----
    24-hour mean :math:`\\bar c = \\frac{1}{n}\\sum c_h` over the :math:`n` valid hours of the
    day, valid when :math:`n \\ge 20`. O3 daily maximum 8-hour mean: the maximum of the valid
    8-hour moving means labelled 08:00 … 24:00 (17 windows, all inside the day; each valid
    with ≥ 6 of its 8 hours); valid when ≥ 14 windows are valid, or — with fewer — when the
    maximum (as reported) exceeds the 8-hour limit, since missing windows can only raise it.
    **Assumptions:** see the module docstring (hour-ending time, O3 1-hour maximum rule).

    References
    ----------
    GB 3095-2012 / GB 3095-2026 Table 4; HJ 663-2013 and HJ 663-2026 6.1.2 (O3 daily maximum
    8-hour: ≥ 14 valid 8-hour means 08–24 h, still valid if it exceeds the limit).
    """
    _check_rounding(rounding)
    stations, dates, cube = _hourly_cube(hourly, HOURLY_COLUMNS)
    rules = _rules_for_days(dates, edition)
    n_stations, n_days = len(stations), len(dates)
    counts = np.sum(~np.isnan(cube), axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.nansum(cube, axis=2) / counts
    out: dict[str, object] = {
        "station": np.repeat(stations.to_numpy(), n_days),
        "date": np.tile(dates.to_numpy(), n_stations),
    }
    out |= {k: np.tile(v, n_stations) for k, v in _utc_bounds(dates, _DAY).items()}
    for pollutant in DAILY_MEAN_POLLUTANTS:
        j = HOURLY_COLUMNS.index(pollutant)
        n = counts[..., j].ravel()
        value = _round_reported(means[..., j].ravel(), pollutant, rounding)
        valid = n >= rules.min_hours_daily
        out[f"{pollutant}_24h"] = np.where(valid, value, np.nan)
        out[f"{pollutant}_24h_count"] = n
        out[f"{pollutant}_24h_valid"] = valid

    o3 = cube[..., HOURLY_COLUMNS.index("o3")]
    all_days = np.tile(dates.to_numpy(), n_stations)
    n1 = counts[..., HOURLY_COLUMNS.index("o3")].ravel()
    max1 = np.where(np.isnan(o3), -np.inf, o3).max(axis=-1).ravel()
    max1 = _round_reported(np.where(n1 > 0, max1, np.nan), "o3", rounding)
    limit1 = limit_by_date_gb3095(all_days, "o3", "1h", edition=edition, grade=grade)
    valid1 = (n1 >= rules.min_hours_daily) | (max1 > limit1)
    out.update(o3_1h_max=np.where(valid1, max1, np.nan), o3_1h_max_count=n1)
    out["o3_1h_max_valid"] = valid1

    max8, n8, hour8 = (a.ravel() for a in _o3_daily_max_8h(o3, rules))
    max8 = _round_reported(max8, "o3", rounding)
    limit8 = limit_by_date_gb3095(all_days, "o3", "8h", edition=edition, grade=grade)
    valid8 = n8 >= rules.min_windows_o3_daily_max_8h
    if rules.o3_daily_max_8h_valid_if_exceeds:
        valid8 = valid8 | (max8 > limit8)
    out.update(o3_8h_max=np.where(valid8, max8, np.nan), o3_8h_max_count=n8)
    out["o3_8h_max_hour"] = pd.array(np.where(valid8, hour8, np.nan)).astype("Int64")
    out["o3_8h_max_valid"] = valid8
    out["hours_expected"] = HOURS_PER_DAY
    out["o3_8h_windows_expected"] = rules.o3_8h_windows_per_day
    return pd.DataFrame(out)


# --- stations → city ------------------------------------------------------------------------

_CITY_VALUE_COLUMNS = (*HOURLY_COLUMNS, *DAILY_VALUE_COLUMNS, "o3_8h")


def city_values_hj663(
    station_values: pd.DataFrame,
    *,
    key: str = "date",
    stations: list[str] | None = None,
    min_valid_stations: int = 1,
    rounding: Rounding = "reported",
) -> pd.DataFrame:
    """City values: for each day (or hour), the mean of the valid station values.

    Parameters
    ----------
    station_values : pandas.DataFrame
        Columns ``station``, ``key`` and any of the value columns ``so2_24h … pm25_24h,
        o3_1h_max, o3_8h_max`` (daily) or ``so2 … pm25, o3_8h`` (hourly) [μg/m³; CO mg/m³].
        NaN = invalid; a ``<column>_valid`` column, when present, also masks values.
    key : str
        The period column, ``"date"`` (daily values) or ``"time"`` (hourly values).
    stations : list of str, optional
        The city's evaluation stations (国控评价点位). Others are ignored; a listed station
        absent from the data counts as expected but never valid. Default: every station present.
    min_valid_stations : int
        Valid stations needed for a valid city value (default 1).
    rounding : {"reported", "none"}
        Round city values by GB/T 8170 to the reported precision, or keep raw.

    Returns
    -------
    pandas.DataFrame
        One row per ``key`` value: ``key``, ``start_utc``, ``end_utc`` (the day, or the hour
        ending at ``time``), each value column (NaN when invalid), ``<column>_stations`` (valid
        stations used), ``<column>_valid``, ``stations_expected``.

    Notes
    -----
    :math:`C_{city} = \\frac{1}{m}\\sum_{j=1}^{m} C_j` over the :math:`m` stations with a valid
    value of the same statistic and period; city IAQI/AQI and period statistics are then
    computed from the city series, never by averaging station AQIs. **Assumptions.** The
    minimum number of valid stations is not in the facts available (HJ 663 text not
    retrieved): the default accepts one, and the returned counts show the coverage.

    References
    ----------
    HJ 663-2013 城市尺度 (facts file §2.5); 环办监测〔2018〕19号 (national evaluation stations).
    """
    _check_rounding(rounding)
    if min_valid_stations < 1:
        raise ValueError("min_valid_stations must be at least 1")
    missing = [c for c in ("station", key) if c not in station_values.columns]
    if missing:
        raise ValueError(f"station values lack the columns {missing}")
    columns = [c for c in station_values.columns if c in _CITY_VALUE_COLUMNS]
    if not columns:
        raise ValueError(f"no value column among {_CITY_VALUE_COLUMNS}")
    frame = station_values
    if stations is not None:
        frame = frame[frame["station"].isin(stations)]
    expected = len(set(stations)) if stations is not None else frame["station"].nunique()
    if frame.duplicated(["station", key]).any():
        raise ValueError(f"duplicate station values for one {key!r}")
    values = frame[columns].astype(np.float64)
    for column in columns:
        if f"{column}_valid" in frame.columns:
            values[column] = values[column].where(frame[f"{column}_valid"].astype(bool))
    _check_concentrations(values.to_numpy(), tuple(columns))
    grouped = values.groupby(frame[key], sort=True)
    means, counts = grouped.mean(), grouped.count()
    result = pd.DataFrame(index=means.index)
    for column in columns:
        valid = counts[column].to_numpy() >= min_valid_stations
        value = _round_reported(means[column].to_numpy(), column.split("_")[0], rounding)
        result[column] = np.where(valid, value, np.nan)
        result[f"{column}_stations"] = counts[column].to_numpy()
        result[f"{column}_valid"] = valid
    result["stations_expected"] = expected
    result = result.reset_index()
    starts = pd.DatetimeIndex(result[key]) - (_HOUR if key == "time" else pd.Timedelta(0))
    for name, bound in _utc_bounds(starts, _HOUR if key == "time" else _DAY).items():
        result.insert(result.columns.get_loc(key) + 1 + (name == "end_utc"), name, bound)
    return result
