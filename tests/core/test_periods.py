"""Reporting periods: parsing the bureau's codes, labels, year-on-year bases."""

from __future__ import annotations

from datetime import date

import pytest

from envbureau.core.errors import RuleViolation
from envbureau.core.periods import custom, parse


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
        ("2026h2", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
        (
            "2026-01-01~2026-03-15",
            date(2026, 1, 1),
            date(2026, 3, 15),
            "2026年1月1日至2026年3月15日",
        ),
    ],
)
def test_parse_period_codes(code: str, start: date, end: date, label: str) -> None:
    period = parse(code)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_parse_period_half_has_181_days_in_common_year() -> None:
    assert parse("2026H1").days == 181
    assert parse("2024H1").days == 182


@pytest.mark.parametrize("code", ["2026H3", "2026-13", "26", "2026-06-30~2026-01-01", "上半年"])
def test_parse_period_invalid(code: str) -> None:
    with pytest.raises(RuleViolation):
        parse(code)


def test_same_period_last_year() -> None:
    assert parse("2026H1").same_period_last_year() == parse("2025H1")
    assert parse("2025-02").same_period_last_year().end == date(2024, 2, 29)
    leap = custom(date(2024, 2, 1), date(2024, 2, 29)).same_period_last_year()
    assert (leap.start, leap.end) == (date(2023, 2, 1), date(2023, 2, 28))


def test_year_to_date() -> None:
    ytd = parse("2026Q2").year_to_date()
    assert (ytd.start, ytd.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert parse("2026H1").year_to_date() == parse("2026H1")
