"""What the ``/api/v1/water`` API answers: one model per route, built from the water services'
result objects (``from_attributes``), so the API shows the pages' own figures."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WaterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class SectionClassRead(WaterRead):
    """A section's class over the period (mean of monthly means, GB 3838-2002, 2011 method)."""

    water_class: int = Field(description="类别代码 1–6（6 = 劣Ⅴ）")
    class_label: str
    quality_status: str
    limiting_items: list[str] = Field(description="定类项目")
    main_pollutants: list[str] = Field(description="主要污染指标（超Ⅲ类，至多三项）")
    samples: int = Field(description="时段内样品数")


class SectionRead(WaterRead):
    code: str
    name: str
    kind: str = Field(description="river | lake | reservoir")
    area_code: str | None
    control_level: str
    target_class: int | None = Field(description="水功能区目标类别")
    assessment_target_class: int | None = Field(description="水十条考核目标类别")
    cross_boundary: bool
    drinking_source: bool
    source_level: str
    population_served: int | None
    elimination_level: str
    elimination_baseline_year: int | None
    lon: float | None
    lat: float | None
    period_class: SectionClassRead | None = Field(None, description="时段水质类别（无数据为 null）")


class SectionsRead(WaterRead):
    period: str
    area_code: str
    items: list[SectionRead]


class SampleRead(WaterRead):
    time: str = Field(description="北京时间，ISO 8601（+08:00）")
    values: dict[str, float]
    below_detection: list[str] = Field(description="低于检出限的项目（数值为检出限）")


class SamplesRead(WaterRead):
    section: str
    kind: str
    first: str = Field(alias="from")
    last: str = Field(alias="to")
    units: dict[str, str]
    samples: list[SampleRead]


class ClassOfSectionRead(SectionClassRead):
    code: str
    name: str


class ClassesRead(WaterRead):
    period: str
    area_code: str
    counts: dict[str, int] = Field(description="各类别断面数（Ⅰ … 劣Ⅴ）")
    sections: list[ClassOfSectionRead]


class TargetRead(WaterRead):
    value: float
    value_reported: str
    direction: str
    direction_word: str
    source_document: str
    responsible_unit: str | None = None
    gap: float | None = Field(description="距目标（正数为尚差）")
    gap_reported: str
    attained: bool | None


class IndicatorRead(WaterRead):
    """An indicator value as stored and as reported (GB/T 8170 at its precision)."""

    id: str
    name: str
    unit: str
    value: float | None
    value_reported: str
    reason: str
    target: TargetRead | None = None


class ComplianceLineRead(WaterRead):
    code: str
    name: str
    area: str
    class_label: str
    target: str
    source_level: str
    population: int | None
    passed: bool


class ComplianceTableRead(IndicatorRead):
    population_share: str | None = Field(description="按服务人口计的达标比例（饮用水水源地）")
    sections: list[ComplianceLineRead]


class CrossLineRead(WaterRead):
    code: str
    name: str
    area: str
    way: str
    target: str
    class_label: str
    last_year: str
    grade: str


class CrossBoundaryRead(IndicatorRead):
    rule: str
    compensation_wan_yuan: float | None
    sections: list[CrossLineRead]


class EliminationLevelRead(WaterRead):
    word: str
    listed: int
    counts: dict[str, int] = Field(description="consolidated / due / eliminated / remaining")
    target: TargetRead | None


class EliminationLineRead(WaterRead):
    code: str
    name: str
    level: str
    last_year: str
    now: str
    status: str


class EliminationRead(WaterRead):
    levels: list[EliminationLevelRead]
    lines: list[EliminationLineRead]


class ComplianceRead(WaterRead):
    period: str
    area_code: str
    tables: list[ComplianceTableRead]
    cross_boundary: CrossBoundaryRead
    elimination: EliminationRead
