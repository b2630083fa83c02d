"""The Word file: GB/T 9704-2012 page, grid, fonts (East Asian names), page numbers, appendix."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from report_samples import (
    CAPTION,
    FIGURE,
    HEADING,
    ISSUER,
    LEAD,
    MISSING,
    TITLE,
    sample_document,
)

from envbureau.reports import gbt9704
from envbureau.reports.fonts import find_font
from envbureau.reports.render_docx import write_docx

EM_DASH = "\u2014"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docx")
    return write_docx(sample_document(folder), folder / "report.docx")


@pytest.fixture(scope="module")
def word(docx_path: Path) -> docx.document.Document:
    return docx.Document(str(docx_path))


def test_write_docx_page_is_a4_with_the_standard_margins(word) -> None:
    section = word.sections[0]
    assert round(section.page_width.mm, 1) == 210.0
    assert round(section.page_height.mm, 1) == 297.0
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]


def test_write_docx_grid_holds_22_lines_of_28_characters(word) -> None:
    grid = word.sections[0]._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))
    type_area_twips = 225 / 25.4 * 1440
    assert int(type_area_twips // pitch) == 22
    normal = word.styles["Normal"].element
    spacing = normal.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == (str(pitch), "exact")
    advance_pt = 16 + int(normal.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert int(156 / 25.4 * 72 // advance_pt) == 28
    assert normal.rPr.sz_val.pt == 16


def test_write_docx_names_east_asian_fonts_in_styles_and_runs(word) -> None:
    def east_asia(element) -> str:
        return element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))

    styles = {
        name: word.styles[name].element for name in ("Normal", "公文标题", "一级标题", "二级标题")
    }
    assert east_asia(styles["Normal"]) == "仿宋_GB2312"
    assert east_asia(styles["公文标题"]) == "方正小标宋简体"
    assert east_asia(styles["一级标题"]) == "黑体"
    assert east_asia(styles["二级标题"]) == "楷体_GB2312"
    runs = [run for p in word.paragraphs for run in p.runs if run.text]
    assert runs and all(east_asia(run._r) for run in runs)
    title_run = word.paragraphs[0].runs[0]
    assert title_run.text == TITLE
    assert east_asia(title_run._r) == "方正小标宋简体"
    assert title_run.font.size.pt == 22


def test_write_docx_font_table_gives_fallbacks(docx_path: Path) -> None:
    word = docx.Document(str(docx_path))
    part = next(p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    for name, alternative in (
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "宋体"),
        ("黑体", "SimHei"),
    ):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/>' in xml


def test_write_docx_paragraphs_keep_their_roles(word) -> None:
    by_text = {p.text: p for p in word.paragraphs}
    assert by_text[HEADING].style.name == "一级标题"
    body = next(p for p in word.paragraphs if p.text.startswith(LEAD))
    assert body.style.name == "Normal"
    styles = {run.text: run.style.name for run in body.runs}
    assert styles[LEAD] == "二级标题"
    assert styles[FIGURE] == "数据"
    assert styles[MISSING] == "数据不足"
    assert all(run.font.color.rgb is None for run in body.runs)  # figures carry no colour
    indent = word.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"


def test_write_docx_signature_is_right_aligned_with_the_date(word) -> None:
    texts = [p.text for p in word.paragraphs]
    issuer_at = texts.index(ISSUER)
    assert texts[issuer_at + 1] == "2026年7月10日"
    for paragraph in word.paragraphs[issuer_at : issuer_at + 2]:
        assert paragraph.style.name == "署名日期"
    assert gbt9704.signature_right_indents(ISSUER, "2026年7月10日") == (2.5, 2.0)


def test_write_docx_footer_numbers_pages_between_em_dashes(word) -> None:
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        instruction = footer._element.findall(".//" + qn("w:instrText"))
        assert [i.text.strip() for i in instruction] == ["PAGE"]
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith(f"{EM_DASH} ") and paragraph.text.endswith(f" {EM_DASH}")
        assert paragraph.alignment.name.lower() == alignment


def test_write_docx_appendix_holds_the_chart_and_caption(word) -> None:
    texts = [p.text for p in word.paragraphs]
    label_at = texts.index("附件")
    assert word.paragraphs[label_at].paragraph_format.page_break_before
    assert texts[label_at + 1] == "主要图表"
    assert CAPTION in texts
    assert len(word.inline_shapes) == 1
    assert round(word.inline_shapes[0].width.mm) == 156
    images = [p for p in word.part.package.iter_parts() if p.partname.startswith("/word/media/")]
    assert len(images) == 1


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui); .ci/run installs it",
)
def test_write_docx_converts_in_libreoffice(docx_path: Path, tmp_path: Path) -> None:
    # LibreOffice finds fonts through fontconfig: point it at the packaged Chinese faces too.
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{find_font('hei').path.parent}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf), "HOME": str(tmp_path)}
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(docx_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    pdf = tmp_path / "out" / "report.pdf"
    assert pdf.is_file(), done.stdout + done.stderr
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2  # body, then the appendix on its own page
    text = "".join(page.extract_text() for page in reader.pages)
    assert HEADING in text
    assert "主要图表" in text


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        # GB/T 9704-2012 7.3.5.2: issuer 2 characters from the right, date 2 to its right ...
        ("示范市生态环境局办公室综合科", (2.0, 7.5)),
        # ... unless the date is the longer: date 2 from the right, issuer moved left.
        ("示范市生态环境局", (2.5, 2.0)),
        ("环保局", (7.5, 2.0)),
    ],
)
def test_signature_right_indents_follow_the_unsealed_rule(
    issuer: str, expected: tuple[float, float]
) -> None:
    assert gbt9704.signature_right_indents(issuer, "2026年7月10日") == expected
