"""Demo part: 示范市's 40 water sections and their monthly samples, 2023-01 to 2026-06.

Each section has a quality level (its usual class) that may change over time: of the 劣Ⅴ
sections on the elimination list two left 劣Ⅴ in 2025 (to be held), the others are due in 2026
and improve from March (one does not); one section relapses; the reservoir that supplies the
city (清溪水库, like the report's 长潭水库) stays Class Ⅱ and is mesotrophic. Values are drawn
between the limits of that class in GB 3838-2002 表1, with seasonal and random variation.
Three sections have automatic stations: 4-hourly readings in May and June 2026 beside the
monthly samples.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from envbureau.demo import DemoContext
from envbureau.demo import areas as demo_areas
from envbureau.standards import gb3838_tables as tables
from envbureau.water.importers import SectionImporter, import_samples

LABEL = "水质监测断面与监测数据"
MONTHS = pd.date_range("2023-01-01", "2026-06-01", freq="MS")
ITEMS = ("do", "codmn", "cod", "bod5", "nh3n", "tp")
RIVERS = ("清江", "东溪", "南河", "临川江", "青溪", "白云河", "金沙港", "桃源溪")
DISTRICTS = ("990102", "990103", "990104", "990121", "990122", "990181")
#: The month a section's 2026 level starts (default March 2026): two elimination-list sections
#: left 劣Ⅴ in 2025 (to be held in 2026), two more from the start of 2026.
CHANGED_FROM = {"W05": "2025-01", "W09": "2025-01", "W06": "2026-01", "W08": "2026-01"}
DEFAULT_CHANGE = "2026-03"
#: Sections with an automatic station, and the months of its 4-hourly readings.
AUTOMATIC = ("W01", "W05", "W11")
AUTOMATIC_HOURS = pd.date_range("2026-05-01 00:00", "2026-06-30 20:00", freq="4h")
AUTOMATIC_ITEMS = ("do", "codmn", "nh3n", "tp")


# Where the sections lie (longitude, latitude), each inside its district's outline (demo.areas).
PLACES = {
    "W01": (121.05, 28.60), "W02": (121.00, 28.58), "W03": (121.35, 28.86),
    "W04": (121.52, 28.40), "W05": (121.36, 28.70), "W06": (121.55, 28.66),
    "W07": (121.36, 28.52), "W08": (121.66, 28.62), "W09": (121.50, 28.82),
    "W10": (121.62, 28.42), "W11": (121.22, 28.72), "W12": (120.92, 28.88),
    "W13": (120.90, 28.50),
}  # fmt: skip


def _place(code: str, district: str) -> tuple[float, float]:
    """A named section's place, or for the numbered ones a point on a golden-angle spiral
    around the middle of their district's outline."""
    if code in PLACES:
        return PLACES[code]
    corners = [demo_areas.CORNERS[c] for c in demo_areas.OUTLINES[district]]
    middle_lon = sum(c[0] for c in corners) / len(corners)
    middle_lat = sum(c[1] for c in corners) / len(corners)
    n = int(code[1:])
    radius = 0.015 + 0.005 * (n % 6)
    return (
        round(middle_lon + radius * math.cos(2.4 * n), 3),
        round(middle_lat + radius * math.sin(2.4 * n), 3),
    )


