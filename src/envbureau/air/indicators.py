"""The air indicators of the report's 治气 paragraph, computed from the stored observations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.evaluation import Evaluation, edition_label
from envbureau.air.year_on_year import year_on_year
from envbureau.core.indicators.definitions import (
    Computation,
    Coverage,
    IndicatorDefinition,
    registry,
)
from envbureau.core.periods import Period
from envbureau.standards import ranking

NO_STATIONS = "该区域没有空气监测站点数据"
RULE_DAYS = "HJ 633 日报 AQI；HJ 663 优良天数比例 = 优良天数 / 有效监测天数 × 100%"
RULE_STATS = "HJ 663 年（时段）评价：均值、百分位数 k = 1 + (n−1)p；GB 3095 表4 数据有效性"


def _evaluate(
    session: Session, period: Period, area_code: str, edition: str = "auto"
) -> Evaluation | None:
    return service.evaluate(
        session=session,
        area_code=area_code,
        first_day=period.start,
        last_day=period.end,
        edition=edition,
    )


def _inputs(result: Evaluation) -> dict[str, object]:
    counts = result.day_counts
    return {
        "stations": result.stations,
        "days_by_category": dict(counts.category_days),
        "dust_days": counts.dust_days,
        "editions_used": result.editions_used,
    }


def _day_coverage(result: Evaluation) -> Coverage:
    c = result.day_counts.coverage
    return Coverage(
        expected=c.expected_count,
        observed=c.observed_count,
        valid=c.valid,
        rule="有效日 AQI（各项目日均值按 GB 3095 表4 有效）",
    )


def good_day_rate(session: Session, period: Period, area_code: str) -> Computation:
    result = _evaluate(session, period, area_code)
    if result is None:
        return Computation(value=None, reason=NO_STATIONS)
    counts = result.day_counts
    if not counts.valid_days:
        return Computation(value=None, reason="时段内没有有效监测日")
    return Computation(
        value=counts.good_day_rate,
        inputs=_inputs(result),
        coverage=_day_coverage(result),
        edition=edition_label("auto", period.start, period.end),
        details={"good_days": counts.good_days, "valid_days": counts.valid_days},
    )


def heavy_days(session: Session, period: Period, area_code: str) -> Computation:
    result = _evaluate(session, period, area_code)
    if result is None:
        return Computation(value=None, reason=NO_STATIONS)
    return Computation(
        value=float(result.day_counts.heavy_days),
        inputs=_inputs(result),
        coverage=_day_coverage(result),
        edition=edition_label("auto", period.start, period.end),
    )


def _statistic_provider(pollutant: str, statistic: str) -> Callable[..., Computation]:
    def provider(session: Session, period: Period, area_code: str) -> Computation:
        result = _evaluate(session, period, area_code)
        if result is None:
            return Computation(value=None, reason=NO_STATIONS)
        row = result.statistic(pollutant, statistic)
        coverage = Coverage(
            expected=int(row["expected_count"]),
            observed=int(row["observed_count"]),
            valid=bool(row["valid"]),
            rule="GB 3095 表4：每月至少27个有效日（2月25个）",
        )
        if pd.isna(row["value"]):
            return Computation(value=None, reason="没有有效日均值", coverage=coverage)
        if not row["valid"]:
            return Computation(
                value=None,
                coverage=coverage,
                inputs=_inputs(result),
                reason=f"有效天数不足（{int(row['observed_count'])}/"
                f"{int(row['expected_count'])}，不符合 GB 3095 表4）",
            )
        return Computation(
            value=float(row["value"]),
            inputs=_inputs(result),
            coverage=coverage,
            edition=str(row["limits"]),
            details={
                "limit": row["limit"],
                "attains": _bool(row["attains"]),
                "exceedance_multiple": row["exceedance_multiple"],
                "dust_days_excluded": int(row["excluded_count"]),
            },
        )

    return provider


def _bool(value: object) -> bool | None:
    return None if pd.isna(value) else bool(value)


def composite_index(session: Session, period: Period, area_code: str) -> Computation:
    result = _evaluate(session, period, area_code)
    if result is None:
        return Computation(value=None, reason=NO_STATIONS)
    valid = bool(result.statistics["valid"].all())
    value = result.composite["composite_index"]
    if pd.isna(value) or not valid:
        return Computation(value=None, reason="六项污染物统计量不全或有效天数不足")
    singles = {k: v for k, v in result.composite.items() if k.startswith("i_")}
    return Computation(
        value=float(value),
        inputs=_inputs(result),
        edition=str(result.composite["limits"]),
        details={**singles, "max_index_pollutant": result.composite["max_index_pollutant"]},
    )


def _yoy(key: str) -> Callable[..., Computation]:
    """Change against the same period last year, as officially reported (each period by the
    edition of its own dates) and on one edition for both (同口径), to separate the effect of
    the 2026 standard change from the real change; worked by ``air.year_on_year``, as the
    evaluation page shows it."""

    def provider(session: Session, period: Period, area_code: str) -> Computation:
        result = year_on_year(session=session, area_code=area_code, period=period, key=key)
        base = result.base_period
        if not result.evaluated:
            return Computation(value=None, reason=NO_STATIONS)
        if not result.complete:
            return Computation(value=None, reason=f"{base.label}或{period.label}数据不足")
        pairs = {e: result.by_edition[e] for e in ("auto", "2012", "2026")}
        official = pairs["auto"]
        change, same_2012, same_2026 = (pairs[e].change for e in ("auto", "2012", "2026"))
        if change is None or same_2012 is None or same_2026 is None:
            return Computation(value=None, reason=f"{base.label}数值为0，无法计算变化率")
        return Computation(
            value=change,
            inputs={
                "current": official.current,
                "previous": official.base,
                "base_period": base.code,
            },
            edition=edition_label("auto", period.start, period.end),
            details={
                "same_edition_2012": same_2012,
                "same_edition_2026": same_2026,
                "standard_change_effect": round(change - same_2026, 1),
                "values": {e: (c.current, c.base) for e, c in pairs.items()},
            },
        )

    return provider


def city_rank(session: Session, period: Period, area_code: str) -> Computation:
    """Rank among the cities whose data are loaded (composite index, ascending)."""
    own = service.list_stations(session=session, area_code=area_code)
    if not own:
        return Computation(value=None, reason=NO_STATIONS)
    cities = service.evaluate_cities(session=session, first_day=period.start, last_day=period.end)
    valid = {
        c: e.composite["composite_index"]
        for c, e in cities.items()
        if bool(e.statistics["valid"].all())
    }
    name = own[0].city
    if len(valid) < 2 or name not in valid:
        return Computation(value=None, reason="数据库中没有可比城市的有效数据，需人工填报排名")
    ranks = ranking.rank_by_composite_index(pd.Series(valid))
    return Computation(
        value=float(ranks[name]), inputs={"cities": valid}, details={"cities_ranked": len(valid)}
    )


def _register(
    id_: str,
    name: str,
    unit: str,
    precision: int,
    provider: Callable[..., Computation],
    definition: str,
    rule: str,
    better: Literal["higher", "lower", "none"] = "none",
    **extra: Any,
) -> None:
    registry.register(
        IndicatorDefinition(
            id=id_,
            name=name,
            unit=unit,
            definition=definition,
            rule=rule,
            precision=precision,
            theme="air",
            provider=provider,
            better=better,
            public=True,
            **extra,
        )
    )


_register(
    "air.good_day_rate",
    "环境空气质量优良天数比例",
    "%",
    1,
    good_day_rate,
    "时段内 AQI ≤ 100 的天数占有效监测天数的百分比（城市日均值计算 AQI）。",
    RULE_DAYS,
    "higher",
)
_register(
    "air.good_day_rate_yoy_pp",
    "优良天数比例同比变化",
    "个百分点",
    1,
    _yoy("good_day_rate"),
    "本期优良天数比例减去上年同期（按各自时段适用标准）。",
    RULE_DAYS + "；同比以报告值计算",
    "higher",
)
_register(
    "air.pm25_mean",
    "PM2.5 平均浓度",
    "μg/m³",
    0,
    _statistic_provider("pm25", "mean"),
    "时段内城市 PM2.5 日均值的算术平均（扣除沙尘天）。",
    RULE_STATS,
    "lower",
)
_register(
    "air.pm25_yoy_pct",
    "PM2.5 平均浓度同比变化",
    "%",
    1,
    _yoy("pm25"),
    "（本期 − 上年同期）/ 上年同期 × 100%，以报告值计算。",
    RULE_STATS,
    "lower",
)
_register(
    "air.pm10_mean",
    "PM10 平均浓度",
    "μg/m³",
    0,
    _statistic_provider("pm10", "mean"),
    "时段内城市 PM10 日均值的算术平均（扣除沙尘天）。",
    RULE_STATS,
    "lower",
)
_register(
    "air.so2_mean",
    "SO2 平均浓度",
    "μg/m³",
    0,
    _statistic_provider("so2", "mean"),
    "时段内城市 SO2 日均值的算术平均。",
    RULE_STATS,
    "lower",
)
_register(
    "air.no2_mean",
    "NO2 平均浓度",
    "μg/m³",
    0,
    _statistic_provider("no2", "mean"),
    "时段内城市 NO2 日均值的算术平均。",
    RULE_STATS,
    "lower",
)
_register(
    "air.co_p95",
    "CO 日均值第95百分位数",
    "mg/m³",
    1,
    _statistic_provider("co", "p95"),
    "时段内城市 CO 日均值的第95百分位数。",
    RULE_STATS,
    "lower",
)
_register(
    "air.o3_8h_p90",
    "O3 日最大8小时平均第90百分位数",
    "μg/m³",
    0,
    _statistic_provider("o3", "p90"),
    "时段内城市 O3 日最大8小时滑动平均的第90百分位数。",
    RULE_STATS,
    "lower",
)
_register(
    "air.heavy_days",
    "重度及以上污染天数",
    "天",
    0,
    heavy_days,
    "时段内 AQI > 200 的天数。",
    RULE_DAYS,
    "lower",
)
_register(
    "air.composite_index",
    "环境空气质量综合指数",
    "",
    2,
    composite_index,
    "六项污染物单项指数之和：SO2、NO2、PM10、PM2.5 均值/年二级限值，CO 第95百分位数/4，"
    "O3 第90百分位数/160。",
    "城市环境空气质量排名技术规定（环办监测〔2018〕19号）",
    "lower",
)
_register(
    "air.rank",
    "环境空气质量排名",
    "名",
    0,
    city_rank,
    "按综合指数由小到大在可比城市中的名次（并列同名次）；库中无可比城市时人工填报。",
    "城市环境空气质量排名技术规定（环办监测〔2018〕19号）",
    "lower",
    manual_fallback=True,
)
