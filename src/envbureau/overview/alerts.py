"""The dashboard's alerts: targets at risk, stations with missing data, sections drifting worse.

The probabilities are the bureau's screening thresholds, not a rule of any standard.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from envbureau.air.snapshots import RECENT_DAYS, StationSnapshot
from envbureau.overview.results import AirCard, Alert
from envbureau.standards.gb3838_tables import TABLE1_ITEMS
from envbureau.water.snapshots import class_label

RISK_PROBABILITY = 0.5  # below: the target is at risk (the bureau's screening, not a rule)
WATCH_PROBABILITY = 0.8  # below: worth watching


def target_alerts(cards: Iterable[AirCard]) -> list[Alert]:
    """A target whose outlook is out of reach or unlikely (< 50 %) is at risk; one below 80 %
    is worth watching."""
    alerts = []
    for card in cards:
        outlook = card.outlook
        if card.target is None or not outlook or outlook.get("probability") is None:
            continue
        probability = outlook["probability"]
        out_of_reach = outlook.get("share_needed", 0) > 100 or (
            outlook.get("remaining_mean_allowed", 1) < 0
        )
        if out_of_reach or probability < RISK_PROBABILITY:
            level = "目标存在风险"
        elif probability < WATCH_PROBABILITY:
            level = "目标需关注"
        else:
            continue
        alerts.append(
            Alert(
                level,
                f"{card.name}年度目标{card.target.words}{card.target.value:g}{card.unit}："
                f"按往年同期测算，完成可能性约 {probability:.0%}",
            )
        )
    return alerts


def station_alerts(stations: Iterable[StationSnapshot]) -> list[Alert]:
    """A station with days of the last ``RECENT_DAYS`` whose AQI could not be computed."""
    return [
        Alert(
            "数据缺失",
            f"{s.name}（{s.area_name}）：近{RECENT_DAYS}日中有 {s.recent_invalid_days} 日"
            "数据不完整，当日 AQI 无法全部计算",
        )
        for s in stations
        if s.recent_invalid_days
    ]


def water_alerts(drift: pd.DataFrame) -> list[Alert]:
    """The sections of ``water.service.drift_warnings``: worse than their target or than last
    year first, then those only near a limit; by section code within each group."""
    if drift.empty:
        return []
    drift = drift.assign(mild=drift["flags"].map(lambda f: f == ["接近超标"]))
    alerts = []
    for _, row in drift.sort_values(["mild", "code"]).iterrows():
        near = "、".join(TABLE1_ITEMS.get(item, item) for item in row["near_limit_items"])
        alerts.append(
            Alert(
                "水质预警",
                f"{row['name']}：近3个月 {row['class_label']} 类"
                f"（目标 {class_label(row['target_class'])} 类），"
                + "、".join(row["flags"])
                + (f"（{near}接近目标类别限值）" if near else ""),
            )
        )
    return alerts
