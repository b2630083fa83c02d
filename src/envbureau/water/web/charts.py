"""The water pages' plotly figures, drawn from the services' result objects: an item's
monthly means against its class limits, and the sections per class over six half-years."""

from __future__ import annotations

import plotly.graph_objects as go
from markupsafe import Markup

from envbureau.standards.gb3838_tables import CLASS_LABELS
from envbureau.water.class_overview import HalfCounts
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.section_detail import ItemTrend, LimitLine
from envbureau.web.charts import chart_html


def y_range(trend: ItemTrend) -> list[float]:
    """From the values to the first limit beyond them (DO: below them), with a margin; the
    target class's limit is always inside, so a clean section still shows its target line."""
    values = [v for v in trend.values if v is not None]
    limits = [line.limit for line in trend.lines]
    target = next((line.limit for line in trend.lines if line.target), None)
    if not values:
        return [0.0, max(limits, default=1.0) * 1.1]
    top, bottom = max(values), min(values)
    if trend.higher_is_better:
        floor = max((v for v in limits if v <= bottom), default=bottom)
        floor = min(floor, target) if target is not None else floor
        return [floor * 0.85, max(top, max(limits, default=top)) * 1.08]
    ceiling = min((v for v in limits if v >= top), default=top)
    ceiling = max(ceiling, target) if target is not None else ceiling
    return [0.0, ceiling * 1.15]


def _limit_shape(line: LimitLine, colour: str) -> dict[str, object]:
    return {
        "type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
        "y0": line.limit, "y1": line.limit,
        "line": {"dash": "solid" if line.target else "dot", "color": colour,
                 "width": 2.5 if line.target else 1.2},
    }  # fmt: skip


def _limit_note(line: LimitLine, colour: str) -> dict[str, object]:
    return {
        "xref": "paper", "x": 0, "yref": "y", "y": line.limit,
        "text": f"{line.classes}类 {line.limit:g}", "showarrow": False,
        "xanchor": "left", "yanchor": "bottom", "font": {"size": 11, "color": colour},
    }  # fmt: skip


def trend_chart(trend: ItemTrend) -> Markup:
    """An item's monthly means with its class limits as horizontal lines (the section's target
    class solid and thicker)."""
    unit = trend.column.unit
    low, high = y_range(trend)
    shown = [line for line in trend.lines if low <= line.limit <= high]
    colours = [WATER_CLASS_COLOURS[CLASS_LABELS[line.worst_class - 1]] for line in shown]
    figure = go.Figure(
        data=[
            go.Scatter(
                x=list(trend.months),
                y=list(trend.values),
                mode="lines+markers",
                line={"color": "#1f2933"},
                hovertemplate=f"%{{x}}：%{{y}} {unit}<extra></extra>",
            )
        ],
        layout={
            "title": f"{trend.column.name}（{unit}）",
            "showlegend": False,
            "shapes": [_limit_shape(line, c) for line, c in zip(shown, colours, strict=True)],
            "annotations": [_limit_note(line, c) for line, c in zip(shown, colours, strict=True)],
            "yaxis": {"title": unit, "range": [low, high]},
            "xaxis": {"type": "category"},
        },
    )
    return chart_html(figure, height=300)


def history_chart(history: tuple[HalfCounts, ...]) -> Markup:
    """Sections per class in each half-year, stacked."""
    figure = go.Figure()
    for index, class_label in enumerate(CLASS_LABELS):
        figure.add_bar(
            x=[h.period.label for h in history],
            y=[h.counts[index].count for h in history],
            name=f"{class_label}类",
            marker_color=WATER_CLASS_COLOURS[class_label],
        )
    figure.update_layout(barmode="stack", title="各类别断面数", yaxis_title="断面数（个）")
    return chart_html(figure, height=320)
