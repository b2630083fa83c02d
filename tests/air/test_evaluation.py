"""The HJ 663 composition from hourly values, worked by hand on constant days."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from envbureau.air.evaluation import edition_label, evaluate_hourly

FIRST, LAST = date(2026, 2, 27), date(2026, 3, 2)  # two days each side of the 2026 switch
STATIONS = ["A", "B"]


def constant_hours(first: date = FIRST, last: date = LAST, **values: float) -> pd.DataFrame:
    """Hour-ending values D 01:00 … D+1 00:00 for every day, the same at both stations."""
    hours = pd.date_range(
        pd.Timestamp(first) + pd.Timedelta(hours=1),
        pd.Timestamp(last) + pd.Timedelta(days=1),
        freq="h",
        tz="Asia/Shanghai",
    )
    base = {"so2": 5.0, "no2": 10.0, "co": 0.5, "o3": 50.0, "pm10": 60.0, "pm25": 70.0}
    base.update(values)
    return pd.concat(
        [pd.DataFrame({"station": s, "time": hours, **base}) for s in STATIONS], ignore_index=True
    )


def test_evaluate_hourly_applies_each_days_edition() -> None:
    # PM2.5 70 μg/m³: HJ 633-2012 IAQI = 50 + 50·(70−35)/(75−35) = 93.75 → 94 (良);
    # HJ 633-2026 (100 at 60, 150 at 115): 100 + 50·(70−60)/(115−60) = 109.09 → 110 (轻度污染).
    result = evaluate_hourly(
        constant_hours(), stations=STATIONS, period_start=FIRST, period_end=LAST
    )
    assert result.city_daily["aqi"].tolist() == [94, 94, 110, 110]
    assert result.city_daily["edition"].astype(str).tolist() == ["2012", "2012", "2026", "2026"]
    summary = result.summary()
    assert summary["good_days"] == 2 and summary["valid_days"] == 4
    assert summary["good_day_rate"] == 50.0
    assert summary["days_by_category"]["良"] == 2 and summary["days_by_category"]["轻度污染"] == 2
    assert summary["primary_pollutant_days"]["PM2.5"] == 4
    assert summary["editions_used"] == {"2012": 2, "2026": 2}


@pytest.mark.parametrize(("edition", "rate"), [("2012", 100.0), ("2026", 0.0)])
def test_evaluate_hourly_one_edition_for_all_days(edition: str, rate: float) -> None:
    result = evaluate_hourly(
        constant_hours(), stations=STATIONS, period_start=FIRST, period_end=LAST, edition=edition
    )
    assert result.summary()["good_day_rate"] == rate


def test_evaluate_hourly_period_statistics_and_composite_index() -> None:
    summary = evaluate_hourly(
        constant_hours(), stations=STATIONS, period_start=FIRST, period_end=LAST
    ).summary()
    assert (summary["pm25"], summary["pm10"], summary["so2"], summary["no2"]) == (70, 60, 5, 10)
    assert (summary["co_p95"], summary["o3_8h_p90"]) == (0.5, 50)
    # 5/60 + 10/40 + 60/70 + 70/35 + 0.5/4 + 50/160 = 3.628 → 3.63 (环办监测〔2018〕19号)
    assert summary["composite_index"] == 3.63
    assert summary["coverage"]["valid_station_days"] == 8
    assert summary["coverage"]["expected_station_days"] == 8


def test_evaluate_hourly_invalid_day_is_not_counted() -> None:
    hourly = constant_hours()
    # 27 February keeps only its last five hours: no 24-h mean (< 20 h) and no valid O3
    # 8-hour window (< 6 of 8 h), so the day has no AQI and is not a valid day.
    lost = hourly["time"].between(
        pd.Timestamp("2026-02-27 01:00", tz="Asia/Shanghai"),
        pd.Timestamp("2026-02-27 19:00", tz="Asia/Shanghai"),
    )
    hourly.loc[lost, ["so2", "no2", "co", "o3", "pm10", "pm25"]] = np.nan
    result = evaluate_hourly(hourly, stations=STATIONS, period_start=FIRST, period_end=LAST)
    summary = result.summary()
    assert pd.isna(result.city_daily["aqi"].iloc[0])
    assert summary["valid_days"] == 3 and summary["good_day_rate"] == pytest.approx(33.3)


def test_evaluate_hourly_dust_day_deducted_from_pm_but_kept_in_days() -> None:
    hourly = constant_hours()
    dusty = hourly["time"].between(
        pd.Timestamp("2026-03-01 01:00", tz="Asia/Shanghai"),
        pd.Timestamp("2026-03-02 00:00", tz="Asia/Shanghai"),
    )
    hourly.loc[dusty, "pm25"] = 170.0
    dust = pd.Series(False, index=pd.date_range(FIRST, LAST))
    dust[pd.Timestamp("2026-03-01")] = True
    result = evaluate_hourly(
        hourly, stations=STATIONS, period_start=FIRST, period_end=LAST, dust=dust
    )
    summary = result.summary()
    assert summary["pm25"] == 70  # the dust day's 170 is not in the mean (扣沙)
    assert summary["valid_days"] == 4  # but the day still counts in the day counts
    assert result.daily_without_dust("pm25_24h").tolist() == [70.0, 70.0, 70.0]


def test_edition_label_names_both_editions_across_the_switch() -> None:
    assert edition_label("auto", FIRST, LAST).startswith("HJ 633-2012（2026年3月1日前）")
    assert edition_label("auto", date(2025, 1, 1), date(2025, 6, 30)) == "HJ 633-2012"
    assert edition_label("2026", FIRST, LAST) == "HJ 633-2026（全时段统一口径）"
