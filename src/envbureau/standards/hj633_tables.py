"""Tables of HJ 633 (环境空气质量指数（AQI）技术规定), editions 2012 and 2026, as data.

The algorithms live in :mod:`envbureau.standards.hj633`; this module only holds the numbers
and texts of the standards, keyed by edition, pollutant and averaging period. Sources: the
project facts sheets ``shared/standards/air-aqi-HJ633-2012.md`` and
``shared/standards/air-2026-GB3095-HJ633-HJ663.md`` (the 2026 one read from the official text).

Units: μg/m³ for every pollutant except CO [mg/m³]. Averaging periods: ``"1h"`` (1-hour mean),
``"8h"`` (8-hour moving mean), ``"24h"`` (24-hour mean; called 日平均 in the 2026 edition).
"""

from __future__ import annotations

from datetime import date

#: Editions implemented, oldest first.
EDITIONS: tuple[str, ...] = ("2012", "2026")

#: HJ 633-2026 comes into force on this date and HJ 633-2012 is abolished (2026 facts sheet §0).
#: Periods before it use the 2012 edition, periods on or after it the 2026 edition.
EDITION_2026_IN_FORCE = date(2026, 3, 1)

#: Pollutants in the order used for every ``;``-separated list, with their report labels
#: (the chemical notation of the standards, ASCII digits: "PM2.5", not "PM₂.₅").
POLLUTANT_LABELS: dict[str, str] = {
    "so2": "SO2",
    "no2": "NO2",
    "co": "CO",
    "o3": "O3",
    "pm10": "PM10",
    "pm25": "PM2.5",
}

#: IAQI at each breakpoint row (first column of HJ 633-2012 表1 and HJ 633-2026 表3).
IAQI_STEPS: tuple[int, ...] = (0, 50, 100, 150, 200, 300, 400, 500)

#: HJ 633-2012 表1 (空气质量分指数及对应的污染物项目浓度限值), keyed by (pollutant, period).
#: Each tuple lists BP for IAQI_STEPS[0], [1], …; a shorter tuple means the column stops there.
BREAKPOINTS_2012: dict[tuple[str, str], tuple[float, ...]] = {
    ("so2", "24h"): (0, 50, 150, 475, 800, 1600, 2100, 2620),
    # 表1 note a: 1-h SO2/NO2/CO columns are for the real-time report only.
    # 表1 note b: above 800 no IAQI is computed from the 1-h value (see ABOVE_TABLE).
    ("so2", "1h"): (0, 150, 500, 650, 800),
    ("no2", "24h"): (0, 40, 80, 180, 280, 565, 750, 940),
    ("no2", "1h"): (0, 100, 200, 700, 1200, 2340, 3090, 3840),  # 表1 note a
    ("pm10", "24h"): (0, 50, 150, 250, 350, 420, 500, 600),  # no 1-h particle column
    ("co", "24h"): (0, 2, 4, 14, 24, 36, 48, 60),  # mg/m³
    ("co", "1h"): (0, 5, 10, 35, 60, 90, 120, 150),  # mg/m³; 表1 note a
    ("o3", "1h"): (0, 160, 200, 300, 400, 800, 1000, 1200),
    # 表1 note c: above 800 no IAQI is computed from the 8-h value (see ABOVE_TABLE).
    ("o3", "8h"): (0, 100, 160, 215, 265, 800),
    ("pm25", "24h"): (0, 35, 75, 115, 150, 250, 350, 500),  # no 1-h particle column
}

#: HJ 633-2026 表3 (one table for the transition stage and after 2031). Only PM10 and PM2.5
#: at IAQI 100 differ from 2012 (150 → 120, 75 → 60).
BREAKPOINTS_2026: dict[tuple[str, str], tuple[float, ...]] = {
    ("so2", "24h"): (0, 50, 150, 475, 800, 1600, 2100, 2620),
    # 表3 note a: 1-h SO2/NO2/CO/O3 columns are for the real-time report only.
    # 表3 note b: above 800 the SO2 IAQI is counted as 200 (see ABOVE_TABLE).
    ("so2", "1h"): (0, 150, 500, 650, 800),
    ("no2", "24h"): (0, 40, 80, 180, 280, 565, 750, 940),
    ("no2", "1h"): (0, 100, 200, 700, 1200, 2340, 3090, 3840),  # 表3 note a
    ("co", "24h"): (0, 2, 4, 14, 24, 36, 48, 60),  # mg/m³
    ("co", "1h"): (0, 5, 10, 35, 60, 90, 120, 150),  # mg/m³; 表3 note a
    # 表3 note c: above 800 the O3 IAQI is counted as 300 (see ABOVE_TABLE).
    ("o3", "8h"): (0, 100, 160, 215, 265, 800),
    ("o3", "1h"): (0, 160, 200, 300, 400, 800, 1000, 1200),  # 表3 note a
    # Daily columns; the real-time report puts the 1-h particle mean into them
    # (definitions of BP_Hi and BP_Lo under formula (1)).
    ("pm10", "24h"): (0, 50, 120, 250, 350, 420, 500, 600),
    ("pm25", "24h"): (0, 35, 60, 115, 150, 250, 350, 500),
}

