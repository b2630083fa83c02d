"""The report as HTML (every figure and staff text marked, receipts on hover) and Markdown.

HTML is one self-contained file: styles inline, charts embedded as data URIs, no script or
font from outside (bureaus read it on an intranet). Markdown is for diffs between versions.

Both escape every text they print (record text is typed by staff and imported from files):
HTML through ``html.escape``, attributes included; Markdown through ``markdown_text``, so a
record holding ``<script>`` or ``[x](javascript:…)`` reads as text in any Markdown viewer.
"""

from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path

from envbureau.reports.document import Document, Paragraph, Run
from envbureau.reports.figures import Figure

STYLE = """
body { font-family: "FangSong", "仿宋", "仿宋_GB2312", "Noto Serif CJK SC", serif;
       font-size: 16pt; line-height: 1.8; max-width: 42em; margin: 2em auto; color: #111; }
h1 { font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt;
     text-align: center; font-weight: normal; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 16pt;
     font-weight: normal; text-indent: 2em; margin: 0.4em 0; }
p { text-indent: 2em; margin: 0; text-align: justify; }
.lead { font-family: "KaiTi", "楷体", "楷体_GB2312", serif; }
.fig { border-bottom: 1px dotted #1f5fa8; cursor: help; }
.fig:hover, .fig.on { background: #dbe9fb; }
.rec { cursor: help; }
.rec:hover { background: #f3f0d8; }
.missing { color: #b00020; font-weight: bold; }
.issuer { text-align: right; margin-top: 2em; text-indent: 0; }
figure { margin: 1em 0; text-align: center; } figure img { max-width: 100%; }
table.receipts { border-collapse: collapse; font-size: 10.5pt; font-family: sans-serif;
                 margin-top: 2em; width: 100%; }
table.receipts td, table.receipts th { border: 1px solid #ccc; padding: 2px 6px;
                                       vertical-align: top; text-align: left; }
"""


def write_html(document: Document, figures: list[Figure], path: Path) -> Path:
    by_id = {f.id: f for f in figures}
    body = [f"<h1>{escape(document.title)}</h1>"]
    for paragraph in document.paragraphs:
        body.append(_paragraph(paragraph, by_id))
    issued = escape(document.issued_text)
    body.append(f'<p class="issuer">{escape(document.issuer)}<br>{issued}</p>')
    if document.charts:
        body.append(f"<h2>{escape(document.appendix_title)}</h2>")
        for chart in document.charts:
            data = base64.b64encode(Path(chart.path).read_bytes()).decode("ascii")
            body.append(
                f'<figure><img alt="{escape(chart.caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{escape(chart.caption)}</figcaption></figure>"
            )
    body.append(_receipts(figures))
    html = (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
    path.write_text(html, encoding="utf-8")
    return path


def _paragraph(paragraph: Paragraph, figures: dict[str, Figure]) -> str:
    runs = "".join(_run(r, figures) for r in paragraph.runs)
    if paragraph.style == "heading1":
        return f"<h2>{runs}</h2>"
    lead = f'<span class="lead">{escape(paragraph.lead)}</span>' if paragraph.lead else ""
    return f"<p>{lead}{runs}</p>"


def _run(run: Run, figures: dict[str, Figure]) -> str:
    text = escape(run.text)
    if run.missing:
        return f'<span class="missing">{text}</span>'
    if run.figure is not None:
        figure, key = figures[run.figure], escape(run.figure)
        return (
            f'<span class="fig" data-fig="{key}" title="{escape(_tip(figure))}">'
            f'<a href="#{key}" style="color:inherit;text-decoration:none">{text}</a></span>'
        )
    if run.record is not None:
        record = escape(run.record)
        return f'<span class="rec" data-record="{record}" title="工作台账 {record}">{text}</span>'
    return text


def _tip(figure: Figure) -> str:
    parts = [f"{figure.id} {figure.name}", f"{figure.period_label} {figure.area_name}".strip()]
    if figure.indicator_id:
        parts.append(f"指标 {figure.indicator_id}")
    parts.append(f"来源：{figure.source}")
    if figure.edition:
        parts.append(f"标准：{figure.edition}")
    return "\n".join(p for p in parts if p)


def _receipts(figures: list[Figure]) -> str:
    rows = "".join(
        f'<tr id="{escape(f.id)}"><td>{escape(f.id)}</td><td>{escape(f.name)}</td>'
        f"<td>{escape(f.printed)} {escape(f.unit)}</td><td>{escape(f.period_label)}</td>"
        f"<td>{escape(f.indicator_id or f.record_id or '')}</td><td>{escape(f.source)}</td>"
        f"<td>{escape(f.edition or '')}</td></tr>"
        for f in figures
    )
    return (
        '<table class="receipts"><caption>数据来源（每个数字的出处）</caption>'
        "<tr><th>编号</th><th>名称</th><th>数值</th><th>时段</th><th>指标/台账</th>"
        f"<th>来源</th><th>标准版本</th></tr>{rows}</table>"
    )


#: Markdown's inline syntax a text could use to open a link, an image or code; escaped.
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`[]"})


def markdown_text(text: str) -> str:
    """Text as Markdown shows it literally: HTML escaped (``<script>`` stays text), and the
    characters that open a link, image or code span backslash-escaped."""
    return escape(text.translate(_MARKDOWN_SPECIAL), quote=False)


def write_markdown(document: Document, path: Path) -> Path:
    md = markdown_text
    lines = [f"# {md(document.title)}", ""]
    for paragraph in document.paragraphs:
        text = "".join(md(r.text) for r in paragraph.runs)
        if paragraph.style == "heading1":
            lines += [f"## {text}", ""]
        elif paragraph.lead:
            lines += [f"**{md(paragraph.lead)}**{text}", ""]
        else:
            lines += [text, ""]
    lines += [f"{md(document.issuer)}  ", md(document.issued_text), ""]
    if document.charts:
        lines += [f"## {md(document.appendix_title)}", ""]
        lines += [
            f"![{md(c.caption)}]({Path(os.path.relpath(c.path, path.parent)).as_posix()})"
            for c in document.charts
        ]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
