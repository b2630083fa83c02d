"""Reporting periods as the bureau names them: 2026, 2026H1, 2026Q2, 2026-03, or a custom span.

A period is a closed range of calendar days in Beijing time. Codes are stable keys for stored
indicator values; labels are what a report prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from envbureau.core.errors import RuleViolation

PeriodKind = Literal["year", "half", "quarter", "month", "custom"]

_HALF_LABEL = {1: "上半年", 2: "下半年"}
_QUARTER_LABEL = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: PeriodKind
    code: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """The Chinese name a report uses (2026年上半年)."""
        y = self.start.year
        if self.kind == "year":
            return f"{y}年"
        if self.kind == "half":
            return f"{y}年{_HALF_LABEL[1 if self.start.month == 1 else 2]}"
        if self.kind == "quarter":
            return f"{y}年{_QUARTER_LABEL[(self.start.month - 1) // 3 + 1]}"
        if self.kind == "month":
            return f"{y}年{self.start.month}月"
        return f"{self.start:%Y年%-m月%-d日}至{self.end:%Y年%-m月%-d日}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def same_period_last_year(self) -> Period:
        """The year-on-year base (同期); 29 February maps to 28 February."""
        if self.kind == "custom":
            return custom(_shift_year(self.start, -1), _shift_year(self.end, -1))
        return parse(self.code.replace(str(self.year), str(self.year - 1), 1))

    def year_to_date(self) -> Period:
        """From 1 January of the period's year to the period's end."""
        if self.start == date(self.year, 1, 1):
            return self
        return custom(date(self.year, 1, 1), self.end)

    def __str__(self) -> str:
        return self.code


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def custom(start: date, end: date) -> Period:
    if end < start:
        raise RuleViolation(
            f"时段结束日 {end} 早于开始日 {start}", code="period.reversed", loc=("period",)
        )
    return Period(start, end, "custom", f"{start.isoformat()}~{end.isoformat()}")


_PATTERNS: list[tuple[re.Pattern[str], PeriodKind]] = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "month"),
]


def parse(code: str) -> Period:
    """Parse ``2026``, ``2026H1``, ``2026Q2``, ``2026-03`` or ``2026-01-01~2026-06-30``."""
    text = code.strip().replace("..", "~")
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return Period(date(year, 1, 1), date(year, 12, 31), kind, f"{year}")
        part = int(match.group(2))
        if kind == "half":
            start_month, months = (1 if part == 1 else 7), 6
            tag = f"H{part}"
        elif kind == "quarter":
            start_month, months = 3 * (part - 1) + 1, 3
            tag = f"Q{part}"
        else:
            start_month, months = part, 1
            tag = f"-{part:02d}"
        end_month = start_month + months - 1
        return Period(date(year, start_month, 1), _month_end(year, end_month), kind, f"{year}{tag}")
    if "~" in text:
        first, _, last = text.partition("~")
        try:
            return custom(date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))
        except ValueError:
            pass
    raise RuleViolation(
        f"无法识别时段“{code}”（可用：2026、2026H1、2026Q2、2026-03、2026-01-01~2026-06-30）",
        code="period.invalid",
        loc=("period",),
    )


def year_to_date(as_of: date) -> Period:
    """1 January to ``as_of``, named like the report's period when it is one (2026H1)."""
    for code in (f"{as_of.year}", f"{as_of.year}H1", f"{as_of.year}Q1", f"{as_of.year}-01"):
        period = parse(code)
        if period.end == as_of:
            return period
    return custom(date(as_of.year, 1, 1), as_of)


def half_of(day: date) -> Period:
    """The half-year (2026H1, 2026H2) a day falls in."""
    return parse(f"{day.year}H{1 if day.month <= 6 else 2}")
