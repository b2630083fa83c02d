"""One item as the pages and the API show it (``worklog.items``): the clause in pieces (its raw
text when a brace names no quantity), the office domains it belongs to, and its detail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.worklog.clauses import Quantity
from envbureau.worklog.items import (
    clause_parts,
    get_detail,
    item_domains,
    printed_text,
    theme_name,
)
from envbureau.worklog.models import WorkPlan, WorkRecord


def test_clause_parts_and_the_printed_text() -> None:
    record = WorkRecord(
        theme="air",
        text="完成企业{完成家数}家",
        quantities=[{"name": "完成家数", "value": 137, "unit": "家"}],
    )
    assert clause_parts(record) == [
        ("完成企业", None),
        ("137", Quantity("完成家数", 137.0, "家")),
        ("家", None),
    ]
    assert printed_text(record) == "完成企业137家"


def test_a_clause_that_cannot_be_split_is_shown_as_written() -> None:
    broken = WorkRecord(theme="air", text="完成企业{未知}家", quantities=[])
    assert clause_parts(broken) == [("完成企业{未知}家", None)]
    assert printed_text(broken) == "完成企业{未知}家"


def test_domains_and_theme_names() -> None:
    assert item_domains(WorkRecord(theme="water")) == ("water",)
    assert theme_name(WorkRecord(theme="water")) == "治水"
    serving = WorkPlan(theme="quality", indicator_id="air.good_day_rate")
    assert item_domains(serving) == ("air",)  # the indicator's office domain
    assert item_domains(WorkPlan(theme="quality", indicator_id=None)) == ("air", "water", "soil")
    assert theme_name(WorkPlan(theme="publicity")) == "宣传与信息公开"


def test_detail_of_a_record(session: Session, import_records) -> None:
    import_records()
    record = session.scalars(select(WorkRecord).where(WorkRecord.title == "水源保护")).one()
    detail = get_detail(session=session, item=record)
    assert detail.is_record and detail.theme_name == "治水" and detail.domains == ("water",)
    assert [p for p, _ in detail.parts] == ["新建隔离围网", "18.6", "公里"]
    assert detail.cells["数量"] == "围网=18.6公里"
    assert detail.cells["附件"] == "甲文件; 乙文件"  # written 甲文件；乙文件, kept as two
    assert [e.action for e in detail.history] == ["create"]
