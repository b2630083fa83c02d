"""The PDF: Chinese text that extracts back, fonts embedded, the GB/T 9704 page and grid."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_samples import (
    CAPTION,
    CLOSING,
    FIGURE,
    HEADING,
    LEAD,
    MISSING,
    SENTENCE,
    TITLE,
    sample_document,
)

from envbureau.reports.document import Document, Paragraph, Run
from envbureau.reports.render_pdf import NO_LINE_START, write_pdf

A4_PT = (595.28, 841.89)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    folder = tmp_path_factory.mktemp("pdf")
    return PdfReader(write_pdf(sample_document(folder), folder / "report.pdf"))


def _lines(page) -> list[str]:
    return [line.strip() for line in page.extract_text().splitlines() if line.strip()]


def _flat(text: str) -> str:
    return "".join(text.split())


def test_write_pdf_text_extracts_back_as_written(reader: PdfReader) -> None:
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "(cid:" not in text and "\x00" not in text and "\ufffd" not in text
    flat = _flat(text)
    for written in (TITLE, HEADING, LEAD + SENTENCE + FIGURE, MISSING, CLOSING, CAPTION):
        assert _flat(written) in flat
    assert "示范市生态环境局" in text and "2026年7月10日" in text
    assert "附件" in text and "主要图表" in text


def test_write_pdf_embeds_every_font(reader: PdfReader) -> None:
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/Type0"
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            assert "/ToUnicode" in font
            seen.add(str(font["/BaseFont"]))
    assert seen and all("+" in name for name in seen)  # subset fonts: TAG+Name


def test_write_pdf_pages_are_a4_with_the_chart_in_the_appendix(reader: PdfReader) -> None:
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width), 2),
            round(float(page.mediabox.height), 2),
        ) == A4_PT
    last = reader.pages[-1]
    assert "附件" in last.extract_text()
    assert len(last.images) == 1


def test_write_pdf_numbers_pages_odd_right_even_left(tmp_path: Path) -> None:
    paragraphs = [Paragraph((Run("测试段落"),)) for _ in range(30)]
    document = Document("页码测试", paragraphs, "示范市生态环境局", date(2026, 7, 10))
    reader = PdfReader(write_pdf(document, tmp_path / "pages.pdf"))
    assert len(reader.pages) == 2
    for number, page in enumerate(reader.pages, start=1):
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip().startswith("\u2014"):
                found.append((text.strip(), tm[4]))

        page.extract_text(visitor_text=visit)
        assert [t for t, _ in found] == [f"\u2014 {number} \u2014"]
        x = found[0][1]
        assert (x > A4_PT[0] / 2) == (number % 2 == 1)


def test_write_pdf_grid_holds_22_lines_of_28_characters(tmp_path: Path) -> None:
    # Page 1: title line, blank line, then 20 one-line paragraphs; page 2 is full.
    one_line = [Paragraph((Run("第一行"),)) for _ in range(20)]
    long = Paragraph((Run("字" * (26 + 28 * 21)),))
    document = Document("网格测试", [*one_line, long], "示范市生态环境局", date(2026, 7, 10))
    reader = PdfReader(write_pdf(document, tmp_path / "grid.pdf"))
    page_one, page_two = (_lines(page)[:-1] for page in reader.pages[:2])  # less the number
    assert len(page_one) == 1 + 20  # the title, (the blank line), 20 paragraphs
    assert len(page_two) == 22
    assert [len(line) for line in page_two] == [26] + [28] * 21  # indent of two characters
    assert len(reader.pages) == 3  # the signature goes to the next page


def test_write_pdf_never_starts_a_line_with_closing_punctuation(tmp_path: Path) -> None:
    # 26 characters fill the indented first line exactly: the comma would start line two.
    text = "甲" * 26 + "，" + "乙" * 30 + "。"
    document = Document(
        "禁则测试", [Paragraph((Run(text),))], "示范市生态环境局", date(2026, 7, 10)
    )
    reader = PdfReader(write_pdf(document, tmp_path / "kinsoku.pdf"))
    lines = _lines(reader.pages[0])
    body = [line for line in lines if line[0] in "甲乙，。"]
    assert "".join(body) == text
    assert all(line[0] not in NO_LINE_START for line in body)
    assert body[0] == "甲" * 25  # the last 甲 went down with the comma
