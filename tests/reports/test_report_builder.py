"""The half-year report builder: figures never typed, the 【数据不足】 path, staff text marked,
a bureau's own template, receipts, and ``explain`` re-computing a printed figure."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from envbureau.core.freshness import READS_ONLY, WriteInReadOnlySession, mark_reads_only
from envbureau.core.indicators import service as indicators_service
from envbureau.core.periods import parse as parse_period
from envbureau.reports.builder import build_half_year
from envbureau.reports.explain import explain_figure
from envbureau.reports.receipts import read_figures, write_figures
from envbureau.worklog.models import WorkRecord

LEADS = [
    "（一）狠抓“治水”工作。",
    "（二）狠抓“治气”工作。",
    "（三）狠抓“治土”工作。",
    "（四）狠抓重点行业整治提升。",
    "（五）狠抓生态文明建设。",
    "（六）狠抓生态文明制度改革。",
    "（七）狠抓执法监管工作。",
]


def test_default_template_without_data_shows_every_gap(session: Session, city) -> None:
    report = build_half_year(session, year=2026, area_code="990100")
    document = report.document
    assert document.title == "测试市生态环境局2026年上半年工作进展情况和下半年工作安排"
    leads = [p.lead for p in document.paragraphs if p.lead]
    assert leads[:7] == LEADS and len(leads) == 12
    headings = [p.text for p in document.paragraphs if p.style == "heading1"]
    assert headings == ["一、上半年工作进展情况", "二、下半年工作安排"]
    missing = [r for p in document.paragraphs for r in p.runs if r.missing]
    assert missing and all(r.text.startswith("【数据不足：") for r in missing)
    assert len(report.book.warnings) >= len(missing) - 1  # one warning per gap (repeats share)
    assert not re.search(r"[xX]{1,}", document.text.replace("PM2.5", ""))
    # Nothing invented: only what the platform holds (its organisation units) is printed.
    assert [f.indicator_id for f in report.book.figures] == ["org.town_env_offices"]


def test_figures_and_staff_text_are_marked_with_receipts(session: Session, city, tmp_path) -> None:
    h1 = parse_period("2026H1")
    indicators_service.enter_manual(
        session=session,
        indicator_id="enforcement.cases_filed",
        period=h1,
        area_code="990100",
        value=327,
        source_document="执法统计月报（2026年6月）",
        entered_by="tester",
    )
    record = WorkRecord(
        date=date(2026, 3, 2),
        theme="air",
        kind="campaign",
        title="VOCs整治",
        text="完成VOCs整治企业{完成家数}家。",
        quantities=[{"name": "完成家数", "value": 126, "unit": "家"}],
        area_code="990100",
        created_by="tester",
        updated_by="tester",
    )
    session.add(record)
    session.flush()
    (tmp_path / "half_year.md.j2").write_text(
        "# {{ city }}报告\n\n"
        "{{ records('air') }}；立案{{ fig('enforcement.cases_filed') }}件，"
        "再提一次{{ fig('enforcement.cases_filed') }}件；"
        "优良率{{ fig('air.good_day_rate') }}%。\n",
        encoding="utf-8",
    )
    report = build_half_year(session, year=2026, area_code="990100", template_dir=tmp_path)
    assert report.document.title == "测试市报告"  # the bureau's own template was used
    (paragraph,) = report.document.paragraphs
    ref = f"WR{record.id}"
    marked = [(r.text, r.figure, r.record) for r in paragraph.runs if r.figure or r.record]
    assert marked == [
        ("完成VOCs整治企业", None, ref),
        ("126", "F001", ref),
        ("家", None, ref),
        ("327", "F002", None),
        ("327", "F002", None),  # the same figure asked twice is one receipt
    ]
    assert paragraph.runs[-2].missing  # no air data: never invented
    figures = {f.id: f for f in report.book.figures}
    assert figures["F001"].kind == "record_quantity" and figures["F001"].unit == "家"
    assert figures["F002"].source == "manual" and figures["F002"].indicator_id == (
        "enforcement.cases_filed"
    )
    assert figures["F002"].inputs["source_document"] == "执法统计月报（2026年6月）"
    assert any("环境空气质量优良天数比例" in w for w in report.book.warnings)


def test_explain_recomputes_and_reports_a_change(session: Session, city, tmp_path: Path) -> None:
    h1 = parse_period("2026H1")

    def enter(value: float) -> None:
        indicators_service.enter_manual(
            session=session,
            indicator_id="enforcement.cases_filed",
            period=h1,
            area_code="990100",
            value=value,
            source_document="执法统计月报",
            entered_by="tester",
        )

    enter(327)
    (tmp_path / "half_year.md.j2").write_text(
        "# 报告\n\n立案{{ fig('enforcement.cases_filed') }}件。\n", encoding="utf-8"
    )
    report = build_half_year(session, year=2026, area_code="990100", template_dir=tmp_path)
    write_figures(report, tmp_path / "figures.json")
    receipts = read_figures(tmp_path)
    same = explain_figure(session, receipts, "F001")
    assert same["definition"]["id"] == "enforcement.cases_filed"
    assert same["recomputed"] == {
        "printed_now": "327",
        "value_now": 327.0,
        "same": True,
        "edition": None,
    }
    enter(330)  # the department corrected its figure after the report was written
    changed = explain_figure(session, receipts, "F001")
    assert changed["recomputed"]["printed_now"] == "330" and not changed["recomputed"]["same"]
    with pytest.raises(Exception, match="F999"):
        explain_figure(session, receipts, "F999")


def test_a_number_typed_into_a_template_is_a_warning(session: Session, city, tmp_path) -> None:
    (tmp_path / "half_year.md.j2").write_text(
        "# 报告\n\n依据HJ 633-2026，自2026年3月1日起，优良率达到95%以上，PM2.5下降。\n",
        encoding="utf-8",
    )
    report = build_half_year(session, year=2026, area_code="990100", template_dir=tmp_path)
    (warning,) = report.book.warnings
    assert "95" in warning and "fig()" in warning


def test_building_a_report_only_reads(session: Session, city) -> None:
    """A report is built in a reading transaction (no SQLite write lock for the minute it takes):
    in a session that refuses writes it builds all the same."""
    mark_reads_only(session)
    try:
        report = build_half_year(session, year=2026, area_code="990100")
        # the small city has almost no data: its indicators were computed (none stored) and
        # most are reported as 【数据不足】
        assert len(report.book.figures) >= 1 and len(report.book.warnings) > 10
        with pytest.raises(WriteInReadOnlySession):  # the guard is on: a write would be refused
            session.add(WorkRecord(title="x"))
            session.flush()
    finally:
        session.rollback()
        session.info.pop(READS_ONLY, None)
