"""The cross-boundary assessment table: the area's grade (the indicator
``water.cross_boundary_grade``), each cross-boundary section's grade with the classes it was
graded on, and the rule table the grades follow (``water.indicators.province_rules``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import IndicatorDefinition, load_catalog
from envbureau.core.periods import Period
from envbureau.water.cross_boundary import GradeRule
from envbureau.water.indicators import province_rules
from envbureau.water.models import Section
from envbureau.water.period_classes import class_text, period_classes

INDICATOR = "water.cross_boundary_grade"


@dataclass(frozen=True)
class CrossLine:
    """A cross-boundary section: its classes now and a year before, and its grade."""

    code: str
    name: str
    area: str
    way: str  # upstream → downstream
    target: str
    class_label: str
    last_year: str
    grade: str


@dataclass(frozen=True)
class CrossBoundaryTable:
    """``compensation_wan_yuan`` [万元] paid upstream; ``rule`` names the table in use."""

    definition: IndicatorDefinition
    value: float | None
    value_reported: str
    reason: str
    rule: str
    rules: tuple[GradeRule, ...]
    compensation_wan_yuan: float | None
    sections: tuple[CrossLine, ...]

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def unit(self) -> str:
        return self.definition.unit


def cross_boundary_table(
    *, session: Session, area_code: str, period: Period, sections: dict[str, Section]
) -> CrossBoundaryTable:
    """The area's grade over the period with the sections graded and the rule table."""
    definition = load_catalog().get(INDICATOR)
    value = indicators_service.current(
        session=session, indicator_id=INDICATOR, period=period, area_code=area_code
    ).row
    codes = value.inputs.get("sections", [])
    before = (
        period_classes(session=session, area_code=area_code, period=period.same_period_last_year())
        if codes
        else {}
    )
    names = areas_service.area_names(session=session)
    rules = province_rules()
    lines = []
    for code in codes:
        section = sections[code]
        last = before.get(code)
        lines.append(
            CrossLine(
                code=code,
                name=section.name,
                area=names.get(section.area_code or "", ""),
                way="→".join(p for p in (section.upstream, section.downstream) if p),
                target=class_text(section.target_class),
                class_label=value.inputs["classes"].get(code, "—"),
                last_year=class_text(None if last is None else last.water_class),
                grade=value.inputs["grades"].get(code, "—"),
            )
        )
    return CrossBoundaryTable(
        definition=definition,
        value=value.value,
        value_reported=indicators_service.format_value(definition, value.value),
        reason=value.reason,
        rule=value.details.get("rule") or rules[1],
        rules=rules[0],
        compensation_wan_yuan=value.details.get("compensation_wan_yuan"),
        sections=tuple(lines),
    )
