"""Tables of GB 3838-2002 and of the 2011 surface-water evaluation method, as data.

The algorithms live in :mod:`envbureau.standards.gb3838` (classes, exceedance, compliance),
:mod:`envbureau.standards.gb3838_aggregate` (period means, river status) and
:mod:`envbureau.standards.gb3838_tli` (trophic state); this module only holds the numbers
and words of the standards, keyed by field name. Source: the project facts sheet
``shared/standards/water-GB3838-2002.md``, which cites GB 3838-2002 《地表水环境质量标准》
表1/表2, 《地表水环境质量评价办法（试行）》 (环办〔2011〕22号) and CNEMC's 2004
《湖泊（水库）富营养化评价方法及分级技术规定》.

Units: mg/L for every item except ``ph`` (dimensionless), ``water_temp`` [℃] and
``fecal_coliform`` [个/L]. Classes are coded 1–5 for Ⅰ–Ⅴ and 6 for 劣Ⅴ.
"""

from __future__ import annotations

import math

#: Water bodies the standard distinguishes: GB 3838-2002 表1 item 8 gives lake/reservoir
#: (湖、库) TP limits, item 9 limits TN for lakes/reservoirs only.
WATER_BODIES: tuple[str, ...] = ("river", "lake", "reservoir")
LAKE_RESERVOIR: frozenset[str] = frozenset({"lake", "reservoir"})

#: GB 3838-2002 表1 basic items (基本项目) in the table's order, field name -> Chinese name.
TABLE1_ITEMS: dict[str, str] = {
    "water_temp": "水温",
    "ph": "pH值",
    "do": "溶解氧",
    "codmn": "高锰酸盐指数",
    "cod": "化学需氧量",
    "bod5": "五日生化需氧量",
    "nh3n": "氨氮",
    "tp": "总磷",
    "tn": "总氮",
    "cu": "铜",
    "zn": "锌",
    "fluoride": "氟化物",
    "se": "硒",
    "as": "砷",
    "hg": "汞",
    "cd": "镉",
    "cr6": "铬（六价）",
    "pb": "铅",
    "cyanide": "氰化物",
    "volatile_phenol": "挥发酚",
    "petroleum": "石油类",
    "las": "阴离子表面活性剂",
    "sulfide": "硫化物",
    "fecal_coliform": "粪大肠菌群",
}

#: GB 3838-2002 表2 supplementary items for centralised drinking-water surface sources
#: (集中式生活饮用水地表水源地补充项目), field name -> Chinese name.
TABLE2_ITEMS: dict[str, str] = {
    "sulfate": "硫酸盐",
    "chloride": "氯化物",
    "nitrate": "硝酸盐",
    "iron": "铁",
    "manganese": "锰",
}

#: Unit of every item (GB 3838-2002 表1 and 表2 headings); mg/L where not listed.
UNITS: dict[str, str] = {item: "mg/L" for item in (*TABLE1_ITEMS, *TABLE2_ITEMS)} | {
    "ph": "无量纲",
    "water_temp": "℃",
    "fecal_coliform": "个/L",
}

#: GB 3838-2002 表1 limits of classes Ⅰ–Ⅴ, river values, keyed by field name. Every item is
#: "≤" (a value equal to the limit meets the class) except those in HIGHER_IS_BETTER.
#: Not here: item 1 water temperature (表1 note: a rule on man-made change, no class) and
#: item 2 pH (PH_RANGE).
TABLE1_LIMITS: dict[str, tuple[float, ...]] = {
    # 表1 item 3: "≥"; class Ⅰ is "饱和率90%（或7.5）". Only 7.5 mg/L is used: the saturation
    # needs temperature, salinity and pressure, the facts sheet gives no formula, and the
    # national automatic-station release does not apply it (tests/water/
    # test_gb3838_real_data.py: readings with 6 ≤ DO < 7.5 mg/L above 90 % saturation and
    # every other item in class Ⅰ are published as class Ⅱ).
    "do": (7.5, 6, 5, 3, 2),
    "codmn": (2, 4, 6, 10, 15),  # 表1 item 4
    "cod": (15, 15, 20, 30, 40),  # 表1 item 5
    "bod5": (3, 3, 4, 6, 10),  # 表1 item 6
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),  # 表1 item 7 (NH3-N)
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),  # 表1 item 8, as P, rivers; lakes in LAKE_RESERVOIR_LIMITS
    "tn": (0.2, 0.5, 1.0, 1.5, 2.0),  # 表1 item 9, as N: lakes and reservoirs only
    "cu": (0.01, 1.0, 1.0, 1.0, 1.0),  # 表1 item 10
    "zn": (0.05, 1.0, 1.0, 2.0, 2.0),  # 表1 item 11
    "fluoride": (1.0, 1.0, 1.0, 1.5, 1.5),  # 表1 item 12, as F⁻
    "se": (0.01, 0.01, 0.01, 0.02, 0.02),  # 表1 item 13
    "as": (0.05, 0.05, 0.05, 0.1, 0.1),  # 表1 item 14
    "hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),  # 表1 item 15
    "cd": (0.001, 0.005, 0.005, 0.005, 0.01),  # 表1 item 16
    "cr6": (0.01, 0.05, 0.05, 0.05, 0.1),  # 表1 item 17
    "pb": (0.01, 0.01, 0.05, 0.05, 0.1),  # 表1 item 18
    "cyanide": (0.005, 0.05, 0.2, 0.2, 0.2),  # 表1 item 19
    "volatile_phenol": (0.002, 0.002, 0.005, 0.01, 0.1),  # 表1 item 20
    "petroleum": (0.05, 0.05, 0.05, 0.5, 1.0),  # 表1 item 21
    "las": (0.2, 0.2, 0.2, 0.3, 0.3),  # 表1 item 22
    "sulfide": (0.05, 0.1, 0.2, 0.5, 1.0),  # 表1 item 23
    "fecal_coliform": (200, 2000, 10000, 20000, 40000),  # 表1 item 24 [个/L]
}

