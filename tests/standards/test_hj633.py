"""HJ 633 AQI engine, editions 2012 and 2026: values worked from the standards' own tables.

Rows copied from the standards (HJ 633-2012 表1/表2/附录A, HJ 633-2026 表3/表1/附录A, as
recorded in shared/standards/air-aqi-HJ633-2012.md and air-2026-GB3095-HJ633-HJ663.md) are
kept in the "copied from the standards" section, apart from "our edge cases". Expected IAQIs
are worked with exact fractions from the copied tables, never with the engine's own code.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from envbureau.standards import hj633
from envbureau.standards import hj633_tables as tables

# --- copied from the standards ------------------------------------------------------------

IAQI_STEPS = (0, 50, 100, 150, 200, 300, 400, 500)

#: HJ 633-2012 表1, column by column (μg/m³; CO mg/m³). Shorter columns stop at note b/c.
HJ633_2012_TABLE1 = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800),
    "pm25_24h": (0, 35, 75, 115, 150, 250, 350, 500),
}

#: HJ 633-2026 表3: as 2012 except PM10 and PM2.5 at IAQI 100 (120 and 60).
HJ633_2026_TABLE3 = HJ633_2012_TABLE1 | {
    "pm10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
    "pm25_24h": (0, 35, 60, 115, 150, 250, 350, 500),
}

TABLES = {"2012": HJ633_2012_TABLE1, "2026": HJ633_2026_TABLE3}

#: HJ 633-2012 表2 / HJ 633-2026 表1 and 附录A: AQI range, level, category, RGB colour.
HJ633_TABLE_LEVELS = [
    ((0, 50), 1, "优", "#00E400"),
    ((51, 100), 2, "良", "#FFFF00"),
    ((101, 150), 3, "轻度污染", "#FF7E00"),
    ((151, 200), 4, "中度污染", "#FF0000"),
    ((201, 300), 5, "重度污染", "#99004C"),
    ((301, 500), 6, "严重污染", "#7E0023"),
]

#: Worked by hand from the tables (the facts file's own example first, then values seen in
#: the national platform's 2019 files: 1001A and 1003A at 2019-01-01 00:00, published AQI 73
#: and 92, both from PM2.5).
HAND_WORKED = [
    # edition, indicator, concentration, IAQI, how
    ("2012", "pm25_24h", 36, 52, "50 + 50/40 × 1 = 51.25 → 52 (not 51 as in discretised bands)"),
    ("2012", "pm25_24h", 53, 73, "50 + 50/40 × 18 = 72.5 → 73"),
    ("2012", "pm25_24h", 68, 92, "50 + 50/40 × 33 = 91.25 → 92"),
    ("2012", "pm25_24h", 70, 94, "50 + 50/40 × 35 = 93.75 → 94"),
    ("2026", "pm25_24h", 70, 110, "100 + 50/55 × 10 = 109.09 → 110"),
    ("2012", "pm10_24h", 130, 90, "50 + 50/100 × 80 = 90"),
    ("2026", "pm10_24h", 130, 104, "100 + 50/130 × 10 = 103.85 → 104"),
    ("2012", "no2_1h", 75, 38, "50/100 × 75 = 37.5 → 38"),
    ("2012", "co_1h", 0.3, 3, "50/5 × 0.3 = 3 exactly (binary 0.3 must not give 4)"),
    ("2012", "co_24h", 0.3, 8, "50/2 × 0.3 = 7.5 → 8"),
    ("2012", "so2_24h", 185, 106, "100 + 50/325 × 35 = 105.38 → 106"),
    ("2012", "o3_8h", 180, 119, "100 + 50/55 × 20 = 118.18 → 119"),
    ("2012", "o3_1h", 250, 125, "100 + 50/100 × 50 = 125"),
    ("2026", "so2_1h", 915, 200, "表3 note b: SO2 1-h > 800 counts as 200"),
    ("2026", "o3_8h", 900, 300, "表3 note c: O3 8-h > 800 counts as 300"),
]


def exact_iaqi(conc: Fraction, column: tuple[float, ...]) -> int:
    """Formula (1) with exact fractions and the ceiling, within the column."""
    for k in range(len(column) - 1):
        lo, hi = Fraction(column[k]), Fraction(column[k + 1])
        if lo <= conc <= hi:
            step_lo, step_hi = IAQI_STEPS[k], IAQI_STEPS[k + 1]
            return math.ceil(step_lo + Fraction(step_hi - step_lo) / (hi - lo) * (conc - lo))
    raise AssertionError(f"{conc} is outside the column")


def resolution(indicator: str) -> Fraction:
    """Reporting resolution: 1 μg/m³, CO 0.1 mg/m³."""
    return Fraction(1, 10) if indicator.startswith("co") else Fraction(1)


def breakpoint_cases() -> list[tuple[str, str, int]]:
    return [
        (edition, indicator, k)
        for edition, table in TABLES.items()
        for indicator, column in table.items()
        for k in range(len(column))
    ]


# --- the tables of the engine are those of the standards ----------------------------------


def test_breakpoint_tables_hj633_2012_table1() -> None:
    engine = {f"{p}_{q}": bp for (p, q), bp in tables.BREAKPOINTS_2012.items()}
    assert engine == HJ633_2012_TABLE1


def test_breakpoint_tables_hj633_2026_table3() -> None:
    engine = {f"{p}_{q}": bp for (p, q), bp in tables.BREAKPOINTS_2026.items()}
    assert engine == HJ633_2026_TABLE3


def test_level_tables_hj633_table2_and_appendix_a() -> None:
    assert tuple(row[2] for row in HJ633_TABLE_LEVELS) == tables.CATEGORIES
    assert tuple(row[3] for row in HJ633_TABLE_LEVELS) == tables.COLOURS_RGB_HEX
    assert tuple(row[0][1] for row in HJ633_TABLE_LEVELS) == tables.LEVEL_UPPER_AQI


# --- IAQI at and around every breakpoint (copied tables, exact arithmetic) -----------------


@pytest.mark.parametrize(("edition", "indicator", "k"), breakpoint_cases())
def test_iaqi_at_breakpoint_is_its_step(edition: str, indicator: str, k: int) -> None:
    """Formula (1) at a breakpoint gives the IAQI of its row of the table, from both sides."""
    bp = TABLES[edition][indicator][k]
    assert hj633.iaqi([bp], indicator, edition)[0] == IAQI_STEPS[k]


@pytest.mark.parametrize(("edition", "indicator", "k"), breakpoint_cases())
def test_iaqi_just_below_and_above_breakpoint(edition: str, indicator: str, k: int) -> None:
    """One reporting step (1 μg/m³, CO 0.1 mg/m³) either side: the ceiling of formula (1)."""
    column = TABLES[edition][indicator]
    bp, step = Fraction(column[k]), resolution(indicator)
    cases = []
    if k > 0:
        cases.append(bp - step)
    if k < len(column) - 1:
        cases.append(bp + step)
    got = hj633.iaqi([float(c) for c in cases], indicator, edition)
    assert list(got) == [exact_iaqi(c, column) for c in cases]


@pytest.mark.parametrize(("edition", "indicator", "k"), breakpoint_cases())
def test_iaqi_off_grid_2012_interpolates_exactly(edition: str, indicator: str, k: int) -> None:
    """2012 uses concentrations as given: a third of a step either side, exact ceiling."""
    column = TABLES[edition][indicator]
    bp, third = Fraction(column[k]), resolution(indicator) / 3
    cases = [c for c in (bp - third, bp + third) if column[0] <= c <= column[-1]]
    if edition == "2026":  # 2026 rounds to the grid first (4.2.2/4.2.3): back to bp
        assert list(hj633.iaqi([float(c) for c in cases], indicator, edition)) == [
            IAQI_STEPS[k]
        ] * len(cases)
    else:
        got = hj633.iaqi([float(c) for c in cases], indicator, edition)
        assert list(got) == [exact_iaqi(c, column) for c in cases]


@pytest.mark.parametrize(("edition", "indicator", "conc", "expected", "how"), HAND_WORKED)
def test_iaqi_hand_worked(edition: str, indicator: str, conc: float, expected: int, how: str):
    assert hj633.iaqi(conc, indicator, edition) == expected, how


# --- beyond the table ------------------------------------------------------------------------


def test_iaqi_so2_1h_above_800_hj633_2012_note_b_computes_nothing() -> None:
    assert np.isnan(hj633.iaqi([801, 915], "so2_1h", "2012")).all()
    assert hj633.iaqi(800, "so2_1h", "2012") == 200


def test_iaqi_o3_8h_above_800_hj633_2012_note_c_computes_nothing() -> None:
    assert np.isnan(hj633.iaqi([801, 1000], "o3_8h", "2012")).all()
    assert hj633.iaqi(800, "o3_8h", "2012") == 300


def test_iaqi_above_800_hj633_2026_notes_b_c_fixed_values() -> None:
    assert list(hj633.iaqi([801, 5000], "so2_1h", "2026")) == [200, 200]
    assert list(hj633.iaqi([801, 5000], "o3_8h", "2026")) == [300, 300]


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_iaqi_above_last_breakpoint_capped_at_500(edition: str) -> None:
    assert list(hj633.iaqi([500, 501, 1e6], "pm25_24h", edition)) == [500, 500, 500]
    assert list(hj633.iaqi([60, 61, 99.9], "co_24h", edition)) == [500, 500, 500]


# --- rounding of inputs (2026 4.2.2/4.2.3, GB/T 8170) and of results (4.2.6) ---------------


def test_iaqi_2026_rounds_concentrations_half_to_even() -> None:
    # 60.5 → 60 (even) → IAQI 100; 61.5 → 62 → 100 + 50/55 × 2 = 101.8 → 102
    assert list(hj633.iaqi([60.5, 61.5, 60.4], "pm25_24h", "2026")) == [100, 102, 100]
    # CO to 0.1 mg/m³: 0.25 → 0.2 (IAQI 5), 0.35 → 0.4 (IAQI 10), 0.45 → 0.4 (IAQI 10)
    assert list(hj633.iaqi([0.25, 0.35, 0.45], "co_24h", "2026")) == [5, 10, 10]


def test_iaqi_2026_float_noise_next_to_a_half_is_the_half() -> None:
    # Computed means written 60.5 and 61.5 (GB/T 8170 as round_gbt8170): 60 → 100, 62 → 102.
    noisy = [60.50000000000001, 61.49999999999999]
    assert list(hj633.iaqi(noisy, "pm25_24h", "2026")) == [100, 102]
    # CO (0.8 + 0.9)/2 = 0.8500000000000001, written 0.85 → 0.8 → 50/2 × 0.8 = 20 (IAQI 20)
    assert list(hj633.iaqi([(0.8 + 0.9) / 2], "co_24h", "2026")) == [20]


def test_iaqi_2012_uses_concentrations_as_given() -> None:
    # 60.5 → 50 + 50/40 × 25.5 = 81.875 → 82; no truncation to 60 (→ 82, not 81)
    assert hj633.iaqi(60.5, "pm25_24h", "2012") == 82
    assert hj633.iaqi(35.01, "pm25_24h", "2012") == 51


# --- input types (one test each: scalar, list, array, Series, with NaN) --------------------


def test_iaqi_scalar() -> None:
    assert hj633.iaqi(75, "pm25_24h", "2012") == 100


def test_iaqi_list_and_array_keep_shape() -> None:
    got = hj633.iaqi(np.array([[35, 75], [115, 150]]), "pm25_24h", "2012")
    np.testing.assert_array_equal(got, [[50, 100], [150, 200]])


def test_iaqi_series_with_nan() -> None:
    got = hj633.iaqi(pd.Series([np.nan, 35.0, np.nan]), "pm25_24h", "2012")
    np.testing.assert_array_equal(got, [np.nan, 50, np.nan])


@pytest.mark.parametrize(
    ("conc", "indicator", "edition", "message"),
    [
        ([-1], "pm25_24h", "2012", ">= 0"),
        ([np.inf], "pm25_24h", "2012", "finite"),
        ([1], "pm25_1h", "2012", "unknown indicator"),
        ([1], "pm25_24h", "2019", "unknown HJ 633 edition"),
    ],
)
def test_iaqi_refuses_bad_input(conc, indicator, edition, message) -> None:
    with pytest.raises(ValueError, match=message):
        hj633.iaqi(conc, indicator, edition)


# --- levels, categories, colours, health texts ----------------------------------------------


@pytest.mark.parametrize(("bounds", "level", "category", "colour"), HJ633_TABLE_LEVELS)
def test_level_category_colour_at_both_ends_of_each_range(bounds, level, category, colour):
    aqi = np.array(bounds, dtype=float)
    assert list(hj633.aqi_level(aqi)) == [level, level]
    assert list(hj633.aqi_category(aqi)) == [category, category]
    assert list(hj633.aqi_colour(aqi)) == [colour, colour]


def test_level_lookups_missing_aqi() -> None:
    aqi = pd.array([pd.NA, 75], dtype="Int64")
    assert list(hj633.aqi_level(aqi)) == [0, 2]
    assert list(hj633.aqi_category(aqi)) == [None, "良"]


def test_health_texts_differ_by_edition() -> None:
    assert hj633.aqi_health_advice([120], "2012")[0].startswith("儿童、老年人及心脏病")
    assert hj633.aqi_health_advice([120], "2026")[0].startswith("青少年儿童")
    assert hj633.aqi_health_effect([20], "2026")[0] == "空气质量令人满意，基本无空气污染"


# --- daily report ------------------------------------------------------------------------------

CLEAN_DAY = {
    "so2_24h": 10.0,
    "no2_24h": 20.0,
    "co_24h": 0.5,
    "o3_8h_max": 80.0,
    "o3_1h_max": 100.0,
    "pm10_24h": 40.0,
    "pm25_24h": 20.0,
}


def day(when: str = "2025-06-01", **values: float) -> dict:
    return {"date": when, "station": "1001A"} | CLEAN_DAY | values


def daily(*rows: dict, edition: str = "auto") -> pd.DataFrame:
    return hj633.daily_aqi(pd.DataFrame(list(rows)), edition=edition)


def test_daily_aqi_is_max_of_seven_indicators_2012() -> None:
    """2012 日报: O3 daily max 1-h is an indicator; 250 → 125 beats O3 8-h 180 → 119."""
    out = daily(day(o3_8h_max=180, o3_1h_max=250))
    row = out.iloc[0]
    assert (row["edition"], row["aqi"], row["iaqi_o3_8h"], row["iaqi_o3_1h"]) == (
        "2012",
        125,
        119,
        125,
    )
    assert (row["level"], row["category"], row["colour"]) == (3, "轻度污染", "#FF7E00")
    assert (row["primary_pollutants"], row["exceeding_pollutants"]) == ("O3", "O3")


def test_daily_aqi_2026_has_no_o3_1h_indicator() -> None:
    out = daily(day("2026-06-01", o3_8h_max=180, o3_1h_max=250))
    row = out.iloc[0]
    assert (row["edition"], row["aqi"]) == ("2026", 119)
    assert pd.isna(row["iaqi_o3_1h"])
    assert pd.isna(row["exceeding_pollutants"])  # 2026 deleted the notion


def test_daily_aqi_2026_needs_no_o3_1h_column() -> None:
    frame = pd.DataFrame([day("2026-06-01")]).drop(columns="o3_1h_max")
    assert hj633.daily_aqi(frame)["aqi"].iloc[0] == 40
    with pytest.raises(ValueError, match="o3_1h_max"):
        hj633.daily_aqi(frame.assign(date="2025-06-01"))


def test_daily_aqi_o3_8h_above_800_2012_uses_o3_1h() -> None:
    out = daily(day(o3_8h_max=850, o3_1h_max=900)).iloc[0]
    assert pd.isna(out["iaqi_o3_8h"])
    assert (out["iaqi_o3_1h"], out["aqi"], out["primary_pollutants"]) == (350, 350, "O3")
    out_2026 = daily(day("2026-03-01", o3_8h_max=850)).iloc[0]
    assert (out_2026["iaqi_o3_8h"], out_2026["aqi"]) == (300, 300)


def test_daily_aqi_particles_change_category_in_2026() -> None:
    """The same PM2.5 of 70 μg/m³: 良 (94) before 2026-03-01, 轻度污染 (110) from it."""
    out = daily(day("2026-02-28", pm25_24h=70), day("2026-03-01", pm25_24h=70))
    assert list(out["aqi"]) == [94, 110]
    assert list(out["category"]) == ["良", "轻度污染"]
    assert list(out["edition"]) == ["2012", "2026"]


def test_daily_aqi_primary_pollutants_tie() -> None:
    """NO2 24-h 80 and PM2.5 75 both give IAQI 100: both are primary (2012)."""
    out = daily(day(no2_24h=80, pm25_24h=75)).iloc[0]
    assert (out["aqi"], out["primary_pollutants"]) == (100, "NO2;PM2.5")
    assert out["exceeding_pollutants"] == ""  # IAQI 100 is not above 100


def test_daily_aqi_o3_counts_once_when_both_its_indicators_tie() -> None:
    out = daily(day(o3_8h_max=160, o3_1h_max=200)).iloc[0]
    assert (out["aqi"], out["primary_pollutants"]) == (100, "O3")


def test_daily_aqi_no_primary_pollutant_at_50() -> None:
    out = daily(day(pm25_24h=35), day(pm25_24h=36))
    assert list(out["aqi"]) == [50, 52]
    assert list(out["primary_pollutants"]) == ["", "PM2.5"]


def test_daily_aqi_exceeding_pollutants_2012() -> None:
    out = daily(day(so2_24h=151, no2_24h=81, pm25_24h=76)).iloc[0]
    assert out["exceeding_pollutants"] == "SO2;NO2;PM2.5"
    assert out["primary_pollutants"] == "PM2.5"
    assert (out["iaqi_so2_24h"], out["iaqi_no2_24h"], out["iaqi_pm25_24h"]) == (101, 101, 102)


def test_daily_aqi_above_table_flag() -> None:
    out = daily(day(pm25_24h=500), day(pm25_24h=501))
    assert list(out["aqi"]) == [500, 500]
    assert list(out["above_table"]) == [False, True]


def test_daily_aqi_missing_pollutant_2012_computed_from_the_rest() -> None:
    out = daily(day(no2_24h=np.nan, pm25_24h=40)).iloc[0]
    assert (out["aqi"], out["missing_pollutants"]) == (57, "NO2")
    assert pd.isna(out["iaqi_no2_24h"])


def test_daily_aqi_2026_withholds_aqi_not_above_100_with_a_pollutant_missing() -> None:
    """HJ 633-2026 5.3: AQI of the others 100 → NA; 101 → published; 2012 → published."""
    rows = [
        day("2026-05-01", no2_24h=np.nan, pm10_24h=120),  # IAQI 100
        day("2026-05-01", no2_24h=np.nan, pm10_24h=123),  # IAQI 101.15 → 102
        day("2025-05-01", no2_24h=np.nan, pm10_24h=150),  # 2012, IAQI 100
    ]
    out = daily(*rows)
    assert out["aqi"].tolist() == [pd.NA, 102, 100]
    assert out["level"].tolist() == [pd.NA, 3, 2]
    assert pd.isna(out["category"].iloc[0]) and pd.isna(out["primary_pollutants"].iloc[0])
    assert out["iaqi_pm10_24h"].tolist() == [100, 102, 100]  # single IAQIs still published
    assert out["missing_pollutants"].tolist() == ["NO2", "NO2", "NO2"]


def test_daily_aqi_nothing_computable_is_na() -> None:
    row = {"date": "2025-01-01"} | dict.fromkeys(CLEAN_DAY, np.nan)
    out = daily(row).iloc[0]
    assert pd.isna(out["aqi"]) and pd.isna(out["level"])
    assert out["missing_pollutants"] == "SO2;NO2;CO;O3;PM10;PM2.5"


def test_daily_aqi_edition_can_be_forced() -> None:
    out = daily(day("2020-01-01", pm25_24h=70), edition="2026").iloc[0]
    assert (out["edition"], out["aqi"]) == ("2026", 110)


@pytest.mark.parametrize(
    "when",
    [
        ["2026-02-28", "2026-03-01"],
        [date(2026, 2, 28), date(2026, 3, 1)],
        pd.to_datetime(["2026-02-28 23:00", "2026-03-01 00:00"]),
    ],
)
def test_daily_aqi_auto_edition_switches_on_2026_03_01(when) -> None:
    frame = pd.DataFrame([day(), day()]).assign(date=list(when))
    assert list(hj633.daily_aqi(frame)["edition"]) == ["2012", "2026"]


def test_daily_aqi_output_schema() -> None:
    frame = pd.DataFrame([day()], index=[7])
    out = hj633.daily_aqi(frame)
    assert list(out.index) == [7]
    assert list(out.columns[: len(frame.columns)]) == list(frame.columns)
    iaqi_columns = [c for c in out.columns if c.startswith("iaqi_")]
    assert iaqi_columns == [
        "iaqi_so2_24h",
        "iaqi_no2_24h",
        "iaqi_co_24h",
        "iaqi_o3_8h",
        "iaqi_o3_1h",
        "iaqi_pm10_24h",
        "iaqi_pm25_24h",
    ]
    for column in ["aqi", "level", *iaqi_columns]:
        assert out[column].dtype == "Int64"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pm25_24h": -3.0}, ">= 0"),
        ({"pm25_24h": "35"}, "must hold numbers"),
        ({"date": None}, "missing values"),
        ({"date": "2026-13-01"}, "unreadable date"),
    ],
)
def test_daily_aqi_refuses_bad_input(change: dict, message: str) -> None:
    frame = pd.DataFrame([day()]).assign(**change)
    with pytest.raises(ValueError, match=message):
        hj633.daily_aqi(frame)


def test_daily_aqi_refuses_missing_column_and_unknown_edition() -> None:
    with pytest.raises(ValueError, match="pm25_24h"):
        hj633.daily_aqi(pd.DataFrame([day()]).drop(columns="pm25_24h"))
    with pytest.raises(ValueError, match="edition"):
        hj633.daily_aqi(pd.DataFrame([day()]), edition="2030")


# --- real-time (hourly) report -------------------------------------------------------------

CLEAN_HOUR = {"so2": 10.0, "no2": 40.0, "co": 0.6, "o3": 60.0, "pm10": 50.0, "pm25": 30.0}


def hour(when: str = "2025-06-01 10:00", **values: float) -> dict:
    return {"time": pd.Timestamp(when), "station": "1001A"} | CLEAN_HOUR | values


def hourly(*rows: dict, edition: str = "auto") -> pd.DataFrame:
    return hj633.hourly_aqi(pd.DataFrame(list(rows)), edition=edition)


def test_hourly_aqi_particles_1h_into_24h_breakpoints() -> None:
    """PM 1-h means against the 24-h columns; the 24-h moving means do not enter the AQI."""
    out = hourly(hour(pm25=53, pm25_24h=44, o3_8h=170)).iloc[0]
    assert (out["aqi"], out["iaqi_pm25_1h"], out["primary_pollutants"]) == (73, 73, "PM2.5")
    assert (out["iaqi_pm25_24h"], out["iaqi_o3_8h"]) == (62, 110)  # published only


def test_hourly_aqi_so2_above_800_2012_uses_24h_mean() -> None:
    """表1 note b, seen on 2019-01-09 13:00 at 2647A (the platform published 200)."""
    row = hour(so2=915, so2_24h=185, no2=44, co=2.3, o3=58, pm10=249, pm25=116)
    out = hourly(row, row | {"time": pd.Timestamp("2026-03-02 13:00")})
    assert out["iaqi_so2_1h"].tolist() == [pd.NA, 200]
    assert out["iaqi_so2_24h"].tolist() == [106, pd.NA]
    assert out["aqi"].tolist() == [152, 200]
    assert out["primary_pollutants"].tolist() == ["PM2.5", "SO2"]
    assert out["exceeding_pollutants"].tolist()[0] == "SO2;PM10;PM2.5"


def test_hourly_aqi_so2_above_800_2012_without_24h_mean_is_missing() -> None:
    out = hourly(hour(so2=915)).iloc[0]
    assert out["missing_pollutants"] == "SO2"
    assert out["aqi"] == 50  # PM10 50


@pytest.mark.parametrize(
    ("when", "edition"),
    [
        ("2026-02-28 23:00", "2012"),
        ("2026-03-01 00:00", "2012"),  # the hour 23:00–24:00 of 2026-02-28
        ("2026-03-01 01:00", "2026"),
        ("2026-03-01T00:00:00+08:00", "2012"),
        ("2026-02-28T17:00:00Z", "2026"),  # 01:00 Beijing time
        ("2026-02-28T16:00:00Z", "2012"),
    ],
)
def test_hourly_aqi_auto_edition_by_the_day_the_hour_starts(when: str, edition: str) -> None:
    frame = pd.DataFrame([hour()]).assign(time=[when])
    assert hj633.hourly_aqi(frame)["edition"].iloc[0] == edition


def test_hourly_aqi_tz_aware_times() -> None:
    times = pd.to_datetime(["2026-02-28 17:00", "2026-02-28 16:00"]).tz_localize("UTC")
    frame = pd.DataFrame([hour(), hour()]).assign(time=times)
    assert list(hj633.hourly_aqi(frame)["edition"]) == ["2026", "2012"]


def test_hourly_aqi_2026_publishes_only_the_six_1h_indicators() -> None:
    out = hourly(hour("2026-06-01 10:00", pm25_24h=44, o3_8h=170)).iloc[0]
    assert pd.isna(out["iaqi_pm25_24h"]) and pd.isna(out["iaqi_o3_8h"])


def test_hourly_aqi_2026_withholding_5_3() -> None:
    out = hourly(hour("2026-06-01 10:00", co=np.nan, pm25=60), hour(co=np.nan, pm25=60))
    assert out["aqi"].tolist() == [pd.NA, 82]


def test_hourly_aqi_mixed_editions_equal_single_edition_runs() -> None:
    rng = np.random.default_rng(7)
    n = 400
    frame = pd.DataFrame(
        {
            "time": pd.Timestamp("2026-02-20") + pd.to_timedelta(rng.integers(0, 480, n), "h"),
            "so2": rng.integers(0, 1000, n).astype(float),
            "so2_24h": rng.integers(0, 300, n).astype(float),
            "no2": rng.integers(0, 400, n).astype(float),
            "co": rng.integers(0, 200, n) / 10,
            "o3": rng.integers(0, 500, n).astype(float),
            "pm10": rng.integers(0, 700, n).astype(float),
            "pm25": rng.integers(0, 600, n) + rng.choice([0, 0.5], n),
            "o3_8h": rng.integers(0, 900, n).astype(float),
        }
    )
    frame.loc[rng.random(n) < 0.1, "no2"] = np.nan
    mixed = hj633.hourly_aqi(frame)
    for edition in ("2012", "2026"):
        alone = hj633.hourly_aqi(frame, edition=edition)
        rows = mixed["edition"] == edition
        assert rows.any()
        pd.testing.assert_frame_equal(
            mixed[rows].drop(columns="edition"),
            alone[rows].drop(columns="edition"),
            check_categorical=False,
        )


def test_hourly_aqi_refuses_missing_1h_column() -> None:
    with pytest.raises(ValueError, match="'pm25'"):
        hj633.hourly_aqi(pd.DataFrame([hour()]).drop(columns="pm25"))


def test_hourly_aqi_accepts_datetime_objects() -> None:
    frame = pd.DataFrame([hour()]).assign(time=[datetime(2026, 3, 1, 1)])
    assert hj633.hourly_aqi(frame)["edition"].iloc[0] == "2026"
