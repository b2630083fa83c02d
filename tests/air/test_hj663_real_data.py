"""HJ 663 engines on real data: Beijing multi-site hourly data (UCI), 12 national stations, 2014.

These tests check the mechanics on data nobody here wrote — coverage counts against counts
made independently with plain pandas, validity flags against the GB 3095 minima, plausible
annual values — and claim no published figure (the official city figures come from about 35
municipal stations).

Time convention. The dataset README gives ``hour`` 0–23 in Beijing time without saying which
end of the hour it labels. The same national stations (1001A–1012A) are published by CNEMC
with the hour *h* meaning the hour **ending** at h:00 (``../china-sites/README.md``), and the
Beijing centre feeds that platform, so the label is read as hour-ending: the row
(2014-01-02, hour 0) is the 24:00 value of 2014-01-01. ``time = date + hour``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from envbureau.standards.hj663 import city_values_hj663, daily_values_hj663
from envbureau.standards.hj663_period import period_statistics_hj663
from envbureau.standards.ranking import (
    composite_index_inputs,
    composite_index_ranking_rule,
    rank_by_composite_index,
)

pytestmark = pytest.mark.real_data

YEAR_START, YEAR_END = "2014-01-01", "2014-12-31"
STATION = "Dongsi"  # 东四, 1003A


@pytest.fixture(scope="module")
def beijing_hourly(shared_dir: Path) -> pd.DataFrame:
    """All 12 stations, 2013-03 … 2017-02, as the engines' long hourly frame."""
    folder = shared_dir / "data" / "beijing-multisite"
    files = sorted(folder.glob("PRSA_Data_*_20130301-20170228.csv.gz"))
    if len(files) != 12:
        pytest.skip(f"Beijing multi-site files not found in {folder}")
    raw = pd.concat([pd.read_csv(f, na_values="NA") for f in files], ignore_index=True)
    hour_ending = pd.to_datetime(raw[["year", "month", "day"]]) + pd.to_timedelta(raw["hour"], "h")
    return pd.DataFrame(
        {
            "station": raw["station"],
            "time": hour_ending,
            "so2": raw["SO2"],
            "no2": raw["NO2"],
            "co": raw["CO"] / 1000.0,  # the file's CO is μg/m³; the engines take mg/m³
            "o3": raw["O3"],
            "pm10": raw["PM10"],
            "pm25": raw["PM2.5"],
        }
    )


@pytest.fixture(scope="module")
def daily(beijing_hourly: pd.DataFrame) -> pd.DataFrame:
    return daily_values_hj663(beijing_hourly)


def in_2014(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["date"] >= YEAR_START) & (frame["date"] <= YEAR_END)]


def independent_daily(hourly: pd.DataFrame, column: str) -> pd.DataFrame:
    """Valid-hour count and raw mean per natural day, by plain pandas groupby."""
    day = (hourly["time"] - pd.Timedelta(hours=1)).dt.normalize()
    grouped = hourly.groupby(day)[column]
    return pd.DataFrame({"count": grouped.count(), "mean": grouped.mean()})


def test_daily_values_cover_every_station_day(daily: pd.DataFrame) -> None:
    # Hour-ending: the first row (2013-03-01 hour 0) is the 24:00 value of 2013-02-28, the
    # last (2017-02-28 hour 23) leaves 2017-02-28 without its 24:00 value: 1,462 days.
    assert daily["station"].nunique() == 12
    assert len(daily) == 12 * 1462
    first = daily[daily["date"] == pd.Timestamp("2013-02-28")]
    last = daily[daily["date"] == pd.Timestamp("2017-02-28")]
    assert first["pm25_24h_count"].max() == 1 and not first["pm25_24h_valid"].any()
    assert last["pm25_24h_count"].max() == 23
    assert in_2014(daily).groupby("station").size().eq(365).all()
    assert daily["pm25_24h_count"].between(0, 24).all()
    assert daily["o3_8h_max_count"].between(0, 17).all()


def test_station_year_counts_match_an_independent_count(beijing_hourly, daily) -> None:
    station_hourly = beijing_hourly[beijing_hourly["station"] == STATION]
    ours = in_2014(daily[daily["station"] == STATION]).set_index("date")
    for pollutant in ("pm25", "no2", "co"):
        theirs = independent_daily(station_hourly, pollutant).reindex(ours.index)
        counts = theirs["count"].fillna(0).astype(int)
        np.testing.assert_array_equal(ours[f"{pollutant}_24h_count"], counts)
        np.testing.assert_array_equal(ours[f"{pollutant}_24h_valid"], counts >= 20)
        assert ours[f"{pollutant}_24h"].notna().sum() == (counts >= 20).sum()


