"""Importing work records and plans: stored as structured rows, every broken cell named by
file, row, column and rule, all-or-nothing, and a second import of the same file a no-op."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from envbureau.core.errors import ValidationFailed
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.runner import run_import
from envbureau.core.importing.templates import write_template
from envbureau.worklog.importers import PLAN_SCHEMA, RECORD_SCHEMA, RecordImporter
from envbureau.worklog.models import WorkPlan, WorkRecord
from factories.worklog import PLAN_HEADER, RECORD_HEADER, RECORDS


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def by_title(session: Session, title: str) -> WorkRecord:
    return session.scalars(select(WorkRecord).where(WorkRecord.title == title)).one()


def test_records_import_as_structured_rows(session: Session, import_records) -> None:
    outcome = import_records(actor="王科员")
    assert (outcome.result.created, outcome.result.updated) == (3, 0)
    vocs = by_title(session, "VOCs整治")
    assert (vocs.date, vocs.theme, vocs.kind) == (date(2026, 3, 16), "air", "campaign")
    assert vocs.quantities == [
        {"name": "完成家数", "value": 137, "unit": "家"},
        {"name": "行业数", "value": 9, "unit": "个"},
    ]
    assert vocs.created_by == vocs.updated_by == "王科员"
    water = by_title(session, "水源保护")
    assert water.unit_code == "EEB-WATER"  # a unit's full name resolves to its code
    assert water.area_code == "990102001" and water.sort_order == 5
    assert water.quantities == [{"name": "围网", "value": 18.6, "unit": "公里"}]
    assert water.attachments == ["甲文件", "乙文件"]
    assert by_title(session, "大气方案").attachments == ["测环发〔2026〕1号"]
    created = session.scalars(
        select(AuditEntry.entity_id).where(
            AuditEntry.entity_type == "work_record", AuditEntry.action == "create"
        )
    ).all()
    assert sorted(created) == [
        "2026-01-20/air/大气方案",
        "2026-03-16/air/VOCs整治",
        "2026-04-16/water/水源保护",
    ]


def test_reimport_of_the_same_file_changes_nothing(session: Session, import_records) -> None:
    import_records()
    audits, imports = count(session, AuditEntry), count(session, ImportRecord)
    again = import_records(actor="另一人")
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 3)
    assert not again.changed and again.already_imported is not None
    assert (count(session, AuditEntry), count(session, ImportRecord)) == (audits, imports)
    assert by_title(session, "VOCs整治").updated_by == "t"


def test_changed_row_is_updated_and_audited(session: Session, import_records) -> None:
    import_records()
    outcome = import_records(RECORDS.replace("完成家数=137家", "完成家数=140家"), actor="李科长")
    assert (outcome.result.created, outcome.result.updated) == (0, 1)
    vocs = by_title(session, "VOCs整治")
    assert vocs.quantities[0] == {"name": "完成家数", "value": 140, "unit": "家"}
    assert (vocs.created_by, vocs.updated_by) == ("t", "李科长")
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "work_record", AuditEntry.action == "update"
        )
    ).one()
    assert entry.entity_id == "2026-03-16/air/VOCs整治" and entry.actor == "李科长"
    assert entry.before["quantities"][0]["value"] == 137
    assert entry.after["quantities"][0]["value"] == 140


BAD_ROWS = (
    "2026-02-01,治山,会议,主题不对,开会,,,990100,,\n"  # row 2: unknown theme
    "2026-02-02,治水,会议,花括号无数量,完成{家数}家,,,990100,,\n"  # row 3
    "2026-02-03,治水,会议,数量无数值,完成{家数}家,家数=家,,990100,,\n"  # row 4
    "2026-02-04,治水,会议,数量无单位,完成{家数}家,家数=12,,990100,,\n"  # row 5
    "2026-02-05,治水,会议,单位不存在,开会,,不存在的科,990100,,\n"  # row 6
    "2026-02-06,治水,会议,区划不存在,开会,,,999999,,\n"  # row 7
    "2026-02-07,治水,会议,花括号不成对,完成{家数家,,,990100,,\n"  # row 8
    "2026-02-08,治水,会议,单位同名,开会,,金溪镇环保办,990100,,\n"  # row 9
    "2026-02-09,治水,会议,数量写法,开会,十二家,,990100,,\n"  # row 10: no '='
    "2026-02-02,water,会议,花括号无数量,开会,,,990100,,\n"  # row 11: same key as row 3
    "2026-02-31,治水,会议,日期不对,开会,,,990100,,\n"  # row 12: no such day
)


def test_every_broken_cell_is_named_and_nothing_is_written(
    session: Session, import_records
) -> None:
    audits = count(session, AuditEntry)
    with pytest.raises(ValidationFailed) as info:
        import_records(BAD_ROWS, name="坏台账.csv")
    found = {(d.loc[0], d.loc[1], d.loc[2], d.code) for d in info.value.details}
    assert {(row, column, code) for _, row, column, code in found} == {
        (2, "主题", "value.invalid"),
        (3, "报告表述", "text.quantity_unknown"),
        (4, "数量", "quantity.no_number"),
        (5, "数量", "quantity.no_unit"),
        (6, "责任单位", "unit.unknown"),
        (7, "区划代码", "area.unknown"),
        (8, "报告表述", "text.brace_unbalanced"),
        (9, "责任单位", "unit.ambiguous"),
        (10, "数量", "quantity.format"),
        (11, "日期", "row.duplicate_key"),
        (12, "日期", "value.invalid"),
    }
    assert {f[0] for f in found} == {"坏台账.csv"}
    messages = {d.loc[1]: d.msg for d in info.value.details}
    assert "{家数}" in messages[3] and "缺少单位" in messages[5]
    assert count(session, WorkRecord) == 0 and count(session, AuditEntry) == audits


def test_one_bad_row_keeps_the_good_rows_out(session: Session, import_records) -> None:
    with pytest.raises(ValidationFailed):
        import_records(RECORDS + "2026-05-01,治土,会议,坏行,开会,,,990100,,-1\n")
    assert count(session, WorkRecord) == 0


def test_full_width_braces_and_equals_are_accepted(session: Session, import_records) -> None:
    import_records("2026-05-01,治气,其他,全角,淘汰老旧车｛淘汰数｝辆,淘汰数＝1268辆,,990100,,\n")
    record = by_title(session, "全角")
    assert record.text == "淘汰老旧车{淘汰数}辆"
    assert record.quantities == [{"name": "淘汰数", "value": 1268, "unit": "辆"}]


def test_plans_import_with_indicator_and_half(session: Session, import_plans) -> None:
    assert import_plans().result.created == 2
    plans = session.scalars(select(WorkPlan).order_by(WorkPlan.title)).all()
    ozone = next(p for p in plans if p.title == "臭氧防控")
    assert (ozone.year, ozone.half, ozone.theme) == (2026, 2, "quality")
    assert ozone.indicator_id == "air.good_day_rate" and ozone.deadline == date(2026, 10, 31)
    publicity = next(p for p in plans if p.title == "宣传三进")
    assert publicity.theme == "publicity" and publicity.unit_code is None
    assert publicity.indicator_id is None and publicity.deadline is None
    assert import_plans().result.created == 0  # the same file again


def test_plan_errors_named_by_row_and_column(session: Session, import_plans) -> None:
    bad = (
        "2026,下半年,quality,指标不存在,开展工作,,,990100,,air.no_such,\n"  # row 2
        "2026,三季度,quality,半年不对,开展工作,,,990100,,,\n"  # row 3
        "2026,下半年,治气,主题不对,开展工作,,,990100,,,\n"  # row 4: a part-one theme
        "2026,下半年,reform,无数量,完成{家数}家,,,990100,,,\n"  # row 5
    )
    with pytest.raises(ValidationFailed) as info:
        import_plans(bad, name="坏安排.csv")
    assert {(d.loc[1], d.loc[2], d.code) for d in info.value.details} == {
        (2, "指标代码", "indicator.unknown"),
        (3, "半年", "value.invalid"),
        (4, "主题", "value.invalid"),
        (5, "报告表述", "text.quantity_unknown"),
    }
    assert count(session, WorkPlan) == 0


def test_filled_in_excel_template_imports(session: Session, worklog_units, tmp_path: Path) -> None:
    path = write_template(RECORD_SCHEMA, tmp_path / "台账模板.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == RECORD_HEADER.strip().split(",")
    row = [date(2026, 6, 5), "宣传", "其他", "环境日", "开放设施{场次}场", "场次=12场"]
    sheet.append([*row, "", "990100", "", 3])
    book.save(path)
    outcome = run_import(
        session, RecordImporter(), data=path.read_bytes(), file_name=path.name, actor="t"
    )
    assert outcome.result.created == 1
    record = by_title(session, "环境日")
    assert record.date == date(2026, 6, 5) and record.sort_order == 3
    notes = [row[0].value for row in book["填写说明"].iter_rows(min_row=2)]
    assert notes == [c.label for c in RECORD_SCHEMA.columns]


def test_plan_template_headers() -> None:
    assert [c.label for c in PLAN_SCHEMA.columns] == PLAN_HEADER.strip().split(",")
