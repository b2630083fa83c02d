"""The generated half-year reports on disk: their folders, files and figures.

A report is written to ``<output_dir>/reports/<area code>/<year>H<half>/`` (the documents, the
charts and ``figures.json``). Only files directly in such a folder are served, named by the
folder's own listing; an area and a period must look like a code and a half-year before any
path is made of them, so no path a client writes ever reaches the file system. A figure is
traced through its receipt (``reports.explain``) without changing anything stored.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.errors import NotFound
from envbureau.reports.builder import build_half_year
from envbureau.reports.explain import explain_figure
from envbureau.reports.outputs import write_report
from envbureau.reports.receipts import FIGURES_FILE, read_figures

AREA_CODE = re.compile(r"\d{6}|\d{9}|\d{12}")
HALF_YEAR = re.compile(r"(\d{4})H([12])")
FIGURE_ID = re.compile(r"F\d{1,6}")
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}
FORMAT_NAMES = {".docx": "Word", ".pdf": "PDF", ".html": "HTML", ".md": "Markdown"}
RECEIPTS_NAME = "数字来源清单"
FIG_LINK = re.compile(r'(<span class="fig" data-fig="(F\d+)"[^>]*><a href=")#F\d+(")')
RECEIPT_ROW = re.compile(r'<tr id="(F\d+)"><td>F\d+</td>')


@dataclass(frozen=True)
class ReportFile:
    """A downloadable file of a report folder."""

    path: Path
    media_type: str
    label: str  # Word, PDF, HTML, Markdown or 数字来源清单

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def suffix(self) -> str:
        return self.path.suffix


@dataclass(frozen=True)
class GeneratedReport:
    """A report folder: ``meta`` and ``figures`` are its ``figures.json`` as written."""

    area: str
    period: str
    folder: Path
    meta: dict[str, Any]
    figures: list[dict[str, Any]]
    files: tuple[ReportFile, ...]


@dataclass(frozen=True)
class ReportSummary:
    """A line of the list of generated reports."""

    area: str
    period: str
    title: str
    period_label: str
    generated_at: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class FigureExplanation:
    """A figure's receipt, its indicator's definition (if any) and a re-computation now."""

    figure: dict[str, Any]
    definition: dict[str, Any] | None
    recomputed: dict[str, Any]


def reports_root(output_dir: Path | str) -> Path:
    return Path(output_dir) / "reports"


def _unknown() -> NotFound:
    return NotFound("没有这份报告", code="report.unknown", loc=("report",))


def check_address(*, area: str, period: str) -> None:
    """Refuse (not found) an area that is not a code or a period that is not a half-year."""
    if not AREA_CODE.fullmatch(area) or not HALF_YEAR.fullmatch(period):
        raise _unknown()


def _files(folder: Path) -> tuple[ReportFile, ...]:
    """The downloadable files of a report folder (documents and receipts, no subfolders)."""
    found = sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix in MEDIA_TYPES),
        key=lambda p: list(MEDIA_TYPES).index(p.suffix),
    )
    return tuple(
        ReportFile(p, MEDIA_TYPES[p.suffix], FORMAT_NAMES.get(p.suffix, RECEIPTS_NAME))
        for p in found
    )


def get_report_or_raise(*, root: Path, area: str, period: str) -> GeneratedReport:
    """The report of ``area`` and ``period`` under ``root``; anything else is not found."""
    check_address(area=area, period=period)
    resolved = root.resolve()
    folder = (resolved / area / period).resolve()
    if folder.parent.parent != resolved or not (folder / FIGURES_FILE).is_file():
        raise _unknown()
    receipts = read_figures(folder)
    return GeneratedReport(
        area=area,
        period=period,
        folder=folder,
        meta=receipts["report"],
        figures=receipts["figures"],
        files=_files(folder),
    )


def get_file_or_raise(*, report: GeneratedReport, name: str) -> ReportFile:
    """A file of the report's folder by its name in the folder's own listing."""
    found = next((f for f in report.files if f.name == name), None)
    if found is None:
        raise NotFound("报告文件夹中没有这个文件", code="report.file_unknown", loc=("file",))
    return found


def list_generated(*, root: Path, can_see: Callable[[str], bool]) -> list[ReportSummary]:
    """The generated reports of the areas ``can_see`` admits, newest period first."""
    found = []
    for area_dir in sorted(root.iterdir()) if root.is_dir() else []:
        if not AREA_CODE.fullmatch(area_dir.name) or not can_see(area_dir.name):
            continue
        for period_dir in sorted(area_dir.iterdir(), reverse=True):
            if HALF_YEAR.fullmatch(period_dir.name) and (period_dir / FIGURES_FILE).is_file():
                meta = read_figures(period_dir)["report"]
                found.append(
                    ReportSummary(
                        area=area_dir.name,
                        period=period_dir.name,
                        title=meta["title"],
                        period_label=meta["period_label"],
                        generated_at=meta["generated_at"],
                        warnings=tuple(meta["warnings"]),
                    )
                )
    return sorted(found, key=lambda r: (r.period, r.area), reverse=True)


def report_areas(*, session: Session, can_see: Callable[[str], bool]) -> list[Area]:
    """Areas a report can be made for: the city and its districts that ``can_see`` admits."""
    areas: list[Area] = []
    for root in areas_service.list_root(session=session):
        areas.append(root)
        areas += areas_service.list_descendants(session=session, code=root.code, level="district")
    return [a for a in areas if can_see(a.code)]


def last_finished_half(today: date) -> tuple[int, int]:
    """(year, half) of the last half-year that has ended by ``today``."""
    return (today.year, 1) if today.month >= 7 else (today.year - 1, 2)


def generate(
    *,
    session: Session,
    root: Path,
    year: int,
    half: int,
    area: str,
    template_dir: Path | None,
    actor: str,
    before_writing: Callable[[], None] = lambda: None,
) -> GeneratedReport:
    """Build and write the half-year report of ``area``, replacing an earlier one of the same
    period only once the new folder is complete, and audit it (a failure leaves no files).

    Building only reads; ``before_writing`` is called just before the audit entry, the one
    database write (a request passes ``core.db.start_writing``: the SQLite write lock is then
    held for that write only, not for the minute the build takes)."""
    period = f"{year}H{half}"
    target = root / area / period
    scratch = target.parent / f".{period}-{uuid.uuid4().hex[:8]}"
    try:
        report = build_half_year(
            session, year=year, half=half, area_code=area, template_dir=template_dir
        )
        written = write_report(session, report, scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    scratch.replace(target)
    before_writing()
    audit.record(
        session,
        actor=actor,
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
    return get_report_or_raise(root=root, area=area, period=period)


def explain_or_raise(
    *, session: Session, report: GeneratedReport, figure_id: str
) -> FigureExplanation:
    """A figure of the report traced and computed again from today's data (stores nothing: the
    figure page is a GET)."""
    figure_id = figure_id.upper()
    if not FIGURE_ID.fullmatch(figure_id):
        raise NotFound("没有这个数字编号", code="report.figure_unknown", loc=("figure",))
    receipts = {"report": report.meta, "figures": report.figures}
    explained = explain_figure(session, receipts, figure_id)
    return FigureExplanation(
        figure=explained["figure"],
        definition=explained.get("definition"),
        recomputed=explained["recomputed"],
    )


def console_html(*, report: GeneratedReport, base: str) -> str:
    """The report's HTML for reading in the console at ``base``: figure links (``#F001``) point
    at the figure pages (``{base}/figures/F001``), and a bar leads back to the report."""
    page = next((f for f in report.files if f.suffix == ".html"), None)
    if page is None:
        raise NotFound("这份报告没有 HTML 版本", code="report.html_missing", loc=("file",))
    html = page.path.read_text("utf-8")
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
