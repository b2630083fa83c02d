"""Evaluating a period's air quality from hourly values: the engines composed in the order of
HJ 663 — station daily values, city daily values, daily AQI, period statistics, day counts and
the composite index. Pure: data frames in, a result out, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

import pandas as pd

from envbureau.standards import hj633, hj663, hj663_day_counts, hj663_period, ranking
from envbureau.standards.gb3095 import Edition, edition_gb3095
from envbureau.standards.hj633_tables import CATEGORIES

DAILY_COLUMNS = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h_max", "o3_1h_max")
PRIMARY_LABELS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
# (key in the summary, pollutant, statistic) of the headline period statistics.
HEADLINE = (
    ("pm25", "pm25", "mean"),
    ("pm10", "pm10", "mean"),
    ("so2", "so2", "mean"),
    ("no2", "no2", "mean"),
    ("co_p95", "co", "p95"),
    ("o3_8h_p90", "o3", "p90"),
)
#: Each edition by its name: a text from the command line or a caller becomes an ``Edition``.
_EDITIONS: dict[str, Edition] = {name: name for name in get_args(Edition)}


@dataclass
class Evaluation:
    """The evaluation of one place over one period, with everything needed to explain it."""

    period_start: date
    period_end: date
    edition: Edition  # "auto" (each day by its own date), "2012" or "2026"
    stations: list[str]
    city_daily: pd.DataFrame  # one row per day: city values, AQI, category, primary pollutants
    statistics: pd.DataFrame  # hj663_period.period_statistics_hj663
    day_counts: hj663_day_counts.DayCounts
    composite: dict[str, Any]
    editions_used: dict[str, int] = field(default_factory=dict)  # edition -> days

    def statistic(self, pollutant: str, statistic: str) -> pd.Series:
        rows = self.statistics[
            (self.statistics["pollutant"] == pollutant)
            & (self.statistics["statistic"] == statistic)
        ]
        return rows.iloc[0]

    def daily_without_dust(self, column: str) -> pd.Series:
        """A city daily series without the dust days, as period means are computed (扣沙)."""
        days = self.city_daily[~self.city_daily["dust"]]
        return pd.Series(days[column].to_numpy(dtype=float), index=days["date"])

    @property
    def primary_pollutant_days(self) -> dict[str, int]:
        """Days on which each pollutant was (one of) the primary pollutant(s)."""
        listed = self.city_daily["primary_pollutants"].astype(object).fillna("").astype(str)
        names = listed.str.split(";")
        return {p: int(names.map(lambda found, p=p: p in found).sum()) for p in PRIMARY_LABELS}

    def summary(self) -> dict[str, Any]:
        """The figures as the `air evaluate` command reports them (JSON-ready)."""
        counts = self.day_counts
        out: dict[str, Any] = {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "edition": self.edition,
            "editions_used": self.editions_used,
            "stations": self.stations,
            "valid_days": counts.valid_days,
            "days_by_category": {c: int(counts.category_days.get(c, 0)) for c in CATEGORIES},
            "good_days": counts.good_days,
            "good_day_rate": counts.good_day_rate_reported,
            "heavy_days": counts.heavy_days,
        }
        for key, pollutant, statistic in HEADLINE:
            value = self.statistic(pollutant, statistic)["value"]
            out[key] = None if pd.isna(value) else float(value)
        out["composite_index"] = self.composite["composite_index"]
        out["primary_pollutant_days"] = self.primary_pollutant_days
        out["coverage"] = {
            "expected_station_days": len(self.stations) * counts.coverage.expected_count,
            "valid_station_days": int(self.city_daily["station_days_valid"].sum()),
            "expected_days": counts.coverage.expected_count,
            "valid_days": counts.coverage.observed_count,
            "statistics_valid": bool(self.statistics["valid"].all()),
        }
        return out


def _edition(text: str) -> Edition:
    """``text`` as an edition, refused with the words of the GB 3095 engine (``_regime``)."""
    if text not in _EDITIONS:
        raise ValueError(f"edition must be '2012', '2026' or 'auto', got {text!r}")
    return _EDITIONS[text]


def city_daily_values(hourly: pd.DataFrame, *, stations: list[str], edition: str) -> pd.DataFrame:
    """Station daily values (HJ 663 validity), then the city mean of the valid stations."""
    daily = hj663.daily_values_hj663(
        hourly[["station", "time", *hj663.HOURLY_COLUMNS]], edition=_edition(edition)
    )
    city = hj663.city_values_hj663(
        daily[["station", "date", *DAILY_COLUMNS, *(f"{c}_valid" for c in DAILY_COLUMNS)]],
        key="date",
        stations=stations,
    )
    valid_by_day = daily.groupby("date")["pm25_24h_valid"].sum()
    city["station_days_valid"] = city["date"].map(valid_by_day).fillna(0).astype(int)
    return city


def evaluate_hourly(
    hourly: pd.DataFrame,
    *,
    stations: list[str],
    period_start: date,
    period_end: date,
    edition: str = "auto",
    dust: pd.Series | None = None,
) -> Evaluation:
    """Evaluate the stations as one city over [period_start, period_end].

    ``edition="auto"`` applies to each day the HJ 633 edition of its date and compares the
    period statistics with the GB 3095 limits in force at the period end (as officially
    reported); ``"2012"``/``"2026"`` apply one edition to every day (同口径 comparison).
    """
    checked = _edition(edition)
    city = city_daily_values(hourly, stations=stations, edition=checked)
    days = pd.DataFrame({"date": pd.date_range(period_start, period_end, freq="D")})
    city = days.merge(city, on="date", how="left")
    city["station_days_valid"] = city["station_days_valid"].fillna(0).astype(int)
    city["dust"] = city["date"].map(dust).fillna(False).astype(bool) if dust is not None else False
    report = hj633.daily_aqi(city[["date", *DAILY_COLUMNS]], edition=checked)
    for column in ("aqi", "level", "category", "colour", "primary_pollutants", "edition"):
        city[column] = report[column].to_numpy()
    statistics = hj663_period.period_statistics_hj663(
        city[["date", *DAILY_COLUMNS[:-1]]],
        period_start=period_start,
        period_end=period_end,
        edition=checked,
        dust=dust,
    )
    aqi = pd.Series(city["aqi"].to_numpy(), index=pd.DatetimeIndex(city["date"]))
    counts = hj663_day_counts.day_counts_hj663(
        aqi, period_start=period_start, period_end=period_end, dust=dust
    )
    composite = ranking.composite_index_ranking_rule(ranking.composite_index_inputs(statistics))
    editions = city.loc[city["aqi"].notna(), "edition"].astype(str).value_counts()
    return Evaluation(
        period_start=period_start,
        period_end=period_end,
        edition=checked,
        stations=stations,
        city_daily=city,
        statistics=statistics,
        day_counts=counts,
        composite=composite.iloc[0].to_dict(),
        editions_used=editions.to_dict(),
    )


def edition_label(edition: str, period_start: date, period_end: date) -> str:
    """How a report names the standard behind a period's figures."""
    if edition != "auto":
        return f"HJ 633-{edition}（全时段统一口径）"
    first, last = edition_gb3095(period_start), edition_gb3095(period_end)
    if first == last:
        return f"HJ 633-{first}"
    return "HJ 633-2012（2026年3月1日前）与 HJ 633-2026（3月1日起）"
