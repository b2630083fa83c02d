"""Work log service: the brace rule's pieces, lists by period/area/theme in the report's
order, and edits checked by the import rules and written to the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from envbureau.worklog import service
from envbureau.worklog.clauses import Quantity, format_number, parse_quantities
from envbureau.worklog.models import WorkPlan, WorkRecord


def record_id(session: Session, title: str) -> int:
    return session.scalars(select(WorkRecord.id).where(WorkRecord.title == title)).one()


# --- the brace rule --------------------------------------------------------------------------


def test_text_parts_splits_literals_and_quantities() -> None:
    done = Quantity("完成家数", 137.0, "家")
    sectors = Quantity("行业数", 9, "个")
    parts = service.text_parts("推进{行业数}个行业整治，完成企业{完成家数}家", [done, sectors])
    assert parts == [
        ("推进", None),
        ("9", sectors),
        ("个行业整治，完成企业", None),
        ("137", done),  # 137.0 prints without ".0"; the unit is in the text, not repeated
        ("家", None),
    ]


def test_text_parts_edges_and_stored_dicts() -> None:
    stored = [{"name": "a", "value": 63.4, "unit": "%"}, {"name": "b", "value": 1268, "unit": "辆"}]
    parts = service.text_parts("{b}{ a }", stored)
    assert [p for p, _ in parts] == ["1268", "63.4"]  # adjacent braces, spaces inside ignored
    assert parts[1][1] == Quantity("a", 63.4, "%")
    assert service.text_parts("没有数字", []) == [("没有数字", None)]
    assert service.render_text("完成年度任务的{a}%", stored) == "完成年度任务的63.4%"
    with pytest.raises(RuleViolation) as info:
        service.text_parts("完成{c}家", stored)
    assert info.value.details[0].code == "text.quantity_unknown"


@pytest.mark.parametrize(
    ("value", "printed"),
    [(126.0, "126"), (126, "126"), (18.6, "18.6"), (30000.0, "30000"), (1e-7, "0.0000001"),
     (0.5, "0.5"), (-0.0, "0")],
)  # fmt: skip
def test_format_number_has_no_trailing_zero_or_exponent(value: float, printed: str) -> None:
    assert format_number(value) == printed


def test_parse_quantities_separators_thousands_and_problems() -> None:
    quantities, problems = parse_quantities("淘汰=1,268辆；比例＝63.4%\n行业数= 9 个")
    assert quantities == [
        Quantity("淘汰", 1268, "辆"),
        Quantity("比例", 63.4, "%"),
        Quantity("行业数", 9, "个"),
    ]
    assert problems == []
    _, problems = parse_quantities("a=1个; a=2个; b=个; c=3; 四个")
    assert [p.code for p in problems] == [
        "quantity.duplicate",
        "quantity.no_number",
        "quantity.no_unit",
        "quantity.format",
    ]


# --- lists -----------------------------------------------------------------------------------


def test_list_records_by_period_area_and_theme(session: Session, import_records) -> None:
    import_records()
    titles = [r.title for r in service.list_records(session=session)]
    assert titles == ["水源保护", "大气方案", "VOCs整治"]  # 治水 before 治气: the report's order
    march_on = service.list_records(session=session, start=date(2026, 3, 16), end=date(2026, 4, 16))
    assert [r.title for r in march_on] == ["水源保护", "VOCs整治"]  # both ends included
    # 甲区 (990102) holds the town record; the city-wide ones are not the district's.
    district = service.list_records(session=session, area_code="990102")
    assert [r.title for r in district] == ["水源保护"]
    assert service.list_records(session=session, area_code="990121") == []
    assert len(service.list_records(session=session, area_code="990100")) == 3
    by_label = service.list_records(session=session, theme="治气")
    assert [r.title for r in by_label] == ["大气方案", "VOCs整治"]
    assert by_label == service.list_records(session=session, theme="air")


def test_list_records_rejects_unknown_theme_and_area(session: Session, import_records) -> None:
    import_records()
    with pytest.raises(RuleViolation):
        service.list_records(session=session, theme="治山")
    with pytest.raises(NotFound):
        service.list_records(session=session, area_code="999999")


def test_list_plans_by_year_half_and_theme(session: Session, import_plans) -> None:
    import_plans()
    assert [p.title for p in service.list_plans(session=session, year=2026)] == [
        "臭氧防控",
        "宣传三进",
    ]
    assert service.list_plans(session=session, year=2026, half=1) == []
    assert service.list_plans(session=session, year=2025) == []
    publicity = service.list_plans(session=session, year=2026, theme="宣传")
    assert [p.title for p in publicity] == ["宣传三进"]


# --- edits -----------------------------------------------------------------------------------


def test_update_record_is_audited_before_and_after(session: Session, import_records) -> None:
    import_records()
    ident = record_id(session, "VOCs整治")
    record = service.update_record(
        session=session,
        record_id=ident,
        changes={"数量": "完成家数=140家; 行业数=9个"},
        actor="李科长",
        reason="按6月底台账更正",
    )
    assert record.quantities[0] == {"name": "完成家数", "value": 140, "unit": "家"}
    assert record.updated_by == "李科长" and record.created_by == "t"
    history = audit.list_for_entity(
        session, entity_type="work_record", entity_id="2026-03-16/air/VOCs整治"
    )
    assert [e.action for e in history] == ["create", "update"]
    edit = history[-1]
    assert edit.actor == "李科长" and edit.reason == "按6月底台账更正"
    assert edit.before == {
        "quantities": [
            {"name": "完成家数", "value": 137, "unit": "家"},
            {"name": "行业数", "value": 9, "unit": "个"},
        ]
    }
    assert edit.after["quantities"][0]["value"] == 140 and set(edit.after) == {"quantities"}


def test_update_record_by_field_name_and_no_change(session: Session, import_records) -> None:
    import_records()
    ident = record_id(session, "大气方案")
    before = session.scalars(select(AuditEntry.id)).all()
    service.update_record(
        session=session, record_id=ident, changes={"theme": "air"}, actor="x", reason="核对"
    )
    assert session.scalars(select(AuditEntry.id)).all() == before  # the same value: no entry
    service.update_record(
        session=session, record_id=ident, changes={"date": "2026/1/21"}, actor="x", reason="核对"
    )
    assert session.get(WorkRecord, ident).date == date(2026, 1, 21)


def test_update_record_checked_by_import_rules(session: Session, import_records) -> None:
    import_records()
    ident = record_id(session, "VOCs整治")
    with pytest.raises(ValidationFailed) as info:
        service.update_record(
            session=session,
            record_id=ident,
            changes={"text": "完成{整治家数}家"},
            actor="x",
            reason="改表述",
        )
    detail = info.value.details[0]
    assert detail.loc == (f"工作台账 {ident}", "报告表述")
    assert detail.code == "text.quantity_unknown"
    assert session.get(WorkRecord, ident).text.startswith("完成VOCs整治企业")
    with pytest.raises(ValidationFailed) as info:
        service.update_record(
            session=session, record_id=ident, changes={"区划代码": "999999"}, actor="x", reason="r"
        )
    assert info.value.details[0].code == "area.unknown"


def test_update_record_refusals(session: Session, import_records) -> None:
    import_records()
    ident = record_id(session, "VOCs整治")
    with pytest.raises(Conflict):  # the other 治气 record's date and title
        service.update_record(
            session=session,
            record_id=ident,
            changes={"date": "2026-01-20", "title": "大气方案"},
            actor="x",
            reason="r",
        )
    with pytest.raises(RuleViolation) as info:
        service.update_record(
            session=session, record_id=ident, changes={"title": "新"}, actor="x", reason=" "
        )
    assert info.value.details[0].code == "worklog.reason_required"
    with pytest.raises(RuleViolation) as info:
        service.update_record(
            session=session, record_id=ident, changes={"created_by": "y"}, actor="x", reason="r"
        )
    assert info.value.details[0].code == "worklog.field_unknown"
    with pytest.raises(NotFound):
        service.update_record(
            session=session, record_id=10**6, changes={"title": "新"}, actor="x", reason="r"
        )


def test_update_plan_checks_indicator_and_audits(session: Session, import_plans) -> None:
    import_plans()
    plan = session.scalars(select(WorkPlan).where(WorkPlan.title == "臭氧防控")).one()
    with pytest.raises(ValidationFailed) as info:
        service.update_plan(
            session=session,
            plan_id=plan.id,
            changes={"indicator_id": "air.no_such"},
            actor="x",
            reason="r",
        )
    assert info.value.details[0].code == "indicator.unknown"
    service.update_plan(
        session=session,
        plan_id=plan.id,
        changes={"完成时限": "2026-09-30", "indicator_id": "air.pm25_mean"},
        actor="x",
        reason="调整时限",
    )
    assert (plan.deadline, plan.indicator_id) == (date(2026, 9, 30), "air.pm25_mean")
    entry = audit.list_for_entity(
        session, entity_type="work_plan", entity_id="2026/2/quality/臭氧防控"
    )[-1]
    assert entry.before == {"deadline": "2026-10-31", "indicator_id": "air.good_day_rate"}
    assert entry.after == {"deadline": "2026-09-30", "indicator_id": "air.pm25_mean"}
