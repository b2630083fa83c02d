"""Checks of observation values that need no database: units, ranges, duplicates, period.

Used by the importers and by the file tools (``envbureau air aqi/evaluate``) alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from envbureau.air.formats import ObservationBatch
from envbureau.air.models import POLLUTANTS
from envbureau.core.errors import ErrorDetail
from envbureau.core.periods import Period

# Upper bounds of a believable 1-h value; above them a value is an error, not a measurement.
# CO is in mg/m³: a CO column whose typical value is above CO_MGM3_TYPICAL_MAX is in μg/m³.
PLAUSIBLE_MAX = {
    "so2": 10000.0,
    "no2": 3000.0,
    "co": 150.0,
    "o3": 1500.0,
    "pm10": 10000.0,
    "pm25": 5000.0,
}
CO_MGM3_TYPICAL_MAX = 20.0


@dataclass
class ObservationImport:
    """What a check of an observation file found."""

    batch: ObservationBatch
    errors: list[ErrorDetail]
    warnings: list[ErrorDetail]


def _cell_errors(
    batch: ObservationBatch, mask: pd.Series, pollutant: str, code: str, msg: str
) -> list[ErrorDetail]:
    frame = batch.frame
    return [
        ErrorDetail(
            (
                batch.file_name,
                frame.at[i, "where"],
                f"{frame.at[i, 'station']}/{batch.labels[pollutant]}",
            ),
            code,
            msg,
            value=f"{frame.at[i, pollutant]:g}",
        )
        for i in frame.index[mask.fillna(False).to_numpy()]
    ]


def check_values(batch: ObservationBatch, *, period: Period | None = None) -> ObservationImport:
    """Rules on values, units, duplicates and period; flags PM2.5 > PM10 (no database)."""
    frame, name = batch.frame, batch.file_name
    errors: list[ErrorDetail] = []
    co = frame["co"].dropna()
    co_in_ug = bool(len(co)) and co.median() > CO_MGM3_TYPICAL_MAX
    if co_in_ug:
        errors.append(
            ErrorDetail(
                (name, "全部行", batch.labels["co"]),
                "co.unit",
                f"CO 的中位数为 {co.median():g}，像是 μg/m³；本格式要求 mg/m³，请换算后再导入",
            )
        )
    for p in POLLUTANTS:
        values = frame[p]
        errors += _cell_errors(batch, values < 0, p, "value.negative", "浓度不能为负")
        if not (p == "co" and co_in_ug):  # one unit error says it all for that column
            errors += _cell_errors(
                batch,
                values > PLAUSIBLE_MAX[p],
                p,
                "value.implausible",
                f"超出可信范围（>{PLAUSIBLE_MAX[p]:g}）",
            )
    keys = frame[["station", "time"]]
    doubled = keys.duplicated(keep=False)
    if doubled.any():
        same = frame[doubled].drop(columns="where").fillna(-1.0).duplicated(keep="first")
        conflicting = frame[doubled][~same].duplicated(subset=["station", "time"], keep="first")
        for i in conflicting[conflicting].index:
            errors.append(
                ErrorDetail(
                    (name, frame.at[i, "where"], "站点编码/时间"),
                    "row.duplicate_conflict",
                    "同一站点同一小时出现两次且数值不同",
                    value=f"{frame.at[i, 'station']} {frame.at[i, 'time']}",
                )
            )
    if period is not None:
        day = (frame["time"] - pd.Timedelta(hours=1)).dt.date
        outside = (day < period.start) | (day > period.end)
        errors += [
            ErrorDetail(
                (name, frame.at[i, "where"], "时间"),
                "time.outside_period",
                f"不在导入时段 {period.code} 内",
                value=str(frame.at[i, "time"]),
            )
            for i in frame.index[outside.to_numpy()]
        ]
    warnings = [
        ErrorDetail(
            (name, frame.at[i, "where"], f"{frame.at[i, 'station']}/PM2.5"),
            "pm25.above_pm10",
            "PM2.5 大于 PM10（已导入，标记待核）",
            value=f"{frame.at[i, 'pm25']:g}>{frame.at[i, 'pm10']:g}",
        )
        for i in frame.index[(frame["pm25"] > frame["pm10"]).to_numpy()]
    ]
    return ObservationImport(batch, errors, warnings)