BREAKPOINTS: dict[str, dict[tuple[str, str], tuple[float, ...]]] = {
    "2012": BREAKPOINTS_2012,
    "2026": BREAKPOINTS_2026,
}

#: What a concentration above the highest breakpoint of a column gives, where the standard
#: says so; every other column is capped at IAQI 500 and flagged (the standard has no segment
#: there; the facts sheet records "爆表" practice). Rules:
#: ``"substitute"`` — no IAQI from this averaging time; the pollutant's IAQI is taken from the
#: averaging time named in SUBSTITUTES instead (HJ 633-2012 表1 notes b and c);
#: ``"top"`` — the IAQI of the column's last breakpoint (HJ 633-2026 表3 note b: SO2 1-h
#: > 800 → 200; note c: O3 8-h > 800 → 300).
ABOVE_TABLE: dict[str, dict[tuple[str, str], str]] = {
    "2012": {("so2", "1h"): "substitute", ("o3", "8h"): "substitute"},
    "2026": {("so2", "1h"): "top", ("o3", "8h"): "top"},
}

#: HJ 633-2012 表1 note b: SO2 1-h > 800 → report the SO2 IAQI of the 24-h mean;
#: note c: O3 8-h > 800 → report the O3 IAQI of the 1-h mean.
SUBSTITUTES: dict[tuple[str, str], tuple[str, str]] = {
    ("so2", "1h"): ("so2", "24h"),
    ("o3", "8h"): ("o3", "1h"),
}

#: Decimals a concentration is rounded to before the IAQI is computed, HJ 633-2026 4.2.2
#: (daily) and 4.2.3 (real-time), per GB/T 8170 (round half to even). The 2012 edition
#: states no such rule (its values are used as given), but publishes at the same resolution.
CONCENTRATION_DECIMALS: dict[str, int] = {
    "so2": 0,
    "no2": 0,
    "co": 1,
    "o3": 0,
    "pm10": 0,
    "pm25": 0,
}

# An indicator of a report: (result name, input column, pollutant, breakpoint column period).
Indicator = tuple[str, str, str, str]

#: Daily report (日报) indicators. HJ 633-2012 (日报, facts sheet §3): 7 — the 24-h means of
#: SO2, NO2, PM10, PM2.5 and CO, the O3 daily max 8-h moving mean and the O3 daily max 1-h
#: mean. HJ 633-2026 4.2.2: 6 — the daily max 1-h O3 is no longer an indicator.
DAILY_INDICATORS: dict[str, tuple[Indicator, ...]] = {
    "2012": (
        ("so2_24h", "so2_24h", "so2", "24h"),
        ("no2_24h", "no2_24h", "no2", "24h"),
        ("co_24h", "co_24h", "co", "24h"),
        ("o3_8h", "o3_8h_max", "o3", "8h"),
        ("o3_1h", "o3_1h_max", "o3", "1h"),
        ("pm10_24h", "pm10_24h", "pm10", "24h"),
        ("pm25_24h", "pm25_24h", "pm25", "24h"),
    ),
    "2026": (
        ("so2_24h", "so2_24h", "so2", "24h"),
        ("no2_24h", "no2_24h", "no2", "24h"),
        ("co_24h", "co_24h", "co", "24h"),
        ("o3_8h", "o3_8h_max", "o3", "8h"),
        ("pm10_24h", "pm10_24h", "pm10", "24h"),
        ("pm25_24h", "pm25_24h", "pm25", "24h"),
    ),
}

#: Real-time report (实时报) indicators that enter the AQI: the 1-h means of the six
#: pollutants, PM10 and PM2.5 put into the 24-h (daily) columns. HJ 633-2026 4.2.3 says so;
#: for HJ 633-2012 it is what reproduces the AQI published by the national platform in 2019
#: (see hj633.hourly_aqi).
HOURLY_INDICATORS: dict[str, tuple[Indicator, ...]] = {
    edition: (
        ("so2_1h", "so2", "so2", "1h"),
        ("no2_1h", "no2", "no2", "1h"),
        ("co_1h", "co", "co", "1h"),
        ("o3_1h", "o3", "o3", "1h"),
        ("pm10_1h", "pm10", "pm10", "24h"),
        ("pm25_1h", "pm25", "pm25", "24h"),
    )
    for edition in EDITIONS
}

