"""Chinese fonts for the PDF renderer and the charts, found on this machine with no download.

Bureaus run on intranets, so nothing is fetched at run time. A font is looked for, per role of
GB/T 9704-2012 (仿宋 body, 小标宋/宋体 title and page numbers, 黑体 first-level headings,
楷体 second-level headings), in this order:

1. a face with the standard's own name installed on the machine (仿宋_GB2312, 楷体_GB2312,
   方正小标宋简体, 黑体/SimHei, 宋体/SimSun …), found through fontconfig (``fc-list``): a bureau
   that owns these fonts gets them in its PDFs;
2. the fonts shipped by the PyPI package ``pylopdf-fonts-zh-cn``, a dependency of envbureau:
   Noto Serif SC (宋体-like, for 仿宋/宋体/楷体 roles) and Noto Sans SC (黑体-like), OpenType
   CFF, SIL Open Font License 1.1, a 17 MB wheel. ``pip install`` (hence ``make demo`` and
   CI) brings them, with no apt and no root;
3. other free CJK faces from Debian packages (fonts-noto-cjk, fonts-arphic-ukai/uming,
   fonts-wqy-zenhei/microhei), through fontconfig or their known paths.

No font at all raises :class:`FontNotFoundError`, whose message (Chinese and English) names
the package to install. No OFL 仿宋 or 楷体 face exists on PyPI or in Debian's main archive
but AR PL UKai (楷体-like, fonts-arphic-ukai), which is used for 楷体 when installed; otherwise
楷体 falls back to the 仿宋 role's face.

PDF embedding: Noto's ``.otf`` files have CFF outlines, which fpdf2 embeds as a CID-keyed
CFF with its own CMap; pypdf and pdfminer cannot read the text of such a file back.
:func:`truetype_subset` therefore cuts the face down to the characters of the document and
converts the outlines to TrueType quadratics (fontTools cu2qu, error ≤ 1/1000 em), so the PDF
carries a plain Identity-H CIDFontType2 with /FontFile2 that every reader extracts.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FontRole = Literal["fangsong", "song", "hei", "kai"]

FONT_PACKAGE = "pylopdf-fonts-zh-cn"
_PACKAGE_MODULE = "pylopdf_fonts_zh_cn"
_PACKAGED_FILES = {"serif": "NotoSerifSC-Regular.otf", "sans": "NotoSansSC-Regular.otf"}
DEBIAN_PACKAGE = "fonts-noto-cjk"

# Family names (substrings of fontconfig's family field) of the faces GB/T 9704-2012 names,
# best first. Clause 5.2.3 (仿宋 body), 7.3.1 (小标宋 title), 7.3.3 (黑体/楷体 headings),
# 7.5 (宋体 page numbers).
STANDARD_FAMILIES: dict[FontRole, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
    "song": ("方正小标宋", "FZXiaoBiaoSong", "宋体", "SimSun", "STSong"),
    "hei": ("黑体", "SimHei", "STHeiti"),
    "kai": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN"),
}
_PACKAGED_FOR_ROLE: dict[FontRole, str | None] = {
    "fangsong": "serif",
    "song": "serif",
    "hei": "sans",
    "kai": None,  # no 楷体 in the package: fall back to the 仿宋 role
}
# Free faces of Debian packages: fontconfig family names, then known paths (no fontconfig).
_GENERIC_FAMILIES = {
    "serif": ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "sans": ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"),
}
_KNOWN_PATHS = {
    "serif": (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ),
    "sans": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    ),
}
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


class FontNotFoundError(RuntimeError):
    """No Chinese font on this machine: the message says what to install."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: ``index`` is the face number inside a .ttc/.otc collection."""

    path: Path
    family: str
    index: int = 0


