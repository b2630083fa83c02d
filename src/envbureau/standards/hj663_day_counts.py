"""HJ 663 day counts: days by AQI category, good days (优良天), good-day and heavy-day rates.

Counts a period's daily AQI values (from :mod:`.hj633`) by the AQI levels and categories of
HJ 633-2012 表2 / HJ 633-2026 表1 (:mod:`.hj633_tables`), with the good-day rate of HJ 663 and
the dust-day rule of 环办监测〔2016〕120号; the result carries its :class:`Coverage`. Pure
numpy/pandas, no I/O.

Assumptions
-----------
* **Dust** (沙尘) days are kept in the day counts by default (national practice 保留沙尘, facts
  file §3); ``deduct_dust=True`` removes the whole day (the day-level rule of the 2016 notice
  was not retrieved).
* **Coverage.** GB 3095 sets no minimum of days for a day count: one valid day suffices, and
  the counts show the coverage.

References
----------
HJ 663-2013 / facts file §3 (优良天数比例); HJ 633-2012 表2, HJ 633-2026 表1 (levels and
categories); 环办监测〔2016〕120号 (dust); GB/T 8170-2008 3.3 (rates to one decimal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from envbureau.standards import hj633
from envbureau.standards import hj633_tables as tables
from envbureau.standards.hj663 import REPORTED_DECIMALS
from envbureau.standards.hj663_period import _as_day, _period_bounds
from envbureau.standards.rounding import round_gbt8170

__all__ = ["GOOD_DAY_AQI_MAX", "HEAVY_DAY_AQI_ABOVE", "Coverage", "DayCounts", "day_counts_hj663"]

GOOD_DAY_AQI_MAX = tables.LEVEL_UPPER_AQI[1]  # 优良天: AQI ≤ 100, levels 1–2 (facts file §3)
HEAVY_DAY_AQI_ABOVE = tables.LEVEL_UPPER_AQI[3]  # 重度及以上污染天: AQI > 200 (facts file §3)


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

    per_category = np.bincount(hj633.aqi_level(used) - 1, minlength=len(tables.CATEGORIES))
    names = tables.CATEGORIES
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
