"""Figures the report needs that the platform does not compute (yet): manual entries.

Each is entered with its source document (another department's statistics, a campaign ledger);
every definition below ends with the kind of document the figure is taken from (``来源：``).
When a domain comes to compute one of them, its definition moves to that domain's
``indicators.py`` with a provider, keeping the id.

Two figures of the report are derived from manual entries rather than typed in a second time:
the share of the year's task done (a count against its annual target in the target book) and
a year-on-year change (a count against the same period of last year). Their providers read
their inputs through ``service.current`` (without writing), so they keep working when the input indicator moves
to a domain that computes it.

Ids are ``prefix.name``; the prefix says what the figure is about (``vehicles``, ``reduction``,
...), the theme puts it in its section of the half-year report (``THEMES``).
``docs/report-figures.md`` maps every masked figure of the report to its indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from envbureau.core.indicators.definitions import Computation, IndicatorDefinition, registry

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from envbureau.core.indicators.models import IndicatorValue
    from envbureau.core.periods import Period

Better = Literal["higher", "lower", "none"]

# id, name, unit, theme, precision (as the report prints it), better, definition, rule
_MANUAL: list[tuple[str, str, str, str, int, Better, str, str]] = [
    (
        "vehicles.old_vehicles_retired",
        "淘汰黄标车及老旧车辆数",
        "辆",
        "air",
        0,
        "higher",
        "年初至时段末淘汰（报废注销或转出本市）的黄标车和列入年度淘汰任务的老旧车辆"
        "（如国三及以下排放标准柴油货车）数；年度任务数记入目标书。"
        "来源：公安交警部门机动车注销登记统计、老旧车辆淘汰工作台账。",
        "省大气污染防治年度实施方案下达的黄标车、老旧车辆淘汰任务",
    ),
    (
        "soil.contaminated_sites_investigated",
        "推进排查的污染场地数",
        "个",
        "soil",
        0,
        "none",
        "时段内列入排查并已启动排查的疑似污染地块个数。来源：土壤污染状况调查工作台账。",
        "《土壤污染防治行动计划》（土十条）污染地块排查",
    ),
    (
        "soil.hazardous_waste_disposal_quota",
        "获得跨市危险废物处置额度",
        "吨",
        "soil",
        0,
        "none",
        "年初至时段末经协商获得的外市危险废物经营单位接收本市危险废物的处置额度合计。"
        "来源：接收地生态环境部门同意跨设区市转移处置的复函。",
        "《危险废物转移管理办法》（2021）跨省（市）转移商请与复函",
    ),
    (
        "industry.supervisory_monitoring_compliance_rate",
        "重点工业企业监督性监测达标率",
        "%",
        "industry",
        1,
        "higher",
        "时段内重点工业企业监督性监测中，污染物排放达标的监测企业次数占监测企业总次数的百分比。"
        "来源：生态环境监测机构的重点污染源监督性监测报告。",
        "《国家重点监控企业污染源监督性监测及信息公开办法（试行）》（环发〔2013〕81号）",
    ),
    (
        "reduction.cod_rate",
        "化学需氧量排放量削减率",
        "%",
        "industry",
        1,
        "higher",
        "（基准年排放量 − 本年核算排放量）/ 基准年排放量 × 100%；年度削减目标记入目标书。"
        "来源：主要污染物总量减排核算报告。",
        "主要污染物总量减排核算细则；年度总量减排目标责任书",
    ),
    (
        "reduction.nh3n_rate",
        "氨氮排放量削减率",
        "%",
        "industry",
        1,
        "higher",
        "（基准年排放量 − 本年核算排放量）/ 基准年排放量 × 100%；年度削减目标记入目标书。"
        "来源：主要污染物总量减排核算报告。",
        "主要污染物总量减排核算细则；年度总量减排目标责任书",
    ),
    (
        "reduction.so2_rate",
        "二氧化硫排放量削减率",
        "%",
        "industry",
        1,
        "higher",
        "（基准年排放量 − 本年核算排放量）/ 基准年排放量 × 100%；年度削减目标记入目标书。"
        "来源：主要污染物总量减排核算报告。",
        "主要污染物总量减排核算细则；年度总量减排目标责任书",
    ),
    (
        "reduction.nox_rate",
        "氮氧化物排放量削减率",
        "%",
        "industry",
        1,
        "higher",
        "（基准年排放量 − 本年核算排放量）/ 基准年排放量 × 100%；年度削减目标记入目标书。"
        "来源：主要污染物总量减排核算报告。",
        "主要污染物总量减排核算细则；年度总量减排目标责任书",
    ),
    (
        "reduction.annual_projects",
        "年度减排工程数",
        "个",
        "industry",
        0,
        "none",
        "本年度主要污染物总量减排计划所列减排工程（项目）个数。来源：年度总量减排计划项目清单。",
        "年度主要污染物总量减排计划",
    ),
    (
        "reduction.projects_in_operation_rate",
        "减排工程投入运行比例",
        "%",
        "industry",
        0,
        "higher",
        "截至时段末已建成并投入运行的年度减排工程个数占年度减排工程总数的百分比。"
        "来源：减排项目建设进度台账。",
        "年度主要污染物总量减排计划；减排项目进度调度",
    ),
    (
        "ecology.rural_sewage_projects",
        "实施的农村生活污水治理工程数",
        "个",
        "ecology",
        0,
        "none",
        "本年度列入计划并实施的农村生活污水治理工程（项目）个数。"
        "来源：农业农村部门农村生活污水治理项目台账。",
        "年度农村生活污水治理工作计划",
    ),
    (
        "ecology.rural_env_villages",
        "实施农村环境综合整治的村数",
        "个",
        "ecology",
        0,
        "none",
        "本年度实施农村环境综合整治的行政村个数。来源：农村环境综合整治年度村名单。",
        "中央农村环境整治项目管理规定；年度农村环境综合整治工作计划",
    ),
    (
        "reform.commitment_filing_projects",
        "实行承诺备案制的建设项目数",
        "个",
        "reform",
        0,
        "none",
        "年初至时段末，按环评审批“承诺备案制”办理的建设项目个数。来源：行政审批部门项目统计表。",
        "环保审批制度改革试点方案：承诺备案制",
    ),
    (
        "reform.self_monitoring_publication_rate",
        "重点企业自行监测结果公布率",
        "%",
        "reform",
        2,
        "higher",
        "重点排污单位应公布的自行监测结果中已按时在信息发布平台公布的百分比。"
        "来源：重点企业自行监测信息发布平台统计。",
        "《国家重点监控企业自行监测及信息公开办法（试行）》（环发〔2013〕81号）",
    ),
    (
        "enforcement.petitions_received",
        "环境信访件数",
        "件",
        "enforcement",
        0,
        "lower",
        "时段内受理的生态环境类来信、来访和网上信访件数（同一事项重复信访计一件）。"
        "来源：信访部门生态环境类信访统计。",
        "《信访工作条例》（2022）；生态环境信访统计口径",
    ),
    (
        "enforcement.environmental_emergencies",
        "突发环境事件数",
        "起",
        "enforcement",
        0,
        "lower",
        "时段内发生并按规定报告的一般及以上突发环境事件起数。来源：突发环境事件信息报告台账。",
        "《突发环境事件信息报告办法》（环境保护部令第17号）；《国家突发环境事件应急预案》分级",
    ),
    (
        "enforcement.enterprises_closed",
        "依法取缔、关闭、停产整治企业数",
        "家",
        "enforcement",
        0,
        "none",
        "时段内依法取缔、关闭和责令停产整治的企业家数之和。来源：环境执法统计月报。",
        "《环境保护法》第六十条；生态环境行政处罚办法",
    ),
    (
        "enforcement.cases_filed",
        "立案查处环境违法案件数",
        "件",
        "enforcement",
        0,
        "none",
        "时段内立案查处的环境违法案件数。来源：环境执法统计月报。",
        "《生态环境行政处罚办法》（2023）立案",
    ),
    (
        "enforcement.administrative_detentions",
        "移送行政拘留人数",
        "人",
        "enforcement",
        0,
        "none",
        "时段内环境违法移送公安机关并被行政拘留的人数。来源：公安机关环境违法行政拘留统计。",
        "《环境保护法》第六十三条",
    ),
    (
        "enforcement.criminal_detentions",
        "刑事拘留人数",
        "人",
        "enforcement",
        0,
        "none",
        "时段内涉嫌环境犯罪被刑事拘留的人数。来源：公安机关环境犯罪侦查统计。",
        "《刑法》第三百三十八条；两高司法解释",
    ),
]

for _id, _name, _unit, _theme, _precision, _better, _definition, _rule in _MANUAL:
    registry.register(
        IndicatorDefinition(
            id=_id,
            name=_name,
            unit=_unit,
            definition=_definition,
            rule=_rule,
            precision=_precision,
            theme=_theme,
            provider=None,
            better=_better,
            public=_theme == "enforcement",
        )
    )


# --- figures derived from manual entries ------------------------------------------------------


def _input(session: Session, indicator_id: str, period: Period, area_code: str) -> IndicatorValue:
    """The input indicator's value as the data stand, read without writing (a provider may run
    inside a GET request through ``service.current``)."""
    # Imported here: the service loads this catalogue.
    from envbureau.core.indicators import service

    return service.current(
        session=session, indicator_id=indicator_id, period=period, area_code=area_code
    ).row


def _provenance(row: IndicatorValue) -> dict[str, object]:
    return {
        "indicator": row.indicator_id,
        "period": row.period_code,
        "value": row.value,
        "source": row.source,
        "inputs": row.inputs,
    }


def _task_share(count_id: str) -> Callable[[Session, Period, str], Computation]:
    """Count from 1 January to the period end / the year's task (its target) × 100%."""

    def provider(session: Session, period: Period, area_code: str) -> Computation:
        from envbureau.core.indicators import service

        if period.start.month != 1 or period.start.day != 1:
            return Computation(value=None, reason="完成年度任务比例只对自1月1日起的时段计算")
        target = service.get_target(
            session=session, indicator_id=count_id, year=period.year, area_code=area_code
        )
        if target is None or target.value <= 0:
            return Computation(value=None, reason=f"目标书中没有 {period.year} 年的年度任务数")
        row = _input(session, count_id, period, area_code)
        if row.value is None:
            return Computation(value=None, reason=f"完成数缺失：{row.reason}")
        return Computation(
            value=100.0 * row.value / target.value,
            inputs={
                "done": _provenance(row),
                "task": {"value": target.value, "source_document": target.source_document},
            },
            details={"done": row.value, "task": target.value},
        )

    return provider


