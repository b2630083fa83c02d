"""What ``/api/v1/indicators`` takes and answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from envbureau.core.indicators.detail import IndicatorDetail
from envbureau.core.indicators.editing import ManualSaved
from envbureau.core.indicators.models import IndicatorTarget
from envbureau.core.indicators.presentation import EntryView, Registry, RegistryRow
from envbureau.core.periods import Period

# --- in -------------------------------------------------------------------------------------

PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]


class ManualEntryIn(BaseModel):
    """A manual figure and the document it is taken from."""

    period: str = Field(description="时段：2026H1、2026-05 等", examples=["2026H1"])
    area_code: str | None = Field(None, description="区域代码（默认：当前用户的区域）")
    value: float = Field(allow_inf_nan=False)
    source_document: str = Field(min_length=1, description="来源文件")
    note: str = ""


class TargetIn(BaseModel):
    """An annual target of an area and the document that sets it (e.g. 目标责任书)."""

    year: int = Field(ge=2000, le=2100, examples=[2026])
    area_code: str | None = Field(None, description="区域代码（默认：当前用户的区域）")
    value: float = Field(allow_inf_nan=False)
    direction: str = Field(">=", description=">=（不低于）或 <=（不高于）")
    source_document: str = Field(min_length=1, description="来源文件")


# --- out ------------------------------------------------------------------------------------


class TargetLine(BaseModel):
    """A target beside a registry line: rounded like the indicator; gap > 0 = still short."""

    value: float
    value_reported: str
    direction: str = Field(description=">= 或 <=")
    direction_word: str = Field(description="不低于 / 不高于")
    source_document: str
    responsible_unit: str | None = Field(description="负责单位（成员单位代码）")
    gap: float | None
    gap_reported: str
    attained: bool | None


class IndicatorLine(BaseModel):
    """One indicator of the registry with its value for the period and area."""

    id: str
    name: str
    unit: str
    definition: str
    rule: str
    precision: int = Field(description="修约位数（GB/T 8170）")
    theme: str = Field(description="报告章节（领域）")
    theme_name: str
    office_domain: str = Field(description="负责填报和设定目标的业务领域")
    source: str = Field(description="取值方式：computed 系统计算 / manual 人工填报")
    better: str
    public: bool
    value_labels: dict[str, str]
    value: float | None
    value_reported: str
    status: str = Field(description="ok 或 insufficient（数据不足，见 reason）")
    reason: str
    value_source: str = Field(description="本期值的来源：computed / manual")
    computed_at: str = Field(description="计算时间（北京时间）")
    stale: bool = Field(description="已存的值因新数据过时，此值按当前数据重新计算（未保存）")
    stored: bool = Field(description="是否为已保存的值")
    target: TargetLine | None

    @classmethod
    def of(cls, row: RegistryRow) -> IndicatorLine:
        return cls.model_validate(row, from_attributes=True)


class IndicatorList(BaseModel):
    period: str
    area_code: str
    items: list[IndicatorLine]

    @classmethod
    def of(cls, period: Period, area_code: str, registry: Registry) -> IndicatorList:
        items = [IndicatorLine.of(r) for r in registry.rows]
        return cls(period=period.code, area_code=area_code, items=items)


class IndicatorDefinitionRead(BaseModel):
    """An indicator's definition (``IndicatorDefinition.describe``)."""

    id: str
    name: str
    unit: str
    definition: str
    rule: str
    precision: int
    theme: str
    theme_name: str
    office_domain: str
    source: str
    better: str
    public: bool
    value_labels: dict[str, str]


class PeriodRead(BaseModel):
    code: str
    label: str
    start: str
    end: str


class SubjectRead(BaseModel):
    kind: str = Field(description="enterprise / org_unit / campaign")
    code: str


class CoverageRead(BaseModel):
    """How much of the data the value needed was there."""

    expected: int
    observed: int
    valid: bool
    rule: str = ""


class ExplainedTarget(BaseModel):
    value: float
    direction: str
    source_document: str
    responsible_unit: str | None = None
    gap: float | None
    attained: bool | None


class IndicatorExplanation(BaseModel):
    """An indicator's value for a period and an area with its provenance and target."""

    indicator: IndicatorDefinitionRead
    period: PeriodRead
    area_code: str
    subject: SubjectRead | None = None
    value: float | None
    value_reported: str
    rounded: float | None = Field(description="按 GB/T 8170 修约后的值")
    status: str
    reason: str
    source: str
    edition: str | None = Field(description="采用的标准版本")
    inputs: dict[str, Any]
    coverage: CoverageRead | None
    details: dict[str, Any]
    computed_at: str = Field(description="计算时间（UTC，ISO 8601）")
    target: ExplainedTarget | None
    stale: bool = Field(False, description="已存的值因新数据过时，此值按当前数据重新计算")
    stored: bool = Field(True, description="是否为已保存的值")

    @classmethod
    def of(cls, detail: IndicatorDetail) -> IndicatorExplanation:
        return cls.model_validate(
            {**detail.explained, "stale": detail.stale, "stored": detail.stored}
        )


class ManualEntryRead(BaseModel):
    """A manual entry as recorded."""

    id: int
    indicator_id: str
    period: str
    area_code: str
    value: float
    value_text: str = Field(description="数值（按填报原样，不修约）")
    revision: int
    source_document: str
    note: str
    entered_by: str
    entered_at: str = Field(description="填报时间（北京时间）")

    @classmethod
    def of(cls, entry: EntryView) -> ManualEntryRead:
        return cls.model_validate(entry, from_attributes=True)


class ManualSavedRead(BaseModel):
    """The entry and the indicator's value computed again with it."""

    entry: ManualEntryRead
    indicator: IndicatorExplanation

    @classmethod
    def of(cls, saved: ManualSaved) -> ManualSavedRead:
        return cls(
            entry=ManualEntryRead.of(saved.entry),
            indicator=IndicatorExplanation.model_validate(saved.explained),
        )


class IndicatorTargetRead(BaseModel):
    """A target as set."""

    indicator_id: str
    year: int
    area_code: str
    value: float
    direction: str
    source_document: str
    set_by: str

    @classmethod
    def of(cls, target: IndicatorTarget) -> IndicatorTargetRead:
        return cls.model_validate(target, from_attributes=True)
