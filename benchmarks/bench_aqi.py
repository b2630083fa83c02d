"""Benchmark of the HJ 633 AQI engine against the bare numpy work and against python-aqi.

Run: ``.venv/bin/python benchmarks/bench_aqi.py [--rows 1000000] [--peer-rows 20000]``.

It generates realistic random concentrations (log-normal per pollutant, rounded as the national
platform publishes them: μg/m³ to integers, CO mg/m³ to 0.1; 1 % missing) for station-days and
station-hours whose dates straddle 2026-03-01, so that ``edition="auto"`` mixes both editions.
It then times, in one run and on the same machine:

* ``daily_aqi`` and ``hourly_aqi`` (``edition="auto"``), DataFrame in, DataFrame out;
* the bare numpy work: one ``numpy.interp`` plus ``numpy.ceil`` per IAQI column the engine
  computes (7 for the daily report, 9 for the real-time one), over all rows;
* python-aqi (PyPI ``python-aqi``, algorithm ``aqi.algos.mep``, the HJ 633-2012 tables), one
  row at a time as its API requires (each row turned into its (pollutant, text) pairs, as a
  caller with a DataFrame must), on a sample of rows, scaled to the full row count.

and prints the throughputs and the two ratios: engine time / bare numpy time (target ≤ 2) and
python-aqi time / engine time (target ≥ 300). Each timing is the best of ``--repeat`` runs.
python-aqi is an optional benchmark dependency (``pip install python-aqi``).
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from envbureau.standards import hj633
from envbureau.standards import hj633_tables as tables

# Log-normal medians and shape of realistic concentrations (μg/m³; CO mg/m³).
DAILY_MEDIANS = {
    "so2_24h": (9, 0.6),
    "no2_24h": (30, 0.5),
    "co_24h": (0.8, 0.45),
    "o3_8h_max": (95, 0.45),
    "o3_1h_max": (120, 0.45),
    "pm10_24h": (65, 0.6),
    "pm25_24h": (35, 0.7),
}
HOURLY_MEDIANS = {
    "so2": (9, 0.8),
    "no2": (30, 0.7),
    "co": (0.8, 0.6),
    "o3": (70, 0.8),
    "pm10": (65, 0.8),
    "pm25": (35, 0.9),
    "o3_8h": (70, 0.6),
    "pm10_24h": (65, 0.6),
    "pm25_24h": (35, 0.7),
    "so2_24h": (9, 0.6),
}
# Breakpoint column of each input column for the bare numpy work (2012 tables).
DAILY_COLUMNS = {ind[1]: (ind[2], ind[3]) for ind in tables.DAILY_INDICATORS["2012"]}
HOURLY_COLUMNS = {ind[1]: (ind[2], ind[3]) for ind in tables.HOURLY_INDICATORS["2012"]}
HOURLY_COLUMNS |= {ind[1]: (ind[2], ind[3]) for ind in tables.HOURLY_PUBLISHED_ONLY["2012"]}


def concentrations(rng: np.random.Generator, n: int, medians: dict) -> dict[str, np.ndarray]:
    """Random log-normal concentrations, rounded as published, 1 % missing."""
    columns = {}
    for column, (median, sigma) in medians.items():
        values = median * rng.lognormal(0.0, sigma, n)
        values = np.round(values, 1) if column.startswith("co") else np.round(values)
        values[rng.random(n) < 0.01] = np.nan
        columns[column] = values
    return columns


def daily_frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Station-days of 1,000 stations over consecutive days from 2025-06-01."""
    stations = 1000
    days = np.datetime64("2025-06-01") + np.arange(n) // stations
    frame = {"date": days.astype("datetime64[ns]")}
    frame["station"] = pd.Categorical.from_codes(np.arange(n) % stations, _codes(stations))
    return pd.DataFrame(frame | concentrations(rng, n, DAILY_MEDIANS))


