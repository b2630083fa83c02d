"""Writing a built report to a folder: the appendix charts, each format, and ``figures.json``.

The folder holds everything needed to read and to check the report later: the documents,
the chart images, and ``figures.json`` with one receipt per printed number plus what the
report was built from (area, period, template, warnings) for ``envbureau report explain``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from envbureau.core.indicators import service as indicators_service
from envbureau.reports import chart_data, charts
from envbureau.reports.builder import Report
from envbureau.reports.document import Chart
from envbureau.reports.receipts import FIGURES_FILE, write_figures
from envbureau.reports.render_docx import write_docx
from envbureau.reports.render_pdf import write_pdf
from envbureau.reports.render_text import write_html, write_markdown

FORMATS = ("docx", "pdf", "html", "md")


def write_report(
    session: Session,
    report: Report,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = FORMATS,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, Path]:
    """Write the charts, the chosen formats and the receipts; return what was written."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"未知格式：{'、'.join(sorted(unknown))}（可选 {', '.join(FORMATS)}）")
    out_dir.mkdir(parents=True, exist_ok=True)
    progress("绘制附件图表")
    report.document.charts = make_charts(session, report, out_dir / "charts")
    stem = out_dir / report.document.title
    written: dict[str, Path] = {}
    writers = {
        "docx": lambda: write_docx(report.document, stem.with_suffix(".docx")),
        "pdf": lambda: write_pdf(report.document, stem.with_suffix(".pdf")),
        "html": lambda: write_html(report.document, report.book.figures, stem.with_suffix(".html")),
        "md": lambda: write_markdown(report.document, stem.with_suffix(".md")),
    }
    for fmt in formats:
        progress(f"写出 {fmt}")
        written[fmt] = writers[fmt]()
    written["figures"] = write_figures(report, out_dir / FIGURES_FILE)
    return written


def make_charts(session: Session, report: Report, folder: Path) -> list[Chart]:
    """The appendix: monthly good-day rate and PM2.5 (this year vs last), water classes and
    劣Ⅴ elimination progress. A chart without data is left out, not drawn empty."""
    folder.mkdir(parents=True, exist_ok=True)
    year, area, period = report.period.year, report.area_code, report.period
    last_month = report.period.end.month
    out: list[Chart] = []
    for indicator_id, title, unit, name in (
        ("air.good_day_rate", "各月环境空气质量优良天数比例", "%", "good_day_rate.png"),
        ("air.pm25_mean", "各月PM2.5平均浓度", "μg/m³", "pm25.png"),
    ):
        this_year = chart_data.monthly(session, indicator_id, year, area, last_month)
        last_year = chart_data.monthly(session, indicator_id, year - 1, area, 12)
        if this_year.notna().any():
            target = indicators_service.get_target(
                session=session, indicator_id=indicator_id, year=year, area_code=area
            )
            charts.monthly_comparison(
                this_year,
                last_year,
                title=f"{year}年{title}（与{year - 1}年对比）",
                unit=unit,
                path=folder / name,
                target=target.value if target is not None else None,
            )
            out.append(Chart(folder / name, f"{year}年{title}与上年同月对比"))
    counts = chart_data.class_counts(session, period, area)
    if len(counts):
        title = f"{period.label}地表水断面水质类别分布"
        charts.class_distribution(counts, title=title, path=folder / "water_classes.png")
        out.append(Chart(folder / "water_classes.png", title))
    progress_frame = chart_data.elimination_progress(session, period, area)
    if len(progress_frame):
        title = f"{year}年劣Ⅴ类断面消劣进展（截至{period.label}）"
        charts.elimination_progress(progress_frame, title=title, path=folder / "elimination.png")
        out.append(Chart(folder / "elimination.png", title))
    return out
