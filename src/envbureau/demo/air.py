"""Demo part: 示范市's air stations and their hourly data, 2023-01-01 to 2026-06-30.

The data are synthetic but shaped like a coastal city's: a city-wide weather signal shared by
all stations (persistent, seasonal), local differences, daily cycles (traffic NO2/CO peaks,
afternoon O3), winter PM episodes, summer O3, a spring dust event, a slow improvement from year
to year, a few percent of missing hours and a station that moved in mid-2024.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from envbureau.air.importers import StationImporter, import_observations
from envbureau.air.models import DustEvent
from envbureau.demo import CITY_NAME, DEMO_ACTOR, DemoContext
from envbureau.standards.gb3095 import BEIJING_TZ

LABEL = "空气监测站点与小时数据"

START = pd.Timestamp("2023-01-01 01:00", tz=BEIJING_TZ)  # hour-ending
END = pd.Timestamp("2026-07-01 00:00", tz=BEIJING_TZ)

# code, name, district, lon, lat, level, local PM factor, active from, active to, replaces
STATIONS = (
    ("9901A", "市监测站", "990102", 121.42, 28.66, "国控", 1.05, None, None, None),
    ("9902A", "清江公园", "990102", 121.44, 28.68, "国控", 1.00, None, None, None),
    ("9903A", "东湖新区", "990103", 121.47, 28.65, "国控", 0.97, None, None, None),
    ("9904A", "开发区", "990103", 121.52, 28.63, "省控", 1.12, None, None, None),
    ("9905A", "南山中学", "990104", 121.39, 28.60, "国控", 1.02, None, "2024-06-30", None),
    ("9911A", "南山新城", "990104", 121.37, 28.58, "国控", 0.98, "2024-07-01", None, "9905A"),
    ("9906A", "南山森林公园", "990104", 121.33, 28.55, "国控", 0.72, None, None, None),
    ("9907A", "临川县城", "990121", 121.15, 28.85, "省控", 1.08, None, None, None),
    ("9908A", "青溪县城", "990122", 120.98, 28.72, "省控", 0.95, None, None, None),
    ("9909A", "白云工业园", "990181", 121.60, 28.40, "省控", 1.15, None, None, None),
    ("9910A", "白云城区", "990181", 121.57, 28.37, "市控", 1.00, None, None, None),
)

DUST_EVENTS = (
    (date(2025, 3, 27), date(2025, 3, 28), "省生态环境厅关于2025年3月沙尘天气过程的通报"),
    (date(2026, 3, 18), date(2026, 3, 19), "省生态环境厅关于2026年3月沙尘天气过程的通报"),
)


def station_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "监测点编码": c,
                "监测点名称": n,
                "城市": CITY_NAME,
                "经度": lon,
                "纬度": lat,
                "区划代码": d,
                "控制级别": lvl,
                "启用日期": f or "",
                "停用日期": t or "",
                "替代站点编码": r or "",
            }
            for c, n, d, lon, lat, lvl, _, f, t, r in STATIONS
        ]
    )


def _ar1(rng: np.random.Generator, n: int, phi: float, sigma: float) -> np.ndarray:
    """A persistent (autocorrelated) noise series: weather lasts for days."""
    shocks = rng.normal(0.0, sigma, n)
    out = np.empty(n)
    out[0] = shocks[0]
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i]
    return out


def hourly_frame(ctx: DemoContext) -> pd.DataFrame:
    rng = ctx.rng("air")
    times = pd.date_range(START, END, freq="h")
    n = len(times)
    day_of_year = times.day_of_year.to_numpy()
    hour = times.hour.to_numpy()
    years = (times.year - 2023 + day_of_year / 366).to_numpy()
    winter = np.cos(2 * np.pi * (day_of_year - 15) / 365.25)  # +1 mid-January, −1 mid-July
    trend = 0.955**years  # about 4.5 % better each year
    weather = _ar1(rng, n, 0.97, 0.075)  # city-wide stagnation/ventilation
    # Weather changes from day to day, not from year to year: take out its slow drift.
    weather -= pd.Series(weather).rolling(24 * 60, center=True, min_periods=1).mean().to_numpy()
    episodes = np.zeros(n)
    for start in rng.choice(np.flatnonzero(winter > 0.5), size=14, replace=False):
        length = int(rng.integers(48, 120))
        episodes[start : start + length] += rng.uniform(0.5, 1.1)
    dust = np.zeros(n, dtype=bool)
    for first, last, _ in DUST_EVENTS:
        dust |= (times.date >= first) & (times.date <= last)
    traffic = 1 + 0.25 * (np.exp(-((hour - 8) ** 2) / 4) + np.exp(-((hour - 19) ** 2) / 5))
    sun = np.clip(np.sin(np.pi * (hour - 7) / 12), 0, None)
    frames = []
    for code, _, _, _, _, _, local, active_from, active_to, _ in STATIONS:
        own = _ar1(rng, n, 0.9, 0.08)
        pm_base = (
            25
            * (1 + 0.5 * winter)
            * trend
            * local
            * np.exp(weather + own)
            * (1 + episodes)
            * (1 + 0.15 * (traffic - 1))
        )
        pm25 = pm_base * np.where(dust, 2.2, 1.0)
        pm10 = pm25 * rng.uniform(1.55, 1.85) * np.where(dust, 3.0, 1.0)
        no2 = 19 * (1 + 0.3 * winter) * trend * local * traffic * np.exp(0.6 * weather + own)
        o3_season = 1 + 0.35 * np.sin(2 * np.pi * (day_of_year - 100) / 365.25)
        o3 = (
            (26 + 90 * sun * o3_season * rng.uniform(0.8, 1.1))
            * np.exp(-0.5 * weather + 0.5 * own)
            * (1.04**years)
            * (1 - 0.15 * (traffic - 1))
        )
        so2 = 7 * (1 + 0.3 * winter) * local * np.exp(0.5 * weather + own)
        co = 0.55 * (1 + 0.35 * winter) * traffic * np.exp(0.5 * weather + 0.5 * own)
        frame = pd.DataFrame(
            {
                "站点编码": code,
                "time": times,
                "SO2": np.round(so2),
                "NO2": np.round(no2),
                "CO": np.round(co, 1),
                "O3": np.round(o3),
                "PM10": np.round(pm10),
                "PM2.5": np.round(pm25),
            }
        )
        live = np.ones(n, dtype=bool)
        if active_from:
            live &= times.date >= date.fromisoformat(active_from)
        if active_to:
            live &= times.date <= date.fromisoformat(active_to)
        frame = frame[live & (rng.random(n) > 0.025)]  # about 2.5 % missing hours
        outage = int(rng.integers(0, len(frame) - 100))
        frame = frame.drop(frame.index[outage : outage + int(rng.integers(20, 80))])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def build(ctx: DemoContext) -> list[str]:
    stations = ctx.import_frame(StationImporter(), station_table(), "示范市空气监测站点.csv")
    hourly = hourly_frame(ctx)
    created = 0
    for year, part in hourly.groupby(hourly["time"].dt.year):
        text = part.assign(时间=part["time"].dt.strftime("%Y-%m-%d %H:%M")).drop(columns="time")
        columns = ["站点编码", "时间", "SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
        data = text[columns].to_csv(index=False).encode("utf-8")
        outcome, _ = import_observations(
            ctx.session,
            data=data,
            file_name=f"示范市空气{year}.csv",
            fmt="template",
            actor=DEMO_ACTOR,
            progress=ctx.progress,
        )
        created += outcome.result.created
    known = {(e.start_date, e.end_date) for e in ctx.session.query(DustEvent)}
    for first, last, source in DUST_EVENTS:
        if (first, last) not in known:
            ctx.session.add(
                DustEvent(
                    start_date=first, end_date=last, source_document=source, note="沙尘天气过程"
                )
            )
    ctx.session.flush()
    return [
        f"空气站点 {len(STATIONS)} 个（新增 {stations.result.created}），"
        f"小时数据 {len(hourly)} 条（新增 {created}），沙尘过程 {len(DUST_EVENTS)} 次"
    ]
