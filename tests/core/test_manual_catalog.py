"""The manual indicators of the half-year report: definitions, the figure map, the demo entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area
from envbureau.core.indicators import service
from envbureau.core.indicators.definitions import THEMES, IndicatorDefinition, load_catalog
from envbureau.core.periods import parse
from envbureau.demo import CITY_CODE, DemoContext
from envbureau.demo import areas as demo_areas
from envbureau.demo import indicators as demo_indicators
from envbureau.demo import water as demo_water

FIGURE_MAP = Path(__file__).resolve().parents[2] / "docs" / "report-figures.md"
H1 = parse("2026H1")

# As the seed report prints them (xx.x% → 1 decimal, xx.xx% → 2, counts → 0).
REPORT_FORMS = {
    "vehicles.old_vehicles_retired": ("辆", 0),
    "vehicles.old_vehicles_task_completion": ("%", 2),
    "soil.contaminated_sites_investigated": ("个", 0),
    "soil.hazardous_waste_disposal_quota": ("吨", 0),
    "industry.supervisory_monitoring_compliance_rate": ("%", 1),
    "reduction.cod_rate": ("%", 1),
    "reduction.nh3n_rate": ("%", 1),
    "reduction.so2_rate": ("%", 1),
    "reduction.nox_rate": ("%", 1),
    "reduction.annual_projects": ("个", 0),
    "reduction.projects_in_operation_rate": ("%", 0),
    "ecology.rural_sewage_projects": ("个", 0),
    "ecology.rural_env_villages": ("个", 0),
    "reform.commitment_filing_projects": ("个", 0),
    "reform.self_monitoring_publication_rate": ("%", 2),
    "enforcement.petitions_yoy_pct": ("%", 1),
    "enforcement.environmental_emergencies": ("起", 0),
    "enforcement.enterprises_closed": ("家", 0),
    "enforcement.cases_filed": ("件", 0),
    "enforcement.administrative_detentions": ("人", 0),
    "enforcement.criminal_detentions": ("人", 0),
}

# Targets the report quotes (part two, and the reduction tasks of part one) or divides by.
REQUIRED_TARGETS = {
    "air.good_day_rate": ">=",
    "air.pm25_mean": "<=",
    "water.drinking_source_compliance_rate": ">=",
    "water.inferior_v_eliminated_provincial": ">=",
    "water.inferior_v_eliminated_city": ">=",
    "reduction.cod_rate": ">=",
    "reduction.nh3n_rate": ">=",
    "reduction.so2_rate": ">=",
    "reduction.nox_rate": ">=",
    "vehicles.old_vehicles_retired": ">=",
}


def _manual() -> list[IndicatorDefinition]:
    return [d for d in load_catalog().all() if d.is_manual]


def test_every_manual_indicator_is_defined_with_its_source() -> None:
    manual = _manual()
    assert len(manual) >= 20
    for d in manual:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", d.id), d.id
        assert d.name and d.unit and d.rule, d.id
        assert d.theme in THEMES, d.id
        # The definition says what kind of document the figure is taken from.
        assert re.search(r"来源：\S{4,}。$", d.definition), d.id
        assert isinstance(d.precision, int) and 0 <= d.precision <= 2, d.id
        if d.unit == "%":
            assert d.better == "higher", d.id


def test_report_figures_have_the_unit_and_precision_the_report_prints() -> None:
    registry = load_catalog()
    for indicator_id, (unit, precision) in REPORT_FORMS.items():
        d = registry.get(indicator_id)
        assert (d.unit, d.precision) == (unit, precision), indicator_id
    publication = registry.get("reform.self_monitoring_publication_rate")
    assert service.format_value(publication, 305 / 312 * 100) == "97.76"
    assert service.format_value(registry.get("reduction.cod_rate"), 2.25) == "2.2"  # GB/T 8170


def test_derived_figures_are_computed_not_entered() -> None:
    registry = load_catalog()
    for indicator_id in ("vehicles.old_vehicles_task_completion", "enforcement.petitions_yoy_pct"):
        assert not registry.get(indicator_id).accepts_manual


def test_figure_map_covers_47_masked_figures_with_registered_indicators() -> None:
    text = FIGURE_MAP.read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^\| (\d+) \|", text, flags=re.M)]
    assert numbers == list(range(1, 48))
    registry = load_catalog()
    named = set(re.findall(r"`([a-z]+\.[a-z0-9_]+)`", text))
    unknown = {i for i in named if i not in registry and not i.endswith((".py", ".md"))}
    assert not unknown
    assert {d.id for d in _manual()} <= named
    assert set(REPORT_FORMS) <= named


@pytest.fixture
def demo_manual(session: Session) -> Session:
    """The demo's areas, water and manual/target parts (the air part is not needed here)."""
    ctx = DemoContext(session=session)
    for part in (demo_areas, demo_water, demo_indicators):
        part.build(ctx)
    return session


