"""Invariants of the HJ 663 daily and city values and percentile, checked with hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from envbureau.standards.hj663 import (
    HOURLY_COLUMNS,
    city_values_hj663,
    daily_values_hj663,
    percentile_hj663,
)
from envbureau.standards.hj663_period import period_statistics_hj663

concentrations = st.floats(min_value=0, max_value=1000, allow_nan=False)
samples = st.lists(concentrations, min_size=1, max_size=400)
fractions = st.floats(min_value=0, max_value=1)


@given(samples, fractions, fractions)
def test_percentile_hj663_monotone_in_p_and_within_range(values, p1, p2) -> None:
    low, high = sorted((p1, p2))
    m_low, m_high = percentile_hj663(values, low), percentile_hj663(values, high)
    assert min(values) <= m_low <= m_high <= max(values)


@given(samples, fractions)
def test_percentile_hj663_is_numpy_linear_percentile(values, p) -> None:
    expected = np.percentile(values, 100 * p, method="linear")
    # Ranks within 1e-9 of an integer are snapped to it: allow 1e-9 of the value spread.
    tolerance = 1e-9 * (max(values) - min(values) + 1)
    assert percentile_hj663(values, p) == pytest.approx(expected, rel=1e-9, abs=tolerance)


@given(samples, fractions, st.integers(1, 50))
def test_percentile_hj663_ignores_nan(values, p, n_missing) -> None:
    with_nan = np.r_[values, np.full(n_missing, np.nan)]
    assert percentile_hj663(np.random.default_rng(0).permutation(with_nan), p) == pytest.approx(
        percentile_hj663(values, p), abs=1e-9
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 500), st.integers(1, 40))
def test_mean_of_constant_series_is_the_constant(level: int, n_days: int) -> None:
    days = pd.date_range("2014-03-01", periods=n_days, freq="D")
    times = pd.date_range(days[0] + pd.Timedelta(hours=1), periods=24 * n_days, freq="h")
    hourly = pd.DataFrame({"station": "A", "time": times})
    for column in HOURLY_COLUMNS:
        hourly[column] = level / 10 if column == "co" else float(level)  # CO 0.0 … 50.0
    daily = daily_values_hj663(hourly)
    assert (daily["pm25_24h"] == level).all() and (daily["o3_8h_max"] == level).all()
    np.testing.assert_allclose(daily["co_24h"], level / 10, atol=1e-12)
    result = period_statistics_hj663(daily, period_start=days[0], period_end=days[-1])
    values = result.set_index(["pollutant", "statistic"])["value"]
    assert values[("pm25", "mean")] == level and values[("pm10", "p95")] == level
    assert values[("o3", "p90")] == level
    assert values[("co", "p95")] == pytest.approx(level / 10, abs=1e-12)


@given(hnp.arrays(np.float64, st.integers(1, 12), elements=concentrations))
def test_city_value_between_station_extremes(station_values) -> None:
    frame = pd.DataFrame(
        {
            "station": [f"S{i}" for i in range(len(station_values))],
            "date": pd.Timestamp("2014-01-01"),
            "pm25_24h": station_values,
        }
    )
    city = city_values_hj663(frame, rounding="none").iloc[0]["pm25_24h"]
    assert station_values.min() - 1e-9 <= city <= station_values.max() + 1e-9