def section_table(ctx: DemoContext) -> tuple[pd.DataFrame, dict[str, tuple[int, int, int]]]:
    """Sections and, per section, (level before 2026, level in 2026 H1, target class)."""
    rng = ctx.rng("water-sections")
    rows: list[dict[str, object]] = []
    levels: dict[str, tuple[int, int, int]] = {}

    def add(
        code: str,
        name: str,
        kind: str,
        district: str,
        level: int,
        level_2026: int,
        target: int,
        **extra: object,
    ) -> None:
        rows.append(
            {
                "断面编码": code,
                "断面名称": name,
                "水体类型": kind,
                "区划代码": district,
                "控制级别": extra.pop("control", "市控"),
                "水功能区目标": target,
                "经度": _place(code, district)[0],
                "纬度": _place(code, district)[1],
                **extra,
            }
        )
        levels[code] = (level, level_2026, target)

    add(
        "W01",
        "清溪水库坝前",
        "水库",
        "990122",
        2,
        2,
        2,
        control="国控",
        饮用水源地="是",
        水源地级别="市级",
        服务人口=1_200_000,
        水十条考核目标=2,
    )
    add(
        "W02",
        "清溪水库库心",
        "水库",
        "990122",
        2,
        2,
        2,
        control="省控",
        饮用水源地="是",
        水源地级别="市级",
        # The reservoir's population is recorded once, at its dam section (W01).
    )
    add(
        "W03",
        "桃源水库",
        "水库",
        "990121",
        2,
        2,
        2,
        control="市控",
        饮用水源地="是",
        水源地级别="县级",
        服务人口=260_000,
    )
    add(
        "W04",
        "白云水厂取水口",
        "河流",
        "990181",
        2,
        2,
        3,
        control="市控",
        饮用水源地="是",
        水源地级别="县级",
        服务人口=310_000,
    )
    elimination = [
        ("W05", "清江金溪闸", "990102", "省控", 4),
        ("W06", "东溪东湖桥", "990103", "省控", 5),
        ("W07", "南河新城", "990104", "省控", 6),
        ("W08", "金沙港出海口", "990103", "市控", 5),
        ("W09", "桃源溪下游", "990121", "市控", 4),
    ]
    for code, name, district, control, level_2026 in elimination:
        add(
            code,
            name,
            "河流",
            district,
            6,
            level_2026,
            4,
            control=control,
            消劣清单=control,
            消劣基准年=int(CHANGED_FROM.get(code, DEFAULT_CHANGE)[:4]) - 1,
            水十条考核目标=5 if control == "省控" else None,
        )
    add("W10", "白云河工业园", "河流", "990181", 3, 5, 3, control="省控", 水十条考核目标=3)
    cross = [
        ("W11", "清江入境", "990102", "邻州市", "示范市"),
        ("W12", "临川江出境", "990121", "示范市", "邻州市"),
        ("W13", "青溪出境", "990122", "示范市", "东山市"),
    ]
    for code, name, district, up, down in cross:
        add(
            code,
            name,
            "河流",
            district,
            3,
            3,
            3,
            control="省控",
            交接断面="是",
            上游区域=up,
            下游区域=down,
            水十条考核目标=3,
        )
    for n in range(14, 41):
        river = RIVERS[n % len(RIVERS)]
        level = int(rng.choice([2, 2, 3, 3, 3, 4]))
        target = min(level + int(rng.integers(0, 2)), 4)
        add(
            f"W{n:02d}",
            f"{river}{n}号断面",
            "河流",
            DISTRICTS[n % len(DISTRICTS)],
            level,
            level,
            target,
            control=str(rng.choice(["省控", "市控", "县控"])),
            水十条考核目标=target if n % 4 == 0 else None,
        )
    frame = pd.DataFrame(rows)
    return frame.astype(object).where(frame.notna(), ""), levels


def _value(rng: np.random.Generator, item: str, level: int, kind: str, season: float) -> float:
    """A value inside class ``level`` of the item (劣Ⅴ: beyond class Ⅴ)."""
    limits = tables.LAKE_RESERVOIR_LIMITS.get(item) if kind == "水库" else None
    limits = limits or tables.TABLE1_LIMITS[item]
    if item in tables.HIGHER_IS_BETTER:  # DO: class Ⅰ is the highest
        high = 9.0 if level == 1 else limits[level - 2]
        low = limits[level - 1] if level <= 5 else 0.6 * limits[4]
        return round(low + (high - low) * rng.uniform(0.2, 0.9) / season, 1)
    high = limits[level - 1] if level <= 5 else 1.8 * limits[4]
    lower = [limit for limit in limits[: level - 1] if limit < high]  # equal limits: go lower
    low = lower[-1] if lower else 0.4 * limits[0]
    digits = 3 if item == "tp" else 2 if item == "nh3n" else 1
    return round(low + (high - low) * min(rng.uniform(0.15, 0.85) * season, 0.98), digits)