def find_font(role: FontRole = "fangsong") -> FontFace:
    """The face to set text of one GB/T 9704 role in (see the module docstring for the order).

    Raises
    ------
    FontNotFoundError
        No Chinese font is installed at all.
    """
    for family in STANDARD_FAMILIES[role]:
        face = _system_face(family)
        if face is not None:
            return face
    kind = _PACKAGED_FOR_ROLE[role]
    if kind is None:
        return find_font("fangsong")
    return _packaged_face(kind) or _generic_face(kind) or _generic_face(_other(kind)) or _fail()


def _other(kind: str) -> str:
    return "sans" if kind == "serif" else "serif"


@cache
def _packaged_face(kind: str) -> FontFace | None:
    try:
        root = resources.files(_PACKAGE_MODULE)
    except ModuleNotFoundError:
        return None
    path = Path(str(root / _PACKAGED_FILES[kind]))
    if not path.is_file():
        return None
    return FontFace(path, "Noto Serif SC" if kind == "serif" else "Noto Sans SC")


def _generic_face(kind: str) -> FontFace | None:
    for family in _GENERIC_FAMILIES[kind]:
        face = _system_face(family)
        if face is not None:
            return face
    for known in _KNOWN_PATHS[kind]:
        if Path(known).is_file():
            return _face_in_collection(Path(known))
    return None


def _fail() -> FontFace:
    raise FontNotFoundError(
        f"未找到中文字体，无法生成 PDF 与图表。请安装 Python 包 {FONT_PACKAGE}"
        f"（.venv/bin/pip install {FONT_PACKAGE}，envbureau 的依赖，通常随安装一同装好），"
        f"或安装 Debian 软件包 {DEBIAN_PACKAGE}（apt-get install {DEBIAN_PACKAGE}）。"
        f" No Chinese (CJK) font found: install the Python package {FONT_PACKAGE} "
        f"or the Debian package {DEBIAN_PACKAGE}."
    )


def _system_face(family: str) -> FontFace | None:
    """The first installed face whose fontconfig family names contain ``family``."""
    for path, index, families in _fontconfig_faces():
        if any(family.casefold() in name.casefold() for name in families):
            return FontFace(path, families[0], index)
    return None


@cache
def _fontconfig_faces() -> tuple[tuple[Path, int, tuple[str, ...]], ...]:
    """Scalable Chinese faces fontconfig knows: (file, face index, family names)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        out = subprocess.run(
            [fc_list, "-f", "%{file}\t%{index}\t%{family}\n", ":lang=zh:scalable=true"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    faces = []
    for line in sorted(out.splitlines()):
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].lower().endswith(_FONT_SUFFIXES):
            continue
        families = tuple(name.strip() for name in parts[2].split(",") if name.strip())
        faces.append((Path(parts[0]), int(parts[1] or 0), families))
    return tuple(faces)


def _face_in_collection(path: Path) -> FontFace:
    """The Simplified Chinese face of a collection (family ending in SC or CN), else face 0."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return FontFace(path, TTFont(path, lazy=True)["name"].getBestFamilyName() or path.stem)
    fonts = TTCollection(path, lazy=True).fonts
    names = [font["name"].getBestFamilyName() or path.stem for font in fonts]
    for index, name in enumerate(names):
        if name.endswith((" SC", " CN")):
            return FontFace(path, name, index)
    return FontFace(path, names[0], 0)


def truetype_subset(face: FontFace, text: str, dest: Path) -> Path:
    """Write ``dest``: ``face`` cut down to the characters of ``text``, with TrueType outlines.

    CFF outlines (Noto's ``.otf``) are converted to quadratic curves so that a PDF library
    embeds the result as CIDFontType2 (/FontFile2, Identity-H), whose text all PDF readers
    extract. Names, metrics and OpenType layout of the kept glyphs are preserved.
    """
    font = TTFont(face.path, fontNumber=face.index, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + " ")
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)
    return dest


def _cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table of ``font`` by glyf/loca with the same shapes (cu2qu)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise: reverse them.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
