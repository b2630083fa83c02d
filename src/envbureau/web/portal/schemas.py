"""What the public API answers (``/api/v1/public/...``), read from the services' results."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Result(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LevelOut(_Result):
    """An AQI level in words (HJ 633-2012 表2, HJ 633-2026 表1); null without a level."""

    level: int | None
    level_name: str | None
    category: str | None
    colour: str = Field(description="表示颜色（RGB 十六进制）；无数据为灰色")
    colour_name: str | None
    health_effect: str | None
    health_advice: str | None


class LevelRowOut(LevelOut):
    range: str = Field(description="AQI 范围，如 0～50、大于300")


class PlaceHourOut(LevelOut):
    aqi: int | None
    edition: str | None = Field(description="HJ 633 版本：2012 或 2026")
    primary_pollutants: str = Field(description="首要污染物，如 PM2.5、O3；AQI≤50 时为空")
    concentrations: dict[str, str | None] = Field(
        description="各污染物小时浓度，按 GB/T 8170 修约至报告位数（μg/m³，CO 为 mg/m³）"
    )


class StationHourOut(PlaceHourOut):
    code: str
    name: str
    area_code: str | None
    area_name: str


class CityHourOut(PlaceHourOut):
    code: str
    name: str
    stations: list[str] = Field(description="城市评价点位")
    stations_reporting: int = Field(description="本小时有数据的评价点位数")


class PublicAir(_Result):
    """The latest observed hour's real-time report of the city and each station."""

    hour_end: str = Field(description="小时末，北京时间，如 2026-07-01T00:00")
    hour_label: str
    edition: str | None
    standard: str | None
    city: CityHourOut
    stations: list[StationHourOut]
    levels: list[LevelRowOut]

    @field_validator("hour_end", mode="before")
    @classmethod
    def _minutes(cls, value: object) -> object:
        return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value


class SectionYearOut(_Result):
    code: str
    name: str
    area_name: str
    target: str | None = Field(description="水质目标类别")
    months: dict[str, str | None] = Field(description="月份 → 水质类别；null 为当月无监测")


class PublicWater(_Result):
    year: int | None
    as_of: date | None = Field(description="最新水质监测数据日期")
    years: list[int]
    months: list[str]
    sections: list[SectionYearOut]


class PublicValueOut(_Result):
    indicator_id: str
    name: str
    theme: str
    unit: str
    area_code: str
    area_name: str
    period: str
    value: float | None
    value_reported: str
    status: str
    reason: str


class Health(BaseModel):
    status: str
