"""GB/T 8170-2008 3.3 rounding (四舍六入五成双) of reported values: scalar, array, Series.

Rows copied from the standards (GB/T 8170 3.3 examples, HJ 633-2026 4.2.2 examples) are kept
apart from "our edge cases" (float noise next to a half, the input types, NaN).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from envbureau.standards.rounding import format_gbt8170, round_gbt8170

# --- copied from the standards -----------------------------------------------------------

# GB/T 8170-2008 3.3 examples (copied rows): (value, ndigits, expected).
GBT8170_3_3_EXAMPLES = [
    (12.1498, 1, 12.1),  # 3.3.1 dropped part below half
    (1268.0, -2, 1300.0),  # 3.3.2 above half (to hundreds)
    (10.5002, 0, 11.0),  # 3.3.2 a 5 followed by non-zero digits: round up
    (1.050, 1, 1.0),  # 3.3.3 exactly half, kept digit even (0): keep
    (0.35, 1, 0.4),  # 3.3.3 exactly half, kept digit odd: round up
    (2500.0, -3, 2000.0),  # 3.3.3 to thousands, even
    (3500.0, -3, 4000.0),  # 3.3.3 to thousands, odd
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


def test_round_gbt8170_standard_examples_as_one_array_per_ndigits() -> None:
    rows = GBT8170_3_3_EXAMPLES + HJ633_2026_ROUNDING_EXAMPLES
    for ndigits in {n for _, n, _ in rows}:
        values = np.array([v for v, n, _ in rows if n == ndigits])
        expected = np.array([e for _, n, e in rows if n == ndigits])
        np.testing.assert_array_equal(round_gbt8170(values, ndigits), expected)


# --- our edge cases ----------------------------------------------------------------------


def test_round_gbt8170_uses_decimal_representation_not_binary() -> None:
    # 2.675 is 2.67499999… in binary; a person rounds the written 2.675 to 2.68.
    assert round_gbt8170(2.675, 2) == 2.68
    assert round_gbt8170(-0.35, 1) == -0.4


def test_round_gbt8170_float_noise_next_to_a_half_is_the_half() -> None:
    """A computed 0.85 that arithmetic left as 0.8500000000000002 is written 0.85: → 0.8."""
    assert round_gbt8170(17.000000000000004 / 20, 1) == 0.8
    assert round_gbt8170(0.8500000000000002, 1) == 0.8
    assert round_gbt8170(0.1 + 0.2, 1) == 0.3
    # Also at 0 decimals, where rounding the binary value (numpy.round) would give 3 and 1.
    assert round_gbt8170(2.5000000000000004) == 2.0
    assert round_gbt8170(1.4999999999999998) == 2.0
    noisy = np.array([0.8500000000000002, 0.7499999999999999, 84.25000000000001, 0.1 + 0.2])
    np.testing.assert_array_equal(round_gbt8170(noisy, 1), [0.8, 0.8, 84.2, 0.3])
    # Outside the 1e-9 tolerance the dropped part is not a half.
    assert round_gbt8170(0.850001, 1) == 0.9
    assert round_gbt8170(0.849999, 1) == 0.8


def test_round_gbt8170_input_types_and_nan() -> None:
    assert isinstance(round_gbt8170(2.5), float)
    array = round_gbt8170(np.array([0.5, 1.5, np.nan, np.inf]))
    assert isinstance(array, np.ndarray)
    np.testing.assert_array_equal(array, [0.0, 2.0, np.nan, np.inf])
    series = round_gbt8170(pd.Series([84.25, 84.35], index=["a", "b"], name="rate"), 1)
    assert list(series.index) == ["a", "b"] and series.name == "rate"
    assert series.tolist() == [84.2, 84.4]
    assert math.isnan(round_gbt8170(float("nan"), 1))


def test_round_gbt8170_passes_nan_through() -> None:
    assert math.isnan(round_gbt8170(float("nan"), 1))


def test_round_gbt8170_scalar_kinds_give_a_float() -> None:
    for value in (2.5, np.float64(2.5), 3, np.int64(3)):
        result = round_gbt8170(value)
        assert type(result) is float
    assert round_gbt8170(np.float64(0.35), 1) == 0.4
    assert round_gbt8170(-0.04, 1) == 0.0 and math.copysign(1, round_gbt8170(-0.04, 1)) == 1


def test_round_gbt8170_list_and_arrays_keep_their_shape() -> None:
    got = round_gbt8170([0.25, 0.35, -np.inf], 1)
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, [0.2, 0.4, -np.inf])
    matrix = round_gbt8170(np.array([[1268.0, 1250.0], [1350.0, np.nan]]), -2)
    assert matrix.shape == (2, 2)
    np.testing.assert_array_equal(matrix, [[1300.0, 1200.0], [1400.0, np.nan]])
    zero_d = round_gbt8170(np.array(2.5))
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == () and zero_d == 2.0
    assert round_gbt8170(np.array([]), 1).shape == (0,)


def test_round_gbt8170_series_with_nan_keeps_index_and_name() -> None:
    series = pd.Series([35.5, np.nan, 36.5], index=pd.date_range("2026-03-01", periods=3))
    got = round_gbt8170(series.rename("pm25"))
    pd.testing.assert_series_equal(
        got, pd.Series([36.0, np.nan, 36.0], index=series.index).rename("pm25")
    )


def test_round_gbt8170_arrays_of_hj633_2026_inputs() -> None:
    """μg/m³ to integers, CO mg/m³ to one decimal (HJ 633-2026 4.2.2/4.2.3 cite GB/T 8170)."""
    got = round_gbt8170([35.5, 36.5, 60.5, 0.5, 1.5, np.nan], 0)
    np.testing.assert_array_equal(got, [36, 36, 60, 0, 2, np.nan])
    np.testing.assert_allclose(round_gbt8170([0.25, 0.35, 1.15, 2.05], 1), [0.2, 0.4, 1.2, 2.0])


def test_format_gbt8170_keeps_trailing_zeros() -> None:
    assert format_gbt8170(12.3, 2) == "12.30"
    assert format_gbt8170(84.25, 1) == "84.2"


def test_format_gbt8170_noise_and_negative_zero() -> None:
    assert format_gbt8170(0.8500000000000002, 1) == "0.8"
    assert format_gbt8170(-0.04, 1) == "0.0"  # not "-0.0"
    assert format_gbt8170(1268.0, -2) == "1300"


# --- invariants (hypothesis) -------------------------------------------------------------


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 4))
def test_round_gbt8170_within_half_unit(value: float, ndigits: int) -> None:
    assert abs(round_gbt8170(value, ndigits) - value) <= 0.5 * 10**-ndigits + 1e-9


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


@given(
    hnp.arrays(np.float64, st.integers(0, 50), elements=st.floats(-1e6, 1e6)),
    st.integers(-3, 4),
)
def test_round_gbt8170_array_equals_each_scalar(values: np.ndarray, ndigits: int) -> None:
    expected = [round_gbt8170(float(v), ndigits) for v in values]
    np.testing.assert_array_equal(round_gbt8170(values, ndigits), expected)
    series = pd.Series(values)
    np.testing.assert_array_equal(round_gbt8170(series, ndigits).to_numpy(), expected)
