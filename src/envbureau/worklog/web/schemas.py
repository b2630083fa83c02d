"""What ``/api/v1/worklog`` answers: records and plans with their clause as printed."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class QuantityOut(BaseModel):
    """A figure of a clause (``完成家数=137家``); an integral value is an integer."""

    name: str
    value: int | float
    unit: str


class WorkItemOut(BaseModel):
    id: str = Field(description="WR + 编号（工作台账）或 WP + 编号（工作安排）")
    theme: str
    theme_name: str
    title: str
    text: str = Field(description="报告表述，数量已代入")
    quantities: list[QuantityOut]
    area_code: str
    unit_code: str | None
    url: str = Field(description="工作台中该事项的页面")


class WorkRecordOut(WorkItemOut):
    date: dt.date
    kind: str
    attachments: list[str]


class WorkPlanOut(WorkItemOut):
    year: int
    half: int
    deadline: dt.date | None
    indicator_id: str | None


class WorklogOut(BaseModel):
    period: str
    area_code: str | None
    records: list[WorkRecordOut]
    plans_period: str = Field(description="其后半年（工作安排的时段）")
    plans: list[WorkPlanOut]
