"""Record text typed by staff reaches the Markdown and HTML reports as text, never as markup.

The Markdown is rendered with markdown-it (CommonMark, raw HTML allowed, as most viewers do):
a ``<script>`` or a ``javascript:`` link from a work record must not come out as either.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from envbureau.reports.builder import build_half_year
from envbureau.reports.render_text import markdown_text, write_html, write_markdown
from envbureau.worklog.models import WorkRecord

SCRIPT = "<script>alert(1)</script>"
LINK = "[点此](javascript:alert(2))"


def build(session: Session, folder: Path, text: str) -> tuple[str, str]:
    session.add(
        WorkRecord(
            date=date(2026, 3, 2),
            theme="air",
            kind="campaign",
            title="整治",
            text=text,
            quantities=[],
            area_code="990100",
            created_by="tester",
            updated_by="tester",
        )
    )
    session.flush()
    (folder / "half_year.md.j2").write_text("# 报告\n\n{{ records('air') }}。\n", encoding="utf-8")
    report = build_half_year(session, year=2026, area_code="990100", template_dir=folder)
    md = write_markdown(report.document, folder / "r.md").read_text("utf-8")
    html = write_html(report.document, report.book.figures, folder / "r.html").read_text("utf-8")
    return md, html


def test_record_script_is_escaped_in_markdown_and_html(
    session: Session, city, tmp_path: Path
) -> None:
    md, html = build(session, tmp_path, f"完成整治{SCRIPT}，见{LINK}")
    assert "<script" not in md and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\[点此\\](javascript:alert(2))" in md
    rendered = MarkdownIt("commonmark").render(md)
    assert "<script" not in rendered and "href" not in rendered
    assert (
        "完成整治&lt;script&gt;alert(1)&lt;/script&gt;，见[点此](javascript:alert(2))" in rendered
    )


def test_markdown_text_by_hand() -> None:
    assert markdown_text("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert markdown_text("`x` \\ [y]") == "\\`x\\` \\\\ \\[y\\]"
    assert markdown_text("PM2.5 优良率 84.6%") == "PM2.5 优良率 84.6%"
