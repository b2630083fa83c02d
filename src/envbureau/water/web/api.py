"""The water API (``/api/v1/water/…``): the figures of the 水 pages for scripts, in the same
area scope (another district's area or section → 403), each answer declared in ``schemas``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from envbureau.water.assessment import assessment
from envbureau.water.period_classes import classes_of_period
from envbureau.water.section_list import sections_of_period
from envbureau.water.section_samples import section_samples
from envbureau.water.web.choices import api_scope, section_of, today
from envbureau.water.web.schemas import (
    ClassesRead,
    ComplianceRead,
    SamplesRead,
    SectionClassRead,
    SectionRead,
    SectionsRead,
)
from envbureau.web.deps import DbSession
from envbureau.web.security import CurrentStaff

router = APIRouter(tags=["水环境"])
PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]


@router.get("/api/v1/water/sections", summary="断面及其时段水质类别")
def api_sections(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> SectionsRead:
    chosen, place = api_scope(request, session, staff, period, area)
    found = sections_of_period(session=session, area_code=place.code, period=chosen)
    items = []
    for section in found.sections:
        item = SectionRead.model_validate(section)
        if section.code in found.classes:
            shown = SectionClassRead.model_validate(found.classes[section.code])
            item = item.model_copy(update={"period_class": shown})
        items.append(item)
    return SectionsRead(period=chosen.code, area_code=place.code, items=items)


@router.get("/api/v1/water/sections/{code}/samples", summary="断面的监测样品（北京时间）")
def api_samples(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    code: str,
    first: Annotated[date | None, Query(alias="from", description="开始日（含）")] = None,
    last: Annotated[date | None, Query(alias="to", description="结束日（含）")] = None,
) -> SamplesRead:
    section = section_of(session, staff, code)
    found = section_samples(
        session=session, section=section, first=first, last=last, today=today(request)
    )
    return SamplesRead.model_validate(
        {
            "section": found.section,
            "kind": found.kind,
            "from": found.first.isoformat(),
            "to": found.last.isoformat(),
            "units": found.units,
            "samples": [
                {
                    "time": s.time.isoformat() + "+08:00",
                    "values": s.values,
                    "below_detection": s.below_detection,
                }
                for s in found.samples
            ],
        }
    )


@router.get("/api/v1/water/classes", summary="时段各断面水质类别及分类统计")
def api_classes(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> ClassesRead:
    chosen, place = api_scope(request, session, staff, period, area)
    found = classes_of_period(session=session, area_code=place.code, period=chosen)
    return ClassesRead.model_validate(
        {
            "period": chosen.code,
            "area_code": place.code,
            "counts": {c.label: c.count for c in found.counts},
            "sections": list(found.classes.values()),
        }
    )


@router.get(
    "/api/v1/water/compliance",
    summary="达标考核：功能区、水十条、饮用水水源地、交接断面、消劣进展",
)
def api_compliance(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> ComplianceRead:
    """The tables of the compliance page: each indicator with the sections it counted."""
    chosen, place = api_scope(request, session, staff, period, area)
    found = assessment(session=session, area_code=place.code, period=chosen, today=today(request))
    return ComplianceRead.model_validate(
        {
            "period": chosen.code,
            "area_code": place.code,
            "tables": found.tables,
            "cross_boundary": found.cross,
            "elimination": found.elimination,
        }
    )
