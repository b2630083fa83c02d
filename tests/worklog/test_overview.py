"""The work log of a period (``worklog.overview``): the half-year a page opens on, and the
records with the plans of the half that follows, filtered by theme through the plans' office
domains. Rows are the work-log factory's three records and two plans (hand-counted below)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from envbureau.core import clock
from envbureau.core.periods import parse as parse_period
from envbureau.worklog import overview

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("day", "half"),
    [(date(2026, 1, 1), "2026H1"), (date(2026, 6, 30), "2026H1"), (date(2026, 7, 1), "2026H2"),
     (date(2026, 12, 31), "2026H2")],
)  # fmt: skip
def test_half_of_a_day(day: date, half: str) -> None:
    assert overview.half_of(day).code == half


@pytest.mark.parametrize(
    ("period", "following"),
    [("2026H1", "2026H2"), ("2026H2", "2027H1"), ("2026Q2", "2026H2"), ("2026", "2027H1"),
     ("2026-03", "2026H1")],
)  # fmt: skip
def test_following_half_starts_the_day_after(period: str, following: str) -> None:
    assert overview.following_half(parse_period(period)).code == following


def test_default_period_is_the_half_of_the_latest_record(
    session: Session, import_records, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_records()  # dated 2026-01-20, 2026-03-16 and 2026-04-16
    monkeypatch.setattr(clock, "local_today", lambda tz: date(2027, 8, 1))
    assert overview.default_period(session=session, tz=BEIJING).code == "2026H1"


def test_default_period_of_an_empty_log_is_today_in_the_bureaus_zone(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[ZoneInfo] = []
    monkeypatch.setattr(clock, "local_today", lambda tz: asked.append(tz) or date(2027, 8, 1))
    assert overview.default_period(session=session, tz=BEIJING).code == "2027H2"
    assert asked == [BEIJING]


def test_overview_lists_records_and_the_plans_after(
    session: Session, import_records, import_plans
) -> None:
    import_records()
    import_plans()
    found = overview.get_overview(session=session, period=parse_period("2026H1"))
    assert found.period.code == "2026H1" and found.plans_period.code == "2026H2"
    # Report order: 治水 before 治气 (the themes' order), then sort order and date.
    assert [r.title for r in found.records] == ["水源保护", "大气方案", "VOCs整治"]
    assert [p.title for p in found.plans] == ["臭氧防控", "宣传三进"]

    # 治气: its two records; the 臭氧防控 plan serves air.good_day_rate (office domain air),
    # 宣传三进 is publicity's.
    air = overview.get_overview(session=session, period=parse_period("2026H1"), theme="air")
    assert [r.title for r in air.records] == ["大气方案", "VOCs整治"]
    assert [p.title for p in air.plans] == ["臭氧防控"]
    publicity = overview.get_overview(
        session=session, period=parse_period("2026H1"), theme="publicity"
    )
    assert publicity.records == () and [p.title for p in publicity.plans] == ["宣传三进"]

    # 乙县 (990121) has the 宣传三进 plan and no record; 甲区 the town record 水源保护.
    county = overview.get_overview(
        session=session, period=parse_period("2026H1"), area_code="990121"
    )
    assert county.records == () and [p.title for p in county.plans] == ["宣传三进"]
    district = overview.get_overview(
        session=session, period=parse_period("2026H1"), area_code="990102"
    )
    assert [r.title for r in district.records] == ["水源保护"] and district.plans == ()


def test_overview_of_the_second_half_lists_next_years_first_half_plans(
    session: Session, import_records, import_plans
) -> None:
    import_records()
    import_plans()
    found = overview.get_overview(session=session, period=parse_period("2026H2"))
    assert found.records == () and found.plans_period.code == "2027H1" and found.plans == ()
