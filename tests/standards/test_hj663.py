"""HJ 663 statistics: values worked by hand from the rules of the facts files.

Rows copied from the standards (GB/T 8170 examples, the HJ 663 percentile formula, GB 3095
tables) are kept apart from "our edge cases": every validity boundary from both sides, both
editions of GB 3095, NaN handling, the input types.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from envbureau.standards.hj663 import (
    PERIOD_STATISTICS,
    attainment_hj663,
    change_year_on_year,
    city_values_hj663,
    composite_index_inputs,
    composite_index_ranking_rule,
    daily_values_hj663,
    day_counts_hj663,
    exceedance_multiple_hj663,
    o3_8h_moving_mean_hj663,
    percentile_hj663,
    period_statistics_hj663,
    rank_by_composite_index,
    round_gbt8170,
)

BASE = {"so2": 10.0, "no2": 20.0, "co": 0.5, "o3": 50.0, "pm10": 60.0, "pm25": 30.0}
DAILY_COLUMNS = ["so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h_max"]


def hourly_day(day: str, station: str = "A", **columns: object) -> pd.DataFrame:
    """24 hour-ending values of the natural day ``day`` (01:00 … 24:00 = next day 00:00)."""
    times = pd.date_range(pd.Timestamp(day) + pd.Timedelta(hours=1), periods=24, freq="h")
    frame = pd.DataFrame({"station": station, "time": times})
    for name, default in BASE.items():
        frame[name] = columns.get(name, default)
    return frame


def hours(values: dict[int, float], default: float = np.nan) -> np.ndarray:
    """A 24-value array indexed by hour-ending label 1…24."""
    out = np.full(24, default)
    for hour, value in values.items():
        out[hour - 1] = value
    return out


def blank(series: np.ndarray, *hour_labels: int) -> np.ndarray:
    out = np.asarray(series, dtype=float).copy()
    out[[h - 1 for h in hour_labels]] = np.nan
    return out


def one_day(frame: pd.DataFrame, **kwargs: object) -> pd.Series:
    result = daily_values_hj663(frame, **kwargs)
    assert len(result) == 1
    return result.iloc[0]


def daily_frame(
    start: str, end: str, missing_per_month: dict[int, int] | None = None, **values: object
) -> pd.DataFrame:
    """Daily values from ``start`` to ``end``; the last n days of month m are left out."""
    days = pd.date_range(start, end, freq="D")
    frame = pd.DataFrame({"date": days})
    defaults = {"so2_24h": 10.0, "no2_24h": 20.0, "co_24h": 0.8, "pm10_24h": 50.0}
    defaults |= {"pm25_24h": 30.0, "o3_8h_max": 100.0}
    for column, default in defaults.items():
        frame[column] = values.get(column, default)
    for month, n in (missing_per_month or {}).items():
        in_month = frame.index[frame["date"].dt.month == month]
        frame = frame.drop(in_month[len(in_month) - n :])
    return frame.reset_index(drop=True)


def stat(result: pd.DataFrame, pollutant: str, statistic: str) -> pd.Series:
    row = result[(result["pollutant"] == pollutant) & (result["statistic"] == statistic)]
    assert len(row) == 1
    return row.iloc[0]


# --- GB/T 8170 rounding --------------------------------------------------------------------------

# GB/T 8170-2008 3.3 examples (copied rows): (value, ndigits, expected).
GBT8170_3_3_EXAMPLES = [
    (12.1498, 1, 12.1),  # 3.3.1 dropped part below half
    (1268.0, -2, 1300.0),  # 3.3.2 above half
    (10.5002, 0, 11.0),  # 3.3.2 a 5 followed by non-zero digits
    (1.050, 1, 1.0),  # 3.3.3 exactly half, kept digit even
    (0.35, 1, 0.4),  # 3.3.3 exactly half, kept digit odd
    (2500.0, -3, 2000.0),
    (3500.0, -3, 4000.0),
    (-355.0, -1, -360.0),  # 3.3.4 negative: round the absolute value
    (-325.0, -1, -320.0),
    (-0.0365, 3, -0.036),
]
# HJ 633-2026 4.2.2 examples of GB/T 8170 for concentrations (facts file, 2026 §2.2).
HJ633_2026_ROUNDING_EXAMPLES = [(35.5, 0, 36.0), (60.5, 0, 60.0)]


@pytest.mark.parametrize(
    ("value", "ndigits", "expected"), GBT8170_3_3_EXAMPLES + HJ633_2026_ROUNDING_EXAMPLES
)
def test_round_gbt8170_standard_examples(value: float, ndigits: int, expected: float) -> None:
    assert round_gbt8170(value, ndigits) == expected


def test_round_gbt8170_decimal_not_binary_value() -> None:
    # 2.675 is 2.67499… in binary; the written 2.675 rounds to the even 2.68.
    assert round_gbt8170(2.675, 2) == 2.68
    # A computed CO mean of 0.85 that arithmetic left as 0.8500000000000002 is a half: 0.8.
    assert round_gbt8170(17.000000000000004 / 20, 1) == 0.8
    assert round_gbt8170(0.1 + 0.2, 1) == 0.3


def test_round_gbt8170_input_types_and_nan() -> None:
    assert isinstance(round_gbt8170(2.5), float)
    array = round_gbt8170(np.array([0.5, 1.5, np.nan, np.inf]))
    assert isinstance(array, np.ndarray)
    np.testing.assert_array_equal(array, [0.0, 2.0, np.nan, np.inf])
    series = round_gbt8170(pd.Series([84.25, 84.35], index=["a", "b"], name="rate"), 1)
    assert list(series.index) == ["a", "b"] and series.name == "rate"
    assert series.tolist() == [84.2, 84.4]
    assert math.isnan(round_gbt8170(float("nan"), 1))


# --- HJ 663 percentile ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.95, 48.0),  # k = 1 + 4·0.95 = 4.8 → 40 + 0.8·10
        (0.98, 49.2),  # k = 4.92
        (0.90, 46.0),  # k = 4.6
        (0.50, 30.0),  # k = 3
        (1.00, 50.0),  # s = n → X(n)
        (0.00, 10.0),
    ],
)
def test_percentile_hj663_formula_hand_worked(p: float, expected: float) -> None:
    """HJ 663 百分位数: k = 1 + (n−1)p, m = X(s) + (X(s+1) − X(s))(k − s)."""
    assert percentile_hj663([30, 50, 10, 40, 20], p) == pytest.approx(expected, abs=1e-12)


def test_percentile_hj663_full_year_hand_worked() -> None:
    values = np.random.default_rng(1).permutation(np.arange(1.0, 366.0))  # 1 … 365
    assert percentile_hj663(values, 0.90) == pytest.approx(328.6, abs=1e-9)  # k = 328.6
    assert percentile_hj663(values, 0.95) == pytest.approx(346.8, abs=1e-9)  # k = 346.8
    assert percentile_hj663(values, 0.98) == pytest.approx(357.72, abs=1e-9)  # k = 357.72


def test_percentile_hj663_integer_rank_is_exact() -> None:
    # n = 21, p = 0.95: k = 1 + 20·0.95 = 20 exactly → X(20) = 400, although 0.95 is inexact.
    assert percentile_hj663(np.arange(1.0, 22.0) ** 2, 0.95) == 400.0


def test_percentile_hj663_nan_empty_single_and_axis() -> None:
    assert percentile_hj663([np.nan, 20.0, 10.0, np.nan], 0.5) == 15.0
    assert math.isnan(percentile_hj663([], 0.9))
    assert math.isnan(percentile_hj663([np.nan, np.nan], 0.9))
    assert percentile_hj663([7.0], 0.95) == 7.0
    got = percentile_hj663(np.array([[10, 20, 30, 40, 50], [1, 2, np.nan, 4, 5]]), 0.9, axis=1)
    np.testing.assert_allclose(got, [46.0, 4.7], atol=1e-12)  # row 2: n = 4, k = 3.7
    with pytest.raises(ValueError, match="fraction"):
        percentile_hj663([1.0], 95)


# --- exceedance multiple -----------------------------------------------------------------------


def test_exceedance_multiple_hj663_over_at_and_below_limit() -> None:
    """超标倍数 = (C − S)/S where C > S; 0 at or below the limit; NaN for missing."""
    got = exceedance_multiple_hj663(np.array([105.0, 75.0, 60.0, np.nan]), 75.0)
    np.testing.assert_allclose(got, [0.4, 0.0, 0.0, np.nan], atol=1e-12)
    assert exceedance_multiple_hj663(4.4, 4.0) == pytest.approx(0.1, abs=1e-12)


# --- daily values ------------------------------------------------------------------------------


def test_daily_values_hj663_24h_value_belongs_to_the_day_and_rounds_half_even() -> None:
    frame = hourly_day("2014-01-01", so2=np.arange(1.0, 25.0), pm25=np.arange(2.0, 26.0))
    row = one_day(frame)
    assert row["date"] == pd.Timestamp("2014-01-01")  # the 24:00 value is not 2014-01-02
    assert row["so2_24h"] == 12.0  # 12.5 → 12 (even)
    assert row["pm25_24h"] == 14.0  # 13.5 → 14 (even)
    assert row["so2_24h_count"] == 24 and bool(row["so2_24h_valid"])
    raw = one_day(frame, rounding="none")
    assert raw["so2_24h"] == 12.5 and raw["pm25_24h"] == 13.5
    assert row["start_utc"] == pd.Timestamp("2013-12-31T16:00Z")
    assert row["end_utc"] == pd.Timestamp("2014-01-01T16:00Z")
    assert (row["hours_expected"], row["o3_8h_windows_expected"]) == (24, 17)


@pytest.mark.parametrize(("missing", "count", "valid"), [(4, 20, True), (5, 19, False)])
def test_daily_values_hj663_daily_mean_20_hours_boundary(missing: int, count: int, valid: bool):
    """GB 3095 Table 4: a 24-h mean needs ≥ 20 hourly values (20 valid, 19 not)."""
    no2 = blank(np.full(24, 40.0), *range(1, missing + 1))
    no2[23] = 64.0  # the 24:00 value, so that the mean is not the constant
    frame = hourly_day("2014-03-01", no2=no2, co=blank(np.full(24, 1.0), 1, 2, 3, 4, 5))
    row, raw = one_day(frame), one_day(frame, rounding="none")
    assert row["no2_24h_count"] == count
    assert bool(row["no2_24h_valid"]) is valid
    if valid:
        assert raw["no2_24h"] == pytest.approx((19 * 40 + 64) / 20, abs=1e-12)  # 41.2
        assert row["no2_24h"] == 41.0
    else:
        assert math.isnan(row["no2_24h"])
    assert math.isnan(row["co_24h"]) and row["co_24h_count"] == 19


def test_daily_values_hj663_co_one_decimal_half_even() -> None:
    co = np.r_[np.full(12, 0.8), np.full(12, 0.9)]  # mean 0.85 → 0.8 (even)
    assert one_day(hourly_day("2014-03-01", co=co))["co_24h"] == 0.8


O3_RAMP = np.arange(1.0, 25.0) * 5.0  # 5, 10, …, 120 μg/m³ at hours ending 01 … 24


def test_daily_values_hj663_o3_8h_max_14_windows_valid() -> None:
    """HJ 663 6.1.2: windows 08–24 h; blanking hours 20–24 leaves windows 08–21 (14) valid."""
    row = one_day(hourly_day("2014-07-01", o3=blank(O3_RAMP, 20, 21, 22, 23, 24)))
    assert row["o3_8h_max_count"] == 14
    assert bool(row["o3_8h_max_valid"])
    # Window ending 21:00 covers 14–21, valid 14–19 (6 hours): mean(70 … 95) = 82.5 → 82.
    assert row["o3_8h_max"] == 82.0
    assert row["o3_8h_max_hour"] == 21
    assert one_day(
        hourly_day("2014-07-01", o3=blank(O3_RAMP, 20, 21, 22, 23, 24)), rounding="none"
    )["o3_8h_max"] == pytest.approx(82.5)


def test_daily_values_hj663_o3_8h_max_13_windows_invalid_below_limit() -> None:
    row = one_day(hourly_day("2014-07-01", o3=blank(O3_RAMP, 19, 20, 21, 22, 23, 24)))
    assert row["o3_8h_max_count"] == 13
    assert not row["o3_8h_max_valid"]
    assert math.isnan(row["o3_8h_max"]) and pd.isna(row["o3_8h_max_hour"])


@pytest.mark.parametrize(("level", "valid"), [(160.0, False), (161.0, True)])
def test_daily_values_hj663_o3_8h_max_still_valid_if_it_exceeds(level: float, valid: bool):
    """13 windows: valid only when the maximum exceeds the 8-h limit 160 (> not ≥)."""
    o3 = blank(np.full(24, level), 19, 20, 21, 22, 23, 24)
    row = one_day(hourly_day("2014-07-01", o3=o3))
    assert row["o3_8h_max_count"] == 13
    assert bool(row["o3_8h_max_valid"]) is valid
    if valid:
        assert row["o3_8h_max"] == 161.0 and row["o3_8h_max_hour"] == 8  # ties: earliest


def test_daily_values_hj663_o3_exceed_rule_uses_grade_limit() -> None:
    o3 = blank(np.full(24, 120.0), 19, 20, 21, 22, 23, 24)  # 120 > grade I limit 100
    assert not one_day(hourly_day("2014-07-01", o3=o3))["o3_8h_max_valid"]
    assert one_day(hourly_day("2014-07-01", o3=o3), grade=1)["o3_8h_max_valid"]


@pytest.mark.parametrize(
    ("peak", "missing", "valid"),
    [(200.0, 5, False), (201.0, 5, True), (200.0, 4, True)],
)
def test_daily_values_hj663_o3_1h_max_20_hours_or_exceeding(peak: float, missing: int, valid):
    """O3 daily max 1-h: ≥ 20 hours, or fewer when above the 1-h limit 200 (our assumption)."""
    o3 = blank(hours({14: peak}, default=80.0), *range(1, missing + 1))
    row = one_day(hourly_day("2014-07-01", o3=o3))
    assert row["o3_1h_max_count"] == 24 - missing
    assert bool(row["o3_1h_max_valid"]) is valid
    assert row["o3_1h_max"] == peak if valid else math.isnan(row["o3_1h_max"])


def test_daily_values_hj663_all_missing_day_and_uneven_stations() -> None:
    frame = pd.concat(
        [
            hourly_day("2014-01-01", "A"),
            hourly_day("2014-01-02", "A", pm25=np.nan),
            hourly_day("2014-01-02", "B"),
        ]
    )
    result = daily_values_hj663(frame)
    assert list(zip(result["station"], result["date"].dt.day, strict=True)) == [
        ("A", 1),
        ("A", 2),
        ("B", 1),
        ("B", 2),
    ]
    b_first = result.iloc[2]
    assert b_first["pm25_24h_count"] == 0 and math.isnan(b_first["pm25_24h"])
    assert b_first["o3_8h_max_count"] == 0 and pd.isna(b_first["o3_8h_max_hour"])
    assert result.iloc[1]["pm25_24h_count"] == 0 and result.iloc[1]["so2_24h"] == 10.0


def test_daily_values_hj663_across_the_2026_switch() -> None:
    """Both editions in one input: the same validity minima, limits chosen per day."""
    o3 = blank(np.full(24, 161.0), 19, 20, 21, 22, 23, 24)  # 13 windows, above 160
    frame = pd.concat([hourly_day("2026-02-28", o3=o3), hourly_day("2026-03-01", o3=o3)])
    result = daily_values_hj663(frame)
    assert result["o3_8h_max_valid"].tolist() == [True, True]
    assert daily_values_hj663(frame, grade=1)["o3_8h_max_valid"].tolist() == [True, True]


def test_daily_values_hj663_tz_aware_time_equals_beijing_naive() -> None:
    naive = hourly_day("2014-01-01", so2=np.arange(1.0, 25.0))
    aware = naive.assign(time=naive["time"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC"))
    pd.testing.assert_frame_equal(daily_values_hj663(naive), daily_values_hj663(aware))


def test_daily_values_hj663_rejects_bad_input() -> None:
    good = hourly_day("2014-01-01")
    with pytest.raises(ValueError, match="duplicate"):
        daily_values_hj663(pd.concat([good, good.iloc[:1]]))
    with pytest.raises(ValueError, match="whole hours"):
        daily_values_hj663(good.assign(time=good["time"] + pd.Timedelta(minutes=30)))
    with pytest.raises(ValueError, match="μg/m³"):
        daily_values_hj663(good.assign(co=800.0))
    with pytest.raises(ValueError, match=">= 0"):
        daily_values_hj663(good.assign(pm25=-1.0))
    with pytest.raises(ValueError, match="columns"):
        daily_values_hj663(good.drop(columns="o3"))


@pytest.mark.parametrize(("missing", "count", "valid"), [(2, 6, True), (3, 5, False)])
def test_o3_8h_moving_mean_hj663_6_of_8_boundary(missing: int, count: int, valid: bool) -> None:
    """GB 3095 Table 4: an 8-h mean needs ≥ 6 of its 8 hours (6 valid, 5 not)."""
    frame = hourly_day("2014-07-01", o3=blank(O3_RAMP, *range(1, missing + 1)))
    result = o3_8h_moving_mean_hj663(frame, rounding="none")
    at_8 = result[result["time"] == pd.Timestamp("2014-07-01 08:00")].iloc[0]
    assert at_8["o3_8h_count"] == count
    assert bool(at_8["o3_8h_valid"]) is valid
    if valid:  # hours 3 … 8: mean(15 … 40) = 27.5
        assert at_8["o3_8h"] == pytest.approx(27.5)
    at_9 = result[result["time"] == pd.Timestamp("2014-07-01 09:00")].iloc[0]
    assert at_9["o3_8h_count"] == 8 - max(missing - 1, 0)
    assert len(result) == 24


def test_o3_8h_moving_mean_hj663_crosses_midnight() -> None:
    frame = pd.concat([hourly_day("2014-07-01", o3=O3_RAMP), hourly_day("2014-07-02", o3=0.0)])
    result = o3_8h_moving_mean_hj663(frame, rounding="none").set_index("time")
    # 2014-07-02 03:00 covers hours ending 2014-07-01 20:00 … 24:00 (100 … 120) and 3 zeros.
    assert result.loc[pd.Timestamp("2014-07-02 03:00"), "o3_8h"] == pytest.approx(550 / 8)


# --- station → city ---------------------------------------------------------------------------


def station_days() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "station": ["A", "B", "A", "B"],
            "date": pd.to_datetime(["2014-01-01", "2014-01-01", "2014-01-02", "2014-01-02"]),
            "pm25_24h": [35.0, 36.0, 34.0, np.nan],
            "co_24h": [0.8, 0.9, 1.0, 1.2],
            "co_24h_valid": [True, True, True, False],
        }
    )


def test_city_values_hj663_mean_of_valid_stations_rounded() -> None:
    city = city_values_hj663(station_days()).set_index("date")
    day1, day2 = city.loc["2014-01-01"], city.loc["2014-01-02"]
    assert day1["pm25_24h"] == 36.0  # 35.5 → 36 (even)
    assert day1["co_24h"] == 0.8  # 0.85 → 0.8 (even)
    assert day2["pm25_24h"] == 34.0 and day2["pm25_24h_stations"] == 1
    assert day2["co_24h"] == 1.0 and day2["co_24h_stations"] == 1  # B masked by co_24h_valid
    assert (city["stations_expected"] == 2).all()
    assert city.loc["2014-01-02", "start_utc"] == pd.Timestamp("2014-01-01T16:00Z")
    assert city.loc["2014-01-02", "end_utc"] == pd.Timestamp("2014-01-02T16:00Z")
    assert city_values_hj663(station_days(), rounding="none").iloc[0]["pm25_24h"] == 35.5


@pytest.mark.parametrize(("minimum", "valid"), [(1, True), (2, False)])
def test_city_values_hj663_min_valid_stations(minimum: int, valid: bool) -> None:
    city = city_values_hj663(station_days(), min_valid_stations=minimum).set_index("date")
    assert bool(city.loc["2014-01-02", "pm25_24h_valid"]) is valid
    assert math.isnan(city.loc["2014-01-02", "pm25_24h"]) is not valid


def test_city_values_hj663_station_list_and_hourly_key() -> None:
    hourly = pd.concat([hourly_day("2014-01-01", "A"), hourly_day("2014-01-01", "B", so2=20.0)])
    hourly = pd.concat([hourly, hourly_day("2014-01-01", "X", so2=900.0)])
    city = city_values_hj663(hourly, key="time", stations=["A", "B", "C"])
    assert len(city) == 24
    assert (city["so2"] == 15.0).all() and (city["so2_stations"] == 2).all()
    assert (city["stations_expected"] == 3).all()
    assert city.loc[0, "start_utc"] == pd.Timestamp("2013-12-31T16:00Z")  # hour ending 01:00
    assert city.loc[0, "end_utc"] == pd.Timestamp("2013-12-31T17:00Z")


# --- period statistics -------------------------------------------------------------------------


def ramp_year() -> pd.DataFrame:
    """2014 with value = day of year (1 … 365); CO = day of year / 100 mg/m³."""
    frame = daily_frame("2014-01-01", "2014-12-31")
    ramp = np.arange(1.0, 366.0)
    for column in ("so2_24h", "no2_24h", "pm10_24h", "pm25_24h", "o3_8h_max"):
        frame[column] = ramp
    frame["co_24h"] = ramp / 100
    return frame


# (pollutant, statistic, reported value, limit 2014, exceedance multiple), worked by hand.
RAMP_YEAR_STATISTICS = [
    ("so2", "mean", 183.0, 60.0, 2.05),  # (183 − 60)/60
    ("so2", "p98", 358.0, 150.0, 1.39),  # 357.72 → 358; 208/150 = 1.3867
    ("no2", "mean", 183.0, 40.0, 3.58),  # 3.575 → 3.58 (even)
    ("no2", "p98", 358.0, 80.0, 3.48),  # 3.475 → 3.48
    ("pm10", "mean", 183.0, 70.0, 1.61),  # 1.6143
    ("pm10", "p95", 347.0, 150.0, 1.31),  # 346.8 → 347; 1.3133
    ("pm25", "mean", 183.0, 35.0, 4.23),  # 4.2286
    ("pm25", "p95", 347.0, 75.0, 3.63),  # 3.6267
    ("co", "p95", 3.5, 4.0, 0.0),  # 3.468 → 3.5 ≤ 4
    ("o3", "p90", 329.0, 160.0, 1.06),  # 328.6 → 329; 1.05625 → 1.06
]


@pytest.mark.parametrize(
    ("pollutant", "statistic", "value", "limit", "multiple"), RAMP_YEAR_STATISTICS
)
def test_period_statistics_hj663_hand_worked_year(
    pollutant: str, statistic: str, value: float, limit: float, multiple: float
) -> None:
    result = period_statistics_hj663(
        ramp_year(), period_start="2014-01-01", period_end="2014-12-31"
    )
    row = stat(result, pollutant, statistic)
    assert row["value"] == value
    assert row["limit"] == limit
    assert row["exceedance_multiple"] == multiple
    assert bool(row["attains"]) is (value <= limit)
    assert (row["expected_count"], row["observed_count"], row["excluded_count"]) == (365, 365, 0)
    assert bool(row["valid"]) and row["limits"] == "GB 3095-2012 二级"
    assert row["start_local"] == pd.Timestamp("2014-01-01", tz="Asia/Shanghai")
    assert row["end_local"] == pd.Timestamp("2015-01-01", tz="Asia/Shanghai")
    assert row["start_utc"] == pd.Timestamp("2013-12-31T16:00Z")


def test_period_statistics_hj663_rows_and_raw_values() -> None:
    result = period_statistics_hj663(
        ramp_year(), period_start="2014-01-01", period_end="2014-12-31", rounding="none"
    )
    assert [(r.pollutant, r.statistic) for r in result.itertuples()] == [
        (p, s) for p, s, *_ in PERIOD_STATISTICS
    ]
    assert stat(result, "pm25", "p95")["value"] == pytest.approx(346.8, abs=1e-9)
    assert stat(result, "co", "p95")["value"] == pytest.approx(3.468, abs=1e-12)
    assert stat(result, "pm25", "mean")["exceedance_multiple"] == pytest.approx(148 / 35)


def test_period_statistics_hj663_rounds_daily_values_before_the_mean() -> None:
    """Reported daily values 1, 1, 2 give a mean of 1.33 → 1 (raw 1.4, 1.4, 1.7 → 1.5 → 2)."""
    frame = daily_frame("2014-01-01", "2014-01-03", pm25_24h=[1.4, 1.4, 1.7])
    kw = {"period_start": "2014-01-01", "period_end": "2014-01-03"}
    assert stat(period_statistics_hj663(frame, **kw), "pm25", "mean")["value"] == 1.0
    raw = stat(period_statistics_hj663(frame, **kw, rounding="none"), "pm25", "mean")["value"]
    assert raw == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("jan_missing", "observed", "valid"),
    [(2, 324, True), (3, 323, False)],
)
def test_period_statistics_hj663_year_324_days_boundary(jan_missing: int, observed: int, valid):
    """GB 3095 Table 4: ≥ 324 days a year, with every month at its minimum (27; Feb 25)."""
    missing = {m: 4 for m in (1, 3, 5, 7, 8, 10, 12)} | {m: 3 for m in (2, 4, 6, 9, 11)}
    missing[1] = jan_missing
    frame = daily_frame("2014-01-01", "2014-12-31", missing)
    row = stat(
        period_statistics_hj663(frame, period_start="2014-01-01", period_end="2014-12-31"),
        "pm25",
        "mean",
    )
    assert row["observed_count"] == observed
    assert row["months_below_minimum"] == 0
    assert row["years_below_minimum"] == (0 if valid else 1)
    assert bool(row["valid"]) is valid


@pytest.mark.parametrize(
    ("month", "missing", "days", "valid"),
    [(1, 4, 27, True), (1, 5, 26, False), (2, 3, 25, True), (2, 4, 24, False)],
)
def test_period_statistics_hj663_month_27_and_february_25_boundary(month, missing, days, valid):
    frame = daily_frame("2014-01-01", "2014-12-31", {month: missing})
    year = period_statistics_hj663(frame, period_start="2014-01-01", period_end="2014-12-31")
    assert (year["observed_count"] == 365 - missing).all()
    assert (year["months_below_minimum"] == (0 if valid else 1)).all()
    assert (year["valid"] == valid).all()
    end = "2014-01-31" if month == 1 else "2014-02-28"
    one_month = period_statistics_hj663(frame, period_start=f"2014-0{month}-01", period_end=end)
    assert (one_month["observed_count"] == days).all()
    assert (one_month["valid"] == valid).all()


@pytest.mark.parametrize(("missing", "valid"), [(4, True), (5, False)])
def test_period_statistics_hj663_leap_february_needs_25_of_29(missing: int, valid: bool) -> None:
    frame = daily_frame("2016-02-01", "2016-02-29", {2: missing})
    result = period_statistics_hj663(frame, period_start="2016-02-01", period_end="2016-02-29")
    assert (result["expected_count"] == 29).all()
    assert (result["valid"] == valid).all()


@pytest.mark.parametrize(("days", "valid"), [(14, True), (13, False)])
def test_period_statistics_hj663_partial_month_pro_rata(days: int, valid: bool) -> None:
    """Our assumption: 15 days of July need ⌈15 · 27/31⌉ = 14 valid days."""
    frame = daily_frame("2014-07-01", "2014-07-31", {7: 31 - days})
    result = period_statistics_hj663(frame, period_start="2014-07-01", period_end="2014-07-15")
    assert (result["expected_count"] == 15).all() and (result["observed_count"] == days).all()
    assert (result["valid"] == valid).all()


@pytest.mark.parametrize(
    ("end", "limits", "pm25_annual", "pm25_multiple", "pm10_p95_limit"),
    [
        ("2025-12-31", "GB 3095-2012 二级", 35.0, 0.14, 150.0),  # 40/35 − 1 = 0.1429
        ("2026-12-31", "GB 3095-2026 过渡阶段 二级", 30.0, 0.33, 120.0),  # 0.3333
        ("2031-12-31", "GB 3095-2026 二级", 25.0, 0.6, 100.0),
    ],
)
def test_period_statistics_hj663_limits_by_edition_of_period_end(
    end: str, limits: str, pm25_annual: float, pm25_multiple: float, pm10_p95_limit: float
) -> None:
    start = end[:4] + "-01-01"
    frame = daily_frame(start, end, pm25_24h=40.0)
    result = period_statistics_hj663(frame, period_start=start, period_end=end)
    row = stat(result, "pm25", "mean")
    assert (row["value"], row["limit"], row["limits"]) == (40.0, pm25_annual, limits)
    assert row["exceedance_multiple"] == pm25_multiple
    assert not row["attains"]
    assert stat(result, "pm10", "p95")["limit"] == pm10_p95_limit


def test_period_statistics_hj663_forced_2012_edition_after_the_switch() -> None:
    frame = daily_frame("2026-01-01", "2026-12-31", pm25_24h=33.0)
    row = stat(
        period_statistics_hj663(
            frame, period_start="2026-01-01", period_end="2026-12-31", edition="2012"
        ),
        "pm25",
        "mean",
    )
    assert (row["limit"], bool(row["attains"])) == (35.0, True)


def test_period_statistics_hj663_dust_deducted_from_pm_only_coverage_kept() -> None:
    frame = daily_frame("2014-04-01", "2014-04-30", pm25_24h=30.0, pm10_24h=50.0)
    dusty = frame["date"].isin(pd.to_datetime(["2014-04-10", "2014-04-11"]))
    frame.loc[dusty, ["pm25_24h", "pm10_24h"]] = [180.0, 900.0]
    no_data = frame["date"].isin(pd.to_datetime(["2014-04-12", "2014-04-13"]))
    frame.loc[no_data, ["pm25_24h", "pm10_24h"]] = np.nan
    dusty = dusty | (frame["date"] == "2014-04-12")  # a dust day without data: not excluded
    dust = pd.Series(dusty.to_numpy(), index=frame["date"])
    kw = {"period_start": "2014-04-01", "period_end": "2014-04-30", "dust": dust}
    deducted = period_statistics_hj663(frame, **kw)
    kept = period_statistics_hj663(frame, **kw, deduct_dust=False)
    row = stat(deducted, "pm25", "mean")
    assert (row["value"], row["observed_count"], row["excluded_count"]) == (30.0, 26, 2)
    assert bool(row["valid"])  # 26 used + 2 deducted ≥ 27: a deducted day is not a missing day
    assert stat(kept, "pm25", "mean")["value"] == 41.0  # (26·30 + 2·180)/28 = 40.7
    assert stat(deducted, "so2", "mean")["excluded_count"] == 0
    column = period_statistics_hj663(frame.assign(dust=dusty), **(kw | {"dust": "dust"}))
    pd.testing.assert_frame_equal(column, deducted)


def test_period_statistics_hj663_groups_nan_days_and_empty_group() -> None:
    a = daily_frame("2014-06-01", "2014-06-30", pm25_24h=20.0).assign(station="A")
    a.loc[a.index[:2], "pm25_24h"] = np.nan
    b = daily_frame("2014-05-01", "2014-05-31").assign(station="B")  # no day in June
    result = period_statistics_hj663(
        pd.concat([a, b]), period_start="2014-06-01", period_end="2014-06-30", by="station"
    )
    assert result["station"].tolist() == ["A"] * 10 + ["B"] * 10
    row_a = stat(result[result["station"] == "A"], "pm25", "mean")
    assert (row_a["value"], row_a["observed_count"], bool(row_a["valid"])) == (20.0, 28, True)
    rows_b = result[result["station"] == "B"]
    assert (rows_b["observed_count"] == 0).all() and not rows_b["valid"].any()
    assert rows_b["value"].isna().all() and rows_b["attains"].isna().all()


def test_period_statistics_hj663_rejects_bad_input() -> None:
    frame = daily_frame("2014-01-01", "2014-01-31")
    with pytest.raises(ValueError, match="before"):
        period_statistics_hj663(frame, period_start="2014-02-01", period_end="2014-01-01")
    with pytest.raises(ValueError, match="duplicate"):
        period_statistics_hj663(
            pd.concat([frame, frame.iloc[:1]]), period_start="2014-01-01", period_end="2014-01-31"
        )
    with pytest.raises(ValueError, match="natural days"):
        period_statistics_hj663(
            frame.assign(date=frame["date"] + pd.Timedelta(hours=1)),
            period_start="2014-01-01",
            period_end="2014-01-31",
        )


def test_attainment_hj663_all_statistics_must_attain() -> None:
    frame = daily_frame("2014-01-01", "2014-12-31")
    # 19 days of 100: P95 = X(346) + 0.8 (X(347) − X(346)) = 30 + 0.8 · 70 = 86 > 75,
    # while the mean (346 · 30 + 19 · 100)/365 = 33.6 stays ≤ 35.
    frame.loc[frame.index[:19], "pm25_24h"] = 100.0
    result = period_statistics_hj663(frame, period_start="2014-01-01", period_end="2014-12-31")
    assert stat(result, "pm25", "mean")["value"] == 34.0
    assert bool(stat(result, "pm25", "mean")["attains"])
    assert stat(result, "pm25", "p95")["value"] == 86.0
    assert not stat(result, "pm25", "p95")["attains"]
    attainment = attainment_hj663(result).set_index("pollutant")
    assert attainment.loc["pm25", "attains"] == False  # noqa: E712
    assert attainment.loc["so2", "attains"] == True  # noqa: E712
    assert attainment.loc["so2", "statistics"] == 2 and attainment.loc["co", "statistics"] == 1


# --- comprehensive index and ranking -----------------------------------------------------------

AT_THE_LIMITS = {"so2": 10.0, "no2": 40.0, "pm10": 70.0, "pm25": 35.0, "co": 4.0, "o3": 160.0}


@pytest.mark.parametrize(
    ("edition", "when", "composite"),
    [
        ("2012", None, 5.17),  # 10/60 + 5 · 1 = 5.1667
        ("auto", "2025-12-31", 5.17),
        ("auto", "2026-12-31", 5.50),  # 10/60 + 1 + 70/60 + 35/30 + 1 + 1 = 5.5
        ("2026", "2031-12-31", 6.63),  # 10/20 + 40/30 + 70/50 + 35/25 + 1 + 1 = 6.6333
    ],
)
def test_composite_index_ranking_rule_hand_worked_by_edition(edition, when, composite) -> None:
    """I_i = C_i/S_i (annual limits; CO P95/4; O3 P90/160), I_sum = Σ I_i."""
    result = composite_index_ranking_rule(AT_THE_LIMITS, limits_edition=edition, when=when)
    assert result.loc[0, "composite_index"] == composite


def test_composite_index_ranking_rule_single_indices_and_max_pollutant() -> None:
    result = composite_index_ranking_rule(AT_THE_LIMITS).iloc[0]
    assert [result[f"i_{p}"] for p in AT_THE_LIMITS] == [0.17, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert result["max_index_pollutant"] == "NO2;PM10;PM2.5;CO;O3"
    assert result["limits"] == "GB 3095-2012 二级"


def test_composite_index_ranking_rule_sums_unrounded_single_indices() -> None:
    concentrations = {"so2": 7, "no2": 13, "pm10": 35, "pm25": 21, "co": 0.6, "o3": 100}
    result = composite_index_ranking_rule(concentrations).iloc[0]
    singles = [result[f"i_{p}"] for p in concentrations]
    assert singles == [0.12, 0.32, 0.5, 0.6, 0.15, 0.62]  # 0.325 → 0.32, 0.625 → 0.62
    assert result["composite_index"] == 2.32  # 2.31667, not the 2.31 of the printed ones
    assert result["max_index_pollutant"] == "O3"


def test_composite_index_ranking_rule_weights_nan_and_units() -> None:
    weighted = composite_index_ranking_rule(AT_THE_LIMITS, weights={"pm25": 3, "no2": 2, "o3": 2})
    assert weighted.loc[0, "composite_index"] == 9.17  # 0.1667 + 2 + 1 + 3 + 1 + 2
    frame = pd.DataFrame([AT_THE_LIMITS, AT_THE_LIMITS | {"o3": np.nan}], index=["x", "y"])
    result = composite_index_ranking_rule(frame)
    assert list(result.index) == ["x", "y"]
    assert math.isnan(result.loc["y", "composite_index"])
    assert pd.isna(result.loc["y", "max_index_pollutant"])
    with pytest.raises(ValueError, match="μg/m³"):
        composite_index_ranking_rule(AT_THE_LIMITS | {"co": 1200.0})
    with pytest.raises(ValueError, match="when"):
        composite_index_ranking_rule(AT_THE_LIMITS, limits_edition="2026")


def test_composite_index_inputs_from_period_statistics() -> None:
    year = pd.concat(
        [ramp_year().assign(city="甲"), daily_frame("2014-01-01", "2014-12-31").assign(city="乙")]
    )
    stats = period_statistics_hj663(
        year, period_start="2014-01-01", period_end="2014-12-31", by="city"
    )
    inputs = composite_index_inputs(stats, by="city")
    assert list(inputs.columns) == ["so2", "no2", "pm10", "pm25", "co", "o3", "valid"]
    assert inputs.loc["甲"].tolist() == [183.0, 183.0, 183.0, 183.0, 3.5, 329.0, True]
    assert inputs.loc["乙"].tolist() == [10.0, 20.0, 50.0, 30.0, 0.8, 100.0, True]
    result = composite_index_ranking_rule(inputs)
    # 乙: 10/60 + 20/40 + 50/70 + 30/35 + 0.8/4 + 100/160 = 3.0637
    assert result.loc["乙", "composite_index"] == 3.06 and bool(result.loc["乙", "valid"])
    single = composite_index_inputs(stats[stats["city"] == "乙"])
    assert single.iloc[0].tolist() == inputs.loc["乙"].tolist()


def test_rank_by_composite_index_ascending_ties_share_rank() -> None:
    composite = pd.Series([3.61, 1.73, 1.73, 3.08, np.nan], index=list("abcde"))
    ranks = rank_by_composite_index(composite)
    assert ranks.tolist()[:4] == [4, 1, 1, 3] and pd.isna(ranks["e"])  # 1, 1, 3, 4: not dense
    assert str(ranks.dtype) == "Int64"
    close = pd.Series([3.614, 3.606])
    assert rank_by_composite_index(close).tolist() == [1, 1]  # both 3.61 as reported
    assert rank_by_composite_index(close, ndigits=None).tolist() == [2, 1]


# --- day counts --------------------------------------------------------------------------------

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


# --- year on year ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "current", "previous", "reported", "raw"),
    [
        ("pm25", 35.4, 37.6, -7.9, -5.9),  # 35 vs 38 → −7.89 %; raw −5.85 %
        ("rate", 92.44, 87.06, 5.3, 5.4),  # 92.4 − 87.1; raw 5.38 points
        ("composite_index", 3.614, 3.084, 17.2, 17.2),  # 3.61 vs 3.08 → 17.21 %; raw 17.19 %
        ("co", 0.94, 1.04, -10.0, -9.6),  # 0.9 vs 1.0
        ("days", 300, 290, 10.0, 10.0),
    ],
)
def test_change_year_on_year_from_reported_and_raw(quantity, current, previous, reported, raw):
    assert change_year_on_year(current, previous, quantity=quantity) == reported
    assert change_year_on_year(current, previous, quantity=quantity, from_reported=False) == raw


def test_change_year_on_year_vectorised_zero_base_and_unrounded() -> None:
    got = change_year_on_year(np.array([30.0, 5.0]), np.array([40.0, 0.0]), quantity="pm25")
    assert got[0] == -25.0 and math.isnan(got[1])
    series = change_year_on_year(pd.Series([36.0], index=["市"]), 38.0, quantity="pm25")
    assert series.index.tolist() == ["市"]
    exact = change_year_on_year(36.0, 38.0, quantity="pm25", round_result=False)
    assert exact == pytest.approx(-2 / 38 * 100)
    with pytest.raises(ValueError, match="quantity"):
        change_year_on_year(1.0, 2.0, quantity="aqi")


# --- pipeline ----------------------------------------------------------------------------------


def test_daily_to_period_pipeline_one_month() -> None:
    """Hourly → daily → city → period, with a day of 19 hours left out of the count."""
    days = pd.date_range("2014-06-01", "2014-06-30", freq="D")
    frames = []
    for i, day in enumerate(days):
        for station, offset in (("A", 0.0), ("B", 10.0)):
            frames.append(hourly_day(str(day.date()), station, pm25=20.0 + i + offset))
    hourly = pd.concat(frames, ignore_index=True)
    hourly.loc[(hourly["station"] == "A") & (hourly["time"] <= "2014-06-01 05:00"), "pm25"] = np.nan
    daily = daily_values_hj663(hourly)
    assert daily.loc[0, "pm25_24h_count"] == 19 and math.isnan(daily.loc[0, "pm25_24h"])
    city = city_values_hj663(daily)
    assert city.loc[0, "pm25_24h"] == 30.0 and city.loc[0, "pm25_24h_stations"] == 1
    assert city.loc[1, "pm25_24h"] == 26.0  # (21 + 31)/2
    result = period_statistics_hj663(city, period_start="2014-06-01", period_end="2014-06-30")
    # Day 1: 30; days 2–30: 25 + i for i = 1 … 29 → mean (30 + 29·25 + 435)/30 = 39.67 → 40.
    assert stat(result, "pm25", "mean")["value"] == 40.0
    assert stat(result, "pm25", "mean")["observed_count"] == 30


def test_period_statistics_accepts_dates_as_python_dates() -> None:
    frame = daily_frame("2014-01-01", "2014-01-31")
    a = period_statistics_hj663(
        frame, period_start=dt.date(2014, 1, 1), period_end=dt.date(2014, 1, 31)
    )
    b = period_statistics_hj663(frame, period_start="2014-01-01", period_end="2014-01-31")
    pd.testing.assert_frame_equal(a, b)
