"""报告: generate the half-year work report of an area, download it, trace each figure.

Reports are written to ``output_dir/reports/<area code>/<year>H<half>/`` (the documents,
the charts and ``figures.json``). Downloads serve only the files directly in such a folder,
named by the folder's own listing; the area and period in the URL must look like a code and
a half-year, so no path the client writes ever reaches the file system. The HTML shown inside
the console links every figure to its provenance page (``reports.explain``).
"""

from __future__ import annotations

import re
import shutil
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.errors import DomainError, NotFound
from envbureau.reports.builder import build_half_year
from envbureau.reports.explain import explain_figure
from envbureau.reports.outputs import write_report
from envbureau.reports.receipts import FIGURES_FILE, read_figures
from envbureau.web.console.admin_helpers import pretty_json
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Forbidden, Staff

router = APIRouter(include_in_schema=False)

AREA_CODE = re.compile(r"\d{6}|\d{9}|\d{12}")
HALF_YEAR = re.compile(r"(\d{4})H([12])")
FIGURE_ID = re.compile(r"F\d{1,6}")
#: Roles that may generate a report (files and refreshed indicator values): not leaders or
#: read-only users, and grid inspectors report on towns, not on the half-year.
GENERATE_ROLES = frozenset({"admin", "office", "branch"})
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}
FORMAT_NAMES = {".docx": "Word", ".pdf": "PDF", ".html": "HTML", ".md": "Markdown"}
FIG_LINK = re.compile(r'(<span class="fig" data-fig="(F\d+)"[^>]*><a href=")#F\d+(")')
RECEIPT_ROW = re.compile(r'<tr id="(F\d+)"><td>F\d+</td>')


def _root(request: Request) -> Path:
    return Path(request.app.state.settings.output_dir) / "reports"


def _folder(request: Request, staff: Staff, area: str, period: str) -> Path:
    """The folder of a generated report the user may see; anything else is not found."""
    if not AREA_CODE.fullmatch(area) or not HALF_YEAR.fullmatch(period):
        raise NotFound("没有这份报告", code="report.unknown", loc=("report",))
    staff.check_area(area)
    root = _root(request).resolve()
    folder = (root / area / period).resolve()
    if folder.parent.parent != root or not (folder / FIGURES_FILE).is_file():
        raise NotFound("没有这份报告", code="report.unknown", loc=("report",))
    return folder


def _files(folder: Path) -> list[Path]:
    """The downloadable files of a report folder (documents and receipts, no subfolders)."""
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix in MEDIA_TYPES),
        key=lambda p: list(MEDIA_TYPES).index(p.suffix),
    )


def _areas(session: Session, staff: Staff) -> list[Area]:
    """Areas a report can be made for: the city and its districts, within the user's scope."""
    areas: list[Area] = []
    for root in areas_service.list_root(session=session):
        areas.append(root)
        areas += areas_service.list_descendants(session=session, code=root.code, level="district")
    return [a for a in areas if staff.can_see(a.code)]


def _generated(request: Request, staff: Staff) -> list[dict[str, Any]]:
    root = _root(request)
    found = []
    for area_dir in sorted(root.iterdir()) if root.is_dir() else []:
        if not AREA_CODE.fullmatch(area_dir.name) or not staff.can_see(area_dir.name):
            continue
        for period_dir in sorted(area_dir.iterdir(), reverse=True):
            if HALF_YEAR.fullmatch(period_dir.name) and (period_dir / FIGURES_FILE).is_file():
                meta = read_figures(period_dir)["report"]
                found.append({"area": area_dir.name, "period": period_dir.name, **meta})
    return sorted(found, key=lambda r: (r["period"], r["area"]), reverse=True)


