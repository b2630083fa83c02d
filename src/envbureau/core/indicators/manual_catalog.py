"""Figures the report needs that the platform does not compute (yet): manual entries.

Each is entered with its source document (another department's statistics, a campaign ledger).
When a domain comes to compute one of them, its definition moves to that domain's
``indicators.py`` with a provider, keeping the id.
"""

from __future__ import annotations

from envbureau.core.indicators.definitions import IndicatorDefinition, registry

_MANUAL = [
    (
        "soil.contaminated_sites_investigated",
        "推进排查的污染场地数",
        "个",
        "soil",
        "时段内列入排查并已启动排查的疑似污染地块个数。",
        "《土壤污染防治行动计划》（土十条）污染地块排查",
    ),
    (
        "reform.commitment_filing_projects",
        "实行承诺备案制的建设项目数",
        "个",
        "reform",
        "年初至时段末，按环评审批“承诺备案制”办理的建设项目个数。",
        "环保审批制度改革试点方案：承诺备案制",
    ),
    (
        "enforcement.enterprises_closed",
        "依法取缔、关闭、停产整治企业数",
        "家",
        "enforcement",
        "时段内依法取缔、关闭和责令停产整治的企业家数之和。",
        "《环境保护法》第六十条；生态环境行政处罚办法",
    ),
    (
        "enforcement.cases_filed",
        "立案查处环境违法案件数",
        "件",
        "enforcement",
        "时段内立案查处的环境违法案件数。",
        "《生态环境行政处罚办法》（2023）立案",
    ),
    (
        "enforcement.administrative_detentions",
        "移送行政拘留人数",
        "人",
        "enforcement",
        "时段内环境违法移送公安机关并被行政拘留的人数。",
        "《环境保护法》第六十三条",
    ),
    (
        "enforcement.criminal_detentions",
        "刑事拘留人数",
        "人",
        "enforcement",
        "时段内涉嫌环境犯罪被刑事拘留的人数。",
        "《刑法》第三百三十八条；两高司法解释",
    ),
]

for _id, _name, _unit, _theme, _definition, _rule in _MANUAL:
    registry.register(
        IndicatorDefinition(
            id=_id,
            name=_name,
            unit=_unit,
            definition=_definition,
            rule=_rule,
            precision=0,
            theme=_theme,
            provider=None,
            better="none",
            public=_theme == "enforcement",
        )
    )
