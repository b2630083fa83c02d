"""Demo part: manual figures from other departments and the 2026 target book."""

from __future__ import annotations

import pandas as pd

from envbureau.core.indicators.importers import ManualEntryImporter, TargetImporter
from envbureau.demo import CITY_CODE, DemoContext

LABEL = "人工填报指标与年度目标"

_REDUCTION_ACCOUNT = "市生态环境局总量科《2026年上半年主要污染物总量减排核算报告》"

# indicator id → (2026H1 value, the source document it is taken from). Computed indicators that
# also take a manual entry (``air.rank``) are here too; derived ones (车辆淘汰完成年度任务比例,
# 信访同比) are not: they are computed from these entries, the previous year's and the targets.
MANUAL_2026H1 = {
    "vehicles.old_vehicles_retired": (1268, "市公安局交警支队机动车注销登记统计（2026年1—6月）"),
    "soil.contaminated_sites_investigated": (23, "市土壤污染状况详查工作台账（2026年6月）"),
    "soil.hazardous_waste_disposal_quota": (
        6000,
        "邻市生态环境局《关于同意示范市危险废物跨设区市转移处置的复函》（2026年4月）",
    ),
    "industry.supervisory_monitoring_compliance_rate": (
        94.6,
        "市生态环境监测中心《2026年上半年重点污染源监督性监测报告》",
    ),
    "reduction.cod_rate": (1.3, _REDUCTION_ACCOUNT),
    "reduction.nh3n_rate": (1.5, _REDUCTION_ACCOUNT),
    "reduction.so2_rate": (2.1, _REDUCTION_ACCOUNT),
    "reduction.nox_rate": (2.4, _REDUCTION_ACCOUNT),
    "reduction.annual_projects": (32, "《示范市2026年主要污染物总量减排计划》减排项目清单"),
    "reduction.projects_in_operation_rate": (
        59.4,
        "市生态环境局总量科减排项目进度台账（2026年6月）",
    ),
    "ecology.rural_sewage_projects": (46, "市农业农村局农村生活污水治理项目台账（2026年6月）"),
    "ecology.rural_env_villages": (58, "市农业农村局《2026年度农村环境综合整治村名单》"),
    "reform.commitment_filing_projects": (186, "市行政审批局承诺备案制项目统计表（2026年1—6月）"),
    "reform.self_monitoring_publication_rate": (
        97.76,
        "省重点排污单位自行监测信息发布平台统计（截至2026年6月30日）",
    ),
    "enforcement.petitions_received": (1142, "市信访局生态环境类信访统计（2026年1—6月）"),
    "enforcement.environmental_emergencies": (
        0,
        "市生态环境局突发环境事件信息报告台账（2026年上半年）",
    ),
    "enforcement.enterprises_closed": (214, "市生态环境局执法监督科执法统计月报（2026年6月）"),
    "enforcement.cases_filed": (327, "市生态环境局执法监督科执法统计月报（2026年6月）"),
    "enforcement.administrative_detentions": (18, "市公安局环境违法行政拘留统计（2026年上半年）"),
    "enforcement.criminal_detentions": (11, "市公安局环境犯罪侦查统计（2026年上半年）"),
    "air.rank": (4, "省生态环境厅《2026年1—6月全省环境空气质量状况通报》"),
}

# The same period of last year, for the year-on-year figures derived from manual entries.
MANUAL_2025H1 = {
    "enforcement.petitions_received": (1386, "市信访局生态环境类信访统计（2025年1—6月）"),
}

_WATER_PLAN = "《示范市2026年水污染防治实施方案》年度目标"
_ELIMINATION_PLAN = "《示范市2026年消除劣Ⅴ类水质断面工作方案》"
_REDUCTION_BOOK = "省生态环境厅下达的《示范市2026年主要污染物总量减排目标责任书》"

# The 2026 target book: the figures of the report's part two and the yardsticks of part one
# (the reduction rates are this year's targets; 车辆淘汰完成年度任务比例 divides by its task).
TARGETS_2026 = [
    ("org.town_env_offices", 60, ">=", "《实行环境保护网格化监管的实施意见》2026年工作目标"),
    ("air.good_day_rate", 95.0, ">=", "《示范市2026年大气污染防治实施方案》年度目标"),
    ("air.pm25_mean", 26, "<=", "《示范市2026年大气污染防治实施方案》年度目标"),
    ("water.drinking_source_compliance_rate", 100.0, ">=", _WATER_PLAN),
    # The year's task is every listed section due this year (the demo lists 2 provincial, 1 city).
    ("water.inferior_v_eliminated_provincial", 2, ">=", _ELIMINATION_PLAN),
    ("water.inferior_v_eliminated_city", 1, ">=", _ELIMINATION_PLAN),
    ("reduction.cod_rate", 2.2, ">=", _REDUCTION_BOOK),
    ("reduction.nh3n_rate", 2.5, ">=", _REDUCTION_BOOK),
    ("reduction.so2_rate", 3.0, ">=", _REDUCTION_BOOK),
    ("reduction.nox_rate", 3.5, ">=", _REDUCTION_BOOK),
    (
        "vehicles.old_vehicles_retired",
        2000,
        ">=",
        "省大气污染防治工作领导小组办公室下达的2026年老旧车辆淘汰任务",
    ),
]


def build(ctx: DemoContext) -> list[str]:
    manual = pd.DataFrame(
        [
            {
                "指标代码": k,
                "时段": period,
                "区域代码": CITY_CODE,
                "数值": v,
                "来源文件": src,
                "备注": "演示数据",
            }
            for period, entries in (("2026H1", MANUAL_2026H1), ("2025H1", MANUAL_2025H1))
            for k, (v, src) in entries.items()
        ]
    )
    targets = pd.DataFrame(
        [
            {
                "指标代码": k,
                "年度": 2026,
                "区域代码": CITY_CODE,
                "目标值": v,
                "方向": d,
                "来源文件": src,
            }
            for k, v, d, src in TARGETS_2026
        ]
    )
    m = ctx.import_frame(
        ManualEntryImporter(), manual, "示范市人工填报指标（2026年上半年及上年同期）.csv"
    )
    t = ctx.import_frame(TargetImporter(), targets, "示范市2026年目标责任书.csv")
    return [
        f"人工填报指标 {len(manual)} 项（新增 {m.result.created}），"
        f"年度目标 {len(targets)} 项（新增 {t.result.created}）"
    ]
