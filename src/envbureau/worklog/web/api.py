"""``/api/v1/worklog``: the work log of a period with the plans after it, and single items,
scoped to the user's area like the pages (``worklog.web.access``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from envbureau.core import permissions
from envbureau.core.periods import parse as parse_period
from envbureau.web.deps import DbSession
from envbureau.web.security import CurrentStaff
from envbureau.worklog import overview, service
from envbureau.worklog.items import printed_text, theme_name
from envbureau.worklog.models import WorkPlan, WorkRecord
from envbureau.worklog.web.access import area_to_list, visible_plan, visible_record
from envbureau.worklog.web.schemas import WorklogOut, WorkPlanOut, WorkRecordOut

router = APIRouter(tags=["工作台账"])


def _common(item: WorkRecord | WorkPlan, prefix: str, kind_path: str) -> dict[str, Any]:
    return {
        "id": f"{prefix}{item.id}",
        "theme": item.theme,
        "theme_name": theme_name(item),
        "title": item.title,
        "text": printed_text(item),
        "quantities": item.quantities,
        "area_code": item.area_code,
        "unit_code": item.unit_code,
        "url": f"/console/worklog/{kind_path}/{item.id}",
    }


def record_out(record: WorkRecord) -> WorkRecordOut:
    return WorkRecordOut(
        **_common(record, "WR", "records"),
        date=record.date,
        kind=record.kind,
        attachments=record.attachments,
    )


def plan_out(plan: WorkPlan) -> WorkPlanOut:
    return WorkPlanOut(
        **_common(plan, "WP", "plans"),
        year=plan.year,
        half=plan.half,
        deadline=plan.deadline,
        indicator_id=plan.indicator_id,
    )


@router.get("/api/v1/worklog", summary="时段的工作台账及其后半年的工作安排")
@permissions.route("view")
def worklog_api(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: str | None = None,
    theme: str | None = None,
    area: str | None = None,
) -> WorklogOut:
    tz = request.app.state.settings.tz
    chosen = parse_period(period) if period else overview.default_period(session=session, tz=tz)
    theme_key = service.resolve_theme(theme) if theme is not None else None
    found = overview.get_overview(
        session=session, period=chosen, area_code=area_to_list(staff, area), theme=theme_key
    )
    return WorklogOut(
        period=found.period.code,
        area_code=found.area_code,
        records=[record_out(r) for r in found.records],
        plans_period=found.plans_period.code,
        plans=[plan_out(p) for p in found.plans],
    )


@router.get("/api/v1/worklog/records/{item_id}", summary="一条工作台账")
@permissions.route("view")
def record_api(item_id: int, session: DbSession, staff: CurrentStaff) -> WorkRecordOut:
    return record_out(visible_record(session, staff, item_id))


@router.get("/api/v1/worklog/plans/{item_id}", summary="一项工作安排")
@permissions.route("view")
def plan_api(item_id: int, session: DbSession, staff: CurrentStaff) -> WorkPlanOut:
    return plan_out(visible_plan(session, staff, item_id))