def _year_on_year_pct(count_id: str) -> Callable[[Session, Period, str], Computation]:
    """(this period − same period last year) / same period last year × 100%; negative = fall."""

    def provider(session: Session, period: Period, area_code: str) -> Computation:
        base = period.same_period_last_year()
        now = _input(session, count_id, period, area_code)
        before = _input(session, count_id, base, area_code)
        for row, label in ((now, period.label), (before, base.label)):
            if row.value is None:
                return Computation(value=None, reason=f"{label}数据缺失：{row.reason}")
        assert now.value is not None and before.value is not None
        if before.value == 0:
            return Computation(value=None, reason=f"{base.label}为0，无法计算同比")
        return Computation(
            value=100.0 * (now.value - before.value) / before.value,
            inputs={"current": _provenance(now), "previous": _provenance(before)},
            details={"current": now.value, "previous": before.value, "base_period": base.code},
        )

    return provider


registry.register(
    IndicatorDefinition(
        id="vehicles.old_vehicles_task_completion",
        name="黄标车及老旧车辆淘汰完成年度任务比例",
        unit="%",
        definition="年初至时段末淘汰车辆数占年度淘汰任务数（目标书中该指标的年度目标）的百分比。",
        rule="由 vehicles.old_vehicles_retired 的填报值与其年度目标计算",
        precision=2,
        theme="air",
        provider=_task_share("vehicles.old_vehicles_retired"),
        better="higher",
    )
)
registry.register(
    IndicatorDefinition(
        id="enforcement.petitions_yoy_pct",
        name="环境信访件数同比变化",
        unit="%",
        definition="（本期环境信访件数 − 上年同期）/ 上年同期 × 100%，负值为下降。",
        rule="由 enforcement.petitions_received 本期与上年同期的填报值计算",
        precision=1,
        theme="enforcement",
        provider=_year_on_year_pct("enforcement.petitions_received"),
        better="lower",
        public=True,
    )
)
