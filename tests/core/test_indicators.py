"""The indicator registry: definitions, computed and manual values with provenance, targets."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from envbureau.air.models import Observation
from envbureau.core import migrate
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.clock import local_today
from envbureau.core.db import make_engine
from envbureau.core.errors import Conflict, NotFound, RuleViolation
from envbureau.core.freshness import data_version_key
from envbureau.core.indicators import service
from envbureau.core.indicators.definitions import (
    Computation,
    Coverage,
    IndicatorDefinition,
    IndicatorRegistry,
    load_catalog,
)
from envbureau.core.indicators.models import IndicatorValue, ManualEntry
from envbureau.core.indicators.periods import default_period
from envbureau.core.indicators.subjects import Subject
from envbureau.core.periods import half_of, parse
from factories.air import make_stations

H1 = parse("2026H1")


def test_load_catalog_has_core_indicators_with_rules() -> None:
    registry = load_catalog()
    offices = registry.get("org.town_env_offices")
    assert not offices.is_manual and offices.unit == "个" and offices.rule
    cases = registry.get("enforcement.cases_filed")
    assert cases.is_manual
    assert all(d.rule and d.definition for d in registry.all())


def test_registry_refuses_a_second_different_definition() -> None:
    registry = IndicatorRegistry()
    first = IndicatorDefinition("x.a", "甲", "个", "定义", "规则", 0, "air")
    registry.register(first)
    registry.register(first)  # the same definition again is harmless
    with pytest.raises(Conflict):
        registry.register(IndicatorDefinition("x.a", "乙", "个", "定义", "规则", 0, "air"))


def test_registry_unknown_id_and_theme() -> None:
    registry = IndicatorRegistry()
    with pytest.raises(NotFound, match="未知指标"):
        registry.get("nope")
    with pytest.raises(ValueError, match="theme"):
        registry.register(IndicatorDefinition("x.b", "乙", "个", "d", "r", 0, "weather"))


def test_compute_town_env_offices_with_provenance(session: Session, city, town_office) -> None:
    town_office("990102001", date(2026, 1, 10))
    town_office("990102002", date(2026, 6, 30))
    town_office("990121001", date(2026, 7, 1))  # after the half: not counted
    town_office("990121002", None)  # no date: not counted
    row = service.compute(
        session=session, indicator_id="org.town_env_offices", period=H1, area_code="990100"
    )
    assert row.value == 2.0 and row.status == "ok" and row.source == "computed"
    assert row.inputs["units"] == ["HBB-990102001", "HBB-990102002"]
    assert row.coverage == {
        "expected": 6,
        "observed": 2,
        "valid": True,
        "rule": "区域内全部乡镇（街道）",
    }
    assert (row.period_start, row.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    district = service.compute(
        session=session, indicator_id="org.town_env_offices", period=H1, area_code="990121"
    )
    assert district.value == 0.0 and district.coverage["expected"] == 3


def test_compute_stores_one_row_per_indicator_period_area(session: Session, city) -> None:
    for _ in range(2):
        service.compute(
            session=session, indicator_id="org.town_env_offices", period=H1, area_code="990100"
        )
    rows = session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == "org.town_env_offices")
    ).all()
    assert len(rows) == 1


def test_compute_area_without_towns_is_insufficient(session: Session, city) -> None:
    row = service.compute(
        session=session, indicator_id="org.town_env_offices", period=H1, area_code="990102001001"
    )
    assert row.value is None and row.status == "insufficient"
    assert "没有乡镇" in row.reason


def test_compute_unknown_area_refused(session: Session, city) -> None:
    with pytest.raises(NotFound, match="未知区域"):
        service.compute(
            session=session, indicator_id="org.town_env_offices", period=H1, area_code="123456"
        )


def test_manual_value_carries_its_source_and_revisions(session: Session, city) -> None:
    missing = service.compute(
        session=session, indicator_id="enforcement.cases_filed", period=H1, area_code="990100"
    )
    assert missing.value is None and "尚未录入" in missing.reason
    service.enter_manual(
        session=session,
        indicator_id="enforcement.cases_filed",
        period=H1,
        area_code="990100",
        value=300,
        source_document="执法月报6月",
        entered_by="wang",
    )
    service.enter_manual(
        session=session,
        indicator_id="enforcement.cases_filed",
        period=H1,
        area_code="990100",
        value=327,
        source_document="执法月报6月（更正）",
        entered_by="li",
        note="补录两个区县",
    )
    row = service.compute(
        session=session, indicator_id="enforcement.cases_filed", period=H1, area_code="990100"
    )
    assert row.value == 327 and row.source == "manual"
    assert row.inputs["source_document"] == "执法月报6月（更正）"
    assert row.inputs["entered_by"] == "li" and row.inputs["revision"] == 2
    values = session.scalars(select(ManualEntry.value).order_by(ManualEntry.revision)).all()
    assert values == [300, 327]  # the first figure is kept, not overwritten
    audit = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "indicator_manual_entry")
        .order_by(AuditEntry.id)
    ).all()
    assert [a.action for a in audit] == ["create", "revise"]
    assert audit[1].before["value"] == 300 and audit[1].reason == "补录两个区县"


def test_manual_entry_same_value_twice_adds_nothing(session: Session, city) -> None:
    kwargs = dict(
        session=session,
        indicator_id="enforcement.cases_filed",
        period=H1,
        area_code="990100",
        value=5,
        source_document="月报",
        entered_by="w",
    )
    first = service.enter_manual(**kwargs)
    assert service.enter_manual(**kwargs) is first


def test_manual_entry_refused_for_computed_indicator_and_without_source(
    session: Session, city
) -> None:
    with pytest.raises(RuleViolation, match="由系统计算"):
        service.enter_manual(
            session=session,
            indicator_id="org.town_env_offices",
            period=H1,
            area_code="990100",
            value=1,
            source_document="x",
            entered_by="w",
        )
    with pytest.raises(RuleViolation, match="来源"):
        service.enter_manual(
            session=session,
            indicator_id="enforcement.cases_filed",
            period=H1,
            area_code="990100",
            value=1,
            source_document=" ",
            entered_by="w",
        )


def test_target_status_both_directions(session: Session, city) -> None:
    target = service.set_target(
        session=session,
        indicator_id="org.town_env_offices",
        year=2026,
        area_code="990100",
        value=60,
        direction=">=",
        source_document="目标责任书",
        actor="w",
    )
    short = service.target_status(target, 47)
    assert (short.gap, short.attained) == (13, False)
    assert service.target_status(target, 61).attained
    target.direction = "<="
    over = service.target_status(target, 65)
    assert (over.gap, over.attained) == (5, False)


def test_set_target_change_is_audited_and_bad_direction_refused(session: Session, city) -> None:
    args = dict(
        session=session,
        indicator_id="org.town_env_offices",
        year=2026,
        area_code="990100",
        direction=">=",
        source_document="责任书",
        actor="w",
    )
    service.set_target(value=60, **args)
    service.set_target(value=55, **args)
    updates = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "indicator_target", AuditEntry.action == "update"
        )
    ).all()
    assert len(updates) == 1 and updates[0].before["value"] == 60
    with pytest.raises(RuleViolation, match="方向"):
        service.set_target(**{**args, "direction": ">"}, value=1)


def test_explain_includes_definition_value_target(session: Session, city, town_office) -> None:
    town_office("990102001", date(2026, 1, 10))
    service.set_target(
        session=session,
        indicator_id="org.town_env_offices",
        year=2026,
        area_code="990100",
        value=4,
        direction=">=",
        source_document="责任书",
        actor="w",
    )
    data = service.explain(
        session=session, indicator_id="org.town_env_offices", period=H1, area_code="990100"
    )
    assert data["indicator"]["name"] == "已成立环保办的乡镇（街道）数"
    assert data["value_reported"] == "1"
    assert data["target"] == {
        "value": 4,
        "direction": ">=",
        "source_document": "责任书",
        "responsible_unit": None,
        "gap": 3,
        "attained": False,
    }


def test_custom_registry_provider_receives_period_and_area(session: Session, city) -> None:
    seen = {}

    def provider(sess, period, area):  # type: ignore[no-untyped-def]
        seen.update(period=period.code, area=area)
        return Computation(
            value=84.25,
            edition="HJ 633-2026",
            coverage=Coverage(expected=181, observed=179, valid=True),
        )

    registry = IndicatorRegistry()
    definition = registry.register(
        IndicatorDefinition("air.test_rate", "测试率", "%", "d", "r", 1, "air", provider=provider)
    )
    row = service.compute(
        session=session,
        indicator_id="air.test_rate",
        period=H1,
        area_code="990102",
        registry=registry,
    )
    assert seen == {"period": "2026H1", "area": "990102"}
    assert row.edition == "HJ 633-2026" and row.coverage["observed"] == 179
    assert service.format_value(definition, row.value) == "84.2"  # GB/T 8170: half to even


# --- subjects: an enterprise, an org unit or a campaign within an area -----------------------

CASES = "enforcement.cases_filed"  # a manual figure
UNIT = Subject("org_unit", "CY-GA")


def test_a_subject_value_and_target_sit_beside_the_areas_own(
    session: Session, city, member_unit
) -> None:
    member_unit("CY-GA", "市公安局")
    common = dict(session=session, indicator_id=CASES, period=H1, area_code="990100")
    service.enter_manual(**common, value=300, source_document="执法月报", entered_by="w")
    service.enter_manual(
        **common, value=40, source_document="公安局报送", entered_by="w", subject=UNIT
    )
    own = service.compute(**common)
    unit = service.compute(**common, subject=UNIT)
    again = service.compute(**common)  # the area's value again: the unit's row is untouched
    assert (own.value, unit.value, again.value) == (300, 40, 300) and again is own
    assert (unit.subject_kind, unit.subject_code) == ("org_unit", "CY-GA")
    assert (own.subject_kind, own.subject_code) == ("", "")
    rows = session.scalars(
        select(IndicatorValue.value).where(IndicatorValue.indicator_id == CASES)
    ).all()
    assert sorted(rows) == [40, 300]
    assert service.get_value_or_raise(**common, subject=UNIT).value == 40
    assert service.latest_manual_entry(**common).value == 300

    target = dict(
        session=session,
        indicator_id=CASES,
        year=2026,
        area_code="990100",
        direction=">=",
        source_document="目标责任书",
        actor="w",
    )
    service.set_target(**target, value=320)
    service.set_target(**target, value=45, subject=UNIT, responsible_unit="CY-GA")
    area_target = service.get_target(
        session=session, indicator_id=CASES, year=2026, area_code="990100"
    )
    unit_target = service.get_target(
        session=session, indicator_id=CASES, year=2026, area_code="990100", subject=UNIT
    )
    assert (area_target.value, area_target.responsible_unit) == (320, None)
    assert (unit_target.value, unit_target.responsible_unit) == (45, "CY-GA")
    [audit] = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == f"{CASES}/2026/990100/org_unit:CY-GA")
    ).all()
    assert audit.after == {
        "value": 45,
        "direction": ">=",
        "source_document": "目标责任书",
        "responsible_unit": "CY-GA",
    }

    explained = service.explain(**common, subject=UNIT)
    assert explained["subject"] == {"kind": "org_unit", "code": "CY-GA"}
    assert explained["value"] == 40
    assert explained["target"]["gap"] == 5 and explained["target"]["responsible_unit"] == "CY-GA"
    assert service.explain(**common)["subject"] is None


def test_a_subject_of_a_computed_indicator_needs_a_subject_provider(session: Session, city) -> None:
    row = service.compute(
        session=session,
        indicator_id="org.town_env_offices",
        period=H1,
        area_code="990100",
        subject=Subject("campaign", "2026-清废"),
    )
    assert row.value is None and row.reason == "该指标不按专项行动计算"

    seen = {}

    def by_subject(sess, period, area, subject):  # type: ignore[no-untyped-def]
        seen.update(area=area, subject=subject)
        return Computation(value=3.0)

    registry = IndicatorRegistry()
    registry.register(
        IndicatorDefinition(
            "x.permits",
            "许可证数",
            "张",
            "d",
            "r",
            0,
            "industry",
            provider=lambda s, p, a: Computation(value=10.0),
            subject_provider=by_subject,
        )
    )
    firm = Subject("enterprise", "91990100MA0000001X")
    args = dict(session=session, indicator_id="x.permits", period=H1, area_code="990102")
    assert service.compute(**args, registry=registry, subject=firm).value == 3.0
    assert service.compute(**args, registry=registry).value == 10.0
    assert seen == {"area": "990102", "subject": firm}


def test_subjects_are_checked(session: Session, city) -> None:
    with pytest.raises(RuleViolation, match="对象类型"):
        Subject("person", "x")  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="对象代码"):
        Subject("enterprise", " ")
    with pytest.raises(NotFound, match="未知单位"):
        service.enter_manual(
            session=session,
            indicator_id=CASES,
            period=H1,
            area_code="990100",
            value=1,
            source_document="x",
            entered_by="w",
            subject=Subject("org_unit", "NOPE"),
        )
    with pytest.raises(NotFound, match="未知单位"):
        service.set_target(
            session=session,
            indicator_id=CASES,
            year=2026,
            area_code="990100",
            value=1,
            direction=">=",
            source_document="x",
            actor="w",
            responsible_unit="NOPE",
        )


def test_migration_0008_down_and_up_on_an_empty_database(fresh_database_url: str) -> None:
    """Downgrade drops the subject columns (and any rows for a subject); upgrade restores them."""
    engine = make_engine(fresh_database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO areas (code, name, level) VALUES ('990100', '测试市', 'city')")
            )
            for kind, code in (("", ""), ("campaign", "清废")):
                connection.execute(
                    text(
                        "INSERT INTO indicator_values (indicator_id, period_code, period_start,"
                        " period_end, area_code, subject_kind, subject_code, value, status,"
                        " reason, unit, source, inputs, details, computed_at) VALUES"
                        " ('x.a', '2026H1', '2026-01-01', '2026-06-30', '990100', :kind, :code,"
                        " 1, 'ok', '', '个', 'manual', '{}', '{}', '2026-07-01 00:00:00')"
                    ),
                    {"kind": kind, "code": code},
                )
        migrate.downgrade(engine, "0007")
        columns = {c["name"] for c in inspect(engine).get_columns("indicator_values")}
        assert not columns & {"subject_kind", "subject_code", "data_version"}
        targets = {c["name"] for c in inspect(engine).get_columns("indicator_targets")}
        assert "responsible_unit" not in targets
        with engine.connect() as connection:
            left = connection.execute(text("SELECT count(*) FROM indicator_values")).scalar()
        assert left == 1  # the area's own value stays; the campaign's has no place any more
        migrate.upgrade(engine)
        columns = {c["name"] for c in inspect(engine).get_columns("indicator_values")}
        assert {"subject_kind", "subject_code", "data_version"} <= columns
        with engine.connect() as connection:
            kinds = connection.execute(text("SELECT subject_kind FROM indicator_values")).all()
        assert kinds == [("",)]
    finally:
        engine.dispose()


# --- freshness: a stored value keeps the data version it was computed from -------------------


def _count_values(session: Session) -> int:
    return len(session.scalars(select(IndicatorValue.id)).all())


def test_compute_records_the_data_version(session: Session, city) -> None:
    row = service.compute(
        session=session, indicator_id="org.town_env_offices", period=H1, area_code="990100"
    )
    assert row.data_version == data_version_key(session) and len(row.data_version) == 16


def test_current_returns_the_stored_row_while_no_new_data_arrive(
    session: Session, city, town_office
) -> None:
    town_office("990102001", date(2026, 1, 10))
    args = dict(session=session, indicator_id="org.town_env_offices", period=H1, area_code="990100")
    stored = service.compute(**args)
    now = service.current(**args)
    assert now.row is stored and now.stored and not now.stale
    assert now.computed_at == stored.computed_at  # read, not recomputed


def test_current_after_a_new_manual_entry_gives_the_new_value_without_writing(
    session: Session, city
) -> None:
    args = dict(session=session, indicator_id=CASES, period=H1, area_code="990100")
    service.enter_manual(**args, value=300, source_document="月报", entered_by="w")
    stored = service.compute(**args)
    service.enter_manual(**args, value=327, source_document="月报（更正）", entered_by="w")
    rows_before = _count_values(session)

    now = service.current(**args)
    assert now.stale and not now.stored
    assert now.row.value == 327 and now.row.inputs["revision"] == 2
    assert now.row not in session and not session.new and not session.dirty
    assert stored.value == 300 and _count_values(session) == rows_before  # nothing written
    session.expire(stored)
    assert stored.value == 300 and stored.data_version != now.row.data_version
    assert now.row.data_version == data_version_key(session)


def test_a_target_or_an_observation_makes_a_stored_value_stale(
    session: Session, city, town_office
) -> None:
    town_office("990102001", date(2026, 1, 10))
    args = dict(session=session, indicator_id="org.town_env_offices", period=H1, area_code="990100")
    service.compute(**args)
    service.set_target(
        session=session,
        indicator_id="org.town_env_offices",
        year=2026,
        area_code="990100",
        value=4,
        direction=">=",
        source_document="责任书",
        actor="w",
    )
    after_target = service.current(**args)
    assert after_target.stale and after_target.row.value == 1.0

    service.compute(**args)  # stored again: current once more
    assert service.current(**args).stored
    [station] = make_stations(session, "1001A")
    session.add(
        Observation(
            station_code=station.code,
            time_utc=datetime(2026, 3, 1, 1),
            pm25=35,
            source="test",
            created_by="test",
        )
    )
    session.flush()
    after_observation = service.current(**args)
    assert after_observation.stale and not after_observation.stored


def test_current_with_nothing_stored_computes_without_writing(session: Session, city) -> None:
    """A derived figure reads its input through ``current`` too: nothing is stored at all."""
    service.enter_manual(
        session=session,
        indicator_id="vehicles.old_vehicles_retired",
        period=H1,
        area_code="990100",
        value=4200,
        source_document="注销登记统计",
        entered_by="w",
    )
    service.set_target(
        session=session,
        indicator_id="vehicles.old_vehicles_retired",
        year=2026,
        area_code="990100",
        value=5000,
        direction=">=",
        source_document="责任书",
        actor="w",
    )
    now = service.current(
        session=session,
        indicator_id="vehicles.old_vehicles_task_completion",
        period=H1,
        area_code="990100",
    )
    assert not now.stored and not now.stale
    assert now.row.value == 84.0  # 4200 / 5000 × 100
    assert _count_values(session) == 0


# --- the half-year a page opens on ----------------------------------------------------------


def test_default_period_follows_the_data_not_the_wall_clock(session: Session, city) -> None:
    tz = ZoneInfo("Asia/Shanghai")
    empty = default_period(session=session, area_code="990100", tz=tz)
    assert empty == half_of(local_today(tz))  # an empty database: today's half-year
    service.enter_manual(
        session=session,
        indicator_id=CASES,
        period=parse("2024-10"),
        area_code="990100",
        value=3,
        source_document="月报",
        entered_by="w",
    )
    assert default_period(session=session, area_code="990100", tz=tz).code == "2024H2"
    service.compute(session=session, indicator_id=CASES, period=parse("2023H1"), area_code="990100")
    service.compute(session=session, indicator_id=CASES, period=parse("2023"), area_code="990100")
    # stored half-year values come first (the year 2023 is not a half-year)
    assert default_period(session=session, area_code="990100", tz=tz).code == "2023H1"
    assert default_period(session=session, area_code="990102", tz=tz).code == "2024H2"


def test_half_of() -> None:
    assert half_of(date(2026, 6, 30)).code == "2026H1"
    assert half_of(date(2026, 7, 1)).code == "2026H2"
