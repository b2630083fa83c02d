"""Word (.docx) rendering of a report, laid out as an official document per GB/T 9704-2012.

What is implemented, with the clause of GB/T 9704-2012:

* 5.2.1 A4 paper, 210 mm × 297 mm.
* 5.2.2 margins: top (天头) 37 mm, left (订口) 28 mm; type area 156 mm × 225 mm, so right
  26 mm and bottom 35 mm.
* 5.2.3 / 5.2.4 body in 三号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters. Lines: the
  section's grid (``w:docGrid``) has a line pitch of 225 mm / 22 = 28.99 pt, rounded down to
  579 twips, and every paragraph an exact line spacing of that pitch, so a page holds 22 lines
  whatever font the reader substitutes. Characters: 156 mm / 28 = 15.79 pt a character, less
  than the 16 pt of a 三号 character, so 三号 text is condensed by 0.25 pt (15.75 pt advance,
  28 a line). A character grid (type ``linesAndChars``, ``w:charSpace`` −847) would do it in
  Word but LibreOffice gives every character wider than its cell two cells (14 a line), so the
  grid is of type ``lines``; its ``w:charSpace`` is still written for a user who switches the
  grid to characters in Word.
* 7.3.1 title in 二号 (22 pt) 方正小标宋简体, centred, one blank line below it.
* 7.3.3 body paragraphs justified with a first-line indent of two characters; first-level
  headings (一、) in 三号黑体; the run-in second-level heading (（一）…。, ``Paragraph.lead``)
  in 三号楷体_GB2312.
* 7.3.5.2 (document without seal) issuer two characters from the right edge, one blank line
  below the body; date below it in Arabic numerals without leading zeros (2026年7月10日), its
  first character two characters right of the issuer's first, or, when the date is the longer,
  the date two characters from the right edge and the issuer moved left to keep the offset.
* 7.3.7 appendix on a new page: 附件 in 三号黑体 flush left on line 1, its title centred on
  line 3, then each chart across the type-area width with its caption.
* 7.5 page numbers "— N —" in 四号 (14 pt) 宋体, 7 mm below the type area; odd pages on the
  right and even pages on the left, one character in from the edge (odd/even footers).

Fonts are named as the standard names them; each run and style sets ``w:eastAsia`` as well as
``w:ascii``/``w:hAnsi`` (python-docx sets only the latter), and the font table gives every name
an alternative (``w:altName``), GB2312 charset and panose, so Word and WPS fall back to 仿宋 /
楷体 / 宋体 / 黑体 on machines without the _GB2312 faces. Figures are set like the body in
the character style ``数据``; ``【数据不足：…】`` placeholders in the style ``数据不足``.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Mm, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml import etree

from envbureau.reports.document import Document, Paragraph
from envbureau.reports.gbt9704 import (
    CHAR_PITCH_PT,
    EM_DASH,
    LINE_PITCH_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_GAP_MM,
    PAGE_WIDTH_MM,
    PT_PER_MM,
    SIZE_2HAO_PT,
    SIZE_3HAO_PT,
    SIZE_4HAO_PT,
    TYPE_AREA_WIDTH_MM,
    signature_right_indents,
    split_appendix_title,
)

# --- fonts as the standard names them, with the names Word/WPS fall back to ------------------
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_LEAD = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
# name -> (altName, panose1, family, pitch); charset 86 = GB2312.
FONT_TABLE = {
    FONT_TITLE: ("宋体", "02000000000000000000", "script", "variable"),
    FONT_BODY: ("仿宋", "02010609030101010101", "modern", "fixed"),
    FONT_LEAD: ("楷体", "02010609030101010101", "modern", "fixed"),
    FONT_HEADING: ("SimHei", "02010609060101010101", "modern", "fixed"),
    FONT_PAGE_NUMBER: ("SimSun", "02010600030101010101", "auto", "variable"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "modern", "fixed"),
}

STYLE_TITLE = "公文标题"
STYLE_HEADING1 = "一级标题"
STYLE_LEAD = "二级标题"
STYLE_FIGURE = "数据"
STYLE_MISSING = "数据不足"
STYLE_SIGNATURE = "署名日期"
STYLE_APPENDIX = "附件标识"

_LINE_TWIPS = int(LINE_PITCH_PT * 20)  # 579: rounded down so 22 lines fit
_CHAR_SPACE = int((CHAR_PITCH_PT - SIZE_3HAO_PT) * 4096)  # -847
# 三号 text condensed by 0.25 pt: a 15.75 pt advance puts 28 characters on a 156 mm line.
_CONDENSE_TWIPS = -5
# Elements the WordprocessingML schema (ECMA-376 Part 1, CT_RPr / CT_PPr) puts after the few
# children python-docx has no accessor for: a new child goes before the first of them present.
_RPR_TAIL = (
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_PPR_TAIL = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", *_RPR_TAIL)


def write_docx(document: Document, path: Path) -> Path:
    """Write ``document`` as a GB/T 9704-2012 Word file at ``path`` and return ``path``."""
    word = new_word_document()
    _set_page(word)
    _set_styles(word)
    _set_font_table(word)
    _add_page_numbers(word)
    _add_paragraph(word, document.title, STYLE_TITLE)
    for paragraph in document.paragraphs:
        _add_body_paragraph(word, paragraph)
    _add_signature(word, document.issuer, document.issued_text)
    if document.charts:
        _add_appendix(word, document)
    word.core_properties.title = document.title
    word.core_properties.author = document.issuer
    word.core_properties.language = "zh-CN"
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


# --- page, grid and styles ----------------------------------------------------------------------
def _set_page(word: WordDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # Footer line (14 pt) centred 7 mm + half a line below the type area.
    line_mm = SIZE_4HAO_PT / PT_PER_MM
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM - line_mm)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(_LINE_TWIPS))
    grid.set(qn("w:charSpace"), str(_CHAR_SPACE))


def _set_styles(word: WordDocument) -> None:
    defaults = word.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rpr(default_rpr, FONT_BODY, SIZE_3HAO_PT)
    default_ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set_spacing(default_ppr, line=_LINE_TWIPS)
    normal = word.styles["Normal"]
    _set_rpr(normal.element.get_or_add_rPr(), FONT_BODY, SIZE_3HAO_PT)
    _set_ppr(normal.element.get_or_add_pPr(), indent_chars=2, align="both")
    title = _paragraph_style(word, STYLE_TITLE, FONT_TITLE, SIZE_2HAO_PT)
    _set_ppr(title.element.get_or_add_pPr(), indent_chars=0, align="center", after=_LINE_TWIPS)
    # One grid line a title line: a 22 pt line snapped to the grid would take two.
    _child(title.element.get_or_add_pPr(), "w:snapToGrid", _PPR_TAIL).set(qn("w:val"), "0")
    heading = _paragraph_style(word, STYLE_HEADING1, FONT_HEADING, SIZE_3HAO_PT)
    heading_ppr = heading.element.get_or_add_pPr()
    heading_ppr.get_or_add_keepNext()
    heading_ppr.get_or_add_outlineLvl().set(qn("w:val"), "0")
    appendix = _paragraph_style(word, STYLE_APPENDIX, FONT_HEADING, SIZE_3HAO_PT)
    _set_ppr(appendix.element.get_or_add_pPr(), indent_chars=0, align="left")
    signature = _paragraph_style(word, STYLE_SIGNATURE, FONT_BODY, SIZE_3HAO_PT)
    _set_ppr(signature.element.get_or_add_pPr(), indent_chars=0, align="right")
    caption = word.styles["Caption"]
    _set_rpr(caption.element.get_or_add_rPr(), FONT_BODY, SIZE_3HAO_PT)
    _set_ppr(caption.element.get_or_add_pPr(), indent_chars=0, align="center")
    for name, font in (
        (STYLE_LEAD, FONT_LEAD),
        (STYLE_FIGURE, FONT_BODY),
        (STYLE_MISSING, FONT_BODY),
    ):
        style = word.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        _set_rpr(style.element.get_or_add_rPr(), font, SIZE_3HAO_PT)
    _set_rpr(word.styles["Footer"].element.get_or_add_rPr(), FONT_PAGE_NUMBER, SIZE_4HAO_PT)


def _paragraph_style(word: WordDocument, name: str, font: str, size_pt: float) -> BaseStyle:
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles["Normal"]
    style.next_paragraph_style = word.styles["Normal"]
    style.quick_style = True
    _set_rpr(style.element.get_or_add_rPr(), font, size_pt)
    return style


def _set_rpr(rpr: CT_RPr, font: str, size_pt: float | None = None) -> None:
    """Name ``font`` for every script (East Asian included), no bold, no colour, size."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), font)
    fonts.set(qn("w:hint"), "eastAsia")
    for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:kern"):
        for element in rpr.findall(qn(tag)):
            rpr.remove(element)
    if size_pt is not None:
        condense = _child(rpr, "w:spacing", _RPR_AFTER_SPACING)
        condense.set(qn("w:val"), str(_CONDENSE_TWIPS if size_pt == SIZE_3HAO_PT else 0))
        rpr.get_or_add_sz().set(qn("w:val"), str(round(size_pt * 2)))
        _child(rpr, "w:szCs", _RPR_TAIL).set(qn("w:val"), str(round(size_pt * 2)))
    lang = _child(rpr, "w:lang", _RPR_TAIL[_RPR_TAIL.index("w:lang") + 1 :])
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_ppr(ppr: CT_PPr, *, indent_chars: int, align: str, after: int = 0) -> None:
    for element in ppr.findall(qn("w:pBdr")):
        ppr.remove(element)
    _set_spacing(ppr, line=_LINE_TWIPS, after=after)
    ind = ppr.get_or_add_ind()
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    ind.set(qn("w:firstLine"), str(int(indent_chars * SIZE_3HAO_PT * 20)))
    ppr.get_or_add_jc().set(qn("w:val"), align)


