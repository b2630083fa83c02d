"""The appendix charts: PNG files written, the data plotted as given, missing months as gaps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.font_manager import FontProperties
from PIL import Image

from envbureau.reports import charts
from envbureau.reports.fonts import find_font

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _assert_png(path: Path) -> None:
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert path.stat().st_size > 10_000
    with Image.open(path) as image:
        assert abs(image.size[0] - 16 / 2.54 * charts.DPI) <= 1  # 16 cm at print size


def test_monthly_comparison_missing_months_are_gaps_not_zeros(tmp_path: Path) -> None:
    this_year = pd.Series([80.6, 75.0, np.nan, 88.2], index=[1, 2, 3, 4])
    last_year = pd.Series(np.linspace(70, 92, 12), index=range(1, 13))
    path = tmp_path / "rate.png"
    fig = charts.monthly_comparison(
        this_year, last_year, title="各月优良天数比例", unit="%", path=path
    )
    _assert_png(path)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    plotted = np.asarray(lines["今年"].get_ydata(), dtype=float)
    assert plotted[[0, 1, 3]].tolist() == [80.6, 75.0, 88.2]
    assert np.isnan(plotted[2])  # March missing
    assert np.isnan(plotted[4:]).all()  # May–December not yet reported
    assert not (plotted == 0).any()
    assert list(lines["今年"].get_xdata()) == list(range(1, 13))
    assert np.allclose(lines["去年"].get_ydata(), last_year.to_numpy())


def test_monthly_comparison_draws_the_target_line(tmp_path: Path) -> None:
    series = pd.Series([35.0, 40.0], index=[1, 2])
    fig = charts.monthly_comparison(
        series, series, title="PM2.5", unit="μg/m³", path=tmp_path / "pm.png", target=35
    )
    target = [line for line in fig.axes[0].get_lines() if line.get_label() == "目标 35"]
    assert len(target) == 1
    assert list(target[0].get_ydata()) == [35, 35]
    assert fig.axes[0].get_ylabel() == "μg/m³"


def test_monthly_comparison_refuses_a_month_outside_1_to_12(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="1–12"):
        charts.monthly_comparison(
            pd.Series([1.0], index=[13]),
            pd.Series(dtype=float),
            title="x",
            unit="%",
            path=tmp_path / "x.png",
        )


def test_charts_set_the_text_in_the_chinese_face(tmp_path: Path) -> None:
    fig = charts.class_distribution({"Ⅱ": 3}, title="断面水质类别", path=tmp_path / "c.png")
    expected = FontProperties(fname=str(find_font("hei").path)).get_name()
    assert fig.axes[0].title.get_fontname() == expected


def test_class_distribution_orders_classes_with_their_colours(tmp_path: Path) -> None:
    path = tmp_path / "classes.png"
    counts = pd.Series({"劣Ⅴ": 1, "Ⅱ": 10, "Ⅰ": 2, "Ⅲ": 8})
    fig = charts.class_distribution(counts, title="地表水断面水质类别", path=path)
    _assert_png(path)
    bars = fig.axes[0].patches
    assert [bar.get_height() for bar in bars] == [2, 10, 8, 0, 0, 1]
    assert to_hex(bars[-1].get_facecolor()) == charts.WATER_CLASS_COLOURS["劣Ⅴ"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == list(charts.CLASS_LABELS)


def test_class_distribution_refuses_an_unknown_class(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="V"):
        charts.class_distribution({"V": 1}, title="x", path=tmp_path / "x.png")


def test_elimination_progress_plots_planned_and_eliminated(tmp_path: Path) -> None:
    path = tmp_path / "elimination.png"
    frame = pd.DataFrame({"level": ["省控", "市控"], "planned": [5, 8], "eliminated": [3, np.nan]})
    fig = charts.elimination_progress(frame, title="劣Ⅴ类断面消除进展", path=path)
    _assert_png(path)
    widths = [bar.get_width() for bar in fig.axes[0].patches]
    assert widths[:2] == [5, 8]  # planned
    assert widths[2] == 3
    assert np.isnan(widths[3])  # not reported: no bar, not a zero
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["省控", "市控"]


def test_elimination_progress_names_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="eliminated"):
        charts.elimination_progress(
            pd.DataFrame({"level": ["省控"], "planned": [1]}), title="x", path=tmp_path / "x.png"
        )