#: GB 3838-2002 表1 item 8, the values in parentheses: TP limits for lakes and reservoirs
#: (湖、库). Every other item has one row for all water bodies.
LAKE_RESERVOIR_LIMITS: dict[str, tuple[float, ...]] = {
    "tp": (0.01, 0.025, 0.05, 0.1, 0.2),
}

#: Items whose limit is a minimum (表1 item 3: DO "≥"); a higher value is a better class.
HIGHER_IS_BETTER: frozenset[str] = frozenset({"do"})

#: GB 3838-2002 表1 item 2: pH 6–9 (inclusive) for every class Ⅰ–Ⅴ; outside it the item
#: meets no class and is 劣Ⅴ. Inside it pH is class Ⅰ (the best class it meets).
PH_RANGE: tuple[float, float] = (6.0, 9.0)

#: 表1 items that apply to lakes and reservoirs only (item 9, TN).
LAKE_RESERVOIR_ONLY: frozenset[str] = frozenset({"tn"})

#: GB 3838-2002 表2 limits (one value, "≤") [mg/L]: sulfate as SO4²⁻, chloride as Cl⁻,
#: nitrate as N, iron, manganese.
TABLE2_LIMITS: dict[str, float] = {
    "sulfate": 250,
    "chloride": 250,
    "nitrate": 10,
    "iron": 0.3,
    "manganese": 0.1,
}

#: 环办〔2011〕22号 水质评价指标: the 21 basic items of 表1 without water temperature, TN and
#: fecal coliform, in the order of 表1. The section class is set by these alone.
EVALUATION_ITEMS_2011: tuple[str, ...] = (
    "ph",
    "do",
    "codmn",
    "cod",
    "bod5",
    "nh3n",
    "tp",
    "cu",
    "zn",
    "fluoride",
    "se",
    "as",
    "hg",
    "cd",
    "cr6",
    "pb",
    "cyanide",
    "volatile_phenol",
    "petroleum",
    "las",
    "sulfide",
)

#: 环办〔2011〕22号: items evaluated separately (单独评价), outside the section class:
#: TN for lakes/reservoirs, fecal coliform where needed.
SEPARATELY_EVALUATED: tuple[str, ...] = ("tn", "fecal_coliform")

#: 环办〔2011〕22号: items given no exceedance multiple (超标倍数).
NO_EXCEEDANCE_MULTIPLE: frozenset[str] = frozenset({"water_temp", "ph", "do"})

#: Class against which exceedance (超标) is judged: Class Ⅲ (环办〔2011〕22号).
EXCEEDANCE_REFERENCE_CLASS = 3

#: Decimals of a reported exceedance multiple (facts sheet §3.5: 2 decimals, convention),
#: rounded by GB/T 8170 (round half to even).
EXCEEDANCE_DECIMALS = 2

#: Number of main pollution indicators (主要污染指标) listed: the top three.
MAIN_POLLUTANT_COUNT = 3

#: Class labels, index = class code − 1 (6 = 劣Ⅴ). Unicode Roman numerals U+2160–U+2164.
CLASS_LABELS: tuple[str, ...] = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")

#: 环办〔2011〕22号 断面水质定性评价: quality status (水质状况) of a section by class code − 1.
QUALITY_STATUS: tuple[str, ...] = ("优", "优", "良好", "轻度污染", "中度污染", "重度污染")

#: Colour names of the quality statuses (facts sheet §3.3: general knowledge, unverified).
STATUS_COLOURS: dict[str, str] = {
    "优": "蓝色",
    "良好": "绿色",
    "轻度污染": "黄色",
    "中度污染": "橙色",
    "重度污染": "红色",
}

#: 环办〔2011〕22号: a river/watershed with at least this many sections is graded by the
#: proportion of sections by class (断面水质类别比例法); with fewer, by the mean of each
#: indicator over its sections. The method's wording is "5个（含5个）以上"; one secondary
#: source says "大于5个", leaving 5 open; we take 5 → proportion.
RIVER_MIN_SECTIONS_FOR_PROPORTION = 5

