"""GB 3838 engine: invariants that hold for any input (hypothesis).

The single-factor method (环办〔2011〕22号, 断面水质评价): the section class is the worst
item class, so it never improves when an item worsens; lake/reservoir TP limits (GB 3838-2002
表1 item 8) are stricter than the river ones; TLI(Σ) (CNEMC 2004) rises with chlorophyll a,
TP, TN and CODMn and falls with Secchi depth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838 import item_class_gb3838, meets_target, water_class_gb3838
from envbureau.standards.gb3838_tli import tli_gb3838

ITEMS = list(tables.EVALUATION_ITEMS_2011)


def upper(item: str) -> float:
    """Largest value drawn: three times the class Ⅴ limit (DO 20 mg/L, pH 14)."""
    if item == "ph":
        return 14.0
    if item == "do":
        return 20.0
    return 3.0 * tables.TABLE1_LIMITS[item][-1]


def item_value(item: str) -> st.SearchStrategy[float]:
    finite = st.floats(0.0, upper(item), allow_nan=False, allow_infinity=False)
    return st.one_of(finite, st.just(np.nan)) if item != "ph" else finite


@st.composite
def samples(draw: st.DrawFn) -> dict[str, float]:
    chosen = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=8, unique=True))
    return {item: draw(item_value(item)) for item in chosen}


def worsened(item: str, value: float, step: float) -> float:
    """The value moved towards a worse class, within the drawn range."""
    if np.isnan(value):
        return value
    if item == "do":
        return max(0.0, value - step * 20.0)
    if item == "ph":
        return min(14.0, value + step * 14.0) if value >= 7.5 else max(0.0, value - step * 14.0)
    return min(upper(item), value + step * upper(item))


@settings(max_examples=200, deadline=None)
@given(samples(), st.data(), st.sampled_from(["river", "lake"]))
def test_water_class_never_improves_when_an_item_worsens(sample, data, water_body) -> None:
    item = data.draw(st.sampled_from(sorted(sample)))
    step = data.draw(st.floats(0.0, 1.0))
    after = sample | {item: worsened(item, sample[item], step)}
    got = water_class_gb3838(pd.DataFrame([sample, after]), water_body=water_body)
    before_class, after_class = got["water_class"].fillna(0).tolist()
    assert after_class >= before_class


@settings(max_examples=200, deadline=None)
@given(st.lists(samples(), min_size=1, max_size=20), st.sampled_from(["river", "reservoir"]))
def test_water_class_is_the_worst_item_class(rows, water_body) -> None:
    frame = pd.DataFrame(rows)
    got = water_class_gb3838(frame, water_body=water_body)
    per_item = pd.concat(
        [item_class_gb3838(frame[item], item, water_body) for item in frame.columns], axis=1
    )
    expected = per_item.max(axis=1)  # NA only where no item has a value
    assert got["water_class"].fillna(0).tolist() == expected.fillna(0).astype(int).tolist()
    assert (got["n_items_evaluated"] == per_item.notna().sum(axis=1)).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(samples(), min_size=1, max_size=20))
def test_lake_class_is_never_better_than_river_class(rows) -> None:
    frame = pd.DataFrame(rows)
    river = water_class_gb3838(frame, water_body="river")["water_class"].fillna(0)
    lake = water_class_gb3838(frame, water_body="lake")["water_class"].fillna(0)
    assert (lake >= river).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=30), st.integers(1, 6))
def test_meets_target_is_class_at_most_target(classes, target) -> None:
    assert meets_target(classes, target).tolist() == [k <= target for k in classes]


#: Ranges that stay within the wrong-unit checks after a tenfold increase.
POSITIVE = {
    "chla": st.floats(0.1, 500.0),
    "tp": st.floats(0.001, 0.9),
    "tn": st.floats(0.01, 9.0),
    "sd": st.floats(0.05, 4.5),
    "codmn": st.floats(0.1, 90.0),
}


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(POSITIVE),
    st.sampled_from(sorted(POSITIVE)),
    st.floats(1.001, 10.0),
)
def test_tli_is_monotone_in_each_input(inputs, name, factor) -> None:
    more = inputs | {name: inputs[name] * factor}
    low, high = (
        tli_gb3838(**{k: [v] for k, v in p.items()})["tli"].iloc[0] for p in (inputs, more)
    )
    if name == "sd":  # clearer water, lower trophic level
        assert high < low
    else:
        assert high > low
