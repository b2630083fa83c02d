"""指标 pages: the registry with values, targets and provenance; manual entries and targets.

A page shows each value as the data stand (``service.current``: the stored value while its
data version holds, else computed afresh without writing; GET requests never write). Changes go
through ``editing.save_manual`` / ``save_target``, which write the audit log; who may is the
permission table's answer ("enter_value", "set_target") for the indicator's office domain
(``definition.office_domain``) and the area.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from envbureau.core import permissions
from envbureau.core.areas.models import Area
from envbureau.core.errors import DomainError, RuleViolation
from envbureau.core.indicators import detail as indicator_detail
from envbureau.core.indicators import editing, presentation
from envbureau.core.indicators.definitions import THEMES, IndicatorDefinition, load_catalog
from envbureau.core.indicators.labels import PROVENANCE_LABELS, SOURCE_WORDS
from envbureau.core.indicators.periods import default_period
from envbureau.core.indicators.web.schemas import AreaQuery, PeriodQuery
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.scope import area_choices, choose, resolve_area
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff

router = APIRouter()


def page_period(request: Request, session: Session, area_code: str) -> Period:
    """The period a page opens on (``periods.default_period``, in the bureau's zone)."""
    tz = request.app.state.settings.tz
    return default_period(session=session, area_code=area_code, tz=tz)


def _number(text: str, field: str, label: str) -> float:
    """A number typed in a form (thousands separators allowed), or a rule violation."""
    try:
        value = float(text.replace(",", "").replace("，", "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RuleViolation(f"{label}应为数字，不是“{text}”", code="form.number", loc=(field,))
    return value


@router.get("/console/indicators", response_class=HTMLResponse, include_in_schema=False)
@permissions.route("view")
def indicators_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
    theme: str | None = None,
) -> HTMLResponse:
    chosen, chosen_area, notice = choose(request, session, staff, period, area, page_period)
    theme = theme if theme in THEMES else None
    shown = presentation.registry(
        session=session,
        period=chosen,
        area_code=chosen_area.code,
        tz=request.app.state.settings.tz,
        theme=theme,
    )
    return render(
        request,
        staff,
        "indicators/index.html",
        {
            "groups": shown.groups,
            "period": chosen,
            "area": chosen_area,
            "areas": area_choices(session, staff),
            "themes": THEMES,
            "theme": theme,
            "notice": notice,
            "source_words": SOURCE_WORDS,
        },
    )


def _detail_page(
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
    shown = indicator_detail.detail(
        session=session,
        indicator_id=definition.id,
        period=period,
        area_code=area.code,
        tz=request.app.state.settings.tz,
    )
    domain = definition.office_domain
    may_enter = definition.accepts_manual and staff.may("enter_value", domain, area.code)
    may_target = staff.may("set_target", domain, area.code)
    # A refusal is shown beside its form; without that form on the page, above everything.
    beside = {"manual": may_enter, "target": may_target}.get((form or {}).get("error_of", ""))
    return render(
        request,
        staff,
        "indicators/detail.html",
        {
            "d": definition,
            "x": shown.explained,
            "shown": shown,
            "period": period,
            "area": area,
            "areas": area_choices(session, staff),
            "computed_at": shown.computed_at,
            "target": shown.target,
            "history": shown.history,
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


@router.get(
    "/console/indicators/{indicator_id}", response_class=HTMLResponse, include_in_schema=False
)
@permissions.route("view")
def indicator_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    indicator_id: str,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    definition = load_catalog().get(indicator_id)
    chosen, chosen_area, notice = choose(request, session, staff, period, area, page_period)
    return _detail_page(request, session, staff, definition, chosen, chosen_area, error=notice)


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
        shown = page_period(request, session, area.code)
    return _detail_page(
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
@permissions.route("enter_value")
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
    staff.check("enter_value", definition.office_domain, area.code)
    try:
        chosen = parse_period(period)
        editing.save_manual(
            session=session,
            indicator_id=definition.id,
            period=chosen,
            area_code=area.code,
            value=_number(value, "value", "数值"),
            source_document=source_document,
            note=note,
            entered_by=staff.username,
            tz=request.app.state.settings.tz,
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
@permissions.route("set_target")
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
    staff.check("set_target", definition.office_domain, area.code)
    try:
        chosen = parse_period(period)
        editing.save_target(
            session=session,
            indicator_id=definition.id,
            year=chosen.year,
            area_code=area.code,
            value=_number(value, "value", "目标值"),
            direction=direction,
            source_document=source_document,
            actor=staff.username,
        )
    except DomainError as exc:
        form = {"error_of": "target", "target_value": value, "direction": direction}
        form |= {"target_source": source_document}
        return _refused(request, session, staff, definition, area, period, exc, form)
    return _back(definition.id, chosen, area.code, "target")
