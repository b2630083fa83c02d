"""Finding a Chinese font with no download, and cutting it down for PDF embedding."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from envbureau.reports import fonts
from envbureau.reports.fonts import FontFace, FontNotFoundError, find_font, truetype_subset

SAMPLE = "市生态环境局优良天数比例"


@pytest.mark.parametrize("role", ["fangsong", "song", "hei", "kai"])
def test_find_font_every_role_has_a_face_with_chinese(role: str) -> None:
    face = find_font(role)
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in SAMPLE)


def test_find_font_without_standard_faces_takes_the_packaged_noto(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "_fontconfig_faces", lambda: ())
    assert find_font("fangsong").family == "Noto Serif SC"
    assert find_font("song").family == "Noto Serif SC"
    assert find_font("hei").family == "Noto Sans SC"
    assert find_font("kai") == find_font("fangsong")  # no 楷体 shipped: the body face


def test_find_font_prefers_the_face_the_standard_names(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = fonts._packaged_face("serif").path
    monkeypatch.setattr(
        fonts, "_fontconfig_faces", lambda: ((installed, 0, ("仿宋_GB2312", "FangSong_GB2312")),)
    )
    assert find_font("fangsong") == FontFace(installed, "仿宋_GB2312", 0)
    assert find_font("hei").family == "Noto Sans SC"


def test_find_font_with_no_font_at_all_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "_fontconfig_faces", lambda: ())
    monkeypatch.setattr(fonts, "_packaged_face", lambda kind: None)
    monkeypatch.setattr(fonts, "_KNOWN_PATHS", {"serif": (), "sans": ()})
    with pytest.raises(FontNotFoundError) as raised:
        find_font("hei")
    message = str(raised.value)
    assert "未找到中文字体" in message
    assert "No Chinese (CJK) font found" in message
    assert "pylopdf-fonts-zh-cn" in message
    assert "fonts-noto-cjk" in message


def test_truetype_subset_keeps_the_characters_with_truetype_outlines(tmp_path: Path) -> None:
    face = find_font("fangsong")
    subset = TTFont(truetype_subset(face, SAMPLE + "85.3%", tmp_path / "subset.ttf"))
    assert "glyf" in subset
    assert "CFF " not in subset
    cmap = subset.getBestCmap()
    assert all(ord(ch) in cmap for ch in SAMPLE + "85.3%")
    assert len(subset.getGlyphOrder()) < 60
    glyph = subset["glyf"][cmap[ord("环")]]
    assert glyph.numberOfContours > 0  # an outline, not an empty glyph
