"""报告 pages: generate the half-year work report of an area, download it, trace each figure.

The folders, files and figures are ``reports.library``'s; a page checks the address, the
user's area (``Staff.check_area``) and, to generate, the permission table's
"generate_report", then makes one call. Downloads are the files of the folder's own listing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session

from envbureau.core import clock, permissions
from envbureau.core.db import start_writing
from envbureau.core.errors import DomainError
from envbureau.reports import library
from envbureau.web.deps import DbSession, ReadFirstSession
from envbureau.web.pages import pretty_json, render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff

router = APIRouter(include_in_schema=False)


def _root(request: Request) -> Path:
    return library.reports_root(request.app.state.settings.output_dir)


def _report(request: Request, staff: Staff, area: str, period: str) -> library.GeneratedReport:
    """The report the user may see; an address that is not a report's is not found."""
    library.check_address(area=area, period=period)
    staff.check_area(area)
    return library.get_report_or_raise(root=_root(request), area=area, period=period)


def _form(
    request: Request, session: Session, staff: Staff, status: int = 200, **context: Any
) -> HTMLResponse:
    year, half = library.last_finished_half(clock.local_today(request.app.state.settings.tz))
    return render(
        request,
        staff,
        "reports/index.html",
        {
            "areas": library.report_areas(session=session, can_see=staff.can_see),
            "reports": library.list_generated(root=_root(request), can_see=staff.can_see),
            "can_generate": staff.may("generate_report"),
            "year": context.pop("year", year),
            "half": context.pop("half", half),
            "area": context.pop("area", staff.area_code if staff.scope is not None else ""),
            **context,
        },
        status_code=status,
    )


@router.get("/console/reports", response_class=HTMLResponse)
def reports_page(request: Request, session: DbSession, staff: CurrentStaff) -> Response:
    return _form(request, session, staff)


@router.post("/console/reports/generate", dependencies=[CsrfChecked])
@permissions.route("generate_report")
def generate(
    request: Request,
    session: ReadFirstSession,
    staff: CurrentStaff,
    year: Annotated[int, Form(ge=2000, le=2100)],
    half: Annotated[int, Form(ge=1, le=2)],
    area: Annotated[str, Form()],
) -> Response:
    staff.check("generate_report")
    staff.check_area(area)
    areas = library.report_areas(session=session, can_see=staff.can_see)
    if area not in {a.code for a in areas}:
        return _form(
            request, session, staff, 422, year=year, half=half, error="请选择全市或一个区县"
        )
    try:
        report = library.generate(
            session=session,
            root=_root(request),
            year=year,
            half=half,
            area=area,
            template_dir=request.app.state.settings.template_dir,
            actor=staff.username,
            before_writing=lambda: start_writing(session),
        )
    except DomainError as exc:
        return _form(
            request, session, staff, 422, year=year, half=half, area=area, errors=exc.details
        )
    return _report_page(request, staff, report, generated=True)


def _report_page(
    request: Request, staff: Staff, report: library.GeneratedReport, *, generated: bool = False
) -> HTMLResponse:
    return render(request, staff, "reports/report.html", {"report": report, "generated": generated})


@router.get("/console/reports/{area}/{period}", response_class=HTMLResponse)
def report_page(area: str, period: str, request: Request, staff: CurrentStaff) -> Response:
    return _report_page(request, staff, _report(request, staff, area, period))


@router.get("/console/reports/{area}/{period}/files/{name}")
def download(area: str, period: str, name: str, request: Request, staff: CurrentStaff) -> Response:
    report = _report(request, staff, area, period)
    found = library.get_file_or_raise(report=report, name=name)
    return FileResponse(found.path, media_type=found.media_type, filename=found.name)


@router.get("/console/reports/{area}/{period}/view", response_class=HTMLResponse)
def view(area: str, period: str, request: Request, staff: CurrentStaff) -> Response:
    """The report's HTML with each figure linked to its provenance page."""
    report = _report(request, staff, area, period)
    base = f"/console/reports/{area}/{period}"
    return HTMLResponse(library.console_html(report=report, base=base))


@router.get("/console/reports/{area}/{period}/figures/{figure_id}", response_class=HTMLResponse)
def figure_page(
    area: str,
    period: str,
    figure_id: str,
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
) -> Response:
    """One figure: its receipt, the indicator's definition and rule, and a re-computation."""
    report = _report(request, staff, area, period)
    explained = library.explain_or_raise(session=session, report=report, figure_id=figure_id)
    return render(
        request,
        staff,
        "reports/figure.html",
        {"report": report, "explained": explained, "pretty": pretty_json},
    )
