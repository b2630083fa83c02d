"""HJ 633 AQI engine: invariants that hold for any input (hypothesis).

IAQI is non-decreasing in the concentration; the table lookup and the interpolation agree;
the AQI is the largest IAQI of the report's indicators; level, category and colour follow the
AQI (HJ 633-2012 表2, HJ 633-2026 表1); the primary pollutants are exactly those whose IAQI
equals the AQI when the AQI is above 50 (HJ 633-2026 4.3.1).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from envbureau.standards import hj633
from envbureau.standards import hj633_tables as tables

INDICATORS = [
    (edition, f"{pollutant}_{period}", bp)
    for edition, columns in tables.BREAKPOINTS.items()
    for (pollutant, period), bp in columns.items()
]
LABELS = tables.POLLUTANT_LABELS
DAILY_COLUMNS = {  # input column: (pollutant, upper bound of the random values)
    "so2_24h": ("so2", 3000),
    "no2_24h": ("no2", 1000),
    "co_24h": ("co", 70),
    "o3_8h_max": ("o3", 900),
    "o3_1h_max": ("o3", 1300),
    "pm10_24h": ("pm10", 700),
    "pm25_24h": ("pm25", 600),
}
DAILY_IAQI = {
    "so2_24h": "so2",
    "no2_24h": "no2",
    "co_24h": "co",
    "o3_8h": "o3",
    "o3_1h": "o3",
    "pm10_24h": "pm10",
    "pm25_24h": "pm25",
}


def concentration(top: float, decimals: int) -> st.SearchStrategy[float]:
    return st.integers(0, int(top * 1.2 * 10**decimals)).map(lambda k: k / 10**decimals)


@st.composite
def daily_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 30))
    frame = {
        "date": draw(
            st.lists(st.sampled_from(["2025-12-31", "2026-03-01"]), min_size=n, max_size=n)
        )
    }
    for column, (pollutant, top) in DAILY_COLUMNS.items():
        decimals = draw(st.sampled_from([0, 1, 2])) if pollutant != "co" else 1
        values = draw(
            st.lists(
                st.one_of(concentration(top, decimals), st.just(math.nan)), min_size=n, max_size=n
            )
        )
        frame[column] = values
    return pd.DataFrame(frame)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(INDICATORS), st.data())
def test_iaqi_non_decreasing_in_concentration(indicator, data) -> None:
    edition, name, bp = indicator
    decimals = 1 if name.startswith("co") else data.draw(st.sampled_from([0, 2]))
    values = sorted(data.draw(st.lists(concentration(bp[-1], decimals), min_size=2)))
    got = hj633.iaqi(values, name, edition)
    computed = got[~np.isnan(got)]  # 2012 computes nothing above 800 for SO2 1-h, O3 8-h
    assert (np.diff(computed) >= 0).all()
    assert ((computed >= 0) & (computed <= 500) & (computed == np.round(computed))).all()


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([i for i in INDICATORS if i[0] == "2012"]), st.data())
def test_iaqi_lookup_and_interpolation_agree(indicator, data) -> None:
    """Values on the reporting grid are looked up; a value off the grid (0.5) makes the whole
    column go through numpy.interp instead. Both give the same IAQIs, as does exact math."""
    edition, name, bp = indicator
    step = Fraction(1, 10) if name.startswith("co") else Fraction(1)
    grid = data.draw(st.lists(st.integers(0, int(bp[-1] / step)), min_size=1))
    conc = [float(k * step) for k in grid]
    looked_up = hj633.iaqi(conc, name, edition)
    interpolated = hj633.iaqi([*conc, 0.05], name, edition)[:-1]
    np.testing.assert_array_equal(looked_up, interpolated)
    exact = [exact_ceiling(k * step, bp) for k in grid]
    np.testing.assert_array_equal(looked_up, exact)


def exact_ceiling(conc: Fraction, bp: tuple[float, ...]) -> int:
    for k in range(len(bp) - 1):
        if bp[k] <= conc <= bp[k + 1]:
            lo, hi = tables.IAQI_STEPS[k], tables.IAQI_STEPS[k + 1]
            return math.ceil(
                lo + Fraction(hi - lo) / (Fraction(bp[k + 1]) - bp[k]) * (conc - bp[k])
            )
    raise AssertionError(conc)


@settings(max_examples=80, deadline=None)
@given(daily_frames())
def test_daily_aqi_invariants(frame: pd.DataFrame) -> None:
    out = hj633.daily_aqi(frame)
    for _, row in out.iterrows():
        pollutant_iaqi: dict[str, int] = {}
        for name, pollutant in DAILY_IAQI.items():
            value = row[f"iaqi_{name}"]
            if not pd.isna(value):
                pollutant_iaqi[pollutant] = max(pollutant_iaqi.get(pollutant, 0), int(value))
        missing = [p for p in LABELS if p not in pollutant_iaqi]
        assert row["missing_pollutants"] == ";".join(LABELS[p] for p in missing)
        withheld = (
            row["edition"] == "2026" and missing and max(pollutant_iaqi.values(), default=0) <= 100
        )
        if not pollutant_iaqi or withheld:
            assert pd.isna(row["aqi"]) and pd.isna(row["level"]) and pd.isna(row["category"])
            continue
        aqi = max(pollutant_iaqi.values())
        assert row["aqi"] == aqi  # AQI = max IAQI
        level = next(i + 1 for i, upper in enumerate(tables.LEVEL_UPPER_AQI) if aqi <= upper)
        assert row["level"] == level
        assert row["category"] == tables.CATEGORIES[level - 1]
        assert row["colour"] == tables.COLOURS_RGB_HEX[level - 1]
        primary = [LABELS[p] for p in LABELS if pollutant_iaqi.get(p) == aqi] if aqi > 50 else []
        assert row["primary_pollutants"] == ";".join(primary)
        if row["edition"] == "2012":
            exceeding = [LABELS[p] for p in LABELS if pollutant_iaqi.get(p, 0) > 100]
            assert row["exceeding_pollutants"] == ";".join(exceeding)
        else:
            assert pd.isna(row["exceeding_pollutants"])
