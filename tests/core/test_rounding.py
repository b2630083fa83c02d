"""GB/T 8170-2008 3.3 rounding (四舍六入五成双) of reported values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envbureau.standards.rounding import format_gbt8170, round_gbt8170

# GB/T 8170-2008 3.3 examples (rounding to one decimal / to integers / to tens).
GBT8170_EXAMPLES = [
    (12.1498, 1, 12.1),  # 3.3.1 below half: drop
    (1268.0, -2, 1300.0),  # 3.3.2 above half: round up (to hundreds)
    (10.5002, 0, 11.0),  # 3.3.2 a 5 followed by non-zero digits: round up
    (1.050, 1, 1.0),  # 3.3.3 exactly half, previous digit even (0): keep
    (0.35, 1, 0.4),  # 3.3.3 exactly half, previous digit odd: round up
    (2500.0, -3, 2000.0),  # 3.3.3 to thousands, even
    (3500.0, -3, 4000.0),  # 3.3.3 to thousands, odd
]


@pytest.mark.parametrize(("value", "ndigits", "expected"), GBT8170_EXAMPLES)
def test_round_gbt8170_standard_examples(value: float, ndigits: int, expected: float) -> None:
    assert round_gbt8170(value, ndigits) == expected


def test_round_gbt8170_uses_decimal_representation_not_binary() -> None:
    # 2.675 is 2.67499999… in binary; a person rounds the written 2.675 to 2.68.
    assert round_gbt8170(2.675, 2) == 2.68
    assert round_gbt8170(-0.35, 1) == -0.4


def test_round_gbt8170_passes_nan_through() -> None:
    assert math.isnan(round_gbt8170(float("nan"), 1))


def test_format_gbt8170_keeps_trailing_zeros() -> None:
    assert format_gbt8170(12.3, 2) == "12.30"
    assert format_gbt8170(84.25, 1) == "84.2"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 4))
def test_round_gbt8170_within_half_unit(value: float, ndigits: int) -> None:
    assert abs(round_gbt8170(value, ndigits) - value) <= 0.5 * 10**-ndigits + 1e-9
