"""HJ 663 period evaluation: period statistics, attainment and year-on-year change.

Implements the annual evaluation of HJ 663-2013 (and of HJ 663-2026 as far as its text is
known), applied to any period (year, quarter, month, custom span): each pollutant's evaluation
items (mean, P98/P95/P90 of the daily values), their validity by the minima of GB 3095 Table 4,
the exceedance multiple and the attainment against the GB 3095 limits, the dust deduction of
环办监测〔2016〕120号, and the year-on-year change (同比) as reported. Input: the daily values
of :func:`.hj663.daily_values_hj663` or :func:`.hj663.city_values_hj663`. Pure numpy/pandas, no
I/O.

Assumptions
-----------
Decisions taken where the standards (or what is known of them) are silent:

* **Period statistics keep their value** and carry ``valid=False`` when the coverage falls
  short (they are end products), unlike the NaN of daily and city values.
* **Rounding** as in :mod:`.hj663` (``rounding="reported"``): daily values and each statistic
  are rounded by GB/T 8170 to :data:`.hj663.REPORTED_DECIMALS` before the next step.
* **Period validity** applies the annual-mean minima to every period statistic (percentiles
  too): each calendar month of the period ≥ 27 valid days (February ≥ 25; a partial month
  pro rata, rounded up) and each whole calendar year ≥ 324.
* **Dust** (沙尘): deducted from PM10/PM2.5 period statistics, and hence from the composite
  index of :mod:`.ranking`, by default (CNEMC practice, facts file §3); a parameter.

References
----------
HJ 663-2013 annual evaluation items, percentile rule and attainment (facts file §2.3, §2.4);
GB 3095-2012 / GB 3095-2026 Table 1, Table 4; GB/T 8170-2008 3.3; 环办监测〔2016〕120号;
环办监测〔2018〕19号 (change rate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from envbureau.standards.gb3095 import (
    BEIJING_TZ,
    UNITS,
    Edition,
    Grade,
    ValidityRules,
    limits_gb3095,
    monthly_minimum_days_gb3095,
)
from envbureau.standards.hj663 import (
    REPORTED_DECIMALS,
    ArrayLike,
    Rounding,
    _check_concentrations,
    _check_rounding,
    _round_reported,
    exceedance_multiple_hj663,
    percentile_hj663,
)
from envbureau.standards.rounding import _like, round_gbt8170

__all__ = [
    "CHANGE_DECIMALS",
    "PERIOD_STATISTICS",
    "attainment_hj663",
    "change_year_on_year",
    "period_statistics_hj663",
]

#: None as a 0-d object array: what np.where makes of a bare None (numpy's stubs refuse one).
_NONE = np.array(None, dtype=object)

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

# 环办监测〔2016〕120号 and CNEMC practice: dust removes particle data only.
DUST_AFFECTED_POLLUTANTS = ("pm10", "pm25")

_DAY = pd.Timedelta(days=1)


# --- period bounds and calendar -------------------------------------------------------------


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


# --- period statistics and attainment -------------------------------------------------------


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
    Mean :math:`\\bar C = \\frac{1}{n}\\sum C_d`; percentiles by
    :func:`.hj663.percentile_hj663`; exceedance multiple by
    :func:`.hj663.exceedance_multiple_hj663`. Validity (GB 3095 Table 4, annual mean): every
    calendar month ≥ 27 valid days (February ≥ 25) and every whole calendar year ≥ 324.
    **Assumptions.** The same minima apply to the percentiles and to shorter periods (HJ 663:
    month and quarter follow the annual rule); a month only partly inside the period needs
    :math:`\\lceil d_{covered} \\cdot min / d_{month} \\rceil` days; coverage is counted
    before the dust deduction (a deducted day is not a missing day).

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

    parts: list[pd.DataFrame] = []
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
                "attains": pd.array(np.where(np.isnan(value), _NONE, value <= limit), "boolean"),
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
            "attains": pd.array(np.where(fails, False, np.where(unknown, _NONE, True)), "boolean"),
            "valid": grouped["valid"].all().to_numpy(),
            "statistics": grouped.size().to_numpy(),
        },
        index=fails.index,
    )
    return result.reset_index()


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
        A key of :data:`.hj663.REPORTED_DECIMALS`: a pollutant (``so2 … pm25``, concentrations
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
