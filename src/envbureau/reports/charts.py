"""The charts of the report's appendix (附件), drawn from plain pandas data into PNG files.

Each function takes the data to plot, writes a PNG at ``path`` (150 dpi, 16 cm wide so it
fills the type area of a GB/T 9704 page at print size) and returns the matplotlib ``Figure``,
whose axes hold exactly what was plotted (tests read it). No pyplot: each figure has its own
Agg canvas, so nothing global is touched and nothing needs closing. The Chinese font is the
黑体 role of :mod:`envbureau.reports.fonts`, registered by file for each chart and set inside
an ``rc_context``: the result does not depend on the system's font cache.

Missing values (NaN months) are left as gaps: lines break there and no bar is drawn; a
missing month is never plotted as zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from envbureau.core.colours import LAST_YEAR_COLOUR, TARGET_COLOUR, THIS_YEAR_COLOUR
from envbureau.reports.fonts import find_font
from envbureau.standards.gb3838_tables import CLASS_LABELS
from envbureau.water.colours import WATER_CLASS_COLOURS

DPI = 150
FIGSIZE_IN = (16 / 2.54, 9 / 2.54)
MONTHS = tuple(range(1, 13))
MONTH_LABELS = tuple(f"{m}月" for m in MONTHS)


def monthly_comparison(
    this_year: pd.Series,
    last_year: pd.Series,
    *,
    title: str,
    unit: str,
    path: Path,
    target: float | None = None,
    labels: tuple[str, str] = ("今年", "去年"),
) -> Figure:
    """Monthly values of this year against last year, as two lines, with an optional target.

    Parameters
    ----------
    this_year, last_year
        Values indexed by month number 1–12 (months absent or NaN are gaps) [``unit``].
    title
        Chart title.
    unit
        Unit of the values, shown on the y axis (``%``, ``μg/m³``).
    path
        PNG file to write.
    target
        Target value drawn as a dashed horizontal line [``unit``].
    labels
        Legend entries of the two series.
    """
    with _chinese_font():
        fig, ax = _new_figure(title)
        for series, label, colour, style in (
            (last_year, labels[1], LAST_YEAR_COLOUR, "--"),
            (this_year, labels[0], THIS_YEAR_COLOUR, "-"),
        ):
            values = _by_month(series)
            ax.plot(MONTHS, values, style, color=colour, marker="o", markersize=4, label=label)
        if target is not None:
            ax.axhline(
                target, color=TARGET_COLOUR, linestyle=":", linewidth=1.2, label=f"目标 {target:g}"
            )
        ax.set_xticks(MONTHS, MONTH_LABELS)
        ax.set_xlim(0.5, 12.5)
        ax.set_ylabel(unit)
        ax.legend(frameon=False, ncols=3, loc="best")
        _save(fig, path)
    return fig


def class_distribution(counts: Mapping[str, int] | pd.Series, *, title: str, path: Path) -> Figure:
    """Number of water sections in each GB 3838-2002 class, Ⅰ to 劣Ⅴ, as coloured bars.

    Parameters
    ----------
    counts
        Sections per class label (Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ); a class left out has no section.
    title, path
        Chart title and PNG file to write.
    """
    series = pd.Series(counts, dtype="float64")
    unknown = sorted(set(series.index) - set(CLASS_LABELS))
    if unknown:
        raise ValueError(f"不是 GB 3838-2002 水质类别 (not a water class label): {unknown}")
    values = series.reindex(CLASS_LABELS).fillna(0)
    with _chinese_font():
        fig, ax = _new_figure(title)
        bars = ax.bar(
            CLASS_LABELS,
            values.to_numpy(),
            color=[WATER_CLASS_COLOURS[c] for c in CLASS_LABELS],
            edgecolor="#333333",
            linewidth=0.5,
        )
        ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=2)
        ax.set_ylabel("断面数（个）")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max(1.0, values.max()) * 1.15)
        _save(fig, path)
    return fig


def elimination_progress(frame: pd.DataFrame, *, title: str, path: Path) -> Figure:
    """Progress of eliminating 劣Ⅴ sections by control level: planned against eliminated.

    Parameters
    ----------
    frame
        One row per level, columns ``level`` (省控, 市控 …), ``planned`` and ``eliminated``
        (numbers of sections; NaN = not reported, drawn as no bar).
    title, path
        Chart title and PNG file to write.
    """
    missing = {"level", "planned", "eliminated"} - set(frame.columns)
    if missing:
        raise ValueError(f"消劣进展数据缺少列 (missing columns): {sorted(missing)}")
    levels = frame["level"].astype(str).tolist()
    planned = frame["planned"].astype("float64").to_numpy()
    eliminated = frame["eliminated"].astype("float64").to_numpy()
    y = np.arange(len(levels))
    with _chinese_font():
        fig, ax = _new_figure(title)
        ax.barh(y, planned, height=0.6, color="#dddddd", edgecolor="#999999", label="计划消除")
        ax.barh(y, eliminated, height=0.35, color=WATER_CLASS_COLOURS["Ⅲ"], label="已消除")
        for row, (done, plan) in enumerate(zip(eliminated, planned, strict=True)):
            known = not (np.isnan(done) or np.isnan(plan))
            note = f"{done:g}/{plan:g}" if known else "数据不足"
            ax.annotate(
                note,
                (np.nanmax([done, plan, 0.0]), row),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
            )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_yticks(y, levels)
        ax.invert_yaxis()
        ax.set_xlabel("断面数（个）")
        top = np.nanmax(np.concatenate([planned, eliminated, [1.0]]))
        ax.set_xlim(0, top * 1.2)
        fig.legend(frameon=False, loc="outside lower center", ncols=2)
        _save(fig, path)
    return fig


def _by_month(series: pd.Series) -> np.ndarray:
    """Values for months 1–12 in order, NaN where the month is absent or missing."""
    values = pd.to_numeric(series, errors="coerce")
    values.index = values.index.astype(int)
    outside = sorted(set(values.index) - set(MONTHS))
    if outside:
        raise ValueError(f"月份应为 1–12 (months must be 1..12): {outside}")
    return values.reindex(MONTHS).to_numpy(dtype="float64")


def _new_figure(title: str) -> tuple[Figure, Axes]:
    fig = Figure(figsize=FIGSIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _save(fig: Figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png")


@contextmanager
def _chinese_font() -> Iterator[None]:
    """Set the chart text in the 黑体-role face, registered by file (no system cache)."""
    name = _registered_family(find_font("hei").path)
    with rc_context(
        {
            # The family by name, not "sans-serif": a generic family is resolved again at each
            # draw, so a figure drawn after this context would lose the Chinese face.
            "font.family": [name, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "font.size": 9,
            "axes.titlesize": 11,
        }
    ):
        yield


@cache
def _registered_family(path: Path) -> str:
    """Add the font file to matplotlib's font list once; its family name."""
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()