def sample_table(
    ctx: DemoContext, levels: dict[str, tuple[int, int, int]], kinds: dict[str, str]
) -> pd.DataFrame:
    rng = ctx.rng("water-samples")
    rows = []
    for code, (level, level_2026, _) in levels.items():
        for month in MONTHS:
            current = _level_at(code, month, level, level_2026)
            season = 1 + 0.12 * np.cos(2 * np.pi * (month.month - 8) / 12)  # worse in summer
            row = {
                "断面编码": code,
                "监测时间": f"{month:%Y-%m}-10 10:00",
                "pH": round(rng.uniform(6.8, 8.2), 2),
                "水温": round(8 + 18 * season - 14, 1),
            }
            for item in ITEMS:
                row[tables.TABLE1_ITEMS[item]] = _value(rng, item, current, kinds[code], season)
            reservoir = kinds[code] == "水库"
            row["总氮"] = round(rng.uniform(0.4, 1.4), 2) if reservoir else ""
            row["叶绿素a"] = round(rng.uniform(3.0, 9.0) * season, 1) if reservoir else ""
            row["透明度"] = round(rng.uniform(1.6, 3.2) / season, 1) if reservoir else ""
            row["汞"] = "0.00004L"  # below the detection limit, as usual
            rows.append(row)
    return pd.DataFrame(rows)


def _level_at(code: str, month: pd.Timestamp, level: int, level_2026: int) -> int:
    return level_2026 if f"{month:%Y-%m}" >= CHANGED_FROM.get(code, DEFAULT_CHANGE) else level


def automatic_table(
    ctx: DemoContext, levels: dict[str, tuple[int, int, int]], kinds: dict[str, str]
) -> pd.DataFrame:
    """4-hourly readings of the automatic stations (pH, DO, CODMn, NH3-N, TP, temperature)."""
    rng = ctx.rng("water-automatic")
    rows = []
    for code in AUTOMATIC:
        level, level_2026, _ = levels[code]
        for hour in AUTOMATIC_HOURS:
            current = _level_at(code, hour, level, level_2026)
            season = 1 + 0.12 * np.cos(2 * np.pi * (hour.month - 8) / 12)
            daily = 1 + 0.04 * np.sin(2 * np.pi * (hour.hour - 14) / 24)  # DO peaks by day
            row = {
                "断面编码": code,
                "监测时间": f"{hour:%Y-%m-%d %H:%M}",
                "pH": round(rng.uniform(7.0, 8.0), 2),
                "水温": round((8 + 18 * season - 14) * daily, 1),
            }
            for item in AUTOMATIC_ITEMS:
                row[tables.TABLE1_ITEMS[item]] = _value(rng, item, current, kinds[code], season)
            rows.append(row)
    return pd.DataFrame(rows)


def build(ctx: DemoContext) -> list[str]:
    sections, levels = section_table(ctx)
    outcome = ctx.import_frame(SectionImporter(), sections, "示范市水质监测断面.csv")
    kinds = dict(zip(sections["断面编码"], sections["水体类型"], strict=True))
    samples = sample_table(ctx, levels, kinds)
    data = samples.to_csv(index=False).encode("utf-8")
    imported = import_samples(
        ctx.session, data=data, file_name="示范市地表水监测数据.csv", actor="demo"
    )
    automatic = automatic_table(ctx, levels, kinds)
    auto = import_samples(
        ctx.session,
        data=automatic.to_csv(index=False).encode("utf-8"),
        file_name="示范市水质自动站数据.csv",
        actor="demo",
    )
    return [
        f"断面 {len(sections)} 个（新增 {outcome.result.created}），"
        f"月度监测数据 {len(samples)} 条（新增 {imported.result.created}），"
        f"自动站 {len(AUTOMATIC)} 个四小时数据 {len(automatic)} 条（新增 {auto.result.created}）"
    ]
