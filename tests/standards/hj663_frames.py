"""Frames shared by the tests of the HJ 663 engines (test_hj663, test_hj663_period, test_ranking).

Plain builders, not fixtures: each takes the values a test names and returns a DataFrame;
``stat`` picks one row of a period-statistics result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BASE = {"so2": 10.0, "no2": 20.0, "co": 0.5, "o3": 50.0, "pm10": 60.0, "pm25": 30.0}


def hourly_day(day: str, station: str = "A", **columns: object) -> pd.DataFrame:
    """24 hour-ending values of the natural day ``day`` (01:00 … 24:00 = next day 00:00)."""
    times = pd.date_range(pd.Timestamp(day) + pd.Timedelta(hours=1), periods=24, freq="h")
    frame = pd.DataFrame({"station": station, "time": times})
    for name, default in BASE.items():
        frame[name] = columns.get(name, default)
    return frame


def daily_frame(
    start: str, end: str, missing_per_month: dict[int, int] | None = None, **values: object
) -> pd.DataFrame:
    """Daily values from ``start`` to ``end``; the last n days of month m are left out."""
    days = pd.date_range(start, end, freq="D")
    frame = pd.DataFrame({"date": days})
    defaults = {"so2_24h": 10.0, "no2_24h": 20.0, "co_24h": 0.8, "pm10_24h": 50.0}
    defaults |= {"pm25_24h": 30.0, "o3_8h_max": 100.0}
    for column, default in defaults.items():
        frame[column] = values.get(column, default)
    for month, n in (missing_per_month or {}).items():
        in_month = frame.index[frame["date"].dt.month == month]
        frame = frame.drop(in_month[len(in_month) - n :])
    return frame.reset_index(drop=True)


def stat(result: pd.DataFrame, pollutant: str, statistic: str) -> pd.Series:
    row = result[(result["pollutant"] == pollutant) & (result["statistic"] == statistic)]
    assert len(row) == 1
    return row.iloc[0]


def ramp_year() -> pd.DataFrame:
    """2014 with value = day of year (1 … 365); CO = day of year / 100 mg/m³."""
    frame = daily_frame("2014-01-01", "2014-12-31")
    ramp = np.arange(1.0, 366.0)
    for column in ("so2_24h", "no2_24h", "pm10_24h", "pm25_24h", "o3_8h_max"):
        frame[column] = ramp
    frame["co_24h"] = ramp / 100
    return frame
