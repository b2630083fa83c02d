"""Demo part: manual figures from other departments and the 2026 target book."""

from __future__ import annotations

import pandas as pd

from envbureau.core.indicators.importers import ManualEntryImporter, TargetImporter
from envbureau.demo import CITY_CODE, DemoContext

LABEL = "人工填报指标与年度目标"

# indicator id → (2026H1 value, the source document it is taken from).
MANUAL_2026H1 = {
    "soil.contaminated_sites_investigated": (23, "市土壤污染状况详查工作台账（2026年6月）"),
    "reform.commitment_filing_projects": (186, "市行政审批局承诺备案制项目统计表（2026年1—6月）"),
    "enforcement.enterprises_closed": (214, "市生态环境局执法监督科执法统计月报（2026年6月）"),
    "enforcement.cases_filed": (327, "市生态环境局执法监督科执法统计月报（2026年6月）"),
    "enforcement.administrative_detentions": (18, "市公安局环境违法行政拘留统计（2026年上半年）"),
    "enforcement.criminal_detentions": (11, "市公安局环境犯罪侦查统计（2026年上半年）"),
    "air.rank": (4, "省生态环境厅《2026年1—6月全省环境空气质量状况通报》"),
}

TARGETS_2026 = [
    ("org.town_env_offices", 60, ">=", "《实行环境保护网格化监管的实施意见》2026年工作目标"),
    ("air.good_day_rate", 95.0, ">=", "《示范市2026年大气污染防治实施方案》年度目标"),
    ("air.pm25_mean", 26, "<=", "《示范市2026年大气污染防治实施方案》年度目标"),
]


def build(ctx: DemoContext) -> list[str]:
    manual = pd.DataFrame(
        [
            {
                "指标代码": k,
                "时段": "2026H1",
                "区域代码": CITY_CODE,
                "数值": v,
                "来源文件": src,
                "备注": "演示数据",
            }
            for k, (v, src) in MANUAL_2026H1.items()
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
    m = ctx.import_frame(ManualEntryImporter(), manual, "示范市2026上半年人工填报指标.csv")
    t = ctx.import_frame(TargetImporter(), targets, "示范市2026年目标责任书.csv")
    return [
        f"人工填报指标 {len(manual)} 项（新增 {m.result.created}），"
        f"年度目标 {len(targets)} 项（新增 {t.result.created}）"
    ]