def _value(session: Session, indicator_id: str, period=H1) -> float | None:
    return service.compute(
        session=session, indicator_id=indicator_id, period=period, area_code=CITY_CODE
    ).value


def test_demo_enters_every_manual_indicator_with_a_source(demo_manual: Session) -> None:
    registry = load_catalog()
    for d in _manual():
        entry = service.latest_manual_entry(
            session=demo_manual, indicator_id=d.id, period=H1, area_code=CITY_CODE
        )
        assert entry is not None, d.id
        assert len(entry.source_document) >= 8, d.id
        value = _value(demo_manual, d.id)
        assert value is not None and value >= 0, d.id
        if d.unit == "%":
            assert value <= 100, d.id
        if d.precision == 0 and d.unit != "%":
            assert value == int(value), d.id
    assert registry.get("air.rank").manual_fallback
    assert _value(demo_manual, "air.rank") == 4


def test_demo_targets_for_the_report(demo_manual: Session) -> None:
    for indicator_id, direction in REQUIRED_TARGETS.items():
        target = service.get_target(
            session=demo_manual, indicator_id=indicator_id, year=2026, area_code=CITY_CODE
        )
        assert target is not None, indicator_id
        assert target.direction == direction and target.source_document, indicator_id
    # The year's elimination task is every listed section due this year.
    for level in ("provincial", "city"):
        target = service.get_target(
            session=demo_manual,
            indicator_id=f"water.inferior_v_eliminated_{level}",
            year=2026,
            area_code=CITY_CODE,
        )
        assert target is not None
        assert target.value == _value(demo_manual, f"water.inferior_v_due_{level}")
    # Half-year reduction progress has not passed the annual target.
    for pollutant in ("cod", "nh3n", "so2", "nox"):
        indicator_id = f"reduction.{pollutant}_rate"
        target = service.get_target(
            session=demo_manual, indicator_id=indicator_id, year=2026, area_code=CITY_CODE
        )
        assert target is not None
        assert 0 < _value(demo_manual, indicator_id) < target.value  # type: ignore[operator]


def test_demo_derived_figures(demo_manual: Session) -> None:
    retired = _value(demo_manual, "vehicles.old_vehicles_retired")
    task = service.get_target(
        session=demo_manual,
        indicator_id="vehicles.old_vehicles_retired",
        year=2026,
        area_code=CITY_CODE,
    )
    assert retired is not None and task is not None
    share = service.compute(
        session=demo_manual,
        indicator_id="vehicles.old_vehicles_task_completion",
        period=H1,
        area_code=CITY_CODE,
    )
    assert share.value == pytest.approx(100 * retired / task.value)
    assert share.inputs["task"]["source_document"] == task.source_document
    assert share.inputs["done"]["source"] == "manual"

    now = _value(demo_manual, "enforcement.petitions_received")
    before = _value(demo_manual, "enforcement.petitions_received", parse("2025H1"))
    assert now is not None and before is not None
    yoy = service.compute(
        session=demo_manual,
        indicator_id="enforcement.petitions_yoy_pct",
        period=H1,
        area_code=CITY_CODE,
    )
    assert yoy.value == pytest.approx(100 * (now - before) / before)
    assert yoy.details["base_period"] == "2025H1"
    # A district has no entries: insufficient, with the reason.
    district = service.compute(
        session=demo_manual,
        indicator_id="enforcement.petitions_yoy_pct",
        period=H1,
        area_code="990102",
    )
    assert district.value is None and "缺失" in district.reason
    # Not defined for a period that does not start on 1 January.
    q2 = service.compute(
        session=demo_manual,
        indicator_id="vehicles.old_vehicles_task_completion",
        period=parse("2026Q2"),
        area_code=CITY_CODE,
    )
    assert q2.value is None and "1月1日" in q2.reason


def test_demo_rural_figures_fit_the_demo_city(demo_manual: Session) -> None:
    villages = demo_manual.scalar(select(func.count()).select_from(Area).where(Area.kind == "村"))
    assert villages
    assert _value(demo_manual, "ecology.rural_env_villages") <= villages  # type: ignore[operator]
    projects = _value(demo_manual, "reduction.annual_projects")
    running = _value(demo_manual, "reduction.projects_in_operation_rate")
    assert projects and running is not None
    # The share is a whole number of projects out of the year's list.
    assert abs(running / 100 * projects - round(running / 100 * projects)) < 0.05
