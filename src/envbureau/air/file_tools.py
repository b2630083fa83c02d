"""The analysts' tools that work on files alone: AQI of a table, evaluation of files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from envbureau.air.checks import check_values
from envbureau.air.evaluation import Evaluation, evaluate_hourly
from envbureau.air.formats import PARSERS_BY_FORMAT, ObservationBatch, read_observation_file
from envbureau.air.models import POLLUTANTS
from envbureau.air.readers import read_china_sites
from envbureau.core.importing.readers import read_table
from envbureau.core.importing.runner import raise_if_errors
from envbureau.core.importing.schema import Column, TableSchema, check_table
from envbureau.standards import hj633, ranking

_DAILY = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h_max", "o3_1h_max")
_HOURLY = ("so2", "no2", "co", "o3", "pm10", "pm25", "o3_8h", "pm10_24h", "pm25_24h", "so2_24h")


def _schema(kind: str) -> TableSchema:
    key = (
        Column("date", "date", kind="date", aliases=("日期",))
        if kind == "daily"
        else Column("time", "time", kind="datetime", aliases=("时间",))
    )
    values = _DAILY if kind == "daily" else _HOURLY
    return TableSchema(
        name=f"aqi_{kind}",
        label=f"AQI {kind}",
        columns=(
            key,
            Column("station", "station", required=False, aliases=("站点",)),
            *(Column(v, v, kind="float", required=False, minimum=0) for v in values),
        ),
        natural_key=(),
    )


def aqi_of_table(path: Path, *, kind: str, edition: str) -> pd.DataFrame:
    """AQI of every row of a daily or hourly table (columns as documented in the README)."""
    raw = read_table(path)
    checked = check_table(raw, _schema(kind))
    raise_if_errors(list(checked.errors), path.name)
    present = [c for c in checked.frame.columns if c in checked.headers]
    frame = checked.frame[present].copy()
    key = "date" if kind == "daily" else "time"
    frame[key] = pd.to_datetime(frame[key])
    for column in _DAILY if kind == "daily" else _HOURLY:
        if column not in frame:
            frame[column] = float("nan")
    engine = hj633.daily_aqi if kind == "daily" else hj633.hourly_aqi
    result = engine(frame.reset_index(drop=True), edition=edition)
    return _output_columns(result, present)


def aqi_of_china_sites(path: Path, *, edition: str) -> pd.DataFrame:
    """Real-time AQI of every station-hour of a national file, beside the published AQI."""
    long = read_china_sites(path)
    result = hj633.hourly_aqi(long.drop(columns=["published_aqi"]), edition=edition)
    result.insert(2, "published_aqi", long["published_aqi"].to_numpy())
    return _output_columns(result, [c for c in long.columns])


def _output_columns(result: pd.DataFrame, inputs: list[str]) -> pd.DataFrame:
    iaqi = [c for c in result.columns if c.startswith("iaqi_")]
    ordered = [c for c in inputs if c in result.columns]
    return result[[*ordered, "aqi", "level", "category", "primary_pollutants", *iaqi, "edition"]]


def read_batches(paths: list[Path], fmt: str) -> ObservationBatch:
    """Parse and check observation files (no database), as one batch."""
    frames = []
    for path in paths:
        data, name = read_observation_file(path, fmt)
        batch, errors = PARSERS_BY_FORMAT[fmt](data, name)
        found = check_values(batch)
        raise_if_errors(errors + found.errors, name)
        frames.append(batch.frame)
    frame = pd.concat(frames, ignore_index=True).drop_duplicates(subset=["station", "time"])
    return ObservationBatch(", ".join(p.name for p in paths), frame)


def evaluate_files(
    paths: list[Path],
    *,
    fmt: str,
    first_day: date,
    last_day: date,
    edition: str,
    stations: list[str] | None = None,
    site_cities: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Evaluate the stations in the files as one city, or one result per city, ranked."""
    frame = read_batches(paths, fmt).frame
    if stations:
        frame = frame[frame["station"].isin(stations)]
    frame = frame[["station", "time", *POLLUTANTS]]
    if site_cities is None:
        codes = sorted(frame["station"].unique())
        return [_evaluate(frame, codes, first_day, last_day, edition).summary()]
    frame = frame.assign(city=frame["station"].map(site_cities))
    results = []
    for city, part in frame.dropna(subset=["city"]).groupby("city"):
        codes = sorted(part["station"].unique())
        summary = _evaluate(part, codes, first_day, last_day, edition).summary()
        results.append({"city": city, **summary})
    composite = pd.Series([r["composite_index"] for r in results], dtype=float)
    ranks = ranking.rank_by_composite_index(composite)
    for result, rank in zip(results, ranks, strict=True):
        result["rank"] = None if pd.isna(rank) else int(rank)
    return sorted(results, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["city"]))


def _evaluate(
    frame: pd.DataFrame, stations: list[str], first_day: date, last_day: date, edition: str
) -> Evaluation:
    return evaluate_hourly(
        frame, stations=stations, period_start=first_day, period_end=last_day, edition=edition
    )


def read_site_cities(path: Path) -> dict[str, str]:
    """Station code → city from a site list (监测点编码, 城市)."""
    table = read_table(path).frame
    code = next(c for c in table.columns if c in ("监测点编码", "站点编码", "code"))
    city = next(c for c in table.columns if c in ("城市", "city"))
    return dict(zip(table[code], table[city], strict=True))
