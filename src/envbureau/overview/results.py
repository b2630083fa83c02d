"""The dashboard's result objects (frozen dataclasses): what ``overview.service`` returns and the
console's 首页 and its API render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from envbureau.air.snapshots import DayFigures, StationSnapshot
from envbureau.core.areas.boundaries import Outline

#: A month table: series label (``2026年``) → month (1–12) → the monthly indicator value.
MonthTable = Mapping[str, Mapping[int, float | None]]


@dataclass(frozen=True)
class AreaRef:
    code: str
    name: str
    level: str  # city | district


@dataclass(frozen=True)
class CardTarget:
    """An annual target (目标责任书) and whether the year-to-date value meets it already."""

    value: float
    words: str  # 不低于 / 不高于
    source_document: str
    attained_so_far: bool | None


@dataclass(frozen=True)
class AirCard:
    """A year-to-date air indicator value of the area, as stored (or computed afresh when its
    data have moved on: ``core.indicators.service.current``), with its target and outlook."""

    key: str  # good_day_rate | pm25
    id: str  # the indicator
    name: str
    unit: str
    value: float | None
    shown: str  # GB/T 8170 at the indicator's precision
    reason: str  # why there is no value
    edition: str | None
    coverage: Mapping[str, Any] | None
    period: str  # its label, 2026年上半年
    period_code: str
    target: CardTarget | None
    outlook: Mapping[str, Any] | None  # ``air.attainment.target_outlook`` of this target


@dataclass(frozen=True)
class AreaDay(DayFigures):
    """The area's official daily AQI on the as-of day, with the stations it was made from."""

    stations: tuple[str, ...]


@dataclass(frozen=True)
class WaterOverview:
    """The area's sections over the year to the latest sample, as ``water.snapshots`` gives
    them (one mapping per section: class, colour, limiting items …)."""

    first_day: date
    last_day: date
    span: str  # 2026年1月1日至2026年6月30日
    sections: tuple[Mapping[str, Any], ...]
    class_counts: Mapping[str, int]  # class label → sections of that class, Ⅰ … 劣Ⅴ

    @property
    def evaluated(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(s for s in self.sections if s["class_label"])

    @property
    def inferior_v(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(s for s in self.sections if s["class_label"] == "劣Ⅴ")

    @property
    def unplaced(self) -> int:
        return sum(1 for s in self.sections if s["lon"] is None or s["lat"] is None)


@dataclass(frozen=True)
class Alert:
    kind: str  # 目标存在风险 | 目标需关注 | 数据缺失 | 水质预警
    text: str


@dataclass(frozen=True)
class Overview:
    """首页 of an area: the as-of days the data reach (never the wall clock), the year's air
    cards and their months against last year, the stations' and the area's latest day, the
    water sections, the alerts, and the outlines the maps draw."""

    area: AreaRef
    as_of: date | None  # air data
    water_as_of: date | None
    ytd_label: str | None = None
    cards: Mapping[str, AirCard] | None = None
    month_tables: Mapping[str, MonthTable] | None = None
    city_day: AreaDay | None = None
    stations: tuple[StationSnapshot, ...] = ()
    water: WaterOverview | None = None
    alerts: tuple[Alert, ...] = ()
    outlines: tuple[Outline, ...] = ()
