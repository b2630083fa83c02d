"""The compliance tables: function zones, 水十条 and drinking-water sources. Each is an
indicator value as core.indicators.service holds it (``current``: stored while its data hold,
else computed afresh without writing) with the sections it counted, so a page and the API show
the indicator's own figure and never a second one (architecture.md, "The road of a figure")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import IndicatorDefinition, load_catalog
from envbureau.core.indicators.presentation import TargetView, target_view
from envbureau.core.periods import Period
from envbureau.standards.rounding import format_gbt8170
from envbureau.water.models import Section
from envbureau.water.period_classes import class_text
from envbureau.water.section_list import SOURCE_LEVELS

#: The indicators with a table, and the section column holding the target each compares with.
COMPLIANCE = (
    ("water.function_zone_compliance_rate", "target_class"),
    ("water.assessment_compliance_rate", "assessment_target_class"),
    ("water.drinking_source_compliance_rate", None),
)
DRINKING = "water.drinking_source_compliance_rate"


@dataclass(frozen=True)
class ComplianceLine:
    """A section an indicator counted: its class over the period, target and result."""

    code: str
    name: str
    area: str
    class_label: str
    target: str
    source_level: str
    population: int | None
    passed: bool


@dataclass(frozen=True)
class ComplianceTable:
    """An indicator's value as stored and as reported, its target, and its sections.
    ``passing`` and ``counted``: the sections that passed and that were counted (None without
    a value); ``population_share`` [%] as reported, drinking-water sources only."""

    definition: IndicatorDefinition
    value: float | None
    value_reported: str
    reason: str
    passing: int | None
    counted: int | None
    target: TargetView | None
    population_share: str | None
    sections: tuple[ComplianceLine, ...]

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def unit(self) -> str:
        return self.definition.unit


def target_of(
    *,
    session: Session,
    definition: IndicatorDefinition,
    period: Period,
    area_code: str,
    value: float | None,
) -> TargetView | None:
    """The area's target of the year for the indicator, against ``value``."""
    target = indicators_service.get_target(
        session=session, indicator_id=definition.id, year=period.year, area_code=area_code
    )
    return target_view(definition, target, value)


def compliance_tables(
    *, session: Session, area_code: str, period: Period, sections: dict[str, Section]
) -> tuple[ComplianceTable, ...]:
    """Function zones, 水十条 and drinking-water sources: each indicator's value, target and
    the sections it counted with their class, target and result."""
    registry = load_catalog()
    names = areas_service.area_names(session=session)
    out = []
    for indicator_id, target_column in COMPLIANCE:
        definition = registry.get(indicator_id)
        value = indicators_service.current(
            session=session, indicator_id=indicator_id, period=period, area_code=area_code
        ).row
        passing = set(value.inputs.get("passing", []))
        classes = value.inputs.get("classes", {})
        lines = tuple(
            ComplianceLine(
                code=code,
                name=sections[code].name,
                area=names.get(sections[code].area_code or "", ""),
                class_label=classes.get(code, "—"),
                target=class_text(getattr(sections[code], target_column)) if target_column else "",
                source_level=SOURCE_LEVELS.get(sections[code].source_level, ""),
                population=sections[code].population_served,
                passed=code in passing,
            )
            for code in value.inputs.get("sections", [])
        )
        # Only a drinking-water table weighs by population served (the others count sections).
        share = value.details.get("population_share") if target_column is None else None
        details = value.details if value.value is not None else {}
        out.append(
            ComplianceTable(
                definition=definition,
                value=value.value,
                value_reported=indicators_service.format_value(definition, value.value),
                reason=value.reason,
                passing=details.get("passing_sections"),
                counted=details.get("sections"),
                target=target_of(
                    session=session,
                    definition=definition,
                    period=period,
                    area_code=area_code,
                    value=value.value,
                ),
                population_share=None if share is None else format_gbt8170(share, 1),
                sections=lines,
            )
        )
    return tuple(out)
