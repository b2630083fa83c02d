"""Tables of the work log: what the bureau did (工作台账) and what it plans (下半年工作安排).

Records carry the report's eight part-one themes (the indicator registry's ``THEMES``, so a
record and a figure of the same theme land in the same section); plans carry the five
part-two themes. Figures a clause states are structured quantities, referenced from the
text by name in braces (``完成整治企业{完成家数}家``), never typed into the text itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from envbureau.core.db import Base, utcnow
from envbureau.core.indicators.definitions import THEMES

#: The part-one themes (一、上半年工作进展情况), shared with the indicator registry.
RECORD_THEMES: dict[str, str] = THEMES

RECORD_KINDS = {
    "document": "出台文件",
    "campaign": "专项行动",
    "honour": "荣誉",
    "meeting": "会议",
    "event": "活动保障",
    "project": "工程项目",
    "other": "其他",
}

#: The part-two themes (二、下半年工作安排), in the report's order.
PLAN_THEMES = {
    "quality": "打好三大战役，改善环境质量",
    "beautiful": "美丽建设行动，推进生态文明建设",
    "reform": "制度改革与绿色发展",
    "enforcement": "执法监管与环境安全",
    "publicity": "宣传与信息公开",
}

HALVES = {1: "上半年", 2: "下半年"}

#: Column headers of the import templates, also the field names ``worklog edit`` accepts.
RECORD_FIELD_LABELS = {
    "date": "日期",
    "theme": "主题",
    "kind": "类别",
    "title": "标题",
    "text": "报告表述",
    "quantities": "数量",
    "unit_code": "责任单位",
    "area_code": "区划代码",
    "attachments": "附件",
    "sort_order": "排序",
}
PLAN_FIELD_LABELS = {
    "year": "年度",
    "half": "半年",
    "theme": "主题",
    "title": "标题",
    "text": "报告表述",
    "quantities": "数量",
    "unit_code": "责任单位",
    "area_code": "区划代码",
    "deadline": "完成时限",
    "indicator_id": "指标代码",
    "sort_order": "排序",
}


class WorkRecord(Base):
    """One thing done: a document issued, a campaign, an honour, a meeting, an event, a project.

    The natural key (date, theme, title) is what a re-import matches on.
    """

    __tablename__ = "work_records"
    __table_args__ = (UniqueConstraint("date", "theme", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date)
    theme: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    quantities: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class WorkPlan(Base):
    """One planned action of a half-year, optionally serving an indicator's annual target.

    The target figure itself stays in the target book (``indicator_targets``); the plan names
    the indicator so the report can quote the target instead of a retyped number.
    """

    __tablename__ = "work_plans"
    __table_args__ = (UniqueConstraint("year", "half", "theme", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    half: Mapped[int] = mapped_column(Integer)  # 1 上半年, 2 下半年
    theme: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    quantities: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    indicator_id: Mapped[str | None] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