def hourly_frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Station-hours of 1,000 stations over consecutive hours from 2026-02-20 01:00."""
    stations = 1000
    hours = np.datetime64("2026-02-20T01:00") + (np.arange(n) // stations).astype("m8[h]")
    frame = {"time": hours.astype("datetime64[ns]")}
    frame["station"] = pd.Categorical.from_codes(np.arange(n) % stations, _codes(stations))
    return pd.DataFrame(frame | concentrations(rng, n, HOURLY_MEDIANS))


def _codes(stations: int) -> list[str]:
    return [f"{1001 + i}A" for i in range(stations)]


def bare_numpy(frame: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> None:
    """One numpy.interp plus a ceiling per IAQI column: the floor any engine must pay."""
    steps = np.asarray(tables.IAQI_STEPS, dtype=np.float64)
    for column, key in columns.items():
        bp = np.asarray(tables.BREAKPOINTS_2012[key], dtype=np.float64)
        np.ceil(np.interp(frame[column].to_numpy(), bp, steps[: bp.size]))


def python_aqi_rows(frame: pd.DataFrame, pollutants: dict[str, object]) -> Callable[[], None]:
    """A callable running python-aqi's MEP algorithm on every row of ``frame``, including the
    conversion of each row to the (pollutant, text) pairs its API takes."""
    import aqi  # optional benchmark dependency

    columns = list(pollutants)
    kinds = [pollutants[c] for c in columns]

    def run() -> None:
        for record in frame[columns].itertuples(index=False):
            row = [(kind, str(v)) for kind, v in zip(kinds, record, strict=True) if v == v]
            # python-aqi has no segment above its tables and raises there; counted in the time
            with contextlib.suppress(IndexError, ValueError):
                aqi.to_aqi(row, algo=aqi.ALGO_MEP)

    return run


def best_of(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def report(name: str, frame: pd.DataFrame, engine, columns, peer, peer_rows, repeat) -> None:
    n = len(frame)
    engine_s = best_of(lambda: engine(frame), repeat)
    bare_s = best_of(lambda: bare_numpy(frame, columns), repeat)
    sample = frame.iloc[:peer_rows]
    peer_s = best_of(python_aqi_rows(sample, peer), 1) * n / len(sample)
    editions = engine(frame)["edition"].value_counts().to_dict()
    print(f"\n{name}: {n:,} rows, editions {editions}, best of {repeat}")
    print(f"  envbureau hj633       {engine_s * 1e3:9.1f} ms  {n / engine_s / 1e6:8.2f} M rows/s")
    print(
        f"  bare numpy ({len(columns)} interp) {bare_s * 1e3:9.1f} ms  {n / bare_s / 1e6:8.2f} M rows/s"
    )
    print(
        f"  python-aqi (scaled)   {peer_s * 1e3:9.1f} ms  {n / peer_s / 1e6:8.4f} M rows/s"
        f"  (measured on {len(sample):,} rows)"
    )
    print(f"  engine / bare numpy   {engine_s / bare_s:9.2f}   (target <= 2)")
    print(f"  python-aqi / engine   {peer_s / engine_s:9.0f}   (target >= 300)")
    print(f"  python-aqi / bare     {peer_s / bare_s:9.0f}   (bare numpy vs the peer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from aqi import constants  # optional benchmark dependency: pip install python-aqi

    rng = np.random.default_rng(633)
    daily_peer = {
        "so2_24h": constants.POLLUTANT_SO2_24H,
        "no2_24h": constants.POLLUTANT_NO2_24H,
        "co_24h": constants.POLLUTANT_CO_24H,
        "o3_8h_max": constants.POLLUTANT_O3_8H,
        "o3_1h_max": constants.POLLUTANT_O3_1H,
        "pm10_24h": constants.POLLUTANT_PM10,
        "pm25_24h": constants.POLLUTANT_PM25,
    }
    hourly_peer = {
        "so2": constants.POLLUTANT_SO2_1H,
        "no2": constants.POLLUTANT_NO2_1H,
        "co": constants.POLLUTANT_CO_1H,
        "o3": constants.POLLUTANT_O3_1H,
        "pm10": constants.POLLUTANT_PM10,
        "pm25": constants.POLLUTANT_PM25,
    }
    daily = daily_frame(rng, args.rows)
    hourly = hourly_frame(rng, args.rows)
    report(
        "daily_aqi (日报)",
        daily,
        hj633.daily_aqi,
        DAILY_COLUMNS,
        daily_peer,
        args.peer_rows,
        args.repeat,
    )
    report(
        "hourly_aqi (实时报)",
        hourly,
        hj633.hourly_aqi,
        HOURLY_COLUMNS,
        hourly_peer,
        args.peer_rows,
        args.repeat,
    )


if __name__ == "__main__":
    main()
