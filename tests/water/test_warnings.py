"""The bureau's early-warning screen of sections (its own thresholds, stated in the module)."""

from __future__ import annotations

import pandas as pd

from envbureau.water.warnings import NEAR_LIMIT_SHARE, drift_flags, near_limit_items


def test_near_limit_items_against_the_target_class_limits() -> None:
    # Class Ⅲ limits (GB 3838-2002 表1): NH3-N 1.0, TP 0.2 (river) / 0.05 (lake), DO ≥ 5.
    means = pd.Series({"nh3n": 0.95, "tp": 0.10, "do": 5.4, "codmn": 2.0})
    assert near_limit_items(means, 3, "river") == ["do", "nh3n"]  # 5.4 ≤ 5/0.9; 0.95 ≥ 0.9
    assert near_limit_items(pd.Series({"tp": 0.046}), 3, "lake") == ["tp"]
    assert near_limit_items(pd.Series({"tp": 0.046}), 3, "river") == []
    assert near_limit_items(pd.Series({"nh3n": 1.2}), 3, "river") == []  # already over: 不达标
    assert NEAR_LIMIT_SHARE == 0.9


def test_drift_flags_order_and_cases() -> None:
    assert drift_flags(5, 3, 3, []) == ["变差", "不达标"]
    assert drift_flags(3, 3, 3, ["nh3n"]) == ["接近超标"]
    assert drift_flags(2, 3, 3, []) == []
    assert drift_flags(4, None, None, []) == []
