"""The water indicators of the report's 治水 paragraph, from the sections' period classes.

Section classes follow the 2011 surface-water evaluation method (single-factor, 21 items) on
the mean of monthly means; every rate is over the sections that have data in the period.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.core.config import get_settings
from envbureau.core.errors import ConfigError
from envbureau.core.indicators.definitions import (
    Computation,
    Coverage,
    IndicatorDefinition,
    registry,
)
from envbureau.core.periods import Period
from envbureau.standards import gb3838, gb3838_tables
from envbureau.water import service
from envbureau.water.cross_boundary import (
    DEFAULT_RULES,
    GRADES,
    GradeRule,
    grade_sections,
    load_rules,
)
from envbureau.water.elimination import LEVELS, STATUSES, elimination_status

METHOD = "GB 3838-2002 表1；《地表水环境质量评价办法（试行）》（环办〔2011〕22号）单因子评价"
NO_DATA = "该区域时段内没有断面监测数据"


def _classes(session: Session, period: Period, area_code: str) -> pd.DataFrame:
    return service.evaluate_sections(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )


def _share(
    selected: Callable[[pd.DataFrame], pd.DataFrame],
    passes: Callable[[pd.DataFrame], pd.Series],
    rule: str,
    *,
    by_population: bool = False,
) -> Callable[..., Computation]:
    """A rate [%] of the selected sections that pass, with the sections as provenance (and,
    for drinking-water sources, the rate by population served)."""

    def provider(session: Session, period: Period, area_code: str) -> Computation:
        frame = _classes(session, period, area_code)
        if frame.empty:
            return Computation(value=None, reason=NO_DATA)
        chosen = selected(frame)
        if chosen.empty:
            return Computation(value=None, reason="该区域没有此类断面")
        ok = passes(chosen).fillna(False).astype(bool)
        return Computation(
            value=float(100.0 * ok.sum() / len(chosen)),
            edition="GB 3838-2002",
            inputs={
                "sections": chosen["code"].tolist(),
                "passing": chosen.loc[ok.to_numpy(), "code"].tolist(),
                "classes": dict(zip(chosen["code"], chosen["class_label"], strict=True)),
            },
            coverage=Coverage(expected=len(chosen), observed=len(chosen), valid=True, rule=rule),
            details={
                "passing_sections": int(ok.sum()),
                "sections": len(chosen),
                **(_population_share(chosen, ok) if by_population else {}),
            },
        )

    return provider


def _population_share(chosen: pd.DataFrame, ok: pd.Series) -> dict[str, float]:
    """For drinking-water sources: the share of the population served by compliant sources
    [%], beside the share by count (each section with the population recorded for it)."""
    served = chosen["population_served"].astype(float)
    if served.isna().all() or served.sum() == 0:
        return {}
    return {"population_share": float(100.0 * served[ok.to_numpy()].sum() / served.sum())}


def _count(selected: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[..., Computation]:
    def provider(session: Session, period: Period, area_code: str) -> Computation:
        frame = _classes(session, period, area_code)
        if frame.empty:
            return Computation(value=None, reason=NO_DATA)
        chosen = selected(frame)
        return Computation(
            value=float(len(chosen)),
            edition="GB 3838-2002",
            inputs={
                "sections": chosen["code"].tolist(),
                "limiting_items": dict(zip(chosen["code"], chosen["limiting_items"], strict=True)),
            },
            details={"sections_evaluated": len(frame)},
        )

    return provider


def _meets(frame: pd.DataFrame, column: str) -> pd.Series:
    return gb3838.meets_target(frame["water_class"].astype("Int64"), frame[column].astype("Int64"))


def _drinking_compliant(frame: pd.DataFrame) -> pd.Series:
    """GB 3838 drinking-water source compliance of the period means (basic items to Class Ⅲ
    plus 表2 items where monitored)."""
    means = frame.rename(columns={"kind": "water_body"}).reset_index(drop=True)
    result = gb3838.drinking_source_compliance_gb3838(means)
    return pd.Series(result["compliant"].to_numpy(), index=frame.index)


def _elimination(status: str, level: str | None) -> Callable[..., Computation]:
    """Count of listed sections in an elimination status (see ``water.elimination``)."""

    def provider(session: Session, period: Period, area_code: str) -> Computation:
        frame = elimination_status(
            session=session, area_code=area_code, first_day=period.start, last_day=period.end
        )
        if level is not None:
            frame = frame[frame["level"] == level]
        if frame.empty:
            return Computation(value=None, reason="该区域没有列入消劣清单的此类断面")
        if frame["water_class"].isna().all():
            return Computation(value=None, reason=NO_DATA)
        chosen = frame[frame[status]]
        return Computation(
            value=float(len(chosen)),
            edition="GB 3838-2002",
            inputs={
                "sections": chosen["code"].tolist(),
                "listed": frame["code"].tolist(),
                "last_year_classes": _labels(frame, "last_year_class"),
                "classes": _labels(frame, "water_class"),
            },
            coverage=Coverage(
                expected=len(frame),
                observed=int(frame["water_class"].notna().sum()),
                valid=bool(frame["water_class"].notna().all()),
                rule="消劣清单断面本时段均有监测数据",
            ),
            details={s: int(frame[s].sum()) for s in STATUSES},
        )

    return provider


def _labels(frame: pd.DataFrame, column: str) -> dict[str, str | None]:
    return {
        code: None if pd.isna(c) else gb3838_tables.CLASS_LABELS[int(c) - 1]
        for code, c in zip(frame["code"], frame[column], strict=True)
    }


def _register(
    id_: str,
    name: str,
    unit: str,
    precision: int,
    provider: Callable[..., Computation],
    definition: str,
    better: Literal["higher", "lower", "none"],
) -> None:
    registry.register(
        IndicatorDefinition(
            id=id_,
            name=name,
            unit=unit,
            definition=definition,
            rule=METHOD,
            precision=precision,
            theme="water",
            provider=provider,
            better=better,
            public=True,
        )
    )


_register(
    "water.share_class_i_iii",
    "Ⅰ～Ⅲ类水质断面比例",
    "%",
    1,
    _share(lambda f: f, lambda f: f["water_class"] <= 3, "有监测数据的全部断面"),
    "时段水质类别为Ⅰ～Ⅲ类的断面数占评价断面数的百分比。",
    "higher",
)
_register(
    "water.inferior_v_sections",
    "劣Ⅴ类水质断面数",
    "个",
    0,
    _count(lambda f: f[f["water_class"] == 6]),
    "时段水质类别为劣Ⅴ类的断面个数。",
    "lower",
)
_ELIMINATION_RULE = (
    "消劣清单断面中，上一年度水质类别已好于劣Ⅴ类的为“巩固”，其余为本年“拟消劣”；"
    "拟消劣断面时段水质好于劣Ⅴ类即为“已消劣”。"
)
_register(
    "water.inferior_v_eliminated",
    "已消除劣Ⅴ类的拟消劣断面数",
    "个",
    0,
    _elimination("eliminated", None),
    "本年拟消劣的清单断面（各级）中，时段水质已好于劣Ⅴ类的个数。" + _ELIMINATION_RULE,
    "higher",
)
_STATUS_WORDS: dict[str, tuple[str, Literal["higher", "lower"], str]] = {
    "due": (
        "本年拟消劣的{}断面数",
        "lower",
        "列入消劣清单、上一年度仍为劣Ⅴ类（或无数据）的{}断面个数。",
    ),
    "eliminated": (
        "已消除劣Ⅴ类的{}断面数",
        "higher",
        "本年拟消劣的{}断面中，时段水质已好于劣Ⅴ类的个数。",
    ),
    "remaining": (
        "尚待消劣的{}断面数",
        "lower",
        "本年拟消劣的{}断面中，时段水质仍为劣Ⅴ类的个数（下半年任务）。",
    ),
    "consolidated": (
        "需巩固的已消劣{}断面数",
        "higher",
        "列入消劣清单、上一年度已好于劣Ⅴ类的{}断面个数。",
    ),
}
for _level, _level_word in LEVELS.items():
    for _status, (_name, _better, _text) in _STATUS_WORDS.items():
        _register(
            f"water.inferior_v_{_status}_{_level}",
            _name.format(_level_word),
            "个",
            0,
            _elimination(_status, _level),
            _text.format(_level_word) + _ELIMINATION_RULE,
            _better,
        )
_register(
    "water.function_zone_compliance_rate",
    "满足水环境功能要求的断面比例",
    "%",
    1,
    _share(
        lambda f: f[f["target_class"].notna()],
        lambda f: _meets(f, "target_class"),
        "有水功能区目标的断面",
    ),
    "时段水质类别达到水环境功能区目标类别的断面数占有目标断面数的百分比。",
    "higher",
)
_register(
    "water.assessment_compliance_rate",
    "“水十条”考核断面达标比例",
    "%",
    1,
    _share(
        lambda f: f[f["assessment_target_class"].notna()],
        lambda f: _meets(f, "assessment_target_class"),
        "“水十条”考核断面",
    ),
    "“水十条”考核断面中时段水质达到年度考核目标的比例。",
    "higher",
)
_register(
    "water.drinking_source_compliance_rate",
    "县级以上集中式饮用水水源地水质达标率",
    "%",
    1,
    _share(
        lambda f: f[f["drinking_source"] & f["source_level"].isin(["county", "city"])],
        _drinking_compliant,
        "县级及以上集中式饮用水水源地断面",
        by_population=True,
    ),
    "县级以上饮用水水源地断面中，时段均值的基本项目达到Ⅲ类、表2补充项目达标的比例（按个数）。",
    "higher",
)


DEFAULT_RULE_TEXT = (
    "默认规则：达标且不劣于上年同期为优秀，达标为良好，低于目标一个类别且不劣于上年为合格"
)


def cross_boundary_grade(session: Session, period: Period, area_code: str) -> Computation:
    """The area's grade: the worst grade among its cross-boundary sections (one failing
    section fails the area), each graded against its target and last year's same period."""
    now = _classes(session, period, area_code)
    if now.empty or not now["cross_boundary"].any():
        return Computation(value=None, reason="该区域时段内没有交接断面监测数据")
    now = now[now["cross_boundary"]].set_index("code")
    before = _classes(session, period.same_period_last_year(), area_code)
    previous = (
        before.set_index("code")["water_class"] if not before.empty else pd.Series(dtype=float)
    ).reindex(now.index)
    rules, rule_text = province_rules()
    graded = grade_sections(
        now["water_class"].astype(float),
        previous.astype(float),
        now["target_class"].astype(float),
        rules,
    )
    return Computation(
        value=float(graded["grade_level"].max()),
        edition="GB 3838-2002",
        inputs={
            "sections": now.index.tolist(),
            "grades": graded["grade"].to_dict(),
            "classes": now["class_label"].to_dict(),
        },
        details={
            "compensation_wan_yuan": float(graded["compensation"].sum()),
            "rule": rule_text,
        },
    )


def province_rules() -> tuple[tuple[GradeRule, ...], str]:
    """The province's grading table named in the settings, or the default one."""
    path = get_settings().water_cross_boundary_rules
    if path is None:
        return DEFAULT_RULES, DEFAULT_RULE_TEXT
    try:
        return load_rules(path), f"本省规则表（{path.name}）"
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"交接断面考核规则表无法读取：{exc}",
            code="config.cross_boundary_rules",
            loc=("ENVBUREAU_WATER_CROSS_BOUNDARY_RULES",),
        ) from exc


registry.register(
    IndicatorDefinition(
        id="water.cross_boundary_grade",
        name="河流交接断面水质考核结果",
        unit="",
        precision=0,
        definition="各交接断面按考核规则评定等级，区域结果取各断面中最低的等级。",
        rule="各省交接断面水质考核办法（规则表可配置）；" + METHOD,
        theme="water",
        provider=cross_boundary_grade,
        better="lower",
        public=True,
        value_labels=tuple((float(i), g) for i, g in enumerate(GRADES, start=1)),
    )
)
