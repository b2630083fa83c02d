"""HJ 663 环境空气质量评价技术规范: daily values, city values, period statistics, day counts.

Implements HJ 663-2013 (in force 2013-10-01) and, as far as its text is known, HJ 663-2026 (in
force 2026-03-01), with the data-validity minima of GB 3095 Table 4 (:mod:`.gb3095`), the
comprehensive index and ranking of 城市环境空气质量排名技术规定 (环办监测〔2018〕19号) and the
good-day rate with the dust-day rule of 环办监测〔2016〕120号. Pure numpy/pandas, no I/O.

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
  Period statistics keep their value and carry ``valid=False`` (they are end products).
* **Rounding** (``rounding="reported"``, the default): every statistic is rounded by GB/T 8170
  (:func:`round_gbt8170`) to its reported precision (:data:`REPORTED_DECIMALS`) before it enters
  a later step, as published statistics are; ``rounding="none"`` keeps raw values. HJ 663-2026
  "makes rounding more detailed" (text not available): the 2013 precision is used for both.
* **O3 daily maximum 1-hour** (HJ 633-2012 daily report): valid with ≥ 20 valid hours, or with
  fewer when the maximum already exceeds the 1-hour limit (the 8-hour rule applied by analogy).
* **City values** are the mean of the valid station values of the same statistic (O3: the mean
  of the stations' daily maximum 8-hour values); one valid station suffices by default.
* **Period validity** applies the annual-mean minima to every period statistic (percentiles
  too): each calendar month of the period ≥ 27 valid days (February ≥ 25; a partial month
  pro rata, rounded up) and each whole calendar year ≥ 324.
* **Dust** (沙尘): deducted from PM10/PM2.5 period statistics and hence the composite index,
  kept in the day counts, by default (CNEMC practice, facts file §3); both are parameters.
* **Comprehensive index limits**: the GB 3095-2012 grade II values the ranking rule was written
  with, also after 2026-03-01 (comparable year on year); ``limits_edition`` switches.

References
----------
HJ 663-2013 clauses on statistics (daily, 8-hour, O3 daily maximum 8-hour, percentiles,
city scale, rounding per GB/T 8170); HJ 663-2026 6.1.2; GB 3095-2012 / GB 3095-2026 Table 1,
Table 4; GB/T 8170-2008 3.3; 环办监测〔2018〕19号; 环办监测〔2016〕120号.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

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
    limits_gb3095,
    monthly_minimum_days_gb3095,
    validity_rules_gb3095,
)

__all__ = [
    "AQI_CATEGORIES",
    "PERIOD_STATISTICS",
    "RANKING_RULE_STATISTICS",
    "REPORTED_DECIMALS",
    "Coverage",
    "DayCounts",
    "attainment_hj663",
    "change_year_on_year",
    "city_values_hj663",
    "composite_index_inputs",
    "composite_index_ranking_rule",
    "daily_values_hj663",
    "day_counts_hj663",
    "exceedance_multiple_hj663",
    "o3_8h_moving_mean_hj663",
    "percentile_hj663",
    "period_statistics_hj663",
    "rank_by_composite_index",
    "round_gbt8170",
]

Rounding = Literal["reported", "none"]
ArrayLike = float | npt.ArrayLike | pd.Series

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
# Year-on-year changes are reported to one decimal (percent or percentage points).
CHANGE_DECIMALS = 1

# HJ 663-2013 annual evaluation items (年评价项目), facts file §2.3; HJ 663-2026 the same (weak,
# single source): (pollutant, statistic, daily column, percentile p, GB 3095 averaging compared).
PERIOD_STATISTICS: tuple[tuple[str, str, str, float | None, str], ...] = (
    ("so2", "mean", "so2_24h", None, "annual"),
    ("so2", "p98", "so2_24h", 0.98, "24h"),
    ("no2", "mean", "no2_24h", None, "annual"),
    ("no2", "p98", "no2_24h", 0.98, "24h"),
    ("pm10", "mean", "pm10_24h", None, "annual"),
    ("pm10", "p95", "pm10_24h", 0.95, "24h"),
    ("pm25", "mean", "pm25_24h", None, "annual"),
    ("pm25", "p95", "pm25_24h", 0.95, "24h"),
    ("co", "p95", "co_24h", 0.95, "24h"),
    ("o3", "p90", "o3_8h_max", 0.90, "8h"),
)

# 城市环境空气质量排名技术规定 (环办监测〔2018〕19号): the statistic entering each single index
# and the GB 3095 averaging time of its denominator (annual limits; CO 24-h; O3 8-h).
RANKING_RULE_STATISTICS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "so2": ("mean", "annual"),
        "no2": ("mean", "annual"),
        "pm10": ("mean", "annual"),
        "pm25": ("mean", "annual"),
        "co": ("p95", "24h"),
        "o3": ("p90", "8h"),
    }
)

# HJ 633-2012 表2 / HJ 633-2026 表1 (unchanged): AQI upper bound of each category.
AQI_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("优", 50),
    ("良", 100),
    ("轻度污染", 150),
    ("中度污染", 200),
    ("重度污染", 300),
    ("严重污染", np.inf),
)
GOOD_DAY_AQI_MAX = 100  # 优良天: AQI ≤ 100 (facts file §3)
HEAVY_DAY_AQI_ABOVE = 200  # 重度及以上污染天: AQI > 200 (facts file §3)

# 环办监测〔2016〕120号 and CNEMC practice: dust removes particle data only.
DUST_AFFECTED_POLLUTANTS = ("pm10", "pm25")

# A CO value above the top HJ 633 CO breakpoint (1-h, IAQI 500: 150 mg/m³) is taken to be in
# μg/m³ and refused (nomenclature: never convert a unit silently).
CO_MGM3_MAX = 150.0

_TIE_TOLERANCE = 1e-9  # of the last kept digit; see round_gbt8170
_DAY = pd.Timedelta(days=1)
_HOUR = pd.Timedelta(hours=1)


# --- rounding and elementary statistics -----------------------------------------------------


def _like(template: object, values: np.ndarray) -> float | np.ndarray | pd.Series:
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index, name=template.name)
    if np.ndim(template) == 0 and not isinstance(template, np.ndarray):
        return float(values)
    return values


def round_gbt8170(x: ArrayLike, ndigits: int = 0) -> float | np.ndarray | pd.Series:
    """Round to ``ndigits`` decimals by GB/T 8170 (四舍六入五成双), vectorised.

    Parameters
    ----------
    x : float, array_like or pandas.Series
        Values; NaN and infinities pass through.
    ndigits : int
        Decimals kept; negative for tens, hundreds …

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The same kind as ``x``.

    Notes
    -----
    With :math:`s = x \\cdot 10^{n}`: a dropped part below half rounds down, above half up,
    exactly half to the even last kept digit — ``Decimal.quantize(ROUND_HALF_EVEN)`` applied to
    the decimal value. **Assumptions.** Binary floats rarely hold that decimal value
    (0.35 is 0.3499…; a computed CO mean 0.85 may be 0.8500000000000002), so :math:`s` within
    1e-9 of a half is taken as the exact half. This is the semantics of
    ``Decimal(str)`` for any value written with up to six decimals beyond ``ndigits``; it
    differs from :func:`envbureau.standards.rounding.round_gbt8170` (``repr``-based, scalar)
    only for float noise next to a half, where it gives the value a person would write.

    References
    ----------
    GB/T 8170-2008 数值修约规则, 3.3.1–3.3.4 (negative values: round the absolute value).
    """
    arr = np.asarray(x, dtype=np.float64)
    scale = 10.0 ** abs(ndigits)
    scaled = arr * scale if ndigits >= 0 else arr / scale
    with np.errstate(invalid="ignore"):
        floor = np.floor(scaled)
        tie = np.abs(scaled - floor - 0.5) <= _TIE_TOLERANCE
        even = np.where(np.fmod(floor, 2) == 0, floor, floor + 1)
        rounded = np.where(tie, even, np.floor(scaled + 0.5))
    rounded = np.where(np.isfinite(arr), rounded, arr)
    out = rounded / scale if ndigits >= 0 else rounded * scale
    return _like(x, out + 0.0)  # + 0.0 turns -0.0 into 0.0


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


# --- period statistics ----------------------------------------------------------------------


def _as_day(value: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(BEIJING_TZ).tz_localize(None)
    if stamp != stamp.normalize():
        raise ValueError(f"{value!r} is not a whole day")
    return stamp.as_unit("ns")  # the same result for a date, a string or a Timestamp


def _period_bounds(start: pd.Timestamp, end: pd.Timestamp) -> dict[str, pd.Timestamp]:
    start_local = start.tz_localize(BEIJING_TZ)
    end_local = (end + _DAY).tz_localize(BEIJING_TZ)
    return {
        "start_local": start_local,
        "end_local": end_local,
        "start_utc": start_local.tz_convert("UTC"),
        "end_utc": end_local.tz_convert("UTC"),
    }


@dataclass(frozen=True)
class _Calendar:
    """Month and year blocks of a period and the valid days each needs."""

    month_starts: np.ndarray
    month_required: np.ndarray
    year_starts: np.ndarray
    year_required: np.ndarray  # 0 for a partial calendar year


def _calendar(days: pd.DatetimeIndex, rules: ValidityRules) -> _Calendar:
    month_key = (days.year * 12 + days.month).to_numpy()
    month_starts = np.flatnonzero(np.r_[True, month_key[1:] != month_key[:-1]])
    covered = np.diff(np.r_[month_starts, len(days)])
    in_month = days[month_starts].days_in_month.to_numpy()
    minimum = monthly_minimum_days_gb3095(days[month_starts].month.to_numpy(), rules)
    month_required = (covered * minimum + in_month - 1) // in_month  # pro rata, rounded up
    year_key = days.year.to_numpy()
    year_starts = np.flatnonzero(np.r_[True, year_key[1:] != year_key[:-1]])
    year_covered = np.diff(np.r_[year_starts, len(days)])
    in_year = np.where(days[year_starts].is_leap_year, 366, 365)
    year_required = np.where(year_covered == in_year, rules.min_days_annual, 0)
    return _Calendar(month_starts, month_required, year_starts, year_required)


def _daily_matrix(
    frame: pd.DataFrame, column: str, codes: np.ndarray, day_index: np.ndarray, shape: tuple
) -> np.ndarray:
    matrix = np.full(shape, np.nan)
    matrix[codes, day_index] = frame[column].to_numpy(dtype=np.float64)
    return matrix


def _dust_matrix(
    frame: pd.DataFrame,
    dust: pd.Series | str | None,
    dates: pd.Series,
    codes: np.ndarray,
    day_index: np.ndarray,
    shape: tuple,
) -> np.ndarray:
    matrix = np.zeros(shape, dtype=bool)
    if dust is None:
        return matrix
    if isinstance(dust, str):
        flags = frame[dust].fillna(False).astype(bool).to_numpy()
    else:
        index = pd.DatetimeIndex(pd.to_datetime(dust.index)).normalize()
        flags = pd.Series(dust.to_numpy(), index=index).reindex(dates.to_numpy())
        flags = flags.fillna(False).astype(bool).to_numpy()
    matrix[codes, day_index] = flags
    return matrix


def period_statistics_hj663(
    daily: pd.DataFrame,
    *,
    period_start: dt.date | str | pd.Timestamp,
    period_end: dt.date | str | pd.Timestamp,
    by: str | None = None,
    edition: Edition = "auto",
    grade: Grade = 2,
    rounding: Rounding = "reported",
    dust: pd.Series | str | None = None,
    deduct_dust: bool = True,
) -> pd.DataFrame:
    """Period statistics (annual, quarterly, monthly, any span) with coverage and exceedance.

    Parameters
    ----------
    daily : pandas.DataFrame
        Column ``date`` (Beijing natural day), optional group column ``by`` and the daily
        columns ``so2_24h, no2_24h, pm10_24h, pm25_24h, o3_8h_max`` [μg/m³] and ``co_24h``
        [mg/m³] (any subset), NaN = invalid day. Days outside the period are ignored.
    period_start, period_end : date
        First and last day of the period, inclusive (Beijing).
    by : str, optional
        Group column (``"station"``, ``"city"``): one set of statistics per group.
    edition, grade
        GB 3095 limits compared: those in force on ``period_end`` (``"auto"``), or forced.
    rounding : {"reported", "none"}
        ``"reported"``: daily values and each statistic rounded by GB/T 8170 to the reported
        precision (μg/m³ integer, CO one decimal; multiple two decimals).
    dust : pandas.Series of bool indexed by date, or str (a bool column of ``daily``), optional
        Dust-affected days (沙尘).
    deduct_dust : bool
        Remove PM10 and PM2.5 values of dust days from the statistics (default True, national
        practice: concentrations and composite index 扣沙).

    Returns
    -------
    pandas.DataFrame
        One row per (group,) statistic of :data:`PERIOD_STATISTICS`: [``by``], ``pollutant``,
        ``statistic`` (mean, p98, p95, p90), ``value``, ``unit``, ``averaging`` (limit compared:
        annual, 24h, 8h), ``limit``, ``exceedance_multiple``, ``attains`` (value ≤ limit;
        NA without a value), ``expected_count`` (days in the period), ``observed_count``
        (valid days used), ``excluded_count`` (dust days removed), ``months_below_minimum``,
        ``years_below_minimum``, ``valid``, ``limits`` (e.g. "GB 3095-2012 二级"),
        ``start_local``, ``end_local`` (exclusive), ``start_utc``, ``end_utc``.

    Notes
    -----
    Mean :math:`\\bar C = \\frac{1}{n}\\sum C_d`; percentiles by :func:`percentile_hj663`;
    exceedance multiple by :func:`exceedance_multiple_hj663`. Validity (GB 3095 Table 4,
    annual mean): every calendar month ≥ 27 valid days (February ≥ 25) and every whole calendar
    year ≥ 324. **Assumptions.** The same minima apply to the percentiles and to shorter
    periods (HJ 663: month and quarter follow the annual rule); a month only partly inside the
    period needs :math:`\\lceil d_{covered} \\cdot min / d_{month} \\rceil` days; coverage is
    counted before the dust deduction (a deducted day is not a missing day).

    References
    ----------
    HJ 663-2013 annual evaluation items and percentile rule (facts file §2.3, §2.4); GB 3095
    Table 1 and Table 4; 环办监测〔2016〕120号 (dust).
    """
    _check_rounding(rounding)
    start, end = _as_day(period_start), _as_day(period_end)
    if end < start:
        raise ValueError("period_end is before period_start")
    required = ["date"] + ([by] if by else [])
    missing = [c for c in required if c not in daily.columns]
    if missing:
        raise ValueError(f"daily values lack the columns {missing}")
    dates = pd.to_datetime(daily["date"])
    if dates.dt.tz is not None:
        dates = dates.dt.tz_convert(BEIJING_TZ).dt.tz_localize(None)
    if (dates != dates.dt.normalize()).any():
        raise ValueError("column 'date': natural days expected (no time of day)")
    inside = ((dates >= start) & (dates <= end)).to_numpy()
    frame, dates = daily.loc[inside], dates[inside]
    if by:  # every group of the input, also one without a day inside the period
        groups = pd.Index(daily[by].dropna().drop_duplicates().sort_values())
        codes = groups.get_indexer(frame[by])
    else:
        codes, groups = np.zeros(len(frame), dtype=np.int64), pd.Index([None])
    days = pd.date_range(start, end, freq="D")
    shape = (len(groups), len(days))
    day_index = (dates - start).dt.days.to_numpy()
    if pd.Series(codes * len(days) + day_index).duplicated().any():
        raise ValueError("duplicate daily values for one day" + (f" and {by}" if by else ""))

    limit_set = limits_gb3095(end.date(), edition=edition, grade=grade)
    calendar = _calendar(days, limit_set.validity)
    dust_matrix = _dust_matrix(frame, dust, dates, codes, day_index, shape)
    columns = {column for _, _, column, _, _ in PERIOD_STATISTICS if column in frame.columns}
    if not columns:
        raise ValueError("daily values have none of the columns of PERIOD_STATISTICS")
    _check_concentrations(frame[sorted(columns)].to_numpy(np.float64), tuple(sorted(columns)))

    parts = []
    for pollutant, statistic, column, p, averaging in PERIOD_STATISTICS:
        if column not in columns:
            continue
        matrix = _daily_matrix(frame, column, codes, day_index, shape)
        matrix = _round_reported(matrix, pollutant, rounding)
        present = ~np.isnan(matrix)
        months_short = np.sum(
            np.add.reduceat(present, calendar.month_starts, axis=1) < calendar.month_required,
            axis=1,
        )
        years_short = np.sum(
            np.add.reduceat(present, calendar.year_starts, axis=1) < calendar.year_required,
            axis=1,
        )
        excluded = present & dust_matrix
        if not (deduct_dust and pollutant in DUST_AFFECTED_POLLUTANTS):
            excluded = np.zeros(shape, dtype=bool)
        used = np.where(excluded, np.nan, matrix)
        observed = np.sum(~np.isnan(used), axis=1)
        if p is None:
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.nansum(used, axis=1) / observed
        else:
            value = np.asarray(percentile_hj663(used, p, axis=1))
        value = _round_reported(np.where(observed > 0, value, np.nan), pollutant, rounding)
        limit = limit_set.limit(pollutant, averaging)
        multiple = np.asarray(exceedance_multiple_hj663(value, limit))
        multiple = _round_reported(multiple, "exceedance_multiple", rounding)
        part = pd.DataFrame(
            {
                "pollutant": pollutant,
                "statistic": statistic,
                "value": value,
                "unit": UNITS[pollutant],
                "averaging": averaging,
                "limit": limit,
                "exceedance_multiple": multiple,
                "attains": pd.array(np.where(np.isnan(value), None, value <= limit), "boolean"),
                "expected_count": len(days),
                "observed_count": observed,
                "excluded_count": excluded.sum(axis=1),
                "months_below_minimum": months_short,
                "years_below_minimum": years_short,
                "valid": (months_short == 0) & (years_short == 0) & ~np.isnan(value),
                "limits": limit_set.label,
                **_period_bounds(start, end),
            }
        )
        if by:
            part.insert(0, by, groups.to_numpy())
        part["_order"] = len(parts)
        parts.append(part)
    result = pd.concat(parts, ignore_index=True)
    keys = [by, "_order"] if by else ["_order"]
    return result.sort_values(keys, kind="stable").drop(columns="_order").reset_index(drop=True)


def attainment_hj663(statistics: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Whether each pollutant meets the standard over the period (年度达标).

    Parameters
    ----------
    statistics : pandas.DataFrame
        The result of :func:`period_statistics_hj663`.
    by : str, optional
        The group column used there.

    Returns
    -------
    pandas.DataFrame
        One row per ([``by``,] ``pollutant``): ``attains`` (boolean; NA when a statistic has
        no value and none fails), ``valid`` (all statistics valid), ``statistics`` (count).
        A city (station) attains when all six pollutants attain.

    Notes
    -----
    A pollutant attains only when every one of its period statistics is within the limit of
    the same averaging time (annual mean ≤ annual limit and percentile ≤ 24-h/8-h limit).

    References
    ----------
    HJ 663-2013 annual evaluation (年评价) and attainment (facts file §2.3).
    """
    keys = [by, "pollutant"] if by else ["pollutant"]
    attains = statistics["attains"].astype("boolean")
    flags = statistics[keys].assign(
        fails=attains.eq(False).fillna(False).astype(bool),
        unknown=attains.isna(),
        valid=statistics["valid"].astype(bool),
    )
    grouped = flags.groupby(keys, sort=False)
    fails, unknown = grouped["fails"].any(), grouped["unknown"].any()
    result = pd.DataFrame(
        {
            "attains": pd.array(np.where(fails, False, np.where(unknown, None, True)), "boolean"),
            "valid": grouped["valid"].all().to_numpy(),
            "statistics": grouped.size().to_numpy(),
        },
        index=fails.index,
    )
    return result.reset_index()


