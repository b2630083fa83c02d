"""What the air API (``/api/v1/air/…``) answers: the air domain's result objects as JSON.

Dates are ISO 8601 (Beijing days); concentrations μg/m³ (CO mg/m³); rates %; a figure that
cannot be given (no valid data, not enough valid days) is null.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from envbureau.air.station_month import StationMonth


class Read(BaseModel):
    """Read from a result object's attributes."""

    model_config = ConfigDict(from_attributes=True)


class DayRead(Read):
    """A day's AQI (HJ 633 日报) with its category, colour and health texts."""

    date: dt.date
    aqi: int | None
    level: int | None = Field(description="AQI 级别 1–6")
    category: str | None
    colour: str = Field(description="类别颜色（HJ 633 附录A）；无有效数据为灰色")
    primary_pollutants: str = Field(description="首要污染物，以“、”分隔")
    edition: str | None = Field(description="日报所依据的 HJ 633 版本（2012 或 2026）")
    health_effect: str | None
    health_advice: str | None
    pm25: float | None = Field(description="PM2.5 日均值（μg/m³）")


class MonthCoverageRead(Read):
    """Valid days and complete hours of a station in the month up to the as-of day."""

    month: str
    first_day: dt.date
    last_day: dt.date
    expected_days: int
    valid_days: int
    expected_hours: int
    complete_hours: int
    rule: str


class StationSnapshotRead(Read):
    """A station on the as-of day."""

    code: str
    name: str
    area_code: str | None
    area_name: str
    control_level: str = Field(description="国控、省控或市控")
    lon: float | None
    lat: float | None
    active_from: dt.date | None
    active_to: dt.date | None
    active: bool
    latest: DayRead | None
    coverage: MonthCoverageRead | None
    recent_invalid_days: int | None = Field(description="近3日中无有效 AQI 的天数")


class StationsRead(Read):
    area_code: str
    as_of: dt.date | None = Field(description="库中最新监测数据所在日（北京时间）")
    items: list[StationSnapshotRead]


class StationCoverageRead(Read):
    """Valid days and hourly values of each pollutant against the days the station ran."""

    first_day: dt.date | None
    last_day: dt.date | None
    expected_days: int
    valid_days: int
    expected_hours: int
    by_pollutant: dict[str, int]


STATION_FIELDS = (
    "code",
    "name",
    "area_code",
    "control_level",
    "lon",
    "lat",
    "active_from",
    "active_to",
)


class StationRead(Read):
    """A station and a month of its days."""

    code: str
    name: str
    area_code: str | None
    control_level: str = Field(description="national、provincial 或 city")
    lon: float | None
    lat: float | None
    active_from: dt.date | None
    active_to: dt.date | None
    period: str | None = Field(description="月份（2026-03）；库中无空气数据时为 null")
    days: list[DayRead]
    coverage: StationCoverageRead | None

    @classmethod
    def of(cls, found: StationMonth) -> StationRead:
        station = found.station
        return cls.model_validate(
            {
                **{name: getattr(station, name) for name in STATION_FIELDS},
                "period": found.month.code if found.month else None,
                "days": found.days,
                "coverage": found.coverage,
            }
        )


class CalendarRead(Read):
    area_code: str
    year: int
    last_day: dt.date | None = Field(description="该年中最后有数据的日子")
    days: list[DayRead]


class PeriodRead(Read):
    code: str
    label: str


class CoverageRead(Read):
    expected_station_days: int
    valid_station_days: int
    expected_days: int
    valid_days: int
    statistics_valid: bool = Field(description="各统计量的有效天数均满足 GB 3095 表4")


class SummaryRead(Read):
    """An evaluation's figures, as ``envbureau air evaluate`` reports them."""

    period_start: dt.date
    period_end: dt.date
    edition: str
    editions_used: dict[str, int]
    stations: list[str]
    valid_days: int
    days_by_category: dict[str, int]
    good_days: int
    good_day_rate: float | None
    heavy_days: int
    pm25: float | None
    pm10: float | None
    so2: float | None
    no2: float | None
    co_p95: float | None
    o3_8h_p90: float | None
    composite_index: float | None
    primary_pollutant_days: dict[str, int]
    coverage: CoverageRead


class EvaluationRowRead(Read):
    key: str
    indicator_id: str
    name: str
    unit: str
    current: float | None
    base: float | None
    current_shown: str
    base_shown: str
    change: dict[str, float | None] = Field(
        description="同比变化：auto 报告口径，2026/2012 同口径（按报告值计算）"
    )
    change_unit: str
    same_edition_values: dict[str, tuple[float | None, float | None]]


class DayCountRead(Read):
    category: str
    colour: str
    current: int
    base: int | None


class EvaluationTableRead(Read):
    period: PeriodRead
    base: PeriodRead
    edition: str
    base_edition: str
    editions_used: dict[str, int]
    base_editions_used: dict[str, int]
    rows: list[EvaluationRowRead]
    days: list[DayCountRead]
    coverage: CoverageRead
    base_coverage: CoverageRead | None
    stations: list[str]
    summary: SummaryRead
    base_summary: SummaryRead | None


class EvaluationRead(Read):
    area_code: str
    evaluation: EvaluationTableRead | None = Field(description="该区域该时段没有站点时为 null")


class RankingRowRead(Read):
    rank: int | None
    code: str
    name: str
    composite_index: str
    good_day_rate: str
    pm25: str
    valid: bool


class RankingRead(Read):
    area_code: str
    period: str
    by: str = Field(description="district（区县）或 station（站点）")
    edition: str
    rows: list[RankingRowRead]
