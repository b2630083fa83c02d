"""Importing manual indicator entries and the year's target book (目标责任书) from Excel."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area
from envbureau.core.errors import DomainError, ErrorDetail
from envbureau.core.importing.runner import ApplyResult, Progress
from envbureau.core.importing.schema import Column, TableSchema
from envbureau.core.indicators import service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.periods import parse as parse_period

MANUAL_SCHEMA = TableSchema(
    name="indicator_manual_entries",
    label="人工填报指标",
    columns=(
        Column("indicator_id", "指标代码", aliases=("指标",)),
        Column("period", "时段", help="2026、2026H1、2026Q2、2026-03 或 2026-01-01~2026-06-30"),
        Column("area_code", "区域代码", aliases=("区划代码",)),
        Column("value", "数值", kind="float", aliases=("值",)),
        Column("source_document", "来源文件", aliases=("来源", "数据来源")),
        Column("note", "备注", required=False),
    ),
    natural_key=("indicator_id", "period", "area_code"),
)

DIRECTION_WORDS = {
    ">=": ">=",
    "≥": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "<=": "<=",
    "≤": "<=",
    "不高于": "<=",
    "不超过": "<=",
}

TARGET_SCHEMA = TableSchema(
    name="indicator_targets",
    label="年度目标",
    columns=(
        Column("indicator_id", "指标代码", aliases=("指标",)),
        Column("year", "年度", kind="int", minimum=2000, maximum=2100),
        Column("area_code", "区域代码", aliases=("区划代码",)),
        Column("value", "目标值", kind="float"),
        Column("direction", "方向", kind="choice", choices=DIRECTION_WORDS),
        Column("source_document", "来源文件", aliases=("来源",)),
    ),
    natural_key=("indicator_id", "year", "area_code"),
)


def _reference_errors(
    session: Session, records: list[dict[str, Any]], file_name: str, *, manual: bool
) -> list[ErrorDetail]:
    registry = load_catalog()
    areas = set(session.scalars(select(Area.code)))
    errors: list[ErrorDetail] = []
    for r in records:
        where = (file_name, r["_row"])
        if r["indicator_id"] not in registry:
            errors.append(
                ErrorDetail(
                    (*where, "指标代码"),
                    "indicator.unknown",
                    "未知指标代码",
                    value=r["indicator_id"],
                )
            )
        elif manual and not registry.get(r["indicator_id"]).accepts_manual:
            errors.append(
                ErrorDetail(
                    (*where, "指标代码"),
                    "indicator.not_manual",
                    "该指标由系统计算，不能人工填报",
                    value=r["indicator_id"],
                )
            )
        if r["area_code"] not in areas:
            errors.append(
                ErrorDetail(
                    (*where, "区域代码"), "area.unknown", "区域代码不存在", value=r["area_code"]
                )
            )
        if manual:
            try:
                parse_period(r["period"])
            except DomainError as exc:
                errors.append(
                    ErrorDetail(
                        (*where, "时段"), "period.invalid", exc.details[0].msg, value=r["period"]
                    )
                )
    return errors


class ManualEntryImporter:
    kind = "indicator_manual_entries"
    schema = MANUAL_SCHEMA

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        return _reference_errors(session, records, file_name, manual=True)

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        result = ApplyResult()
        for done, r in enumerate(records, start=1):
            period = parse_period(r["period"])
            before = service.latest_manual_entry(
                session=session,
                indicator_id=r["indicator_id"],
                period=period,
                area_code=r["area_code"],
            )
            entry = service.enter_manual(
                session=session,
                indicator_id=r["indicator_id"],
                period=period,
                area_code=r["area_code"],
                value=float(r["value"]),
                source_document=r["source_document"],
                entered_by=actor,
                note=r["note"] or "",
            )
            if before is None:
                result.created += 1
            elif entry is before:
                result.unchanged += 1
            else:
                result.updated += 1
            progress(done, len(records))
        return result


class TargetImporter:
    kind = "indicator_targets"
    schema = TARGET_SCHEMA

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        return _reference_errors(session, records, file_name, manual=False)

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        result = ApplyResult()
        for done, r in enumerate(records, start=1):
            key = dict(
                indicator_id=r["indicator_id"], year=int(r["year"]), area_code=r["area_code"]
            )
            before = service.get_target(session=session, **key)
            snapshot = (
                None if before is None else (before.value, before.direction, before.source_document)
            )
            target = service.set_target(
                session=session,
                value=float(r["value"]),
                direction=r["direction"],
                source_document=r["source_document"],
                actor=actor,
                **key,
            )
            if snapshot is None:
                result.created += 1
            elif snapshot == (target.value, target.direction, target.source_document):
                result.unchanged += 1
            else:
                result.updated += 1
            progress(done, len(records))
        return result