# --- comprehensive index and ranking --------------------------------------------------------


def composite_index_inputs(statistics: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """The six concentrations of the comprehensive index from period statistics.

    Parameters
    ----------
    statistics : pandas.DataFrame
        The result of :func:`period_statistics_hj663` (with dust deducted as wanted).
    by : str, optional
        The group column used there.

    Returns
    -------
    pandas.DataFrame
        One row per group (index ``by``; a single row otherwise): ``so2, no2, pm10, pm25``
        (period means) [μg/m³], ``co`` (P95) [mg/m³], ``o3`` (P90 of daily max 8-h) [μg/m³]
        and ``valid`` (all six statistics valid).

    References
    ----------
    环办监测〔2018〕19号 (城市环境空气质量排名技术规定).
    """
    pollutants = list(RANKING_RULE_STATISTICS)
    wanted = {(p, statistic) for p, (statistic, _) in RANKING_RULE_STATISTICS.items()}
    pairs = zip(statistics["pollutant"], statistics["statistic"], strict=True)
    rows = statistics[[pair in wanted for pair in pairs]]
    table = pd.DataFrame(
        {
            "group": rows[by].to_numpy() if by else np.zeros(len(rows), dtype=np.int64),
            "pollutant": rows["pollutant"].to_numpy(),
            "value": rows["value"].to_numpy(dtype=np.float64),
            "valid": rows["valid"].to_numpy(dtype=bool),
        }
    )
    result = table.pivot(index="group", columns="pollutant", values="value")
    result = result.reindex(columns=pollutants)
    grouped = table.groupby("group")
    result["valid"] = grouped["valid"].all() & (grouped["pollutant"].nunique() == len(pollutants))
    result.columns.name = None
    result.index.name = by
    return result if by else result.reset_index(drop=True)


def composite_index_ranking_rule(
    concentrations: pd.DataFrame | pd.Series | Mapping[str, float],
    *,
    limits_edition: Edition = "2012",
    when: dt.date | str | pd.Timestamp | None = None,
    weights: Mapping[str, float] | None = None,
    rounding: Rounding = "reported",
) -> pd.DataFrame:
    """Single indices and the comprehensive index (环境空气质量综合指数).

    Parameters
    ----------
    concentrations : DataFrame (one row per city/station), Series or mapping
        ``so2, no2, pm10, pm25`` period means [μg/m³], ``co`` P95 of daily means [mg/m³],
        ``o3`` P90 of daily max 8-h means [μg/m³]; an optional ``valid`` column passes through.
    limits_edition : {"2012", "2026", "auto"}
        Denominators: ``"2012"`` (default) the GB 3095-2012 grade II limits of the ranking rule
        as written; ``"2026"``/``"auto"`` the GB 3095 grade II limits in force on ``when``.
    when : date, optional
        Period end; needed unless ``limits_edition="2012"``.
    weights : mapping, optional
        Weight of each single index in the sum (default 1 for all: the verified unweighted
        rule). Weighted variants (PM2.5 × 3, NO2 × 2, O3 × 2) are unverified.
    rounding : {"reported", "none"}
        ``"reported"``: concentrations rounded to their reported precision first; single
        indices and the index reported to two decimals by GB/T 8170.

    Returns
    -------
    pandas.DataFrame
        Same index as the input: ``i_so2 … i_o3`` (single indices), ``composite_index``,
        ``max_index_pollutant`` (largest single index; ties joined by ``;``), ``limits``, and
        ``valid`` when given. NaN when a concentration is missing.

    Notes
    -----
    :math:`I_i = C_i / S_i`, :math:`I_{sum} = \\sum_i w_i I_i` over SO2, NO2, PM10, PM2.5 (S =
    annual limit 60, 40, 70, 35 μg/m³), CO (S = 24-h limit 4 mg/m³) and O3 (S = 8-h limit
    160 μg/m³). Larger is worse. **Assumptions.** The index is the rounded sum of the
    unrounded single indices (so it may differ by 0.01 from the sum of the printed ones); the
    ranking rule predates GB 3095-2026, so the default keeps its 2012 denominators.

    References
    ----------
    城市环境空气质量排名技术规定 (环办〔2014〕64号, revised 环办监测〔2018〕19号); GB 3095 Table 1.
    """
    _check_rounding(rounding)
    if isinstance(concentrations, pd.DataFrame):
        frame = concentrations
    else:
        frame = pd.DataFrame([dict(concentrations)])
    pollutants = list(RANKING_RULE_STATISTICS)
    missing = [p for p in pollutants if p not in frame.columns]
    if missing:
        raise ValueError(f"concentrations lack {missing}")
    if limits_edition != "2012" and when is None:
        raise ValueError("limits_edition other than '2012' needs the period end `when`")
    limit_set = limits_gb3095(when or "2012-12-31", edition=limits_edition, grade=2)
    weights = {p: 1.0 for p in pollutants} | dict(weights or {})
    values = frame[pollutants].to_numpy(dtype=np.float64)
    _check_concentrations(values, tuple(pollutants))
    result = pd.DataFrame(index=frame.index)
    total = np.zeros(len(frame))
    indices = np.empty_like(values)
    for j, pollutant in enumerate(pollutants):
        conc = _round_reported(values[:, j], pollutant, rounding)
        limit = limit_set.limit(pollutant, RANKING_RULE_STATISTICS[pollutant][1])
        indices[:, j] = conc / limit
        total = total + weights[pollutant] * indices[:, j]
        result[f"i_{pollutant}"] = _round_reported(indices[:, j], "single_index", rounding)
    result["composite_index"] = _round_reported(total, "composite_index", rounding)
    is_max = indices == np.max(np.where(np.isnan(indices), -np.inf, indices), axis=1)[:, None]
    labels = np.full(len(frame), "", dtype=object)
    for j, pollutant in enumerate(pollutants):
        name = pollutant.upper().replace("PM25", "PM2.5")
        joined = np.where(labels == "", name, labels + ";" + name)
        labels = np.where(is_max[:, j], joined, labels)
    result["max_index_pollutant"] = np.where(np.isnan(total), None, labels)
    result["limits"] = limit_set.label
    if "valid" in frame.columns:
        result["valid"] = frame["valid"].to_numpy()
    return result


def rank_by_composite_index(composite: pd.Series, *, ndigits: int | None = 2) -> pd.Series:
    """Rank cities by comprehensive index, ascending (1 = best), ties sharing a rank (并列).

    Parameters
    ----------
    composite : pandas.Series
        Comprehensive index per city.
    ndigits : int or None
        Compare the values as reported (GB/T 8170 to ``ndigits`` decimals, default 2);
        None compares the values as given.

    Returns
    -------
    pandas.Series of Int64
        Rank per city; tied cities share the smallest rank and the next rank is skipped
        (1, 2, 2, 4); NA where the index is missing.

    References
    ----------
    环办监测〔2018〕19号 (ranking ascending by comprehensive index; equal values tied).
    """
    values = composite.astype(np.float64)
    if ndigits is not None:
        values = round_gbt8170(values, ndigits)
    return values.rank(method="min", ascending=True).astype("Int64")


# --- day counts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How much of the data a value needed was there, and its period in both clocks.

    Attributes
    ----------
    expected_count, observed_count : int
        Values the period should have and values present.
    valid : bool
        Whether the value is valid under the rule named in ``rule``.
    rule : str
        The rule applied.
    start_local, end_local : pandas.Timestamp
        Period start and (exclusive) end in Beijing time.
    start_utc, end_utc : pandas.Timestamp
        The same instants in UTC.
    """

    expected_count: int
    observed_count: int
    valid: bool
    rule: str
    start_local: pd.Timestamp
    end_local: pd.Timestamp
    start_utc: pd.Timestamp
    end_utc: pd.Timestamp

    def as_dict(self) -> dict[str, object]:
        """The coverage in the indicator registry's shape (expected, observed, valid, rule)."""
        return {
            "expected": self.expected_count,
            "observed": self.observed_count,
            "valid": self.valid,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class DayCounts:
    """Day counts of a period from daily AQI values.

    Attributes
    ----------
    category_days : Mapping[str, int]
        Days in each category 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染 [d].
    valid_days : int
        Denominator: days with a valid AQI, less dust days when ``dust_deducted`` [d].
    good_days, exceedance_days, heavy_days : int
        AQI ≤ 100 (优良), AQI > 100 (超标), AQI > 200 (重度及以上) [d].
    good_day_rate, heavy_day_rate : float
        Shares of ``valid_days`` [%], unrounded; NaN without valid days.
    good_day_rate_reported, heavy_day_rate_reported : float
        The same rounded to one decimal by GB/T 8170 [%].
    category_rates : Mapping[str, float]
        Share of each category [%], unrounded.
    dust_days : int
        Days with a valid AQI flagged as dust-affected [d].
    dust_deducted : bool
        Whether dust days were removed (扣沙) or kept (保留沙尘).
    coverage : Coverage
    """

    category_days: Mapping[str, int]
    valid_days: int
    good_days: int
    exceedance_days: int
    heavy_days: int
    good_day_rate: float
    heavy_day_rate: float
    good_day_rate_reported: float
    heavy_day_rate_reported: float
    category_rates: Mapping[str, float]
    dust_days: int
    dust_deducted: bool
    coverage: Coverage


def day_counts_hj663(
    aqi: pd.Series,
    *,
    period_start: dt.date | str | pd.Timestamp,
    period_end: dt.date | str | pd.Timestamp,
    dust: pd.Series | None = None,
    deduct_dust: bool = False,
) -> DayCounts:
    """Days by AQI category, good days, good-day rate and heavy days of a period.

    Parameters
    ----------
    aqi : pandas.Series
        Daily AQI (integers, e.g. the Int64 ``aqi`` of the HJ 633 engine; NaN/NA = no valid
        AQI) indexed by the Beijing natural day.
    period_start, period_end : date
        First and last day of the period, inclusive.
    dust : pandas.Series of bool indexed by date, optional
        Dust-affected days (沙尘); missing dates count as not affected.
    deduct_dust : bool
        Remove dust days from every count and from the denominator (扣沙). Default False:
        national practice keeps dust days in the good-day and heavy-day rates (保留沙尘).
        Call twice to report both.

    Returns
    -------
    DayCounts

    Raises
    ------
    ValueError
        Non-integer or negative AQI, duplicate days, days outside the period.

    Notes
    -----
    Good-day rate :math:`R = N_{AQI \\le 100} / N_{valid} \\times 100\\%`; heavy-day rate the
    same with :math:`AQI > 200`; category shares use the same denominator. Reported to one
    decimal. **Assumptions.** The day-level rule of the 2016 dust notice was not retrieved:
    deduction removes the whole day. GB 3095 sets no minimum of days for a day count, so
    ``coverage.valid`` only requires one valid day; the counts show the coverage.

    References
    ----------
    HJ 663-2013 / facts file §3 (优良天数比例); HJ 633-2012 表2, HJ 633-2026 表1 (categories);
    环办监测〔2016〕120号 (dust).
    """
    start, end = _as_day(period_start), _as_day(period_end)
    if end < start:
        raise ValueError("period_end is before period_start")
    index = pd.DatetimeIndex(pd.to_datetime(aqi.index))
    if (index != index.normalize()).any() or index.has_duplicates:
        raise ValueError("aqi must be indexed by distinct natural days")
    if ((index < start) | (index > end)).any():
        raise ValueError("aqi has days outside the period")
    values = aqi.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)  # Int64 + NA
    present = ~np.isnan(values)
    if (values[present] < 0).any() or (values[present] != np.round(values[present])).any():
        raise ValueError("AQI values must be non-negative integers (HJ 633 rounds them up)")
    flags = np.zeros(len(values), dtype=bool)
    if dust is not None:
        dust_index = pd.DatetimeIndex(pd.to_datetime(dust.index)).normalize()
        aligned = pd.Series(dust.to_numpy(), index=dust_index).reindex(index)
        flags = aligned.fillna(False).astype(bool).to_numpy()
    dust_days = int(np.sum(present & flags))
    used = values[present & ~flags] if deduct_dust else values[present]

    uppers = np.array([upper for _, upper in AQI_CATEGORIES])
    category = np.searchsorted(uppers, used, side="left")
    per_category = np.bincount(category, minlength=len(AQI_CATEGORIES))
    names = [name for name, _ in AQI_CATEGORIES]
    n = len(used)
    good = int(np.sum(used <= GOOD_DAY_AQI_MAX))
    heavy = int(np.sum(used > HEAVY_DAY_AQI_ABOVE))

    def rate(count: int) -> float:
        return 100.0 * count / n if n else float("nan")

    period_days = (end - start).days + 1
    coverage = Coverage(
        expected_count=period_days,
        observed_count=int(present.sum()),
        valid=bool(n > 0),
        rule="daily AQI present; GB 3095 sets no minimum for day counts",
        **_period_bounds(start, end),
    )
    return DayCounts(
        category_days=MappingProxyType(dict(zip(names, map(int, per_category), strict=True))),
        valid_days=n,
        good_days=good,
        exceedance_days=n - good,
        heavy_days=heavy,
        good_day_rate=rate(good),
        heavy_day_rate=rate(heavy),
        good_day_rate_reported=float(round_gbt8170(rate(good), REPORTED_DECIMALS["rate"])),
        heavy_day_rate_reported=float(round_gbt8170(rate(heavy), REPORTED_DECIMALS["rate"])),
        category_rates=MappingProxyType(
            {name: rate(int(c)) for name, c in zip(names, per_category, strict=True)}
        ),
        dust_days=dust_days,
        dust_deducted=deduct_dust,
        coverage=coverage,
    )


# --- year on year ---------------------------------------------------------------------------

_CHANGE_KIND = MappingProxyType(
    {"rate": "points", "days": "difference"}
)  # all other quantities: percent


def change_year_on_year(
    current: ArrayLike,
    previous: ArrayLike,
    *,
    quantity: str,
    from_reported: bool = True,
    round_result: bool = True,
) -> float | np.ndarray | pd.Series:
    """Year-on-year change (同比) as reported: percent, percentage points or days.

    Parameters
    ----------
    current, previous : float, array_like or Series
        This period's and the base period's values.
    quantity : str
        A key of :data:`REPORTED_DECIMALS`: a pollutant (``so2 … pm25``, concentrations
        [μg/m³; CO mg/m³]), ``composite_index``, ``single_index``, ``exceedance_multiple``
        → change in percent; ``rate`` (good-day rate etc. [%]) → percentage points;
        ``days`` → difference in days.
    from_reported : bool
        Compute from the values as reported (rounded by GB/T 8170 to the quantity's precision;
        default) or from the raw values.
    round_result : bool
        Round the change to one decimal (days: integer) by GB/T 8170.

    Returns
    -------
    float, numpy.ndarray or Series
        Negative = decrease. Percent changes are NaN when the base value is 0.

    Notes
    -----
    Percent: :math:`\\Delta = (X_t - X_{t-1}) / X_{t-1} \\times 100`; points:
    :math:`\\Delta = R_t - R_{t-1}`. **Assumptions.** Published changes can be checked by a
    reader from the published figures, so the default computes from the reported values
    (PM2.5 35 vs 38 μg/m³ → −7.9 %); raw values give the change of the underlying data.

    References
    ----------
    环办监测〔2018〕19号 (change rate of the comprehensive index); GB/T 8170-2008 3.3;
    facts file §2.6 (reported precision).
    """
    if quantity not in REPORTED_DECIMALS:
        raise ValueError(f"quantity must be one of {sorted(REPORTED_DECIMALS)}")
    now = np.asarray(current, dtype=np.float64)
    base = np.asarray(previous, dtype=np.float64)
    if from_reported:
        now = np.asarray(round_gbt8170(now, REPORTED_DECIMALS[quantity]))
        base = np.asarray(round_gbt8170(base, REPORTED_DECIMALS[quantity]))
    kind = _CHANGE_KIND.get(quantity, "percent")
    if kind == "percent":
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            change = np.where(base != 0, (now - base) / base * 100.0, np.nan)
    else:
        change = now - base
    if round_result:
        change = np.asarray(round_gbt8170(change, 0 if kind == "difference" else CHANGE_DECIMALS))
    template = current if isinstance(current, pd.Series) else previous
    return _like(template, change)
