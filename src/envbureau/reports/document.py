"""The report as a neutral document: what the builder produces and every output format renders.

The builder turns templates, indicator values and work records into a ``Document``; the
renderers (Word, PDF, HTML, Markdown) only lay it out, so a figure is formatted once and
reads the same in every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

ParagraphStyle = Literal["title", "heading1", "body"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one origin.

    ``figure`` is the id of an entry in ``figures.json`` (the text is the value as printed);
    ``record`` is the id of the work record the text was written from; ``missing`` marks a
    ``【数据不足：…】`` placeholder standing where a figure could not be computed.
    """

    text: str
    figure: str | None = None
    record: str | None = None
    missing: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One paragraph. ``lead`` is a run-in second-level heading such as "（一）狠抓“治水”工作。",
    set in 楷体 at the start of a body paragraph (GB/T 9704-2012, 7.3.3 层次序数)."""

    runs: tuple[Run, ...]
    style: ParagraphStyle = "body"
    lead: str = ""

    @property
    def text(self) -> str:
        return self.lead + "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Chart:
    """A chart of the appendix (附件): a PNG file and its caption."""

    path: Path
    caption: str


@dataclass
class Document:
    """A whole report: title, body paragraphs, the issuing body and date, appendix charts."""

    title: str
    paragraphs: list[Paragraph]
    issuer: str
    issued_on: date
    charts: list[Chart] = field(default_factory=list)
    appendix_title: str = "附件：主要图表"

    @property
    def issued_text(self) -> str:
        """The date as an official document writes it (成文日期: 2026年7月10日)."""
        d = self.issued_on
        return f"{d.year}年{d.month}月{d.day}日"

    @property
    def text(self) -> str:
        """Plain text of the body, one paragraph a line (used by tests and the Markdown diff)."""
        return "\n".join([self.title, *(p.text for p in self.paragraphs)])
