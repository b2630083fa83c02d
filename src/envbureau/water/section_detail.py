"""One section over a date range: its monthly means against the class limits of its water
body (GB 3838-2002 表1), its latest samples each with its own class, and its class over the
half-year the range ends in. The page draws the charts from these results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.periods import Period, half_of
from envbureau.standards import gb3838
from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838_aggregate import period_mean_gb3838
from envbureau.water import service as water_service
from envbureau.water.as_of import DataDay, checked_window, section_day
from envbureau.water.models import Sample, Section
from envbureau.water.period_classes import class_text, period_classes
from envbureau.water.section_list import SectionRow, section_row

TREND_ITEMS = ("do", "codmn", "cod", "bod5", "nh3n", "tp", "tn")
TREND_MONTHS = 24
RECENT_SAMPLES = 20


@dataclass(frozen=True)
class LimitLine:
    """A class limit of an item: the classes that share it (Ⅰ、Ⅱ), the limit, the worst of
    those classes, and whether it is the limit of the section's target class."""

    classes: str
    limit: float
    worst_class: int
    target: bool = False


@dataclass(frozen=True)
class Column:
    item: str
    name: str
    unit: str


@dataclass(frozen=True)
class ItemTrend:
    """An item's monthly means (None: no value that month) and its class limits."""

    column: Column
    months: tuple[str, ...]
    values: tuple[float | None, ...]
    lines: tuple[LimitLine, ...]
    higher_is_better: bool


@dataclass(frozen=True)
class MonthRow:
    month: str
    values: tuple[float | None, ...]  # in the order of ``SectionDetail.trend``
    class_label: str


@dataclass(frozen=True)
class RecentSample:
    """A sample (Beijing time): values as text, 未检出 ending in L, and the sample's class."""

    time: datetime
    cells: tuple[str, ...]  # in the order of ``SectionDetail.items``
    class_label: str


@dataclass(frozen=True)
class SectionDetail:
    """The section page: ``row`` with its class over ``period`` (the half-year of ``last``);
    ``day`` is where the default range ends and where it came from."""

    row: SectionRow
    period: Period
    first: date
    last: date
    day: DataDay
    trends: tuple[ItemTrend, ...]
    trend: tuple[Column, ...]
    months: tuple[MonthRow, ...]
    items: tuple[Column, ...]
    recent: tuple[RecentSample, ...]
    revisions: int


def limit_lines(item: str, kind: str, target_class: int | None = None) -> tuple[LimitLine, ...]:
    """An item's limits for a water body; equal limits of adjacent classes share one line
    (GB 3838-2002 表1; lakes and reservoirs have their own TP row). The line holding the
    target class is marked."""
    if item in tables.LAKE_RESERVOIR_ONLY and kind not in tables.LAKE_RESERVOIR:
        return ()
    lake = tables.LAKE_RESERVOIR_LIMITS.get(item) if kind in tables.LAKE_RESERVOIR else None
    limits = lake or tables.TABLE1_LIMITS.get(item, ())
    lines: list[LimitLine] = []
    for code, limit in enumerate(limits, start=1):
        if lines and lines[-1].limit == limit:
            lines[-1] = LimitLine(f"{lines[-1].classes}、{class_text(code)}", limit, code)
        else:
            lines.append(LimitLine(class_text(code), limit, code))
    if target_class is not None:
        index = next((i for i, line in enumerate(lines) if line.worst_class >= target_class), None)
        if index is not None:
            lines[index] = LimitLine(
                lines[index].classes, lines[index].limit, lines[index].worst_class, True
            )
    return tuple(lines)


def present_items(samples: pd.DataFrame) -> list[str]:
    """Items with at least one value, in the order of 表1 then 表2."""
    known = [*tables.TABLE1_ITEMS, *tables.TABLE2_ITEMS]
    return [i for i in known if i in samples.columns and samples[i].notna().any()]


def column(item: str) -> Column:
    return Column(
        item, (tables.TABLE1_ITEMS | tables.TABLE2_ITEMS)[item], tables.UNITS.get(item, "")
    )


def monthly_means(samples: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Monthly means of every item (below-detection results at half the limit) and the class
    of each month (GB 3838 single-factor on the monthly mean, the section's water body)."""
    if samples.empty:
        return pd.DataFrame()
    frame = samples.drop(columns=["section", "time"]).assign(
        month=samples["time"].dt.strftime("%Y-%m")
    )
    means = period_mean_gb3838(frame, "month")
    classes = gb3838.water_class_gb3838(means.reset_index(drop=True), water_body=kind)
    means["water_class"] = classes["water_class"].to_numpy()
    return means


def _value(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def recent_samples(samples: pd.DataFrame, kind: str, items: list[str]) -> tuple[RecentSample, ...]:
    """The latest samples, newest first, each with its own class; 未检出 values end in L."""
    if samples.empty:
        return ()
    latest = samples.sort_values("time", ascending=False).head(RECENT_SAMPLES)
    classes = gb3838.water_class_gb3838(latest.reset_index(drop=True), water_body=kind)
    rows = []
    for (_, sample), water_class in zip(latest.iterrows(), classes["water_class"], strict=True):
        cells = []
        for item in items:
            value = sample.get(item)
            below = bool(sample.get(f"{item}_bdl", False))
            cells.append("" if pd.isna(value) else f"{value:g}{'L' if below else ''}")
        rows.append(
            RecentSample(sample["time"].to_pydatetime(), tuple(cells), class_text(water_class))
        )
    return tuple(rows)


def revision_count(*, session: Session, code: str) -> int:
    """How many stored samples of the section are corrections (revision 2 and later)."""
    return (
        session.scalar(
            select(func.count(Sample.id)).where(Sample.section_code == code, Sample.revision > 1)
        )
        or 0
    )


def section_detail(
    *, session: Session, section: Section, first: date | None, last: date | None, today: date
) -> SectionDetail:
    """The section page over ``first``–``last`` (default: the 24 months up to the section's
    latest sample); a reversed range is refused."""
    day = section_day(session=session, code=section.code, today=today)
    last = last or day.day
    start = (pd.Timestamp(last).replace(day=1) - pd.DateOffset(months=TREND_MONTHS - 1)).date()
    first, last = checked_window(first or start, last)
    samples = water_service.load_samples(
        session=session, sections=[section.code], first_day=first, last_day=last
    )
    means = monthly_means(samples, section.kind)
    items = present_items(samples) if not samples.empty else []
    trend = [i for i in TREND_ITEMS if i in items and limit_lines(i, section.kind)]
    period = half_of(last)
    found = None
    if section.area_code:
        classes = period_classes(session=session, area_code=section.area_code, period=period)
        found = classes.get(section.code)
    names = areas_service.area_names(session=session)
    months = tuple(str(m) for m in means.index)
    return SectionDetail(
        row=section_row(section, found, names),
        period=period,
        first=first,
        last=last,
        day=day,
        trends=tuple(
            ItemTrend(
                column=column(item),
                months=months,
                values=tuple(_value(v) for v in means[item]),
                lines=limit_lines(item, section.kind, section.target_class),
                higher_is_better=item in tables.HIGHER_IS_BETTER,
            )
            for item in trend
        ),
        trend=tuple(column(i) for i in trend),
        months=tuple(
            MonthRow(m, tuple(_value(means.at[m, i]) for i in trend), class_text(c))
            for m, c in zip(means.index, means.get("water_class", []), strict=False)
        ),
        items=tuple(column(i) for i in items),
        recent=recent_samples(samples, section.kind, items),
        revisions=revision_count(session=session, code=section.code),
    )