def test_station_year_dongsi_2014_statistics_and_validity(beijing_hourly, daily) -> None:
    station_daily = daily[daily["station"] == STATION]
    result = period_statistics_hj663(station_daily, period_start=YEAR_START, period_end=YEAR_END)
    rows = result.set_index(["pollutant", "statistic"])
    assert (result["expected_count"] == 365).all()

    # Coverage: valid days, and months below 27 (February 25), counted independently.
    valid_days = in_2014(station_daily).set_index("date")
    for pollutant, column in (("pm25", "pm25_24h"), ("no2", "no2_24h"), ("co", "co_24h")):
        per_month = valid_days[column].notna().groupby(valid_days.index.month).sum()
        minimum = np.where(per_month.index == 2, 25, 27)
        short = int((per_month.to_numpy() < minimum).sum())
        for (p, _), row in rows.loc[[pollutant]].iterrows():
            assert p == pollutant
            assert row["observed_count"] == per_month.sum()
            assert row["months_below_minimum"] == short
            assert bool(row["valid"]) is bool(short == 0 and per_month.sum() >= 324)

    # Plausible Beijing 2014 values (not published figures).
    assert 60 <= rows.loc[("pm25", "mean"), "value"] <= 110
    assert rows.loc[("pm25", "p95"), "value"] > rows.loc[("pm25", "mean"), "value"]
    assert 2.0 <= rows.loc[("co", "p95"), "value"] <= 5.0
    assert 150 <= rows.loc[("o3", "p90"), "value"] <= 260
    assert not rows.loc[("pm25", "mean"), "attains"]

    # The period mean is the mean of the valid daily values (raw, by plain pandas).
    raw = period_statistics_hj663(
        daily_values_hj663(beijing_hourly[beijing_hourly["station"] == STATION], rounding="none"),
        period_start=YEAR_START,
        period_end=YEAR_END,
        rounding="none",
    ).set_index(["pollutant", "statistic"])
    theirs = independent_daily(beijing_hourly[beijing_hourly["station"] == STATION], "pm25")
    theirs = theirs[(theirs.index >= YEAR_START) & (theirs.index <= YEAR_END)]
    expected = theirs.loc[theirs["count"] >= 20, "mean"].mean()
    assert raw.loc[("pm25", "mean"), "value"] == pytest.approx(expected, rel=1e-12)


def test_o3_daily_max_validity_follows_the_window_rule(daily: pd.DataFrame) -> None:
    year = in_2014(daily)
    rule = (year["o3_8h_max_count"] >= 14) | (year["o3_8h_max"] > 160)
    np.testing.assert_array_equal(year["o3_8h_max_valid"], rule)
    valid = year[year["o3_8h_max_valid"]]
    assert valid["o3_8h_max_hour"].between(8, 24).all()
    assert (valid["o3_1h_max"].dropna() >= valid.loc[valid["o3_1h_max"].notna(), "o3_8h_max"]).all()


def test_city_of_12_stations_2014(daily: pd.DataFrame) -> None:
    city = in_2014(city_values_hj663(daily))
    assert len(city) == 365 and (city["stations_expected"] == 12).all()
    assert city["pm25_24h_stations"].between(0, 12).all()
    np.testing.assert_array_equal(city["pm25_24h_valid"], city["pm25_24h_stations"] >= 1)

    result = period_statistics_hj663(city, period_start=YEAR_START, period_end=YEAR_END)
    rows = result.set_index(["pollutant", "statistic"])
    pm25 = rows.loc[("pm25", "mean")]
    assert pm25["observed_count"] == city["pm25_24h_valid"].sum()
    assert bool(pm25["valid"])
    assert 60 <= pm25["value"] <= 110
    assert result["valid"].all()  # the city series is complete enough for every statistic

    index = composite_index_ranking_rule(composite_index_inputs(result)).iloc[0]
    assert 4.0 <= index["composite_index"] <= 12.0
    assert index["max_index_pollutant"] == "PM2.5"


def test_station_ranking_2014(daily: pd.DataFrame) -> None:
    stats = period_statistics_hj663(
        daily, period_start=YEAR_START, period_end=YEAR_END, by="station"
    )
    index = composite_index_ranking_rule(composite_index_inputs(stats, by="station"))
    ranks = rank_by_composite_index(index["composite_index"])
    assert len(ranks) == 12 and ranks.min() == 1 and ranks.notna().all()
    assert ranks["Dingling"] <= 3  # 定陵, the background (对照) station


def test_co_in_ug_is_refused(beijing_hourly: pd.DataFrame) -> None:
    one_station = beijing_hourly[beijing_hourly["station"] == STATION]
    with pytest.raises(ValueError, match="μg/m³"):
        daily_values_hj663(one_station.assign(co=one_station["co"] * 1000.0))
