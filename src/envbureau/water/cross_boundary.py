"""Assessment of cross-boundary sections (交接断面水质考核): a grade per section from its class,
its target and last year's class, by a rule table that each province sets for itself.

The rules are data: an ordered list of grades, each with the conditions a section must meet;
the first grade whose conditions hold is given. A bureau replaces ``DEFAULT_RULES`` with its
province's table (``rules=`` argument, or a JSON file named in the settings).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

GRADES = ("优秀", "良好", "合格", "不合格")


@dataclass(frozen=True)
class GradeRule:
    """``max_classes_below_target``: how many classes worse than the target are allowed
    (0 = must meet it); ``not_worse_than_last_year``: the class may not have worsened;
    ``compensation_per_class`` [万元]: paid by the upstream area per class below target."""

    grade: str
    max_classes_below_target: int
    not_worse_than_last_year: bool
    compensation_per_class: float = 0.0


# Default: meets target and not worse than last year → 优秀; meets target → 良好;
# at most one class below target and not worse → 合格; otherwise 不合格. No compensation is
# set by default: the amounts are the province's to fill in.
DEFAULT_RULES: tuple[GradeRule, ...] = (
    GradeRule("优秀", 0, True),
    GradeRule("良好", 0, False),
    GradeRule("合格", 1, True),
    GradeRule("不合格", 6, False),
)


def load_rules(path: Path) -> tuple[GradeRule, ...]:
    """Rules from a JSON list of objects with the fields of :class:`GradeRule`."""
    items = json.loads(path.read_text(encoding="utf-8"))
    rules = tuple(GradeRule(**item) for item in items)
    unknown = [r.grade for r in rules if r.grade not in GRADES]
    if unknown:
        raise ValueError(f"{path}: unknown grades {unknown} (expected {GRADES})")
    return rules


def grade_sections(
    current: pd.Series,
    previous: pd.Series,
    target: pd.Series,
    rules: tuple[GradeRule, ...] = DEFAULT_RULES,
) -> pd.DataFrame:
    """Grade each section (index) from its class now, last year and its target (codes 1–6).

    Returns ``grade``, ``grade_level`` (1 = 优秀 … 4 = 不合格), ``classes_below_target``,
    ``worse_than_last_year`` and ``compensation`` [万元]. A section without last year's class
    is taken as not worse (no base to compare with).
    """
    below = (current - target).clip(lower=0)
    worse = (current > previous).fillna(False)
    out = pd.DataFrame(index=current.index)
    out["classes_below_target"] = below.astype(int)
    out["worse_than_last_year"] = worse.astype(bool)
    out["grade"] = None
    out["compensation"] = 0.0
    for rule in rules:
        fits = (
            out["grade"].isna()
            & (below <= rule.max_classes_below_target)
            & (~worse if rule.not_worse_than_last_year else True)
        )
        out.loc[fits, "grade"] = rule.grade
        out.loc[fits, "compensation"] = below[fits] * rule.compensation_per_class
    out["grade"] = out["grade"].fillna(GRADES[-1])
    out["grade_level"] = out["grade"].map({g: i for i, g in enumerate(GRADES, start=1)})
    return out
