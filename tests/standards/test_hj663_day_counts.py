"""HJ 663 day counts: days by AQI category (HJ 633 表2 / 表1 bounds from both sides), good-day
and heavy-day rates, dust days kept or deducted, and the counts' invariants (hypothesis).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from envbureau.standards.hj663_day_counts import day_counts_hj663

BOUNDARY_AQI = [50, 51, 100, 101, 150, 151, 200, 201, 300, 301, np.nan]


def boundary_series() -> pd.Series:
    return pd.Series(BOUNDARY_AQI, index=pd.date_range("2014-05-01", periods=11, freq="D"))


def test_day_counts_hj663_category_boundaries_both_sides() -> None:
    """HJ 633 表2 bounds 50/51, 100/101, 150/151, 200/201, 300/301."""
    counts = day_counts_hj663(boundary_series(), period_start="2014-05-01", period_end="2014-05-31")
    assert dict(counts.category_days) == {
        "优": 1,
        "良": 2,
        "轻度污染": 2,
        "中度污染": 2,
        "重度污染": 2,
        "严重污染": 1,
    }
    assert (counts.valid_days, counts.good_days, counts.exceedance_days) == (10, 3, 7)
    assert counts.heavy_days == 3
    assert counts.good_day_rate == pytest.approx(30.0) and counts.good_day_rate_reported == 30.0
    assert counts.category_rates["良"] == pytest.approx(20.0)
    assert (counts.coverage.expected_count, counts.coverage.observed_count) == (31, 10)
    assert counts.coverage.valid
    assert counts.coverage.end_utc == pd.Timestamp("2014-05-31T16:00Z")
    assert counts.coverage.as_dict()["expected"] == 31


def test_day_counts_hj663_dust_kept_by_default_and_deducted_on_request() -> None:
    aqi = boundary_series()
    dust = pd.Series([False] * 9 + [True, True], index=aqi.index)  # 301 and the missing day
    kept = day_counts_hj663(aqi, period_start="2014-05-01", period_end="2014-05-11", dust=dust)
    deducted = day_counts_hj663(
        aqi, period_start="2014-05-01", period_end="2014-05-11", dust=dust, deduct_dust=True
    )
    assert (kept.dust_days, kept.dust_deducted, kept.valid_days) == (1, False, 10)
    assert (deducted.dust_days, deducted.dust_deducted, deducted.valid_days) == (1, True, 9)
    assert deducted.good_day_rate_reported == 33.3  # 3/9
    assert deducted.heavy_day_rate_reported == 22.2  # 2/9
    assert deducted.category_days["严重污染"] == 0
    assert deducted.coverage.observed_count == 10


def test_day_counts_hj663_rounding_and_empty() -> None:
    days = pd.date_range("2014-01-01", periods=16, freq="D")
    aqi = pd.Series([40] + [150] * 15, index=days)  # 1 of 16 = 6.25 % → 6.2 (even)
    counts = day_counts_hj663(aqi, period_start=days[0], period_end=days[-1])
    assert counts.good_day_rate == 6.25 and counts.good_day_rate_reported == 6.2
    aqi = pd.Series([40, 150, 80], index=days[:3])  # 2 of 3 = 66.666… → 66.7
    counts = day_counts_hj663(aqi, period_start=days[0], period_end=days[2])
    assert counts.good_day_rate_reported == 66.7
    empty = pd.Series([np.nan], index=pd.to_datetime(["2014-01-01"]))
    counts = day_counts_hj663(empty, period_start="2014-01-01", period_end="2014-01-01")
    assert counts.valid_days == 0 and math.isnan(counts.good_day_rate)
    assert not counts.coverage.valid


def test_day_counts_hj663_accepts_nullable_integers() -> None:
    aqi = boundary_series().astype("Int64")  # as the HJ 633 engine returns it, NA for NaN
    counts = day_counts_hj663(aqi, period_start="2014-05-01", period_end="2014-05-11")
    assert (counts.valid_days, counts.good_days, counts.heavy_days) == (10, 3, 3)


def test_day_counts_hj663_rejects_bad_input() -> None:
    index = pd.date_range("2014-01-01", periods=2, freq="D")
    kw = {"period_start": "2014-01-01", "period_end": "2014-01-31"}
    with pytest.raises(ValueError, match="integers"):
        day_counts_hj663(pd.Series([50.5, 60], index=index), **kw)
    with pytest.raises(ValueError, match="integers"):
        day_counts_hj663(pd.Series([-1, 60], index=index), **kw)
    with pytest.raises(ValueError, match="outside"):
        day_counts_hj663(
            pd.Series([50, 60], index=index), period_start="2014-01-02", period_end="2014-01-31"
        )
    with pytest.raises(ValueError, match="distinct"):
        day_counts_hj663(pd.Series([50, 60], index=[index[0], index[0]]), **kw)


@given(hnp.arrays(np.float64, st.integers(1, 120), elements=st.integers(0, 500).map(float)))
def test_good_day_rate_in_0_100_and_counts_add_up(aqi_values) -> None:
    index = pd.date_range("2014-01-01", periods=len(aqi_values), freq="D")
    aqi = pd.Series(aqi_values, index=index)
    dust = pd.Series(np.arange(len(aqi)) % 7 == 0, index=index)
    end = index[-1]
    for deduct in (False, True):
        counts = day_counts_hj663(
            aqi, period_start=index[0], period_end=end, dust=dust, deduct_dust=deduct
        )
        assert sum(counts.category_days.values()) == counts.valid_days
        assert counts.good_days + counts.exceedance_days == counts.valid_days
        if counts.valid_days:
            assert 0.0 <= counts.good_day_rate <= 100.0
            assert 0.0 <= counts.good_day_rate_reported <= 100.0
            assert sum(counts.category_rates.values()) == pytest.approx(100.0)
