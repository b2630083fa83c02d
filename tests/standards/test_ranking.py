"""Comprehensive index and city ranking of 城市环境空气质量排名技术规定 (环办监测〔2018〕19号):
values worked by hand, and the index's monotonicity (hypothesis).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hj663_frames import daily_frame, ramp_year
from hypothesis import given
from hypothesis import strategies as st

from envbureau.standards.hj663_period import period_statistics_hj663
from envbureau.standards.ranking import (
    RANKING_RULE_STATISTICS,
    composite_index_inputs,
    composite_index_ranking_rule,
    rank_by_composite_index,
)

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


# --- invariants (hypothesis) ----------------------------------------------------------------


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
