"""GB 3095-2012 and GB 3095-2026 limits, edition selection by date, data-validity minima."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from envbureau.standards.gb3095 import (
    GB3095_2012_TABLE1,
    GB3095_2026_TABLE1_FINAL,
    GB3095_2026_TABLE1_TRANSITION,
    UNITS,
    VALIDITY_GB3095_2012,
    VALIDITY_GB3095_2026,
    edition_gb3095,
    limit_by_date_gb3095,
    limits_gb3095,
    monthly_minimum_days_gb3095,
    validity_rules_gb3095,
)

# --- rows copied from the standards (facts files) ---------------------------------------------

# GB 3095-2012 Table 1: (pollutant, averaging, grade I, grade II).
GB3095_2012_TABLE1_ROWS = [
    ("so2", "annual", 20, 60),
    ("so2", "24h", 50, 150),
    ("so2", "1h", 150, 500),
    ("no2", "annual", 40, 40),
    ("no2", "24h", 80, 80),
    ("no2", "1h", 200, 200),
    ("co", "24h", 4, 4),
    ("co", "1h", 10, 10),
    ("o3", "8h", 100, 160),
    ("o3", "1h", 160, 200),
    ("pm10", "annual", 40, 70),
    ("pm10", "24h", 50, 150),
    ("pm25", "annual", 15, 35),
    ("pm25", "24h", 35, 75),
]

# GB 3095-2026 Table 1: (pollutant, averaging, transition I, transition II, final I, final II).
GB3095_2026_TABLE1_ROWS = [
    ("so2", "annual", 20, 60, 20, 20),
    ("so2", "24h", 50, 150, 50, 50),
    ("so2", "1h", 150, 500, 150, 150),
    ("no2", "annual", 40, 40, 30, 30),
    ("no2", "24h", 80, 80, 50, 50),
    ("no2", "1h", 200, 200, 200, 200),
    ("co", "24h", 4, 4, 4, 4),
    ("co", "1h", 10, 10, 10, 10),
    ("o3", "8h", 100, 160, 100, 160),
    ("o3", "1h", 160, 200, 160, 200),
    ("pm10", "annual", 40, 60, 20, 50),
    ("pm10", "24h", 50, 120, 50, 100),
    ("pm25", "annual", 15, 30, 10, 25),
    ("pm25", "24h", 35, 60, 25, 50),
]

# GB 3095-2012 Table 2 and GB 3095-2026 Table 2 (grade I = grade II for NOx, Pb, BaP):
# (pollutant, averaging, 2012 I, 2012 II, 2026 transition, 2026 final I/II).
GB3095_TABLE2_ROWS = [
    ("tsp", "annual", 80, 200, None, None),
    ("tsp", "24h", 120, 300, None, None),
    ("nox", "annual", 50, 50, 50, 40),
    ("nox", "24h", 100, 100, 100, 70),
    ("nox", "1h", 250, 250, 250, 250),
    ("pb", "annual", 0.5, 0.5, 0.5, 0.5),
    ("pb", "quarterly", 1, 1, 1, 1),
    ("bap", "annual", 0.001, 0.001, 0.001, 0.001),
    ("bap", "24h", 0.0025, 0.0025, 0.0025, 0.0025),
]


@pytest.mark.parametrize(("pollutant", "averaging", "grade1", "grade2"), GB3095_2012_TABLE1_ROWS)
def test_limits_gb3095_2012_table1(
    pollutant: str, averaging: str, grade1: int, grade2: int
) -> None:
    """GB 3095-2012 Table 1, every pollutant and averaging time, both grades."""
    day = dt.date(2020, 6, 1)
    assert limits_gb3095(day, grade=1).limit(pollutant, averaging) == grade1
    assert limits_gb3095(day, grade=2).limit(pollutant, averaging) == grade2
    assert GB3095_2012_TABLE1[(pollutant, averaging)] == (grade1, grade2)


def test_gb3095_2012_table1_has_no_other_rows() -> None:
    assert len(GB3095_2012_TABLE1) == len(GB3095_2012_TABLE1_ROWS)


@pytest.mark.parametrize(
    ("pollutant", "averaging", "trans1", "trans2", "final1", "final2"), GB3095_2026_TABLE1_ROWS
)
def test_limits_gb3095_2026_table1_transition_and_final(
    pollutant: str, averaging: str, trans1: int, trans2: int, final1: int, final2: int
) -> None:
    """GB 3095-2026 Table 1: transition stage to 2030-12-31, final limits from 2031-01-01."""
    transition, final = dt.date(2028, 7, 1), dt.date(2031, 7, 1)
    assert limits_gb3095(transition, grade=1).limit(pollutant, averaging) == trans1
    assert limits_gb3095(transition, grade=2).limit(pollutant, averaging) == trans2
    assert limits_gb3095(final, grade=1).limit(pollutant, averaging) == final1
    assert limits_gb3095(final, grade=2).limit(pollutant, averaging) == final2
    assert GB3095_2026_TABLE1_TRANSITION[(pollutant, averaging)] == (trans1, trans2)
    assert GB3095_2026_TABLE1_FINAL[(pollutant, averaging)] == (final1, final2)


@pytest.mark.parametrize(
    ("pollutant", "averaging", "g1_2012", "g2_2012", "transition", "final"), GB3095_TABLE2_ROWS
)
def test_limits_gb3095_table2_both_editions(
    pollutant: str,
    averaging: str,
    g1_2012: float,
    g2_2012: float,
    transition: float | None,
    final: float | None,
) -> None:
    """GB 3095-2012 Table 2; GB 3095-2026 Table 2 with NOx footnotes a/b (transition 50/100)."""
    assert limits_gb3095("2020-01-01", grade=1).limit(pollutant, averaging) == g1_2012
    assert limits_gb3095("2020-01-01", grade=2).limit(pollutant, averaging) == g2_2012
    if transition is not None:
        assert limits_gb3095("2027-01-01").limit(pollutant, averaging) == transition
        assert limits_gb3095("2032-01-01", grade=1).limit(pollutant, averaging) == final


# --- edition and stage by date: our edge cases -------------------------------------------------


@pytest.mark.parametrize(
    ("day", "edition", "stage", "pm25_annual"),
    [
        (dt.date(2026, 2, 28), "2012", "2012", 35),
        (dt.date(2026, 3, 1), "2026", "transition", 30),
        (dt.date(2030, 12, 31), "2026", "transition", 30),
        (dt.date(2031, 1, 1), "2026", "final", 25),
    ],
)
def test_limits_gb3095_auto_switches_on_both_sides_of_each_date(
    day: dt.date, edition: str, stage: str, pm25_annual: int
) -> None:
    limit_set = limits_gb3095(day)
    assert (limit_set.edition, limit_set.stage) == (edition, stage)
    assert limit_set.limit("pm25", "annual") == pm25_annual
    assert edition_gb3095(day) == edition


def test_limits_gb3095_forced_editions_recompute_any_date() -> None:
    assert limits_gb3095("2025-06-01", edition="2026").limit("pm25", "24h") == 60
    assert limits_gb3095("2025-06-01", edition="2026", stage="final").limit("pm25", "24h") == 50
    assert limits_gb3095("2027-06-01", edition="2012").limit("pm25", "24h") == 75
    assert limits_gb3095("2027-06-01", stage="final").limit("no2", "annual") == 30


def test_limits_gb3095_tz_aware_time_is_read_in_beijing_time() -> None:
    # 2026-02-28 17:00 UTC is 2026-03-01 01:00 in Beijing.
    assert limits_gb3095(pd.Timestamp("2026-02-28T17:00Z")).edition == "2026"
    assert limits_gb3095(pd.Timestamp("2026-02-28T15:00Z")).edition == "2012"


def test_limit_set_label_names_edition_stage_grade() -> None:
    assert limits_gb3095("2020-01-01").label == "GB 3095-2012 二级"
    assert limits_gb3095("2027-01-01", grade=1).label == "GB 3095-2026 过渡阶段 一级"


def test_limits_gb3095_rejects_unknown_edition_stage_grade_and_item() -> None:
    with pytest.raises(ValueError, match="edition"):
        limits_gb3095("2020-01-01", edition="2018")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="stage"):
        limits_gb3095("2027-01-01", stage="early")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="grade"):
        limits_gb3095("2020-01-01", grade=3)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="co"):
        limits_gb3095("2020-01-01").limit("co", "annual")


def test_limit_by_date_gb3095_vectorised_across_the_switches() -> None:
    dates = pd.to_datetime(["2026-02-28", "2026-03-01", "2030-12-31", "2031-01-01", None])
    got = limit_by_date_gb3095(dates, "pm10", "24h")
    np.testing.assert_array_equal(got[:4], [150.0, 120.0, 120.0, 100.0])
    assert np.isnan(got[4])
    forced = limit_by_date_gb3095(dates[:4], "pm10", "24h", edition="2012")
    np.testing.assert_array_equal(forced, [150.0] * 4)
    assert limit_by_date_gb3095(dates[:4], "o3", "8h", grade=1).tolist() == [100.0] * 4


def test_units_co_in_mg_everything_else_in_ug() -> None:
    assert UNITS["co"] == "mg/m³"
    assert {UNITS[p] for p in ("so2", "no2", "o3", "pm10", "pm25", "nox")} == {"μg/m³"}


# --- data validity (GB 3095 Table 4; HJ 663 6.1.2) ---------------------------------------------


@pytest.mark.parametrize("rules", [VALIDITY_GB3095_2012, VALIDITY_GB3095_2026])
def test_validity_gb3095_table4_minima(rules) -> None:
    """GB 3095-2012 Table 4 (2026 Table 4 read as identical); HJ 663 O3 windows 08–24 h, ≥ 14."""
    assert rules.min_minutes_hourly == 45
    assert rules.min_hours_daily == 20
    assert (rules.hours_per_8h_window, rules.min_hours_8h) == (8, 6)
    assert (rules.o3_8h_first_window_hour, rules.o3_8h_last_window_hour) == (8, 24)
    assert rules.o3_8h_windows_per_day == 17
    assert rules.min_windows_o3_daily_max_8h == 14
    assert rules.o3_daily_max_8h_valid_if_exceeds is True
    assert (rules.min_days_annual, rules.min_days_month, rules.min_days_february) == (324, 27, 25)


def test_validity_rules_gb3095_by_date() -> None:
    assert validity_rules_gb3095("2026-02-28").edition == "2012"
    assert validity_rules_gb3095("2026-03-01").edition == "2026"
    assert validity_rules_gb3095("2026-03-01", edition="2012").edition == "2012"


def test_monthly_minimum_days_gb3095_february_25_others_27() -> None:
    got = monthly_minimum_days_gb3095(np.arange(1, 13), VALIDITY_GB3095_2012)
    assert got.tolist() == [27, 25] + [27] * 10
