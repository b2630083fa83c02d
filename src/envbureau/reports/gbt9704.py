"""GB/T 9704-2012 (党政机关公文格式) as numbers: the page, the type area and its grid, type
sizes, and the small rules both the Word and the PDF renderer follow."""

from __future__ import annotations

EM_DASH = "\u2014"

# --- the page (5.2) ------------------------------------------------------------------------
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 37.0
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0
TYPE_AREA_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TYPE_AREA_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PT_PER_MM = 72 / 25.4
LINE_PITCH_PT = TYPE_AREA_HEIGHT_MM * PT_PER_MM / LINES_PER_PAGE  # 28.99
CHAR_PITCH_PT = TYPE_AREA_WIDTH_MM * PT_PER_MM / CHARS_PER_LINE  # 15.79
PAGE_NUMBER_GAP_MM = 7.0  # 7.5: the dashes 7 mm below the type area
# Chinese type sizes (字号) in points.
SIZE_2HAO_PT = 22.0  # title
SIZE_3HAO_PT = 16.0  # body, headings
SIZE_4HAO_PT = 14.0  # page numbers


# --- rules of layout ----------------------------------------------------------------------
def page_number_text(number: int) -> str:
    """Page number between 一字线 (7.5): "— 3 —"."""
    return f"{EM_DASH} {number} {EM_DASH}"


def text_width_chars(text: str) -> float:
    """Width of ``text`` in 字 (Chinese character widths): ASCII counts half."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


def signature_right_indents(issuer: str, issued: str) -> tuple[float, float]:
    """Right indents in 字 of the issuer and of the date (7.3.5.2, document without seal).

    The issuer stands two characters from the right edge and the date starts two characters
    right of the issuer's first character; when that would bring the date closer than two
    characters to the edge, the date is put two characters from it and the issuer moved left.
    """
    issuer_chars = text_width_chars(issuer)
    date_chars = text_width_chars(issued)
    date_indent = issuer_chars - date_chars
    if date_indent >= 2:
        return 2.0, date_indent
    return date_chars + 4 - issuer_chars, 2.0


def split_appendix_title(title: str) -> tuple[str, str]:
    """("附件", "主要图表") from "附件：主要图表"; ("", title) when there is no 附件 label."""
    label, sep, rest = title.partition("：")
    if sep and label.startswith("附件") and rest:
        return label, rest
    return "", title
