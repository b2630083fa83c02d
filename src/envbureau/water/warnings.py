"""Early warning of sections drifting toward a worse class (水质预警).

Not a rule of GB 3838: the bureau's own screening, with its thresholds stated here. A section
is flagged when, over its latest months,
- its class is worse than over the year before (变差),
- its class is worse than its target (不达标), or
- it still meets its target but an item has used up most of the room to the target limit
  (接近超标: ≥ ``NEAR_LIMIT_SHARE`` of a "≤" limit, or DO within the same margin above its
  "≥" limit).
"""

from __future__ import annotations

import pandas as pd

from envbureau.standards import gb3838_tables as tables

NEAR_LIMIT_SHARE = 0.9  # bureau screening threshold, not a standard value
RECENT_MONTHS = 3
BASE_MONTHS = 12
WATCHED_ITEMS = ("do", "codmn", "cod", "bod5", "nh3n", "tp")


def _limit(item: str, target: int, kind: str) -> float:
    limits = tables.LAKE_RESERVOIR_LIMITS.get(item) if kind in tables.LAKE_RESERVOIR else None
    return (limits or tables.TABLE1_LIMITS[item])[target - 1]


def near_limit_items(means: pd.Series, target: int, kind: str) -> list[str]:
    """Items of a section's recent means that are close to the limit of its target class."""
    flagged = []
    for item in WATCHED_ITEMS:
        value = means.get(item)
        if value is None or pd.isna(value) or target > len(tables.CLASS_LABELS) - 1:
            continue
        limit = _limit(item, target, kind)
        if item in tables.HIGHER_IS_BETTER:
            if limit <= value <= limit / NEAR_LIMIT_SHARE:
                flagged.append(item)
        elif NEAR_LIMIT_SHARE * limit <= value <= limit:
            flagged.append(item)
    return flagged


def drift_flags(
    recent_class: int, base_class: int | None, target: int | None, near: list[str]
) -> list[str]:
    """The warnings of one section, in the order a report lists them."""
    flags = []
    if base_class is not None and recent_class > base_class:
        flags.append("变差")
    if target is not None and recent_class > target:
        flags.append("不达标")
    elif near:
        flags.append("接近超标")
    return flags
