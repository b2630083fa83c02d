"""PDF rendering of a report in the GB/T 9704-2012 layout of the Word file, fonts embedded.

Pure Python (fpdf2): no office suite needed. The page, margins, 22 × 28 grid, type sizes,
signature block, appendix and page numbers are those of :mod:`envbureau.reports.render_docx` (numbers in :mod:`envbureau.reports.gbt9704`)
(see its docstring for the clauses). Fonts come from :mod:`envbureau.reports.fonts`, one face
per role (仿宋 body, 宋体 title and page numbers, 黑体 headings, 楷体 run-in headings); each
face is cut down to the document's characters and embedded with TrueType outlines, so the
text is searchable and extracts back as written. With no 小标宋 face, the title is drawn in
the 宋体-role face with a thin outline stroke to approach 小标宋's weight.

Lines are broken here, not by fpdf2: by character width, Latin/digit runs such as ``85.3%``
or ``PM2.5`` kept whole, no line starting with closing punctuation (。，、；：）」》” …) or
ending with an opening one (（「《“ …) — the previous character goes down with it — and every
line but a paragraph's last justified by spreading the characters (Tc) across the line.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image

from envbureau.reports import gbt9704 as layout
from envbureau.reports.document import Document, Paragraph
from envbureau.reports.fonts import FontFace, FontRole, find_font, truetype_subset

MM = layout.PT_PER_MM
PAGE_W, PAGE_H = layout.PAGE_WIDTH_MM * MM, layout.PAGE_HEIGHT_MM * MM
LEFT, RIGHT = layout.MARGIN_LEFT_MM * MM, (layout.PAGE_WIDTH_MM - layout.MARGIN_RIGHT_MM) * MM
TOP = layout.MARGIN_TOP_MM * MM
BOTTOM = TOP + layout.TYPE_AREA_HEIGHT_MM * MM
PITCH = layout.LINE_PITCH_PT
BODY, TITLE, FOLIO = layout.SIZE_3HAO_PT, layout.SIZE_2HAO_PT, layout.SIZE_4HAO_PT
BODY_TRACKING = layout.CHAR_PITCH_PT - BODY  # -0.21 pt: 28 characters fill a line
CJK_ASCENT = 0.88  # ideographic em box: 0.88 em above the baseline, 0.12 below
DASH_HEIGHT = 0.4  # top of the 一字线 above the baseline, in em
TITLE_STROKE_PT = 0.35

# Kinsoku (禁则): characters that may not start a line, and ones that may not end it.
NO_LINE_START = set("。，、；：？！）》」』”’】〕〉…—％%·,.;:?!)]}")
NO_LINE_END = set("（《「『“‘【〔〈([{")
_TOKEN = re.compile(r"[!-~]+|\s|.", re.DOTALL)  # an ASCII word, a space, or one character


@dataclass(frozen=True)
class _Token:
    role: FontRole
    size: float
    text: str
    width: float  # natural width, no tracking [pt]


def write_pdf(document: Document, path: Path) -> Path:
    """Write ``document`` as a PDF with embedded Chinese fonts at ``path``; return ``path``."""
    with tempfile.TemporaryDirectory(prefix="envbureau-fonts-") as tmp:
        writer = _Writer(document, Path(tmp))
        writer.render()
        path.parent.mkdir(parents=True, exist_ok=True)
        writer.pdf.output(str(path))
    return path


class _OfficialPdf(FPDF):
    """FPDF with the GB/T 9704 7.5 page number: odd pages right, even pages left."""

    def __init__(self) -> None:
        super().__init__(unit="pt", format=(PAGE_W, PAGE_H))
        self.folio_font = ""  # set once the fonts are loaded
        self.folio_width: dict[str, float] = {}

    def footer(self) -> None:
        if not self.folio_font:
            return
        text = layout.page_number_text(self.page_no())
        width = sum(self.folio_width.get(ch, 1.0) for ch in text) * FOLIO
        self.set_font(self.folio_font, size=FOLIO)
        self.set_char_spacing(0)
        odd = self.page_no() % 2 == 1
        x = RIGHT - FOLIO - width if odd else LEFT + FOLIO
        baseline = BOTTOM + layout.PAGE_NUMBER_GAP_MM * MM + DASH_HEIGHT * FOLIO
        self.text(x, baseline, text)


class _Writer:
    """Lays the document out line by line on the 22-line grid."""

    def __init__(self, document: Document, font_dir: Path) -> None:
        self.document = document
        self.pdf = _OfficialPdf()
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(LEFT, TOP, PAGE_W - RIGHT)
        self.pdf.set_title(document.title)
        self.pdf.set_author(document.issuer)
        self.pdf.set_creator("envbureau")
        self.pdf.set_lang("zh-CN")
        self.widths: dict[FontRole, dict[str, float]] = {}
        self.names: dict[FontRole, str] = {}
        self._load_fonts(font_dir)
        self.y = TOP

    def _load_fonts(self, font_dir: Path) -> None:
        text = _all_text(self.document)
        loaded: dict[FontFace, tuple[str, dict[str, float]]] = {}
        for role in ("fangsong", "song", "hei", "kai"):
            face = find_font(role)
            if face not in loaded:
                name = f"cjk{len(loaded)}"
                subset = truetype_subset(face, text, font_dir / f"{name}.ttf")
                self.pdf.add_font(name, fname=str(subset))
                loaded[face] = (name, _advance_widths(subset))
            self.names[role], self.widths[role] = loaded[face]
        self.pdf.folio_font = self.names["song"]
        self.pdf.folio_width = self.widths["song"]

    # --- document structure -------------------------------------------------------------------
    def render(self) -> None:
        self.pdf.add_page()
        self._title(self.document.title)
        self._blank_line()
        for paragraph in self.document.paragraphs:
            self._paragraph(paragraph)
        self._signature()
        if self.document.charts:
            self._appendix()

    def _paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.style == "title":
            self._title(paragraph.text)
        elif paragraph.style == "heading1":
            self._lines(self._tokens("hei", BODY, paragraph.text), indent=2 * layout.CHAR_PITCH_PT)
        else:
            tokens = self._tokens("kai", BODY, paragraph.lead)
            for run in paragraph.runs:
                tokens += self._tokens("fangsong", BODY, run.text)
            self._lines(tokens, indent=2 * layout.CHAR_PITCH_PT)

    def _title(self, text: str) -> None:
        self._lines(self._tokens("song", TITLE, text), align="center")

    def _signature(self) -> None:
        doc = self.document
        issuer_indent, date_indent = layout.signature_right_indents(doc.issuer, doc.issued_text)
        self._blank_line()
        for text, indent in (
            (doc.issuer, issuer_indent),
            (doc.issued_text, date_indent),
        ):
            self._lines(self._tokens("fangsong", BODY, text), align="right", indent=indent * BODY)

    def _appendix(self) -> None:
        label, title = layout.split_appendix_title(self.document.appendix_title)
        self._new_page()
        if label:  # 7.3.7: 附件 flush left on line 1, the title centred on line 3
            self._lines(self._tokens("hei", BODY, label), align="left")
            self._blank_line()
        self._title(title)
        self._blank_line()
        for chart in self.document.charts:
            self._chart(chart.path, chart.caption)

    def _chart(self, image: Path, caption: str) -> None:
        """The picture across the type area (smaller if too tall for a page), its caption below."""
        with Image.open(image) as picture:
            aspect = picture.height / picture.width
        width = RIGHT - LEFT
        height = width * aspect
        room = BOTTOM - TOP - 2 * PITCH
        if height > room:
            width, height = room / aspect, room
        if self.y + height + PITCH > BOTTOM + 0.01:
            self._new_page()
        self.pdf.image(str(image), x=LEFT + (RIGHT - LEFT - width) / 2, y=self.y, w=width, h=height)
        self.y += height
        self._lines(self._tokens("fangsong", BODY, caption), align="center")
        self._blank_line()

    # --- lines ----------------------------------------------------------------------------------
    def _tokens(self, role: FontRole, size: float, text: str) -> list[_Token]:
        widths = self.widths[role]
        return [
            _Token(
                role, size, t, size * sum(widths.get(ch, 0.5 if ch < "\x80" else 1.0) for ch in t)
            )
            for t in _TOKEN.findall(text)
        ]

    def _lines(self, tokens: list[_Token], *, indent: float = 0.0, align: str = "justify") -> None:
        """Break ``tokens`` into lines and draw them.

        ``indent`` [pt] is the first line's indent, or every line's right indent when
        ``align`` is "right".
        """
        full = RIGHT - LEFT - (indent if align == "right" else 0.0)
        first = full if align == "right" else full - indent
        for number, line in enumerate(_break_lines(tokens, first, full)):
            line_indent = indent if number == 0 or align == "right" else 0.0
            self._draw_line(line, indent=line_indent, align=align)

    def _draw_line(self, line: _Line, *, indent: float, align: str) -> None:
        top = self._next_line()
        tokens = line.tokens
        if not tokens:
            return
        size = max(t.size for t in tokens)
        tracking = BODY_TRACKING if size == BODY else 0.0
        count = sum(len(t.text) for t in tokens)
        natural = sum(t.width for t in tokens) + tracking * count
        available = RIGHT - LEFT - indent
        if align == "center":
            x = LEFT + (RIGHT - LEFT - natural) / 2
        elif align == "right":
            x = RIGHT - indent - natural
        else:
            x = LEFT + indent
            spread = (available - natural) / max(count - 1, 1)
            if align == "justify" and not line.is_last and 0 < spread < size / 2:
                tracking += spread
        baseline = top + (PITCH - size) / 2 + CJK_ASCENT * size
        for role, run_size, text, width in _merge(tokens):
            self.pdf.set_font(self.names[role], size=run_size)
            self.pdf.set_char_spacing(tracking)
            if run_size == TITLE:  # 小标宋's weight: the outline stroked as well as filled
                with self.pdf.local_context(text_mode="FILL_STROKE", line_width=TITLE_STROKE_PT):
                    self.pdf.text(x, baseline, text)
            else:
                self.pdf.text(x, baseline, text)
            x += width + tracking * len(text)

    def _next_line(self) -> float:
        if self.y + PITCH > BOTTOM + 0.01:
            self._new_page()
        top = self.y
        self.y += PITCH
        return top

    def _blank_line(self) -> None:
        if self.y > TOP:
            self._next_line()

    def _new_page(self) -> None:
        self.pdf.add_page()
        self.y = TOP


@dataclass
class _Line:
    tokens: list[_Token]
    is_last: bool = False


def _break_lines(tokens: list[_Token], first: float, full: float) -> list[_Line]:
    """Greedy line filling with the kinsoku rules (widths include the body tracking)."""
    lines: list[_Line] = []
    line: list[_Token] = []
    used = 0.0
    for token in _split_long(tokens, full):
        limit = full if lines else first
        if line and used + _advance(token) > limit + 0.01:
            carry: list[_Token] = []
            if token.text[0] in NO_LINE_START and len(line) > 1:
                carry.append(line.pop())
            while len(line) > 1 and line[-1].text[-1] in NO_LINE_END:
                carry.insert(0, line.pop())
            lines.append(_Line(_strip(line)))
            line, used = carry, sum(_advance(t) for t in carry)
        line.append(token)
        used += _advance(token)
    lines.append(_Line(_strip(line), is_last=True))
    return lines


def _advance(token: _Token) -> float:
    tracking = BODY_TRACKING if token.size == BODY else 0.0
    return token.width + tracking * len(token.text)


def _split_long(tokens: list[_Token], full: float) -> list[_Token]:
    """Break an ASCII word longer than a line into single characters."""
    out: list[_Token] = []
    for token in tokens:
        if _advance(token) <= full or len(token.text) == 1:
            out.append(token)
            continue
        per_char = token.width / len(token.text)
        out.extend(_Token(token.role, token.size, ch, per_char) for ch in token.text)
    return out


def _strip(line: list[_Token]) -> list[_Token]:
    start, end = 0, len(line)
    while start < end and line[start].text.isspace():
        start += 1
    while end > start and line[end - 1].text.isspace():
        end -= 1
    return line[start:end]


def _merge(tokens: list[_Token]) -> list[tuple[FontRole, float, str, float]]:
    """Consecutive tokens of one font and size as one string: (role, size, text, width)."""
    runs: list[tuple[FontRole, float, str, float]] = []
    for t in tokens:
        if runs and runs[-1][0] == t.role and runs[-1][1] == t.size:
            role, size, text, width = runs[-1]
            runs[-1] = (role, size, text + t.text, width + t.width)
        else:
            runs.append((t.role, t.size, t.text, t.width))
    return runs


def _advance_widths(font_path: Path) -> dict[str, float]:
    """Advance width of each character of the font, in em."""
    font = TTFont(font_path)
    upem = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {chr(code): metrics[name][0] / upem for code, name in font.getBestCmap().items()}


def _all_text(document: Document) -> str:
    """Every character the PDF sets, for the font subsets."""
    parts = [document.text, document.issuer, document.appendix_title, "0123456789—年月日 "]
    parts += [p.lead for p in document.paragraphs]
    parts += [chart.caption for chart in document.charts]
    return "".join(parts)
