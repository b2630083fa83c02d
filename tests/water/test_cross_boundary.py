"""Cross-boundary grades by the rule table, worked by hand; rules from a province's file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from envbureau.water.cross_boundary import GradeRule, grade_sections, load_rules


def test_default_rules_grade_each_case() -> None:
    sections = ["meets-better", "meets-worse", "one-below-same", "one-below-worse", "two-below"]
    current = pd.Series([3, 3, 4, 4, 5], index=sections, dtype=float)
    previous = pd.Series([4, 2, 4, 3, 5], index=sections, dtype=float)
    target = pd.Series([3, 3, 3, 3, 3], index=sections, dtype=float)
    graded = grade_sections(current, previous, target)
    assert graded["grade"].tolist() == ["优秀", "良好", "合格", "不合格", "不合格"]
    assert graded["grade_level"].tolist() == [1, 2, 3, 4, 4]
    assert graded["classes_below_target"].tolist() == [0, 0, 1, 1, 2]
    assert graded["compensation"].sum() == 0  # the default sets no amounts


def test_no_base_year_is_not_worse() -> None:
    graded = grade_sections(pd.Series([3.0]), pd.Series([float("nan")]), pd.Series([3.0]))
    assert graded["grade"].tolist() == ["优秀"]


def test_province_rules_with_compensation(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            [
                {"grade": "优秀", "max_classes_below_target": 0, "not_worse_than_last_year": True},
                {"grade": "合格", "max_classes_below_target": 0, "not_worse_than_last_year": False},
                {
                    "grade": "不合格",
                    "max_classes_below_target": 6,
                    "not_worse_than_last_year": False,
                    "compensation_per_class": 50,
                },
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert rules[2] == GradeRule("不合格", 6, False, 50)
    graded = grade_sections(
        pd.Series([5.0, 3.0]), pd.Series([5.0, 2.0]), pd.Series([3.0, 3.0]), rules
    )
    assert graded["grade"].tolist() == ["不合格", "合格"]
    assert graded["compensation"].tolist() == [100.0, 0.0]  # two classes × 50 万元


def test_unknown_grade_in_rules_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '[{"grade": "特优", "max_classes_below_target": 0, "not_worse_than_last_year": true}]',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="特优"):
        load_rules(path)