def _form(
    request: Request, session: Session, staff: Staff, status: int = 200, **context: Any
) -> HTMLResponse:
    today = date.today()
    year, half = (today.year, 1) if today.month >= 7 else (today.year - 1, 2)
    return render(
        request,
        staff,
        "staff/reports.html",
        {
            "areas": _areas(session, staff),
            "reports": _generated(request, staff),
            "can_generate": staff.role in GENERATE_ROLES,
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
def generate(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    year: Annotated[int, Form(ge=2000, le=2100)],
    half: Annotated[int, Form(ge=1, le=2)],
    area: Annotated[str, Form()],
) -> Response:
    if staff.role not in GENERATE_ROLES:
        raise Forbidden(f"“{staff.role_name}”角色不能生成报告，可查看和下载已生成的报告")
    staff.check_area(area)
    if area not in {a.code for a in _areas(session, staff)}:
        return _form(
            request, session, staff, 422, year=year, half=half, error="请选择全市或一个区县"
        )
    settings = request.app.state.settings
    period = f"{year}H{half}"
    target = _root(request) / area / period
    scratch = target.parent / f".{period}-{uuid.uuid4().hex[:8]}"
    try:
        report = build_half_year(
            session, year=year, half=half, area_code=area, template_dir=settings.template_dir
        )
        written = write_report(session, report, scratch)
    except DomainError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        return _form(
            request, session, staff, 422, year=year, half=half, area=area, errors=exc.details
        )
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    scratch.replace(target)
    audit.record(
        session,
        actor=staff.username,
        action="generate",
        entity_type="report",
        entity_id=f"{area}/{period}",
        after={
            "title": report.document.title,
            "figures": len(report.book.figures),
            "warnings": report.book.warnings,
            "files": sorted(p.name for p in written.values()),
        },
    )
    return _report(request, staff, area, period, generated=True)


def _report(
    request: Request, staff: Staff, area: str, period: str, *, generated: bool = False
) -> HTMLResponse:
    folder = _folder(request, staff, area, period)
    receipts = read_figures(folder)
    return render(
        request,
        staff,
        "staff/report.html",
        {
            "area": area,
            "period": period,
            "meta": receipts["report"],
            "figures": receipts["figures"],
            "files": _files(folder),
            "format_names": FORMAT_NAMES,
            "generated": generated,
        },
    )


@router.get("/console/reports/{area}/{period}", response_class=HTMLResponse)
def report_page(area: str, period: str, request: Request, staff: CurrentStaff) -> Response:
    return _report(request, staff, area, period)


@router.get("/console/reports/{area}/{period}/files/{name}")
def download(area: str, period: str, name: str, request: Request, staff: CurrentStaff) -> Response:
    folder = _folder(request, staff, area, period)
    path = next((p for p in _files(folder) if p.name == name), None)
    if path is None:
        raise NotFound("报告文件夹中没有这个文件", code="report.file_unknown", loc=("file",))
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], filename=path.name)


@router.get("/console/reports/{area}/{period}/view", response_class=HTMLResponse)
def view(area: str, period: str, request: Request, staff: CurrentStaff) -> Response:
    """The report's HTML with each figure linked to its provenance page."""
    folder = _folder(request, staff, area, period)
    page = next((p for p in _files(folder) if p.suffix == ".html"), None)
    if page is None:
        raise NotFound("这份报告没有 HTML 版本", code="report.html_missing", loc=("file",))
    return HTMLResponse(console_html(page.read_text("utf-8"), f"/console/reports/{area}/{period}"))


def console_html(html: str, base: str) -> str:
    """Point figure links (``#F001``) at the console's provenance pages and add a way back."""
    html = FIG_LINK.sub(lambda m: f"{m.group(1)}{base}/figures/{m.group(2)}{m.group(3)}", html)
    html = RECEIPT_ROW.sub(
        lambda m: (
            f'<tr id="{m.group(1)}"><td><a href="{base}/figures/{m.group(1)}">{m.group(1)}</a></td>'
        ),
        html,
    )
    bar = (
        '<p style="font:12pt sans-serif;text-indent:0;background:#e4ebf1;padding:.4em .8em">'
        f'<a href="{base}">返回报告</a> · 点击数字查看它的来源与重算结果</p>'
    )
    return html.replace("<body>", f"<body>{bar}", 1)


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
    folder = _folder(request, staff, area, period)
    figure_id = figure_id.upper()
    if not FIGURE_ID.fullmatch(figure_id):
        raise NotFound("没有这个数字编号", code="report.figure_unknown", loc=("figure",))
    receipts = read_figures(folder)
    # Re-computing stores the value it finds; a page view must change nothing, so undo it.
    savepoint = session.begin_nested()
    try:
        explained = explain_figure(session, receipts, figure_id)
    finally:
        savepoint.rollback()
    return render(
        request,
        staff,
        "staff/report_figure.html",
        {
            "area": area,
            "period": period,
            "meta": receipts["report"],
            "figure": explained["figure"],
            "definition": explained.get("definition"),
            "again": explained["recomputed"],
            "pretty": pretty_json,
        },
    )
