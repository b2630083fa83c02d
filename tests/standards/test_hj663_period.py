"""HJ 663 period statistics, attainment and year-on-year change: values worked by hand from the
rules of the facts files.

Every validity boundary of GB 3095 Table 4 from both sides, both editions of the limits, dust
deduction, groups, and the whole chain hourly → daily → city → period.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hj663_frames import daily_frame, hourly_day, ramp_year, stat
from hypothesis import assume, given
from hypothesis import strategies as st

from envbureau.standards.hj663 import city_values_hj663, daily_values_hj663
from envbureau.standards.hj663_period import (
    PERIOD_STATISTICS,
    attainment_hj663,
    change_year_on_year,
    period_statistics_hj663,
)
from envbureau.standards.rounding import round_gbt8170

concentrations = st.floats(min_value=0, max_value=1000, allow_nan=False)


# --- period statistics ----------------------------------------------------------------------


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


def test_period_statistics_accepts_dates_as_python_dates() -> None:
    frame = daily_frame("2014-01-01", "2014-01-31")
    a = period_statistics_hj663(
        frame, period_start=dt.date(2014, 1, 1), period_end=dt.date(2014, 1, 31)
    )
    b = period_statistics_hj663(frame, period_start="2014-01-01", period_end="2014-01-31")
    pd.testing.assert_frame_equal(a, b)


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


# --- year on year ---------------------------------------------------------------------------


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


@given(concentrations, concentrations)
def test_change_year_on_year_sign_follows_the_values(current, previous) -> None:
    assume(previous > 0)
    change = change_year_on_year(
        current, previous, quantity="pm25", from_reported=False, round_result=False
    )
    assert np.sign(change) == np.sign(current - previous)
    points = change_year_on_year(current, previous, quantity="rate", from_reported=False)
    assert points == round_gbt8170(current - previous, 1)


# --- pipeline -------------------------------------------------------------------------------


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
