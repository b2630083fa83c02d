"""Demo part: 示范市's districts, towns, villages, the bureau and its units."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd

from envbureau.core.areas.boundaries import AreaBoundaryImporter
from envbureau.core.areas.importers import AreaImporter, OrgUnitImporter
from envbureau.demo import CITY_CODE, CITY_NAME, DemoContext

LABEL = "行政区划与组织机构"

# (code, name, kind, towns, streets) — six districts and counties, about sixty towns.
DISTRICTS = (
    ("990102", "清江区", "区", 3, 7),
    ("990103", "东湖区", "区", 2, 8),
    ("990104", "南山区", "区", 6, 4),
    ("990121", "临川县", "县", 12, 0),
    ("990122", "青溪县", "县", 11, 0),
    ("990181", "白云市", "县级市", 8, 3),
)

# The districts' outlines (longitude, latitude), drawn so that neighbours share their edges and
# every station and section of the demo lies inside its own district.
CORNERS = {
    "A": (120.85, 28.95), "C": (121.70, 28.95), "D": (121.70, 28.78), "E": (121.46, 28.74),
    "F": (121.30, 28.76), "G": (121.10, 28.78), "H": (120.85, 28.80), "I": (121.28, 28.62),
    "J": (121.20, 28.45), "K": (120.85, 28.45), "L": (121.455, 28.66), "M": (121.40, 28.63),
    "N": (121.70, 28.58), "O": (121.50, 28.58), "P": (121.48, 28.48), "Q": (121.30, 28.45),
    "R": (121.70, 28.30), "S": (121.35, 28.30),
}  # fmt: skip
OUTLINES = {
    "990102": "GFELMI",
    "990103": "EDNOML",
    "990104": "IMOPQJ",
    "990121": "ACDEFGH",
    "990122": "HGIJK",
    "990181": "ONRSQP",
}

_FIRST = "金石桃柳松梅竹兰杏枫青白黄红新永安平和兴丰泰长龙凤鹤"
_SECOND = "溪河塘湾岭山桥港口田坪坝湖洲源浦林岗岙"
_VILLAGE_WORDS = ("村", "社区")

OFFICES = (
    ("EEB-OFFICE", "办公室", "宣传"),
    ("EEB-PLAN", "综合规划科", "生态文明建设；行业整治"),
    ("EEB-WATER", "水生态环境科", "治水"),
    ("EEB-AIR", "大气环境科", "治气"),
    ("EEB-SOIL", "土壤与固体废物科", "治土"),
    ("EEB-PERMIT", "环评与排污许可科", "制度改革"),
    ("EEB-LAW", "执法监督科", "执法监管"),
    ("EEB-MONITOR", "生态环境监测站", "治水；治气"),
)

MEMBER_UNITS = (
    ("MU-HOUSING", "市住房和城乡建设局"),
    ("MU-TRANSPORT", "市交通运输局"),
    ("MU-AGRI", "市农业农村局"),
    ("MU-WATERRES", "市水利局"),
    ("MU-ECONINFO", "市经济和信息化局"),
    ("MU-NATRES", "市自然资源和规划局"),
    ("MU-POLICE", "市公安局"),
    ("MU-URBAN", "市综合行政执法局"),
)


def _place_names(rng, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(list(_FIRST)) + rng.choice(list(_SECOND))
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def area_table(ctx: DemoContext) -> pd.DataFrame:
    rng = ctx.rng("areas")
    rows = [
        {"区划代码": CITY_CODE, "名称": CITY_NAME, "级别": "市", "类型": "地级市", "上级代码": ""}
    ]
    taken: set[str] = set()
    for code, name, kind, towns, streets in DISTRICTS:
        rows.append(
            {"区划代码": code, "名称": name, "级别": "区县", "类型": kind, "上级代码": CITY_CODE}
        )
        kinds = ["街道"] * streets + ["镇"] * towns
        for index, (town_name, town_kind) in enumerate(
            zip(_place_names(rng, len(kinds), taken), kinds, strict=True), start=1
        ):
            town_code = f"{code}{index:03d}"
            rows.append(
                {
                    "区划代码": town_code,
                    "名称": town_name + town_kind,
                    "级别": "乡镇",
                    "类型": town_kind,
                    "上级代码": code,
                }
            )
            village_word = "社区" if town_kind == "街道" else "村"
            for v, village in enumerate(_place_names(rng, 4, set()), start=1):
                rows.append(
                    {
                        "区划代码": f"{town_code}{v:03d}",
                        "名称": village + village_word,
                        "级别": "村社区",
                        "类型": village_word,
                        "上级代码": town_code,
                    }
                )
    return pd.DataFrame(rows)


def unit_table(ctx: DemoContext, areas: pd.DataFrame) -> pd.DataFrame:
    rng = ctx.rng("units")
    rows = [
        {
            "单位代码": "EEB",
            "单位名称": f"{CITY_NAME}生态环境局",
            "类型": "局机关",
            "上级单位代码": "",
            "所辖区域代码": CITY_CODE,
            "成立日期": "2019-01-15",
        }
    ]
    rows += [
        {
            "单位代码": code,
            "单位名称": name,
            "类型": "科室",
            "上级单位代码": "EEB",
            "所辖区域代码": CITY_CODE,
            "成立日期": "2019-01-15",
            "业务领域": domains,
        }
        for code, name, domains in OFFICES
    ]
    for code, name, *_ in DISTRICTS:
        rows.append(
            {
                "单位代码": f"BR-{code}",
                "单位名称": f"{CITY_NAME}生态环境局{name}分局",
                "类型": "分局",
                "上级单位代码": "EEB",
                "所辖区域代码": code,
                "成立日期": "2019-03-01",
            }
        )
    rows += [
        {
            "单位代码": code,
            "单位名称": name,
            "类型": "成员单位",
            "上级单位代码": "",
            "所辖区域代码": CITY_CODE,
            "成立日期": "",
        }
        for code, name in MEMBER_UNITS
    ]
    # Town environmental offices (环保办) set up from 2025 on, about four towns in five by mid-2026.
    towns = areas[areas["级别"] == "乡镇"]
    start = date(2025, 3, 1)
    for _, town in towns.iterrows():
        if rng.random() < 0.2:
            continue
        established = start + timedelta(days=int(rng.integers(0, 520)))
        rows.append(
            {
                "单位代码": f"HBB-{town['区划代码']}",
                "单位名称": f"{town['名称']}环保办",
                "类型": "乡镇环保办",
                "上级单位代码": f"BR-{town['上级代码']}",
                "所辖区域代码": town["区划代码"],
                "成立日期": established.isoformat(),
            }
        )
    return pd.DataFrame(rows)


def boundaries_geojson() -> bytes:
    """The districts' outlines as the GeoJSON a natural-resources bureau would supply."""
    names = {code: name for code, name, *_ in DISTRICTS}
    features = []
    for code, corners in OUTLINES.items():
        ring = [list(CORNERS[c]) for c in corners + corners[0]]
        features.append(
            {
                "type": "Feature",
                "properties": {"区划代码": code, "名称": names[code]},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def build(ctx: DemoContext) -> list[str]:
    areas = area_table(ctx)
    units = unit_table(ctx, areas)
    area_outcome = ctx.import_frame(AreaImporter(), areas, "示范市行政区划.csv")
    unit_outcome = ctx.import_frame(OrgUnitImporter(), units, "示范市组织机构.csv")
    outlines = ctx.import_bytes(
        AreaBoundaryImporter(), boundaries_geojson(), "示范市区县边界.geojson"
    )
    counts = areas["级别"].value_counts()
    return [
        f"行政区划 {len(areas)} 个（区县 {counts['区县']}，乡镇街道 {counts['乡镇']}，"
        f"村社区 {counts['村社区']}），新增 {area_outcome.result.created}",
        f"组织机构 {len(units)} 个（含乡镇环保办 {int((units['类型'] == '乡镇环保办').sum())} 个），"
        f"新增 {unit_outcome.result.created}",
        f"区县边界 {outlines.rows} 个（地图用），更新 {outlines.result.updated}",
    ]
