"""指标 (indicators): the registry with values, targets and provenance; manual entries, targets.

Values are read from the stored indicator values of the period and area; one not stored yet is
computed on first view (and stored, as ``envbureau indicators compute`` would). The detail page
recomputes through ``explain``, so it always shows the current provenance. Changes go through
``indicators_service.enter_manual`` / ``set_target``, which write the audit log.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.errors import DomainError, NotFound, RuleViolation
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import THEMES, IndicatorDefinition, load_catalog
from envbureau.core.indicators.models import IndicatorTarget, IndicatorValue, ManualEntry
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.standards.rounding import format_gbt8170
from envbureau.web import monitoring
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Forbidden, Staff

router = APIRouter()
TARGET_ROLES = frozenset({"admin", "office"})  # who sets annual targets (within their domains)
HALF_CODE = re.compile(r"^\d{4}H[12]$")
SOURCE_WORDS = {"computed": "系统计算", "manual": "人工填报"}
PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]


# --- scope and period (shared with the water pages) -------------------------------------------


def resolve_area(
    session: Session, staff: Staff, code: str | None, *, monitoring_data: bool = False
) -> Area:
    """The area asked for (default: the user's own, or the city), refused outside the scope.

    ``monitoring_data``: for pages of monitoring results (sections, stations), which sit at
    district level, a grid inspector reads the district of its town (``monitoring.view_codes``).
    """
    if monitoring_data:
        if not code:
            home = monitoring.home_area(session, staff)
            code = home.code if home is not None else staff.area_code
        monitoring.check_view(session, staff, code)
        return areas_service.get_or_raise(session=session, code=code or "")
    if not code:
        code = staff.area_code or areas_service.list_root(session=session)[0].code
    staff.check_area(code)
    return areas_service.get_or_raise(session=session, code=code)


def area_choices(session: Session, staff: Staff, *, monitoring_data: bool = False) -> list[Area]:
    """Areas to offer in a page's area picker: the user's own area and the districts in scope."""
    if monitoring_data:
        return monitoring.visible_areas(session, staff)
    base = resolve_area(session, staff, None)
    districts = areas_service.list_descendants(session=session, code=base.code, level="district")
    return [base, *(a for a in districts if staff.can_see(a.code))]


def half_of(day: date) -> Period:
    return parse_period(f"{day.year}H{1 if day.month <= 6 else 2}")


def local_time(request: Request, at: datetime | str | None) -> str:
    """A stored UTC time as wall-clock time of the bureau's zone (Beijing)."""
    if at is None:
        return ""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return (
        moment.replace(tzinfo=UTC)
        .astimezone(request.app.state.settings.tz)
        .strftime("%Y-%m-%d %H:%M")
    )


def default_period(request: Request, session: Session, area_code: str) -> Period:
    """The latest half-year with stored values for the area, else the current half-year."""
    codes = session.scalars(
        select(IndicatorValue.period_code).where(IndicatorValue.area_code == area_code).distinct()
    )
    halves = [parse_period(c) for c in codes if HALF_CODE.match(c)]
    if halves:
        return max(halves)
    return half_of(datetime.now(request.app.state.settings.tz).date())


def choose(
    request: Request,
    session: Session,
    staff: Staff,
    period: str | None,
    area: str | None,
    default: Callable[[Request, Session, str], Period],
    *,
    monitoring_data: bool = False,
) -> tuple[Period, Area, str | None]:
    """A page's period and area from its query, falling back to the defaults with a notice
    when the query is not understood (another district's area stays refused: 403)."""
    notice = None
    scope = {"monitoring_data": monitoring_data}
    try:
        chosen_area = resolve_area(session, staff, area, **scope)
    except NotFound as exc:
        notice, chosen_area = exc.details[0].msg, resolve_area(session, staff, None, **scope)
    if period:
        try:
            return parse_period(period), chosen_area, notice
        except RuleViolation as exc:
            notice = exc.details[0].msg
    return default(request, session, chosen_area.code), chosen_area, notice


def _may(staff: Staff, domain: str, area_code: str, roles: frozenset[str] | None = None) -> bool:
    if roles is not None and staff.role not in roles:
        return False
    try:
        staff.check_edit(domain, area_code)
    except Forbidden:
        return False
    return True


def _number(text: str, field: str, label: str) -> float:
    """A number typed in a form (thousands separators allowed), or a rule violation."""
    try:
        value = float(text.replace(",", "").replace("，", "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RuleViolation(f"{label}应为数字，不是“{text}”", code="form.number", loc=(field,))
    return value


def _target_source(text: str) -> str:
    """A target is only as good as the document that sets it: one must be named."""
    if not text.strip():
        raise RuleViolation(
            "年度目标必须注明来源文件（如目标责任书）",
            code="target.source_required",
            loc=("source_document",),
        )
    return text.strip()


# --- reading ------------------------------------------------------------------------------------


def _row(
    request: Request,
    definition: IndicatorDefinition,
    stored: IndicatorValue | None,
    target: IndicatorTarget | None,
) -> dict[str, Any]:
    """One registry line: the value as reported, where it came from, and the target's gap."""
    value = stored.value if stored is not None else None
    return {
        **definition.describe(),
        "value": value,
        "value_reported": indicators_service.format_value(definition, value),
        "status": stored.status if stored is not None else "insufficient",
        "reason": stored.reason if stored is not None else "",
        "value_source": stored.source if stored is not None else None,
        "computed_at": local_time(request, stored.computed_at if stored else None),
        "target": target_view(definition, target, value),
    }


def registry_rows(
    request: Request, session: Session, period: Period, area_code: str, theme: str | None = None
) -> list[dict[str, Any]]:
    """Every indicator (of a theme) with its value for the period and area and its target."""
    definitions = [d for d in load_catalog().all() if not theme or d.theme == theme]
    stored = {
        row.indicator_id: row
        for row in session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.period_code == period.code, IndicatorValue.area_code == area_code
            )
        )
    }
    targets = {
        t.indicator_id: t
        for t in session.scalars(
            select(IndicatorTarget).where(
                IndicatorTarget.year == period.year, IndicatorTarget.area_code == area_code
            )
        )
    }
    rows = []
    for definition in definitions:
        row = stored.get(definition.id)
        if row is None:  # first view of this period and area: compute and store it
            row = indicators_service.compute(
                session=session, indicator_id=definition.id, period=period, area_code=area_code
            )
        rows.append(_row(request, definition, row, targets.get(definition.id)))
    return rows


def _history(request: Request, session: Session, indicator_id: str, area_code: str) -> list[dict]:
    """Manual entries of the indicator for the area, newest period and revision first."""
    entries = session.scalars(
        select(ManualEntry)
        .where(ManualEntry.indicator_id == indicator_id, ManualEntry.area_code == area_code)
        .order_by(ManualEntry.period_end.desc(), ManualEntry.revision.desc())
        .limit(100)
    )
    return [_entry_dict(request, e) for e in entries]


def _entry_dict(request: Request, entry: ManualEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "indicator_id": entry.indicator_id,
        "period": entry.period_code,
        "area_code": entry.area_code,
        "value": entry.value,
        # as entered: 1234.0 shows as 1234, 97.755 keeps its digits (no rounding in the record)
        "value_text": f"{entry.value:.15g}" if entry.value is not None else "—",
        "revision": entry.revision,
        "source_document": entry.source_document,
        "note": entry.note,
        "entered_by": entry.entered_by,
        "entered_at": local_time(request, entry.entered_at),
    }


def _detail(
    request: Request,
    session: Session,
    staff: Staff,
    definition: IndicatorDefinition,
    period: Period,
    area: Area,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    explained = indicators_service.explain(
        session=session, indicator_id=definition.id, period=period, area_code=area.code
    )
    may_enter = definition.accepts_manual and _may(staff, definition.theme, area.code)
    may_target = _may(staff, definition.theme, area.code, TARGET_ROLES)
    # A refusal is shown beside its form; without that form on the page, above everything.
    beside = {"manual": may_enter, "target": may_target}.get((form or {}).get("error_of", ""))
    return render(
        request,
        staff,
        "staff/indicators_detail.html",
        {
            "d": definition,
            "x": explained,
            "period": period,
            "area": area,
            "areas": area_choices(session, staff),
            "computed_at": local_time(request, explained["computed_at"]),
            "target": target_view(
                definition,
                indicators_service.get_target(
                    session=session,
                    indicator_id=definition.id,
                    year=period.year,
                    area_code=area.code,
                ),
                explained["value"],
            ),
            "history": _history(request, session, definition.id, area.code),
            "may_enter": may_enter,
            "may_target": may_target,
            "error_beside_form": bool(beside),
            "labels": PROVENANCE_LABELS,
            "source_words": SOURCE_WORDS,
            "error": error,
            "form": form or {},
            "saved": request.query_params.get("saved"),
        },
        status_code=status_code,
    )


def target_view(
    definition: IndicatorDefinition, target: IndicatorTarget | None, value: float | None
) -> dict[str, Any] | None:
    """A target as printed: value and gap (positive = still short) rounded like the indicator."""
    if target is None:
        return None
    status = indicators_service.target_status(target, value) if value is not None else None
    return {
        "value": target.value,
        "value_reported": indicators_service.format_value(definition, target.value),
        "direction": target.direction,
        "direction_word": indicators_service.DIRECTIONS[target.direction],
        "source_document": target.source_document,
        "gap": status.gap if status else None,
        "gap_reported": format_gbt8170(abs(status.gap), definition.precision) if status else "",
        "attained": status.attained if status else None,
    }


#: Chinese names of the provenance keys the providers write (unknown keys are shown as-is).
PROVENANCE_LABELS = {
    "sections": "评价断面",
    "passing": "达标断面",
    "classes": "时段水质类别",
    "grades": "考核等级",
    "limiting_items": "定类项目",
    "listed": "消劣清单断面",
    "last_year_classes": "上一年度水质类别",
    "stations": "参与评价的站点",
    "units": "参与统计的单位",
    "days_by_category": "各级别天数",
    "dust_days": "沙尘天数",
    "editions_used": "采用的标准版本（天数）",
    "manual_entry_id": "填报记录编号",
    "revision": "修订版本",
    "source_document": "来源文件",
    "entered_by": "填报人",
    "entered_at": "填报时间（UTC）",
    "note": "备注",
    "passing_sections": "达标断面数",
    "sections_evaluated": "评价断面数",
    "population_share": "按服务人口计达标比例（%）",
    "compensation_wan_yuan": "生态补偿金额（万元）",
    "rule": "规则",
    "computed_reason": "系统未能计算的原因",
    "consolidated": "巩固",
    "due": "拟消劣",
    "eliminated": "已消劣",
    "remaining": "尚待消劣",
    "current": "本期",
    "previous": "上年同期",
    "base_period": "比较时段",
    "done": "已完成",
    "task": "年度任务",
    "value": "数值",
    "period": "时段",
    "indicator": "指标",
    "source": "来源",
    "inputs": "输入",
    "limit": "标准限值",
    "attains": "是否达标",
    "exceedance_multiple": "超标倍数",
    "dust_days_excluded": "扣除沙尘天数",
    "good_days": "优良天数",
    "valid_days": "有效天数",
    "towns_total": "乡镇（街道）总数",
}


# --- pages --------------------------------------------------------------------------------------


@router.get("/console/indicators", response_class=HTMLResponse, include_in_schema=False)
def indicators_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
    theme: str | None = None,
) -> HTMLResponse:
    chosen, chosen_area, notice = choose(request, session, staff, period, area, default_period)
    theme = theme if theme in THEMES else None
    rows = registry_rows(request, session, chosen, chosen_area.code, theme)
    groups = [
        (code, name, [r for r in rows if r["theme"] == code])
        for code, name in THEMES.items()
        if any(r["theme"] == code for r in rows)
    ]
    return render(
        request,
        staff,
        "staff/indicators.html",
        {
            "groups": groups,
            "period": chosen,
            "area": chosen_area,
            "areas": area_choices(session, staff),
            "themes": THEMES,
            "theme": theme,
            "notice": notice,
            "source_words": SOURCE_WORDS,
        },
    )


@router.get(
    "/console/indicators/{indicator_id}", response_class=HTMLResponse, include_in_schema=False
)
def indicator_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    definition = load_catalog().get(indicator_id)
    chosen, chosen_area, notice = choose(request, session, staff, period, area, default_period)
    return _detail(request, session, staff, definition, chosen, chosen_area, error=notice)


def _back(indicator_id: str, period: Period, area_code: str, saved: str) -> RedirectResponse:
    return RedirectResponse(
        f"/console/indicators/{indicator_id}?period={period.code}&area={area_code}&saved={saved}",
        status_code=303,
    )


def _refused(
    request: Request,
    session: Session,
    staff: Staff,
    definition: IndicatorDefinition,
    area: Area,
    period: str,
    exc: DomainError,
    form: dict[str, str],
) -> HTMLResponse:
    """The detail page again, with the service's message beside the form that was sent."""
    try:
        shown = parse_period(period)
    except RuleViolation:
        shown = default_period(request, session, area.code)
    return _detail(
        request,
        session,
        staff,
        definition,
        shown,
        area,
        error=exc.details[0].msg,
        form=form,
        status_code=422,
    )


@router.post(
    "/console/indicators/{indicator_id}/manual",
    dependencies=[CsrfChecked],
    include_in_schema=False,
    response_model=None,
)
def post_manual(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    period: Annotated[str, Form()],
    area_code: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    source_document: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> HTMLResponse | RedirectResponse:
    definition = load_catalog().get(indicator_id)
    area = resolve_area(session, staff, area_code)
    staff.check_edit(definition.theme, area.code)
    try:
        chosen = parse_period(period)
        indicators_service.enter_manual(
            session=session,
            indicator_id=definition.id,
            period=chosen,
            area_code=area.code,
            value=_number(value, "value", "数值"),
            source_document=source_document.strip(),
            note=note.strip(),
            entered_by=staff.username,
        )
    except DomainError as exc:
        form = {"error_of": "manual", "value": value, "source_document": source_document}
        return _refused(
            request, session, staff, definition, area, period, exc, form | {"note": note}
        )
    return _back(definition.id, chosen, area.code, "manual")


@router.post(
    "/console/indicators/{indicator_id}/target",
    dependencies=[CsrfChecked],
    include_in_schema=False,
    response_model=None,
)
def post_target(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    period: Annotated[str, Form()],
    area_code: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = ">=",
    source_document: Annotated[str, Form()] = "",
) -> HTMLResponse | RedirectResponse:
    definition = load_catalog().get(indicator_id)
    area = resolve_area(session, staff, area_code)
    if staff.role not in TARGET_ROLES:
        raise Forbidden("只有系统管理员和业务科室可以设定年度目标")
    staff.check_edit(definition.theme, area.code)
    try:
        chosen = parse_period(period)
        indicators_service.set_target(
            session=session,
            indicator_id=definition.id,
            year=chosen.year,
            area_code=area.code,
            value=_number(value, "value", "目标值"),
            direction=direction,
            source_document=_target_source(source_document),
            actor=staff.username,
        )
    except DomainError as exc:
        form = {"error_of": "target", "target_value": value, "direction": direction}
        return _refused(
            request,
            session,
            staff,
            definition,
            area,
            period,
            exc,
            form | {"target_source": source_document},
        )
    return _back(definition.id, chosen, area.code, "target")


# --- JSON API -----------------------------------------------------------------------------------


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


@router.get("/api/v1/indicators", tags=["指标"], summary="指标目录及时段、区域的值与目标")
def api_indicators(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
    theme: str | None = None,
) -> dict[str, Any]:
    chosen_area = resolve_area(session, staff, area)
    chosen = parse_period(period) if period else default_period(request, session, chosen_area.code)
    return {
        "period": chosen.code,
        "area_code": chosen_area.code,
        "items": registry_rows(request, session, chosen, chosen_area.code, theme),
    }


@router.get("/api/v1/indicators/{indicator_id}", tags=["指标"], summary="指标的值、来源与目标")
def api_indicator(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> dict[str, Any]:
    load_catalog().get(indicator_id)
    chosen_area = resolve_area(session, staff, area)
    chosen = parse_period(period) if period else default_period(request, session, chosen_area.code)
    return indicators_service.explain(
        session=session, indicator_id=indicator_id, period=chosen, area_code=chosen_area.code
    )


@router.post(
    "/api/v1/indicators/{indicator_id}/manual",
    tags=["指标"],
    summary="人工填报指标值（需 X-CSRF-Token）",
    dependencies=[CsrfChecked],
)
def api_manual(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    entry_in: ManualEntryIn,
) -> dict[str, Any]:
    definition = load_catalog().get(indicator_id)
    area = resolve_area(session, staff, entry_in.area_code)
    staff.check_edit(definition.theme, area.code)
    period = parse_period(entry_in.period)
    entry = indicators_service.enter_manual(
        session=session,
        indicator_id=definition.id,
        period=period,
        area_code=area.code,
        value=entry_in.value,
        source_document=entry_in.source_document.strip(),
        note=entry_in.note.strip(),
        entered_by=staff.username,
    )
    explained = indicators_service.explain(
        session=session, indicator_id=definition.id, period=period, area_code=area.code
    )
    return {"entry": _entry_dict(request, entry), "indicator": explained}


@router.post(
    "/api/v1/indicators/{indicator_id}/target",
    tags=["指标"],
    summary="设定区域年度目标（系统管理员、业务科室；需 X-CSRF-Token）",
    dependencies=[CsrfChecked],
)
def api_target(
    session: DbSession, staff: CurrentStaff, indicator_id: str, target_in: TargetIn
) -> dict[str, Any]:
    definition = load_catalog().get(indicator_id)
    area = resolve_area(session, staff, target_in.area_code)
    if staff.role not in TARGET_ROLES:
        raise Forbidden("只有系统管理员和业务科室可以设定年度目标")
    staff.check_edit(definition.theme, area.code)
    target = indicators_service.set_target(
        session=session,
        indicator_id=definition.id,
        year=target_in.year,
        area_code=area.code,
        value=target_in.value,
        direction=target_in.direction,
        source_document=_target_source(target_in.source_document),
        actor=staff.username,
    )
    return {
        "indicator_id": definition.id,
        "year": target.year,
        "area_code": target.area_code,
        "value": target.value,
        "direction": target.direction,
        "source_document": target.source_document,
        "set_by": target.set_by,
    }
