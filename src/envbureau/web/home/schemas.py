"""What ``/api/v1/dashboard`` answers: the figures 首页 shows, read from its ``Overview``."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from envbureau.overview.results import Overview


class _Result(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AreaOut(_Result):
    code: str
    name: str
    level: str


class CardTargetOut(_Result):
    value: float
    words: str = Field(description="不低于 / 不高于")
    source_document: str
    attained_so_far: bool | None = Field(description="年初至今的数值是否已达到目标")


class CardOut(_Result):
    """A year-to-date indicator value with its target and the outlook of the year."""

    id: str
    name: str
    unit: str
    value: float | None
    shown: str = Field(description="按指标精度修约（GB/T 8170）后的数值")
    reason: str
    edition: str | None
    coverage: dict[str, Any] | None
    period: str
    period_code: str
    target: CardTargetOut | None
    outlook: dict[str, Any] | None = Field(description="完成形势（余下天数所需、完成可能性）")


class DayOut(_Result):
    """A day's AQI (HJ 633 日报) with its category, colour and health texts."""

    date: date
    aqi: int | None
    level: int | None
    category: str | None
    colour: str
    primary_pollutants: str
    edition: str | None
    health_effect: str | None
    health_advice: str | None
    pm25: float | None = Field(description="PM2.5 日均值 [μg/m³]")


class AreaDayOut(DayOut):
    stations: list[str] = Field(description="参与评价的站点")


class StationOut(_Result):
    code: str
    name: str
    area_code: str | None
    latest: DayOut | None
    recent_invalid_days: int | None


class SectionOut(_Result):
    code: str
    name: str
    area_code: str | None
    target: str | None = None
    class_label: str | None = None
    limiting_items: str | None = None
    over_class_iii: str | None = None
    meets_target: bool | None = None


class AlertOut(_Result):
    kind: str
    text: str


class Dashboard(BaseModel):
    """首页 of the user's area (null without any area loaded)."""

    area: AreaOut | None
    as_of: date | None = Field(None, description="空气数据截至日（库中最新监测数据所在日）")
    water_as_of: date | None = None
    ytd_label: str | None = None
    cards: dict[str, CardOut] | None = None
    city_day: AreaDayOut | None = None
    month_tables: dict[str, dict[str, dict[int, float | None]]] | None = Field(
        None, description="指标 → 年份（2026年）→ 月份 → 月度数值"
    )
    water_span: str | None = None
    class_counts: dict[str, int] | None = None
    alerts: list[AlertOut] = []
    stations: list[StationOut] = []
    sections: list[SectionOut] = []

    @classmethod
    def of(cls, result: Overview | None) -> Dashboard:
        if result is None:
            return cls(area=None)
        water = result.water
        return cls(
            area=AreaOut.model_validate(result.area),
            as_of=result.as_of,
            water_as_of=result.water_as_of,
            ytd_label=result.ytd_label,
            cards=None
            if result.cards is None
            else {k: CardOut.model_validate(c) for k, c in result.cards.items()},
            city_day=None
            if result.city_day is None
            else AreaDayOut.model_validate(result.city_day),
            month_tables=None
            if result.month_tables is None
            else {k: {y: dict(m) for y, m in t.items()} for k, t in result.month_tables.items()},
            water_span=None if water is None else water.span,
            class_counts=None if water is None else dict(water.class_counts),
            alerts=[AlertOut.model_validate(a) for a in result.alerts],
            stations=[StationOut.model_validate(s) for s in result.stations],
            sections=[]
            if water is None
            else [SectionOut.model_validate(s) for s in water.sections],
        )
