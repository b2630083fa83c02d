"""The water services behind the 水 pages: the day a page starts from (never the wall clock
while there are data), a section's class limits, the section list, a section's detail, the
classes by period and the compliance tables, worked by hand from three sections' samples."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from envbureau.core.errors import NotFound, RuleViolation
from envbureau.core.importing.runner import run_import
from envbureau.core.periods import parse
from envbureau.water import service
from envbureau.water.as_of import area_day, checked_window, default_half, section_day
from envbureau.water.assessment import assessment
from envbureau.water.class_overview import class_overview
from envbureau.water.importers import SectionImporter, import_samples
from envbureau.water.period_classes import classes_of_period
from envbureau.water.section_detail import LimitLine, limit_lines, section_detail
from envbureau.water.section_list import section_list
from envbureau.water.section_samples import section_samples

SECTIONS = (
    "断面编码,断面名称,水体类型,区划代码,控制级别,水功能区目标,水十条考核目标,饮用水源地,水源地级别,消劣清单\n"
    "R1,一号河,河流,990102,省控,3,3,否,,\n"
    "R2,二号河,河流,990121,市控,4,,否,,市控\n"
    "K1,水库,水库,990121,国控,2,2,是,市级,\n"
)
HEADER = "断面编码,监测时间,pH,溶解氧,高锰酸盐指数,氨氮,总磷,汞\n"
SAMPLES = (
    "R1,2026-01-10 10:00,7.5,6.5,3.5,0.40,0.08,0.00004L\n"  # all within Ⅱ
    "R1,2026-02-10 10:00,7.6,6.1,3.9,1.20,0.10,0.00004L\n"  # NH3-N 1.2 → Ⅳ
    "R2,2026-01-10 10:00,7.1,1.5,8.0,2.60,0.50,\n"  # DO, NH3-N and TP 劣Ⅴ
    "K1,2026-01-10 10:00,7.9,7.0,2.1,0.20,0.03,\n"  # TP 0.03: reservoir Ⅲ (Ⅱ is 0.025)
)
H1 = parse("2026H1")
TODAY = date(2031, 5, 4)  # a "today" far from the data: no page may start from it while data exist


@pytest.fixture
def sections(session: Session, city) -> None:
    run_import(
        session, SectionImporter(), data=SECTIONS.encode("gbk"), file_name="断面.csv", actor="t"
    )


@pytest.fixture
def samples(session: Session, sections) -> None:
    data = (HEADER + SAMPLES).encode("gbk")
    import_samples(session, data=data, file_name="样品.csv", actor="t")


# --- the day a page starts from ------------------------------------------------------------------


def test_an_empty_database_starts_from_today_and_says_it_came_from_the_clock(
    session: Session, sections
) -> None:
    day = area_day(session=session, area_code="990100", today=TODAY)
    assert (day.day, day.source) == (TODAY, "clock")
    assert default_half(session=session, area_code="990100", today=TODAY).code == "2031H1"


def test_pages_start_from_the_day_the_data_reach(session: Session, samples) -> None:
    # R1's last sample is 2026-02-10 (Beijing); the city's, 2026-02-10 as well
    day = area_day(session=session, area_code="990102", today=TODAY)
    assert (day.day, day.source) == (date(2026, 2, 10), "own")
    assert default_half(session=session, area_code="990100", today=TODAY).code == "2026H1"
    # 乙县's last sample is 2026-01-10 (R2 and K1)
    assert area_day(session=session, area_code="990121", today=TODAY).day == date(2026, 1, 10)
    # a town without sections starts from the day the city's data reach, and says so
    town = area_day(session=session, area_code="990102001", today=TODAY)
    assert (town.day, town.source) == (date(2026, 2, 10), "city")
    assert section_day(session=session, code="K1", today=TODAY).day == date(2026, 1, 10)


def test_a_reversed_or_too_long_range_is_refused() -> None:
    # 2025-01-01 … 2026-01-01 is 366 days counting both ends: the most asked at once
    year = (date(2025, 1, 1), date(2026, 1, 1))
    assert checked_window(*year, 366) == year
    with pytest.raises(RuleViolation, match="早于开始日"):
        checked_window(date(2026, 2, 1), date(2026, 1, 31))
    with pytest.raises(RuleViolation, match="一次最多查询 366 天"):
        checked_window(date(2025, 1, 1), date(2026, 1, 2), 366)  # 367 days


# --- class limits --------------------------------------------------------------------------------


def test_equal_limits_of_adjacent_classes_share_one_line_and_the_target_line_is_marked() -> None:
    # GB 3838-2002 表1 COD: Ⅰ 15, Ⅱ 15, Ⅲ 20, Ⅳ 30, Ⅴ 40; a Ⅱ target lies on the shared 15 line
    assert limit_lines("cod", "river", 2) == (
        LimitLine("Ⅰ、Ⅱ", 15, 2, True),
        LimitLine("Ⅲ", 20, 3),
        LimitLine("Ⅳ", 30, 4),
        LimitLine("Ⅴ", 40, 5),
    )
    # reservoirs have their own TP row (0.01, 0.025, 0.05, 0.1, 0.2); rivers have no TN limit
    assert [line.limit for line in limit_lines("tp", "reservoir")] == [0.01, 0.025, 0.05, 0.1, 0.2]
    assert [line.target for line in limit_lines("tp", "river", 3)] == [0, 0, 1, 0, 0]
    assert limit_lines("tn", "river") == ()


# --- section list, classes by period ---------------------------------------------------------------


def test_the_section_list_gives_each_sections_class_target_result_and_lists(
    session: Session, samples
) -> None:
    page = section_list(session=session, area_code="990100", period=H1, today=TODAY)
    rows = {r.code: r for r in page.rows}
    # R1: NH3-N monthly means 0.40 and 1.20 → period mean 0.80 → Ⅲ (the only Ⅲ item)
    r1 = rows["R1"]
    assert (r1.class_label, r1.limiting, r1.main, r1.samples) == ("Ⅲ", "氨氮", "", 2)
    assert r1.meets_target is True and r1.flags == ("水十条考核",)
    # R2: 劣Ⅴ; over Ⅲ: NH3-N (2.60 − 1.0) / 1.0 = 1.6, TP (0.50 − 0.2) / 0.2 = 1.5, CODMn
    # (8.0 − 6) / 6 = 0.33, each to two places (DO has no multiple)
    r2 = rows["R2"]
    assert (r2.water_class, r2.status, r2.meets_target) == (6, "重度污染", False)
    assert r2.main == "氨氮（1.60）、总磷（1.50）、高锰酸盐指数（0.33）"
    assert r2.flags == ("市控消劣清单",) and (r2.area, r2.level, r2.target) == ("乙县", "市控", "Ⅳ")
    # K1: reservoir TP 0.03 > 0.025 → Ⅲ against a Ⅱ target
    k1 = rows["K1"]
    assert (k1.kind, k1.class_label, k1.limiting, k1.meets_target) == ("水库", "Ⅲ", "总磷", False)
    assert k1.flags == ("水十条考核", "市级饮用水水源地")
    assert [c.count for c in page.counts] == [0, 0, 2, 0, 0, 1] and page.evaluated == 3
    assert page.as_of == date(2026, 2, 10) and page.data_day.source == "own"


def test_classes_by_period_group_the_sections_and_count_the_half_years(
    session: Session, samples
) -> None:
    overview = class_overview(session=session, area_code="990100", period=H1, today=TODAY)
    groups = {g.count.label: [s.code for s in g.sections] for g in overview.groups}
    assert groups == {"Ⅰ": [], "Ⅱ": [], "Ⅲ": ["K1", "R1"], "Ⅳ": [], "Ⅴ": [], "劣Ⅴ": ["R2"]}
    assert [round(g.count.share or 0, 2) for g in overview.groups] == [0, 0, 66.67, 0, 0, 33.33]
    assert overview.missing == () and overview.evaluated == 3
    # six half-years to 2026H1; only 2026H1 has samples
    assert [(h.period.code, h.total) for h in overview.history] == [("2026H1", 3)]
    empty = classes_of_period(session=session, area_code="990100", period=parse("2025H2"))
    assert empty.classes == {} and [c.count for c in empty.counts] == [0] * 6


# --- one section ------------------------------------------------------------------------------------


def test_a_section_detail_has_its_monthly_means_and_samples(session: Session, samples) -> None:
    r1 = service.get_section_or_raise(session=session, code="R1")
    page = section_detail(session=session, section=r1, first=None, last=None, today=TODAY)
    # the range ends on the last sample and spans 24 months
    assert (page.first, page.last, page.period.code) == (
        date(2024, 3, 1),
        date(2026, 2, 10),
        "2026H1",
    )
    assert [c.item for c in page.trend] == ["do", "codmn", "nh3n", "tp"]
    assert [(m.month, m.values, m.class_label) for m in page.months] == [
        ("2026-01", (6.5, 3.5, 0.40, 0.08), "Ⅱ"),
        ("2026-02", (6.1, 3.9, 1.20, 0.10), "Ⅳ"),
    ]
    # newest first; Hg was below detection (0.00004L)
    assert [c.item for c in page.items] == ["ph", "do", "codmn", "nh3n", "tp", "hg"]
    assert page.recent[0].cells == ("7.6", "6.1", "3.9", "1.2", "0.1", "4e-05L")
    assert [r.class_label for r in page.recent] == ["Ⅳ", "Ⅱ"]
    assert page.row.class_label == "Ⅲ" and page.revisions == 0
    nh3n = page.trends[2]
    assert nh3n.values == (0.40, 1.20) and [line.target for line in nh3n.lines][2]


def test_a_section_without_samples_says_where_its_range_ends(session: Session, samples) -> None:
    r1 = service.get_section_or_raise(session=session, code="R1")
    page = section_detail(
        session=session, section=r1, first=date(2030, 1, 1), last=date(2030, 1, 31), today=TODAY
    )
    assert page.months == () and page.recent == () and page.row.water_class is None
    with pytest.raises(NotFound):
        service.get_section_or_raise(session=session, code="R9")


def test_the_samples_of_a_range_are_in_beijing_time(session: Session, samples) -> None:
    k1 = service.get_section_or_raise(session=session, code="K1")
    found = section_samples(session=session, section=k1, first=None, last=None, today=TODAY)
    assert (found.first, found.last) == (date(2025, 12, 11), date(2026, 1, 10))  # 30 days back
    assert [s.time.isoformat() for s in found.samples] == ["2026-01-10T10:00:00"]
    assert found.samples[0].values == {"ph": 7.9, "do": 7.0, "codmn": 2.1, "nh3n": 0.2, "tp": 0.03}
    assert found.units["tp"] == "mg/L"


# --- compliance -------------------------------------------------------------------------------------


def test_the_compliance_tables_are_the_indicators_with_their_sections(
    session: Session, samples
) -> None:
    found = assessment(session=session, area_code="990100", period=H1, today=TODAY)
    tables = {t.id: t for t in found.tables}
    # function zones: R1 Ⅲ ≤ Ⅲ passes; R2 劣Ⅴ > Ⅳ and K1 Ⅲ > Ⅱ fail: 1 of 3 = 33.3 %
    zone = tables["water.function_zone_compliance_rate"]
    assert (zone.value_reported, zone.passing, zone.counted) == ("33.3", 1, 3)
    assert {line.code: line.passed for line in zone.sections} == {
        "R1": True,
        "R2": False,
        "K1": False,
    }
    # 水十条: R1 passes, K1 fails: 50.0 %; drinking water: K1 (TP over Ⅲ? no: 0.03 ≤ 0.05) passes
    assert tables["water.assessment_compliance_rate"].value_reported == "50.0"
    drinking = tables["water.drinking_source_compliance_rate"]
    assert [(line.code, line.source_level, line.passed) for line in drinking.sections] == [
        ("K1", "市级", True)
    ]
    # no cross-boundary section; R2 on the 劣Ⅴ list, with no data last year: due, still 劣Ⅴ
    assert found.cross.value is None and found.cross.sections == ()
    assert [(e.code, e.now, e.status) for e in found.elimination.lines] == [
        ("R2", "劣Ⅴ", "尚待消劣")
    ]
    city_level = found.elimination.levels[1]
    assert (city_level.word, city_level.listed, city_level.counts["remaining"]) == ("市控", 1, 1)
