"""HJ 663 daily and city values, percentile and exceedance multiple: values worked by hand from
the rules of the facts files.

Rows copied from the standards (the HJ 663 percentile formula, GB 3095 tables) are kept apart
from "our edge cases": every validity boundary from both sides, both editions of GB 3095, NaN
handling, the input types.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hj663_frames import hourly_day

from envbureau.standards.hj663 import (
    city_values_hj663,
    daily_values_hj663,
    exceedance_multiple_hj663,
    o3_8h_moving_mean_hj663,
    percentile_hj663,
)


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


# --- HJ 663 percentile ----------------------------------------------------------------------


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


# --- exceedance multiple --------------------------------------------------------------------


def test_exceedance_multiple_hj663_over_at_and_below_limit() -> None:
    """超标倍数 = (C − S)/S where C > S; 0 at or below the limit; NaN for missing."""
    got = exceedance_multiple_hj663(np.array([105.0, 75.0, 60.0, np.nan]), 75.0)
    np.testing.assert_allclose(got, [0.4, 0.0, 0.0, np.nan], atol=1e-12)
    assert exceedance_multiple_hj663(4.4, 4.0) == pytest.approx(0.1, abs=1e-12)


# --- daily values ---------------------------------------------------------------------------


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


# --- station → city -------------------------------------------------------------------------


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