#: 环办〔2011〕22号 断面水质类别比例法, checked in this order: (status, minimum share of
#: classes Ⅰ–Ⅲ (inclusive), share of 劣Ⅴ below which the row applies (exclusive)). The first
#: row met gives the status.
RIVER_STATUS_RULES: tuple[tuple[str, float, float], ...] = (
    ("优", 0.90, math.inf),  # Ⅰ–Ⅲ ≥ 90 %
    ("良好", 0.75, math.inf),  # 75 % ≤ Ⅰ–Ⅲ < 90 %
    ("轻度污染", 0.0, 0.20),  # Ⅰ–Ⅲ < 75 % and 劣Ⅴ < 20 %
    ("中度污染", 0.0, 0.40),  # Ⅰ–Ⅲ < 75 % and 20 % ≤ 劣Ⅴ < 40 %
    ("重度污染", 0.0, math.inf),  # Ⅰ–Ⅲ < 75 % and 劣Ⅴ ≥ 40 %
)

#: Below-detection-limit results (未检出) enter a mean as this fraction of the detection
#: limit (facts sheet §3.2: "usually half the detection limit"; a common convention, not
#: verified for the 2011 method).
DETECTION_LIMIT_FRACTION = 0.5

#: CNEMC 2004 TLI(Σ): correlation r_ij of each parameter with chlorophyll a (Jin Xiangcan
#: et al., 26 Chinese lakes). W_j = r_ij² / Σ r_ij² is computed from these in gb3838_tli.
TLI_CORRELATIONS: dict[str, float] = {
    "chla": 1.0,
    "tp": 0.84,
    "tn": 0.82,
    "sd": -0.83,
    "codmn": 0.83,
}

#: CNEMC 2004 single-parameter indices TLI(j) = 10 × (a + b × ln x), as (a, b); x in
#: chl a [mg/m³ = μg/L], SD [m], TP, TN, CODMn [mg/L].
TLI_COEFFICIENTS: dict[str, tuple[float, float]] = {
    "chla": (2.5, 1.086),
    "tp": (9.436, 1.624),
    "tn": (5.453, 1.694),
    "sd": (5.118, -1.94),
    "codmn": (0.109, 2.661),
}

#: CNEMC 2004 grades of TLI(Σ) (0–100): (upper bound, upper bound inclusive, state). TLI < 30
#: 贫营养; 30 ≤ TLI ≤ 50 中营养; 50 < TLI ≤ 60 轻度富营养; 60 < TLI ≤ 70 中度富营养;
#: TLI > 70 重度富营养 (inclusivity per the doczj copy of the regulation).
TLI_GRADES: tuple[tuple[float, bool, str], ...] = (
    (30.0, False, "贫营养"),
    (50.0, True, "中营养"),
    (60.0, True, "轻度富营养"),
    (70.0, True, "中度富营养"),
    (math.inf, True, "重度富营养"),
)

#: Plausibility of the TLI inputs without a GB 3838 check (our rule, the regulation is
#: silent): chlorophyll a below 0.05 mg/m³ is below any lake's and looks like mg/L (the unit
#: the national automatic-station release prints); a Secchi depth above 50 m looks like cm.
TLI_CHLA_MIN_MGM3 = 0.05
TLI_SD_MAX_M = 50.0

#: Wrong-unit check (our rule, the standard is silent): the largest value accepted for an
#: item, in its table unit. For the "≤" items it is 500 × the class Ⅰ limit (Table 2: the
#: limit): a reading given in μg/L instead of mg/L of a water at half its class Ⅰ limit reads
#: 500 × that limit, while real surface water stays far below it (e.g. Hg 0.025 mg/L = 25 ×
#: class Ⅴ; NH3-N 75 mg/L; TP 10 mg/L). DO: 50 mg/L (saturation is at most ~14.6 mg/L at
#: 0 ℃; higher values are % saturation or μg/L). pH: 0–14. Water temperature: −5 to 50 ℃.
#: Fecal coliform: no check (a count per 100 mL would be smaller, not larger).
UNIT_CHECK_CLASS1_FACTOR = 500
UNIT_CHECK_MAX: dict[str, float] = (
    {
        item: UNIT_CHECK_CLASS1_FACTOR * limits[0]
        for item, limits in TABLE1_LIMITS.items()
        if item not in HIGHER_IS_BETTER and item != "fecal_coliform"
    }
    | {
        "do": 50.0,
        "water_temp": 50.0,
        "ph": 14.0,
    }
    | {item: UNIT_CHECK_CLASS1_FACTOR * limit for item, limit in TABLE2_LIMITS.items()}
)
UNIT_CHECK_MIN: dict[str, float] = {"water_temp": -5.0}

#: Every field name the engines accept as an item.
KNOWN_ITEMS: frozenset[str] = frozenset(TABLE1_ITEMS) | frozenset(TABLE2_ITEMS)
