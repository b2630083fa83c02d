"""GB 3838-2002 engine with the 2011 evaluation method: values worked from the standard's tables.

Rows copied from the sources (GB 3838-2002 表1/表2, 环办〔2011〕22号 and CNEMC's 2004 TLI
regulation, as recorded in shared/standards/water-GB3838-2002.md) are kept in the "copied
from the standard" section, apart from "our edge cases". Expected classes are worked from the
copied tables in the tests (the best class whose limit the value meets), never with the
engine's own tables or code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838 import (
    check_values_gb3838,
    class_label_gb3838,
    drinking_source_compliance_gb3838,
    item_class_gb3838,
    meets_target,
    quality_status_gb3838,
    water_class_gb3838,
)
from envbureau.standards.gb3838_aggregate import period_mean_gb3838, river_status_gb3838
from envbureau.standards.gb3838_tli import tli_gb3838, tli_weights, trophic_state_gb3838

# --- copied from the standard -------------------------------------------------------------

#: GB 3838-2002 表1, classes Ⅰ–Ⅴ [mg/L; fecal coliform 个/L]; rivers. DO is "≥", the rest "≤".
GB3838_TABLE1 = {
    "do": (7.5, 6, 5, 3, 2),
    "codmn": (2, 4, 6, 10, 15),
    "cod": (15, 15, 20, 30, 40),
    "bod5": (3, 3, 4, 6, 10),
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),
    "tn": (0.2, 0.5, 1.0, 1.5, 2.0),
    "cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "fluoride": (1.0, 1.0, 1.0, 1.5, 1.5),
    "se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "as": (0.05, 0.05, 0.05, 0.1, 0.1),
    "hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "cr6": (0.01, 0.05, 0.05, 0.05, 0.1),
    "pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "cyanide": (0.005, 0.05, 0.2, 0.2, 0.2),
    "volatile_phenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "petroleum": (0.05, 0.05, 0.05, 0.5, 1.0),
    "las": (0.2, 0.2, 0.2, 0.3, 0.3),
    "sulfide": (0.05, 0.1, 0.2, 0.5, 1.0),
    "fecal_coliform": (200, 2000, 10000, 20000, 40000),
}
#: 表1 item 8, in parentheses: TP of lakes and reservoirs (湖、库).
GB3838_TABLE1_TP_LAKE_RESERVOIR = (0.01, 0.025, 0.05, 0.1, 0.2)
#: 表1 item 2: pH 6–9 for every class.
GB3838_TABLE1_PH = (6, 9)
#: GB 3838-2002 表2 [mg/L].
GB3838_TABLE2 = {"sulfate": 250, "chloride": 250, "nitrate": 10, "iron": 0.3, "manganese": 0.1}
#: 环办〔2011〕22号: the 21 items (表1 without water temperature, TN, fecal coliform).
METHOD_2011_ITEMS = [
    "ph",
    "do",
    "codmn",
    "cod",
    "bod5",
    "nh3n",
    "tp",
    "cu",
    "zn",
    "fluoride",
    "se",
    "as",
    "hg",
    "cd",
    "cr6",
    "pb",
    "cyanide",
    "volatile_phenol",
    "petroleum",
    "las",
    "sulfide",
]
#: 环办〔2011〕22号 断面水质定性评价: class -> (label, status).
METHOD_2011_SECTION_STATUS = {
    1: ("Ⅰ", "优"),
    2: ("Ⅱ", "优"),
    3: ("Ⅲ", "良好"),
    4: ("Ⅳ", "轻度污染"),
    5: ("Ⅴ", "中度污染"),
    6: ("劣Ⅴ", "重度污染"),
}
#: CNEMC 2004: r_ij and the published 4-decimal weights W_j.
TLI_R = {"chla": 1, "tp": 0.84, "tn": 0.82, "sd": -0.83, "codmn": 0.83}
TLI_WEIGHTS_PUBLISHED = {
    "chla": 0.2663,
    "tp": 0.1879,
    "tn": 0.1790,
    "sd": 0.1834,
    "codmn": 0.1834,
}


def best_class(value: float, limits: tuple[float, ...], higher_is_better: bool = False) -> int:
    """The best class whose limit the value meets (our reading of 表1; 6 = 劣Ⅴ)."""
    for k, limit in enumerate(limits, start=1):
        if (value >= limit) if higher_is_better else (value <= limit):
            return k
    return 6


LIMIT_CASES = [
    (item, k, limit)
    for item, limits in GB3838_TABLE1.items()
    if item != "tn"
    for k, limit in enumerate(limits, start=1)
]


# --- Table 1: every limit from both sides ----------------------------------------------------


@pytest.mark.parametrize(("item", "k", "limit"), LIMIT_CASES)
def test_item_class_gb3838_table1_at_each_limit_and_just_worse(item, k, limit) -> None:
    higher = item == "do"
    worse = limit * (1 - 1e-6) if higher else limit * (1 + 1e-6)
    at_limit = best_class(limit, GB3838_TABLE1[item], higher)
    assert at_limit <= k  # equal limits of adjacent classes give the better class
    expected = [at_limit, best_class(worse, GB3838_TABLE1[item], higher)]
    assert list(item_class_gb3838([limit, worse], item)) == expected
    assert expected[1] > at_limit


@pytest.mark.parametrize(
    ("water_body", "limits"),
    [("river", GB3838_TABLE1["tp"])]
    + [(body, GB3838_TABLE1_TP_LAKE_RESERVOIR) for body in ("lake", "reservoir")],
)
def test_item_class_gb3838_tp_limits_by_water_body(water_body, limits) -> None:
    for k, limit in enumerate(limits, start=1):
        got = item_class_gb3838([limit, limit * 1.000001], "tp", water_body)
        assert list(got) == [k, k + 1], (water_body, limit)


def test_item_class_gb3838_tn_lakes_and_reservoirs_only() -> None:
    for k, limit in enumerate(GB3838_TABLE1["tn"], start=1):
        assert list(item_class_gb3838([limit, limit * 1.000001], "tn", "lake")) == [k, k + 1]
    assert item_class_gb3838([0.1, 5.0], "tn", "river").isna().all()  # 表1 item 9


def test_item_class_gb3838_ph_six_to_nine_else_inferior_v() -> None:
    values = [6.0, 7.5, 9.0, 5.99, 9.01, 0.0, 14.0]
    assert list(item_class_gb3838(values, "ph")) == [1, 1, 1, 6, 6, 6, 6]


def test_item_class_gb3838_equal_adjacent_limits_examples() -> None:
    """表1 rows with equal limits in adjacent classes, both sides, worked by hand."""
    cases = [
        ("cod", 15, 1),  # Ⅰ = Ⅱ = 15 → Ⅰ
        ("cod", 15.1, 3),
        ("bod5", 3, 1),
        ("bod5", 3.1, 3),
        ("cu", 1.0, 2),  # Ⅱ = Ⅲ = Ⅳ = Ⅴ = 1.0 → Ⅱ
        ("cu", 1.01, 6),
        ("zn", 2.0, 4),
        ("fluoride", 1.0, 1),
        ("fluoride", 1.01, 4),
        ("se", 0.01, 1),
        ("se", 0.011, 4),
        ("hg", 0.00005, 1),
        ("hg", 0.00006, 3),
        ("hg", 0.0011, 6),
        ("cd", 0.005, 2),
        ("cd", 0.0051, 5),
        ("cyanide", 0.2, 3),
        ("cyanide", 0.21, 6),
        ("petroleum", 0.05, 1),
        ("petroleum", 0.051, 4),
        ("las", 0.3, 4),
    ]
    for item, value, expected in cases:
        assert item_class_gb3838(value, item).iloc[0] == expected, (item, value)


def test_item_class_gb3838_items_without_classes() -> None:
    with pytest.raises(ValueError, match="no classes"):
        item_class_gb3838(20.0, "water_temp")  # 表1 item 1: a rule on man-made change
    with pytest.raises(ValueError, match="no classes"):
        item_class_gb3838(0.2, "iron")  # 表2: one limit, no classes


# --- Table 2 and drinking-water sources --------------------------------------------------------


@pytest.mark.parametrize(("item", "limit"), GB3838_TABLE2.items())
def test_drinking_source_compliance_gb3838_table2_limit_both_sides(item, limit) -> None:
    frame = pd.DataFrame({item: [limit, limit * 1.1]})
    got = drinking_source_compliance_gb3838(frame)
    assert list(got["compliant"]) == [True, False]
    assert list(got["failing_items"]) == ["", item]
    assert got["exceedances"].iloc[1] == f"{item}:0.10"


def test_drinking_source_compliance_gb3838_basic_items_at_class_iii() -> None:
    at_iii = {item: limits[2] for item, limits in GB3838_TABLE1.items()}
    base = {item: at_iii[item] for item in METHOD_2011_ITEMS if item != "ph"} | {"ph": 7.0}
    frame = pd.DataFrame([base, base | {"do": 4.99}, base | {"nh3n": 1.2, "ph": 9.2}])
    got = drinking_source_compliance_gb3838(frame)
    assert list(got["compliant"]) == [True, False, False]
    assert list(got["failing_items"]) == ["", "do", "ph;nh3n"]
    assert list(got["exceedances"]) == ["", "", "nh3n:0.20"]  # no multiple for pH and DO
    assert list(got["n_items_evaluated"]) == [21, 21, 21]


def test_drinking_source_compliance_gb3838_lake_tp_and_missing() -> None:
    frame = pd.DataFrame(
        {"tp": [0.05, 0.06, np.nan], "water_body": ["reservoir", "reservoir", "reservoir"]}
    )
    got = drinking_source_compliance_gb3838(frame)
    assert got["compliant"].tolist()[:2] == [True, False]
    assert pd.isna(got["compliant"].iloc[2])  # nothing evaluated
    assert got["exceedances"].iloc[1] == "tp:0.20"  # (0.06 − 0.05) / 0.05


# --- the 2011 method: items, class, status -----------------------------------------------------


def test_evaluation_items_are_the_21_of_the_2011_method() -> None:
    assert list(tables.EVALUATION_ITEMS_2011) == METHOD_2011_ITEMS
    assert set(tables.TABLE1_ITEMS) - set(METHOD_2011_ITEMS) == {
        "water_temp",
        "tn",
        "fecal_coliform",
    }


def test_water_class_gb3838_tn_and_fecal_coliform_not_in_the_class() -> None:
    frame = pd.DataFrame(
        {
            "codmn": [3.0, 3.0],
            "tn": [5.0, 5.0],  # 劣Ⅴ
            "fecal_coliform": [50000, 50000],  # 劣Ⅴ
            "water_temp": [35.0, 35.0],
            "water_body": ["lake", "river"],
        }
    )
    got = water_class_gb3838(frame)
    assert list(got["water_class"]) == [2, 2]
    assert got["tn_class"].tolist()[0] == 6 and pd.isna(got["tn_class"].iloc[1])
    assert list(got["fecal_coliform_class"]) == [6, 6]
    assert list(got["items_evaluated"]) == ["codmn", "codmn"]


def test_water_class_gb3838_labels_and_status_of_every_class() -> None:
    # NH3-N values worked from 表1 item 7 to give classes 1–6.
    got = water_class_gb3838(pd.DataFrame({"nh3n": [0.1, 0.3, 0.8, 1.2, 1.8, 2.5]}))
    assert list(got["water_class"]) == [1, 2, 3, 4, 5, 6]
    assert list(zip(got["class_label"], got["quality_status"], strict=True)) == [
        METHOD_2011_SECTION_STATUS[k] for k in range(1, 7)
    ]
    assert list(class_label_gb3838([1, 6, None])) == ["Ⅰ", "劣Ⅴ", None]
    assert list(quality_status_gb3838(["Ⅱ", "Ⅲ", "劣Ⅴ"])) == ["优", "良好", "重度污染"]


def test_water_class_gb3838_inferior_v_from_any_single_item() -> None:
    clean = {"ph": 7.5, "do": 8.0, "codmn": 1.5, "nh3n": 0.1, "tp": 0.01}
    rows = [clean | {"hg": 0.0011}, clean | {"ph": 5.5}, clean | {"do": 1.9}]
    got = water_class_gb3838(pd.DataFrame(rows))
    assert list(got["water_class"]) == [6, 6, 6]
    assert list(got["limiting_items"]) == ["hg", "ph", "do"]


def test_water_class_gb3838_limiting_items_ties_and_margin() -> None:
    frame = pd.DataFrame(
        {
            "ph": [7.0, 7.0, 9.5],
            "do": [4.0, 8.0, 8.0],  # class Ⅳ (≥ 3), needs +1 to reach Ⅲ (5)
            "codmn": [8.0, 1.0, 1.0],  # class Ⅳ, needs −2 to reach Ⅲ (6)
            "nh3n": [0.6, 0.1, 0.1],  # class Ⅲ: not limiting
        }
    )
    got = water_class_gb3838(frame)
    assert list(got["water_class"]) == [4, 1, 6]
    assert list(got["limiting_items"]) == ["do;codmn", "ph;do;codmn;nh3n", "ph"]
    assert got["margin_to_better_class"].iloc[0] == "do:1;codmn:2"
    assert pd.isna(got["margin_to_better_class"].iloc[1])  # nothing better than Ⅰ
    assert got["margin_to_better_class"].iloc[2] == "ph:0.5"  # back to 6–9


def test_water_class_gb3838_margin_uses_the_next_better_class_limit() -> None:
    # COD 18 is Ⅲ (15 < 18 ≤ 20); the next better class Ⅱ has limit 15 → 3 to go.
    # Lake TP 0.08 is Ⅳ; the next better class Ⅲ has lake limit 0.05 → 0.03.
    frame = pd.DataFrame(
        {"cod": [18.0, np.nan], "tp": [np.nan, 0.08], "water_body": [None, "lake"]}
    )
    got = water_class_gb3838(frame)
    assert list(got["water_class"]) == [3, 4]
    assert list(got["margin_to_better_class"]) == ["cod:3", "tp:0.03"]


def test_water_class_gb3838_exceedance_multiples_worked_by_hand() -> None:
    frame = pd.DataFrame(
        {
            "nh3n": [1.5, 1.03, np.nan, np.nan, 1.0],
            "tp": [0.35, 0.205, 0.215, 0.35, 0.2],
            "codmn": [6.15, np.nan, np.nan, np.nan, 6.0],
            "do": [2.5, np.nan, np.nan, np.nan, np.nan],
            "water_body": ["river", "river", "river", "lake", "river"],
        }
    )
    got = water_class_gb3838(frame)
    # (1.5 − 1)/1 = 0.50; (0.35 − 0.2)/0.2 = 0.75; (6.15 − 6)/6 = 0.025 → 0.02 (half to even).
    assert got["over_class_iii"].iloc[0] == "tp:0.75;nh3n:0.50;codmn:0.02"
    # (1.03 − 1)/1 = 0.03; (0.205 − 0.2)/0.2 = 0.025 → 0.02.
    assert got["over_class_iii"].iloc[1] == "nh3n:0.03;tp:0.02"
    assert got["over_class_iii"].iloc[2] == "tp:0.08"  # 0.075 → 0.08 (7 is odd)
    assert got["over_class_iii"].iloc[3] == "tp:6.00"  # lake: (0.35 − 0.05)/0.05
    assert got["over_class_iii"].iloc[4] == ""  # at the Class Ⅲ limits: no exceedance
    assert got["water_class"].iloc[0] == 5  # DO 2.5 is Ⅴ but has no multiple


def test_water_class_gb3838_main_pollutants_top_three_ties_in_table_order() -> None:
    frame = pd.DataFrame(
        {
            "codmn": [9.0, 9.0],  # 0.50
            "bod5": [6.0, 5.0],  # 0.50; 0.25
            "nh3n": [1.5, 1.5],  # 0.50
            "tp": [0.3, 0.3],  # 0.50
            "cd": [0.006, 0.006],  # 0.20
        }
    )
    got = water_class_gb3838(frame)
    assert got["main_pollutants"].iloc[0] == "codmn;bod5;nh3n"  # four tied at 0.50
    assert got["main_pollutants"].iloc[1] == "codmn;nh3n;tp"
    assert got["over_class_iii"].iloc[1] == "codmn:0.50;nh3n:0.50;tp:0.50;bod5:0.25;cd:0.20"


def test_water_class_gb3838_missing_items_and_empty_rows() -> None:
    frame = pd.DataFrame({"ph": [7.0, np.nan], "tp": [np.nan, np.nan]}, index=["a", "b"])
    got = water_class_gb3838(frame)
    assert list(got.index) == ["a", "b"]
    assert got["water_class"].iloc[0] == 1
    assert pd.isna(got["water_class"].iloc[1])
    assert list(got["n_items_evaluated"]) == [1, 0]
    assert pd.isna(got["limiting_items"].iloc[1]) and pd.isna(got["quality_status"].iloc[1])


# --- targets ------------------------------------------------------------------------------------


def test_meets_target_codes_labels_and_missing() -> None:
    got = meets_target(pd.Series([1, 3, 4, 6, None], index=list("abcde")), 3)
    assert list(got.index) == list("abcde")
    assert got.tolist()[:4] == [True, True, False, False]
    assert pd.isna(got.iloc[4])
    assert meets_target(["Ⅱ", "劣Ⅴ"], ["Ⅲ", "Ⅴ"]).tolist() == [True, False]
    with pytest.raises(ValueError, match="not a GB 3838 class"):
        meets_target([7], 3)


# --- period means ---------------------------------------------------------------------------------


def test_period_mean_gb3838_below_detection_limit_counts_half() -> None:
    samples = pd.DataFrame(
        {
            "section": ["A", "A", "A", "B", "B"],
            "nh3n": [0.20, 0.40, 0.025, 0.025, 0.025],  # DL 0.025 where flagged
            "nh3n_bdl": [False, False, True, True, True],
            "tp": [0.1, np.nan, 0.3, 0.05, 0.07],
        }
    )
    got = period_mean_gb3838(samples, "section")
    assert got.loc["A", "nh3n"] == pytest.approx((0.20 + 0.40 + 0.0125) / 3, abs=1e-12)
    assert got.loc["B", "nh3n"] == pytest.approx(0.0125, abs=1e-12)
    assert got.loc["A", "tp"] == pytest.approx(0.2, abs=1e-12)  # NaN is no result
    assert list(got["tp_count"]) == [2, 2]
    assert list(got["nh3n_all_bdl"]) == [False, True]
    assert list(got["n_samples"]) == [3, 2]
    # The mean (0.1 + 0.3)/2 is 0.2 to the last bit or not: either way class Ⅲ.
    # A: NH3-N 0.204 (Ⅱ), TP 0.2 (Ⅲ) → Ⅲ; B: NH3-N 0.0125 (Ⅰ), TP 0.06 (Ⅱ) → Ⅱ.
    assert water_class_gb3838(got)["water_class"].tolist() == [3, 2]


def test_period_mean_gb3838_annual_is_mean_of_monthly_values() -> None:
    samples = pd.DataFrame(
        {
            "section": ["A"] * 4,
            "month": [1, 1, 1, 2],
            "codmn": [2.0, 4.0, 6.0, 10.0],
        }
    )
    by_month = period_mean_gb3838(samples, "section", month="month")
    assert by_month.loc["A", "codmn"] == pytest.approx((4.0 + 10.0) / 2)  # months 4 and 10
    assert by_month.loc["A", "codmn_count"] == 2
    all_samples = period_mean_gb3838(samples, "section")
    assert all_samples.loc["A", "codmn"] == pytest.approx(22.0 / 4)


def test_period_mean_gb3838_rounding_and_errors() -> None:
    samples = pd.DataFrame({"section": ["A", "A"], "codmn": [2.0, 2.1]})
    got = period_mean_gb3838(samples, "section", decimals={"codmn": 1})
    assert got.loc["A", "codmn"] == 2.0  # 2.05 → 2.0 (GB/T 8170: half to the even 0)
    with pytest.raises(ValueError, match="columns not in the samples"):
        period_mean_gb3838(samples, "station")
    flagged = samples.assign(codmn=[np.nan, 2.0], codmn_bdl=[True, False])
    with pytest.raises(ValueError, match="without a detection limit"):
        period_mean_gb3838(flagged, "section")


# --- river and watershed status ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "status"),
    [
        ([1] * 9 + [4], "优"),  # Ⅰ–Ⅲ 90 %
        ([1] * 8 + [4, 4], "良好"),  # 80 %
        ([2] * 15 + [4] * 5, "良好"),  # 75 %
        ([2] * 14 + [4] * 3 + [6] * 3, "轻度污染"),  # 70 %, 劣Ⅴ 15 %
        ([2] * 14 + [4, 4] + [6] * 4, "中度污染"),  # 劣Ⅴ 20 %
        ([3] * 12 + [6] * 8, "重度污染"),  # 劣Ⅴ 40 %
        ([3] * 13 + [5] + [6] * 6, "中度污染"),  # 劣Ⅴ 30 %
        ([1, 2, 3, 4, 5], "轻度污染"),  # exactly 5 sections: proportion; 劣Ⅴ 0 %
        ([1, 2, 3, 4, 6], "中度污染"),  # 劣Ⅴ 1 of 5 = 20 %
    ],
)
def test_river_status_gb3838_proportion_thresholds(classes, status) -> None:
    got = river_status_gb3838(classes)
    assert got["method"] == "proportion"
    assert got["quality_status"] == status


def test_river_status_gb3838_fewer_than_five_sections_use_the_mean() -> None:
    values = pd.DataFrame({"nh3n": [0.4, 1.4, 0.9, 9.0], "codmn": [3.0, 5.0, 4.0, 9.0]})
    classes = pd.Series([2, 4, 3, None])  # the fourth section has no class: left out
    got = river_status_gb3838(classes, section_values=values)
    # Mean over the 3 classed sections: NH3-N 0.9 (Ⅲ), CODMn 4.0 (Ⅱ) → Ⅲ, 良好.
    assert (got["n_sections"], got["method"], got["water_class"]) == (3, "mean_of_sections", 3)
    assert got["quality_status"] == "良好"
    with pytest.raises(ValueError, match="section_values are needed"):
        river_status_gb3838([2, 4, 3])
    with pytest.raises(ValueError, match="at least one section"):
        river_status_gb3838([None, None])


def test_river_status_gb3838_main_pollutants_by_exceedance_rate() -> None:
    values = pd.DataFrame(
        {
            "nh3n": [1.2, 1.2, 0.5, 0.5, 0.5],  # 2 of 5 worse than Ⅲ
            "tp": [0.3, 0.3, 0.3, 0.1, 0.1],  # 3 of 5
            "codmn": [7.0, 3.0, 3.0, 3.0, np.nan],  # 1 of 4
            "do": [1.0] * 5,  # no exceedance for DO
        }
    )
    got = river_status_gb3838([4, 4, 4, 6, 6], section_values=values)
    assert got["main_pollutants"] == "tp;nh3n;codmn"


# --- TLI -----------------------------------------------------------------------------------------


def test_tli_weights_match_the_published_four_decimals() -> None:
    weights = tli_weights()
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-15)
    total = sum(r * r for r in TLI_R.values())
    assert total == pytest.approx(3.7558, abs=1e-12)
    for name, published in TLI_WEIGHTS_PUBLISHED.items():
        assert round(weights[name], 4) == published
        assert weights[name] == pytest.approx(TLI_R[name] ** 2 / total, abs=1e-15)


def test_tli_gb3838_hand_worked_example_with_each_tli_j() -> None:
    """chl a 10 mg/m³, TP 0.05, TN 1.0, CODMn 4.0 mg/L, SD 1.0 m, worked by hand."""
    got = tli_gb3838([10.0], [0.05], [1.0], [1.0], [4.0]).iloc[0]
    # 10 × (2.5 + 1.086 × ln 10 = 2.5 + 1.086 × 2.302585) = 50.00607
    assert got["tli_chla"] == pytest.approx(50.00607, abs=1e-4)
    # 10 × (9.436 + 1.624 × ln 0.05 = 9.436 − 1.624 × 2.995732) = 45.70931
    assert got["tli_tp"] == pytest.approx(45.70931, abs=1e-4)
    assert got["tli_tn"] == pytest.approx(54.53, abs=1e-9)  # ln 1 = 0
    assert got["tli_sd"] == pytest.approx(51.18, abs=1e-9)  # ln 1 = 0
    # 10 × (0.109 + 2.661 × ln 4 = 0.109 + 2.661 × 1.386294) = 37.97929
    assert got["tli_codmn"] == pytest.approx(37.97929, abs=1e-4)
    # (50.00607 + 0.7056 × 45.70931 + 0.6724 × 54.53 + 0.6889 × 51.18 + 0.6889 × 37.97929)
    #   / 3.7558 = 180.34636 / 3.7558 = 48.0181
    assert got["tli"] == pytest.approx(48.0181, abs=1e-3)
    assert got["trophic_state"] == "中营养"


def test_tli_gb3838_eutrophic_lake_and_missing_input() -> None:
    got = tli_gb3838(pd.Series([40.0, 40.0]), [0.2, 0.2], [3.0, 3.0], [0.3, np.nan], [8.0, 8.0])
    # TLI(j) by hand: chl a 10 × (2.5 + 1.086 × 3.688879) = 65.0612; TP 10 × (9.436 − 1.624
    # × 1.609438) = 68.2227; TN 10 × (5.453 + 1.694 × 1.098612) = 73.1405; SD 10 × (5.118 +
    # 1.94 × 1.203973) = 74.5371; CODMn 10 × (0.109 + 2.661 × 2.079442) = 56.4239.
    # TLI(Σ) = (65.0612 + 0.7056 × 68.2227 + 0.6724 × 73.1405 + 0.6889 × 74.5371
    #   + 0.6889 × 56.4239) / 3.7558 = 252.5979 / 3.7558 = 67.2554: 中度富营养.
    expected_j = [65.0612, 68.2227, 73.1405, 74.5371, 56.4239]
    columns = ["tli_chla", "tli_tp", "tli_tn", "tli_sd", "tli_codmn"]
    assert got.loc[0, columns].tolist() == pytest.approx(expected_j, abs=1e-3)
    assert got["tli"].iloc[0] == pytest.approx(67.2554, abs=1e-3)
    assert got["trophic_state"].iloc[0] == "中度富营养"
    assert np.isnan(got["tli"].iloc[1]) and pd.isna(got["trophic_state"].iloc[1])


def test_trophic_state_gb3838_grade_boundaries() -> None:
    values = [29.99, 30.0, 50.0, 50.01, 60.0, 60.01, 70.0, 70.01, np.nan]
    assert list(trophic_state_gb3838(values)) == [
        "贫营养",
        "中营养",
        "中营养",
        "轻度富营养",
        "轻度富营养",
        "中度富营养",
        "中度富营养",
        "重度富营养",
        None,
    ]


def test_tli_gb3838_refuses_bad_inputs() -> None:
    with pytest.raises(ValueError, match="positive"):
        tli_gb3838([0.0], [0.05], [1.0], [1.0], [4.0])
    with pytest.raises(ValueError, match="mg/m³"):
        tli_gb3838([0.01], [0.05], [1.0], [1.0], [4.0])  # chl a given in mg/L
    with pytest.raises(ValueError, match="cm"):
        tli_gb3838([10.0], [0.05], [1.0], [120.0], [4.0])  # SD given in cm
    with pytest.raises(ValueError, match="one length"):
        tli_gb3838([10.0, 11.0], [0.05], [1.0], [1.0], [4.0])


# --- our edge cases ------------------------------------------------------------------------------


def test_item_class_gb3838_float_noise_counts_as_the_limit() -> None:
    noisy = (0.1 + 0.2 + 0.3) / 3  # 0.20000000000000004
    assert noisy != 0.2
    assert item_class_gb3838([noisy, 0.2 * (1 + 1e-12), 0.2 * (1 + 1e-7)], "tp").tolist() == [
        3,
        3,
        4,
    ]


def test_item_class_gb3838_input_types() -> None:
    assert item_class_gb3838(0.3, "nh3n").tolist() == [2]
    assert item_class_gb3838([0.3, np.nan], "nh3n").tolist()[0] == 2
    assert item_class_gb3838(np.array([0.3, 0.6]), "nh3n").tolist() == [2, 3]
    series = pd.Series([0.3, None, 3.0], index=["x", "y", "z"], dtype="Float64")
    got = item_class_gb3838(series, "nh3n")
    assert list(got.index) == ["x", "y", "z"] and got.dtype == "Int64"
    assert got.iloc[0] == 2 and pd.isna(got.iloc[1]) and got.iloc[2] == 6
    per_value = item_class_gb3838([0.05, 0.05], "tp", water_body=["river", "lake"])
    assert per_value.tolist() == [2, 3]


@pytest.mark.parametrize(
    ("values", "item", "message"),
    [
        ([0.1], "ammonia", "unknown GB 3838 item"),
        ([-0.1], "nh3n", "below 0"),
        ([14.5], "ph", "pH outside 0–14"),
        ([0.04], "hg", "wrong unit"),  # 0.04 μg/L written as mg/L: 40 × class Ⅴ
        ([95.0], "do", "wrong unit"),  # % saturation
        ([150.0], "tp", "wrong unit"),  # 150 μg/L
        (["0.1", "n.d."], "nh3n", "not a number"),
        ([math.inf], "codmn", "infinite"),
        ([60.0], "water_temp", "wrong unit"),
    ],
)
def test_check_values_gb3838_refuses_bad_input(values, item, message) -> None:
    with pytest.raises(ValueError, match=message):
        check_values_gb3838(values, item)


def test_check_values_gb3838_names_the_position() -> None:
    with pytest.raises(ValueError, match=r"\['s2'\] -0\.5"):
        check_values_gb3838(pd.Series([0.5, -0.5], index=["s1", "s2"]), "nh3n")


def test_check_values_gb3838_accepts_the_largest_plausible_values() -> None:
    # Our wrong-unit thresholds (500 × class Ⅰ limit): real extremes must pass.
    for item, value in [("nh3n", 40.0), ("tp", 5.0), ("hg", 0.01), ("do", 29.2)]:
        assert check_values_gb3838([value], item).tolist() == [value]


def test_water_class_gb3838_refuses_unknown_water_body_and_bad_values() -> None:
    with pytest.raises(ValueError, match="unknown water body 'sea'"):
        water_class_gb3838(pd.DataFrame({"tp": [0.1], "water_body": ["sea"]}))
    with pytest.raises(ValueError, match="wrong unit"):
        water_class_gb3838(pd.DataFrame({"hg": [0.05]}))
