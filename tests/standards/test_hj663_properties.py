"""Invariants of the HJ 663 statistics, checked with hypothesis."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from envbureau.standards.hj663 import (
    HOURLY_COLUMNS,
    RANKING_RULE_STATISTICS,
    change_year_on_year,
    city_values_hj663,
    composite_index_ranking_rule,
    daily_values_hj663,
    day_counts_hj663,
    percentile_hj663,
    period_statistics_hj663,
    round_gbt8170,
)

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


@given(st.integers(-(10**7), 10**7), st.integers(0, 4), st.integers(0, 3))
def test_round_gbt8170_matches_decimal_half_even(units: int, scale: int, ndigits: int) -> None:
    """Values written with ≤ 4 decimals round exactly as Decimal(ROUND_HALF_EVEN) does."""
    written = Decimal(units).scaleb(-scale)
    expected = float(written.quantize(Decimal(1).scaleb(-ndigits), rounding=ROUND_HALF_EVEN))
    assert round_gbt8170(float(written), ndigits) == expected


@given(st.floats(min_value=-1e5, max_value=1e5, allow_nan=False), st.integers(0, 3))
def test_round_gbt8170_within_half_unit_and_idempotent(value: float, ndigits: int) -> None:
    once = round_gbt8170(value, ndigits)
    assert abs(once - value) <= 0.5 * 10**-ndigits + 1e-9
    assert round_gbt8170(once, ndigits) == once


ranking_concentrations = st.fixed_dictionaries(
    {p: st.floats(min_value=0, max_value=10 if p == "co" else 500) for p in RANKING_RULE_STATISTICS}
)


@given(
    ranking_concentrations,
    st.sampled_from(list(RANKING_RULE_STATISTICS)),
    st.floats(min_value=0.01, max_value=100),
)
def test_composite_index_monotone_in_each_concentration(base, pollutant, increase) -> None:
    higher = base | {pollutant: base[pollutant] + increase}
    raw = composite_index_ranking_rule(pd.DataFrame([base, higher]), rounding="none")
    assert raw.loc[1, "composite_index"] > raw.loc[0, "composite_index"]
    reported = composite_index_ranking_rule(pd.DataFrame([base, higher]))
    assert reported.loc[1, "composite_index"] >= reported.loc[0, "composite_index"]


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


@given(concentrations, concentrations)
def test_change_year_on_year_sign_follows_the_values(current, previous) -> None:
    assume(previous > 0)
    change = change_year_on_year(
        current, previous, quantity="pm25", from_reported=False, round_result=False
    )
    assert np.sign(change) == np.sign(current - previous)
    points = change_year_on_year(current, previous, quantity="rate", from_reported=False)
    assert points == round_gbt8170(current - previous, 1)
