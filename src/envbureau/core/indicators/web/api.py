"""``/api/v1/indicators``: the registry and one indicator's value with provenance (values as the
data stand, never written by a GET), manual entries and annual targets (CSRF header)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from envbureau.core import permissions
from envbureau.core.indicators import detail as indicator_detail
from envbureau.core.indicators import editing, presentation
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.periods import default_period
from envbureau.core.indicators.web.schemas import (
    AreaQuery,
    IndicatorExplanation,
    IndicatorList,
    IndicatorTargetRead,
    ManualEntryIn,
    ManualSavedRead,
    PeriodQuery,
    TargetIn,
)
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.web.deps import DbSession
from envbureau.web.scope import resolve_area
from envbureau.web.security import CsrfChecked, CurrentStaff

router = APIRouter(tags=["指标"])


def _period(request: Request, session: DbSession, period: str | None, area_code: str) -> Period:
    if period:
        return parse_period(period)
    tz = request.app.state.settings.tz
    return default_period(session=session, area_code=area_code, tz=tz)


@router.get("/api/v1/indicators", summary="指标目录及时段、区域的值与目标")
@permissions.route("view")
def api_indicators(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
    theme: str | None = None,
) -> IndicatorList:
    chosen_area = resolve_area(session, staff, area)
    chosen = _period(request, session, period, chosen_area.code)
    shown = presentation.registry(
        session=session,
        period=chosen,
        area_code=chosen_area.code,
        tz=request.app.state.settings.tz,
        theme=theme,
    )
    return IndicatorList.of(chosen, chosen_area.code, shown)


@router.get("/api/v1/indicators/{indicator_id}", summary="指标的值、来源与目标")
@permissions.route("view")
def api_indicator(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> IndicatorExplanation:
    load_catalog().get(indicator_id)
    chosen_area = resolve_area(session, staff, area)
    chosen = _period(request, session, period, chosen_area.code)
    shown = indicator_detail.detail(
        session=session,
        indicator_id=indicator_id,
        period=chosen,
        area_code=chosen_area.code,
        tz=request.app.state.settings.tz,
    )
    return IndicatorExplanation.of(shown)


@router.post(
    "/api/v1/indicators/{indicator_id}/manual",
    summary="人工填报指标值（系统管理员、业务科室本领域；需 X-CSRF-Token）",
    dependencies=[CsrfChecked],
)
@permissions.route("enter_value")
def api_manual(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    entry_in: ManualEntryIn,
) -> ManualSavedRead:
    definition = load_catalog().get(indicator_id)
    area = resolve_area(session, staff, entry_in.area_code)
    staff.check("enter_value", definition.office_domain, area.code)
    saved = editing.save_manual(
        session=session,
        indicator_id=definition.id,
        period=parse_period(entry_in.period),
        area_code=area.code,
        value=entry_in.value,
        source_document=entry_in.source_document,
        note=entry_in.note,
        entered_by=staff.username,
        tz=request.app.state.settings.tz,
    )
    return ManualSavedRead.of(saved)


@router.post(
    "/api/v1/indicators/{indicator_id}/target",
    summary="设定区域年度目标（系统管理员、业务科室本领域；需 X-CSRF-Token）",
    dependencies=[CsrfChecked],
)
@permissions.route("set_target")
def api_target(
    session: DbSession, staff: CurrentStaff, indicator_id: str, target_in: TargetIn
) -> IndicatorTargetRead:
    definition = load_catalog().get(indicator_id)
    area = resolve_area(session, staff, target_in.area_code)
    staff.check("set_target", definition.office_domain, area.code)
    target = editing.save_target(
        session=session,
        indicator_id=definition.id,
        year=target_in.year,
        area_code=area.code,
        value=target_in.value,
        direction=target_in.direction,
        source_document=target_in.source_document,
        actor=staff.username,
    )
    return IndicatorTargetRead.of(target)