def _set_spacing(ppr: CT_PPr, *, line: int | None, after: int = 0, before: int = 0) -> None:
    spacing = ppr.get_or_add_spacing()
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))
    if line is None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    else:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), "exact")


def _child(parent: etree._Element, tag: str, successors: tuple[str, ...]) -> etree._Element:
    """The ``tag`` child of ``parent``, created before the first of ``successors`` present."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    parent.insert_element_before(element, *successors)
    return element


def _set_font_table(word: WordDocument) -> None:
    """Declare each Chinese font with an alternative name, GB2312 charset and panose."""
    part = next(p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, (alt, panose, family, pitch) in FONT_TABLE.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        for tag, value in (
            ("w:altName", alt),
            ("w:panose1", panose),
            ("w:charset", "86"),
            ("w:family", family),
            ("w:pitch", pitch),
        ):
            etree.SubElement(font, qn(tag), {qn("w:val"): value})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- content ------------------------------------------------------------------------------------
def _add_paragraph(word: WordDocument, text: str, style: str) -> WordParagraph:
    paragraph = word.add_paragraph(style=style)
    font = {STYLE_TITLE: FONT_TITLE, STYLE_HEADING1: FONT_HEADING, STYLE_APPENDIX: FONT_HEADING}
    size = SIZE_2HAO_PT if style == STYLE_TITLE else SIZE_3HAO_PT
    if text:
        _add_run(paragraph, text, font.get(style, FONT_BODY), size)
    return paragraph


def _add_run(
    paragraph: WordParagraph, text: str, font: str, size_pt: float, style: str | None = None
) -> WordRun:
    run = paragraph.add_run(text, style=style)
    _set_rpr(run._r.get_or_add_rPr(), font, size_pt)
    return run


def _add_body_paragraph(word: WordDocument, paragraph: Paragraph) -> None:
    if paragraph.style == "title":
        _add_paragraph(word, paragraph.text, STYLE_TITLE)
        return
    if paragraph.style == "heading1":
        _add_paragraph(word, paragraph.text, STYLE_HEADING1)
        return
    out = word.add_paragraph(style="Normal")
    if paragraph.lead:
        _add_run(out, paragraph.lead, FONT_LEAD, SIZE_3HAO_PT, STYLE_LEAD)
    for run in paragraph.runs:
        style = STYLE_MISSING if run.missing else STYLE_FIGURE if run.figure else None
        _add_run(out, run.text, FONT_BODY, SIZE_3HAO_PT, style)


def _add_signature(word: WordDocument, issuer: str, issued: str) -> None:
    issuer_indent, date_indent = signature_right_indents(issuer, issued)
    for text, indent, before in (
        (issuer, issuer_indent, _LINE_TWIPS),
        (issued, date_indent, 0),
    ):
        paragraph = _add_paragraph(word, text, STYLE_SIGNATURE)
        ppr = paragraph._p.get_or_add_pPr()
        _set_spacing(ppr, line=_LINE_TWIPS, before=before)
        ind = ppr.get_or_add_ind()
        ind.set(qn("w:rightChars"), str(round(indent * 100)))
        ind.set(qn("w:right"), str(round(indent * SIZE_3HAO_PT * 20)))


def _add_appendix(word: WordDocument, document: Document) -> None:
    label, title = split_appendix_title(document.appendix_title)
    first = _add_paragraph(word, "", STYLE_APPENDIX if label else STYLE_TITLE)
    first.paragraph_format.page_break_before = True
    if label:
        _add_run(first, label, FONT_HEADING, SIZE_3HAO_PT)
        heading = _add_paragraph(word, title, STYLE_TITLE)
        _set_spacing(
            heading._p.get_or_add_pPr(), line=_LINE_TWIPS, before=_LINE_TWIPS, after=_LINE_TWIPS
        )
    else:
        _add_run(first, title, FONT_TITLE, SIZE_2HAO_PT)
    for chart in document.charts:
        picture = word.add_paragraph(style="Normal")
        ppr = picture._p.get_or_add_pPr()
        _set_ppr(ppr, indent_chars=0, align="center")
        _set_spacing(ppr, line=None)  # an exact line height would crop the picture
        _child(ppr, "w:snapToGrid", _PPR_TAIL).set(qn("w:val"), "0")
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(str(chart.path), width=Mm(TYPE_AREA_WIDTH_MM))
        caption = word.add_paragraph(style="Caption")
        _add_run(caption, chart.caption, FONT_BODY, SIZE_3HAO_PT)
        caption.paragraph_format.space_after = Twips(_LINE_TWIPS)


# --- page numbers (7.5) -------------------------------------------------------------------------
def _add_page_numbers(word: WordDocument) -> None:
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = word.styles["Footer"]
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # 7.5: odd numbers one character in from the right, even ones from the left. The
        # character counts (firstLineChars of Normal) are zeroed: they override lengths.
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        side = "right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left"
        for attr, value in (("firstLineChars", 0), ("firstLine", 0), (side, SIZE_4HAO_PT * 20)):
            ind.set(qn(f"w:{attr}"), str(int(value)))
        _add_run(paragraph, f"{EM_DASH} ", FONT_PAGE_NUMBER, SIZE_4HAO_PT)
        _add_page_field(paragraph)
        _add_run(paragraph, f" {EM_DASH}", FONT_PAGE_NUMBER, SIZE_4HAO_PT)


def _add_page_field(paragraph: WordParagraph) -> None:
    """A PAGE field in 宋体 四号: begin, instruction, separate, the number shown, end."""
    runs = [_add_run(paragraph, "", FONT_PAGE_NUMBER, SIZE_4HAO_PT) for _ in range(5)]
    for run, kind in zip(runs[::2], ("begin", "separate", "end"), strict=True):
        field = OxmlElement("w:fldChar")
        field.set(qn("w:fldCharType"), kind)
        run._r.append(field)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    runs[1]._r.append(instruction)
    runs[3].text = "1"