#: Further indicators the HJ 633-2012 real-time report publishes (9 in all: O3 8-h moving
#: mean, PM10 and PM2.5 24-h moving means) with their IAQI, but which do not enter the AQI.
#: HJ 633-2026 4.2.3 has only the six 1-h means.
HOURLY_PUBLISHED_ONLY: dict[str, tuple[Indicator, ...]] = {
    "2012": (
        ("o3_8h", "o3_8h", "o3", "8h"),
        ("pm10_24h", "pm10_24h", "pm10", "24h"),
        ("pm25_24h", "pm25_24h", "pm25", "24h"),
    ),
    "2026": (),
}

#: AQI above which a pollutant with the largest IAQI is a primary pollutant (首要污染物),
#: HJ 633-2012 首要污染物 definition; HJ 633-2026 4.3.1 (unchanged).
PRIMARY_POLLUTANT_ABOVE = 50

#: IAQI above which a pollutant is an exceeding pollutant (超标污染物), HJ 633-2012 only;
#: HJ 633-2026 deleted the notion (foreword). None = the edition has no such notion.
EXCEEDING_ABOVE: dict[str, int | None] = {"2012": 100, "2026": None}

#: HJ 633-2026 5.3: with a pollutant missing or invalid, the AQI (level, category, primary
#: pollutant) of the others is published only when it is above this; otherwise "NA".
#: HJ 633-2012 has no such rule.
PUBLISH_INCOMPLETE_ABOVE: dict[str, int | None] = {"2012": None, "2026": 100}

#: HJ 633-2012 表2 / HJ 633-2026 表1: upper AQI of each level 1–6 (level 6: no upper bound,
#: the AQI tops out at 500). Classify with AQI <= upper (AQI is an integer).
LEVEL_UPPER_AQI: tuple[int, ...] = (50, 100, 150, 200, 300, 500)

#: Level names (级别), HJ 633-2012 表2 / HJ 633-2026 表1 (unchanged).
LEVEL_NAMES: tuple[str, ...] = ("一级", "二级", "三级", "四级", "五级", "六级")

#: Categories (类别), HJ 633-2012 表2 / HJ 633-2026 表1 (unchanged).
CATEGORIES: tuple[str, ...] = ("优", "良", "轻度污染", "中度污染", "重度污染", "严重污染")

#: Colour names, HJ 633-2012 表2 / HJ 633-2026 表1.
COLOUR_NAMES: tuple[str, ...] = ("绿色", "黄色", "橙色", "红色", "紫色", "褐红色")

#: Colours as RGB hex, HJ 633-2012 附录A / HJ 633-2026 附录A (normative in 2026):
#: RGB (0,228,0), (255,255,0), (255,126,0), (255,0,0), (153,0,76), (126,0,35).
COLOURS_RGB_HEX: tuple[str, ...] = (
    "#00E400",
    "#FFFF00",
    "#FF7E00",
    "#FF0000",
    "#99004C",
    "#7E0023",
)

#: Colours as CMYK, HJ 633-2012 附录A / HJ 633-2026 附录A.
COLOURS_CMYK: tuple[tuple[int, int, int, int], ...] = (
    (40, 0, 100, 0),
    (0, 0, 100, 0),
    (0, 52, 100, 0),
    (0, 100, 100, 0),
    (10, 100, 40, 30),
    (30, 100, 100, 30),
)

#: 对健康影响情况 per level. 2012: HJ 633-2012 表2 as reproduced word for word by several
#: independent publishers of the standard. 2026: HJ 633-2026 表1 as transcribed by a third
#: party; the level-3 text equals the national platform's own 2026 output. Check both against
#: the printed standard before showing them as official wording.
HEALTH_EFFECTS: dict[str, tuple[str, ...]] = {
    "2012": (
        "空气质量令人满意，基本无空气污染",
        "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
        "易感人群症状有轻度加剧，健康人群出现刺激症状",
        "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
        "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
        "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
    ),
    "2026": (
        "空气质量令人满意，基本无空气污染",
        "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
        "敏感人群症状有轻度加剧，健康人群出现刺激症状",
        "进一步加剧敏感人群症状，可能对健康人群心血管系统、呼吸系统有影响",
        "心血管系统和呼吸系统患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
        "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
    ),
}

#: 建议采取的措施 per level; sources as for HEALTH_EFFECTS. The 2012 level-4 text keeps the
#: standard's own spelling "锻练".
HEALTH_ADVICE: dict[str, tuple[str, ...]] = {
    "2012": (
        "各类人群可正常活动",
        "极少数异常敏感人群应减少户外活动",
        "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
        "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻练，一般人群适量减少户外运动",
        "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
        "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
    ),
    "2026": (
        "各类人群可正常活动",
        "极少数异常敏感人群应减少户外活动",
        "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
        "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者应避免长时间、高强度的户外锻炼，"
        "一般人群适量减少户外运动",
        "青少年儿童、老年人和心血管系统疾病、呼吸系统疾病患者应停留在室内，停止户外运动，"
        "一般人群减少户外运动",
        "青少年儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
    ),
}
