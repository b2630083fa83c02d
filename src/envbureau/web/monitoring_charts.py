"""The plotly figures of the dashboard and the air pages (rendered by ``web.charts``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from envbureau.core.areas.boundaries import Outline
from envbureau.web.charts import chart_html, point_map

THIS_YEAR_COLOUR = "#C0392B"  # as the report's charts (reports.charts)
LAST_YEAR_COLOUR = "#7F8C8D"
TARGET_COLOUR = "#2C3E50"
MONTH_LABELS = [f"{m}月" for m in range(1, 13)]
#: Pollutants of the hourly chart: column, label, unit axis.
HOURLY_SERIES = (
    ("pm25", "PM2.5", "y"),
    ("pm10", "PM10", "y"),
    ("o3", "O3", "y"),
    ("no2", "NO2", "y"),
    ("so2", "SO2", "y"),
    ("co", "CO（右轴，mg/m³）", "y2"),
)


def monthly_chart(
    *,
    title: str,
    unit: str,
    series: Mapping[str, Mapping[int, float | None]],
    target: float | None = None,
    bars: bool = True,
) -> Markup:
    """Month by month, this year against last year (``series``: label → month → value)."""
    figure = go.Figure()
    for (label, values), colour in zip(
        series.items(), (THIS_YEAR_COLOUR, LAST_YEAR_COLOUR), strict=False
    ):
        y = [values.get(m) for m in range(1, 13)]
        if bars:
            figure.add_trace(go.Bar(x=MONTH_LABELS, y=y, name=label, marker_color=colour))
        else:
            figure.add_trace(
                go.Scatter(x=MONTH_LABELS, y=y, name=label, mode="lines+markers", line_color=colour)
            )
    if target is not None:
        figure.add_hline(
            y=target,
            line_dash="dot",
            line_color=TARGET_COLOUR,
            annotation_text=f"年度目标 {target:g}{unit}",
        )
    figure.update_layout(title=title, yaxis_title=unit, barmode="group", legend_orientation="h")
    return chart_html(figure, height=340)


def places_map(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    label: str,
    tile_url: str | None,
    outlines: Sequence[Outline] = (),
) -> Markup | None:
    """Stations or sections with coordinates as coloured points over the areas' outlines;
    None when none has any."""
    placed = [r for r in rows if r.get("lon") is not None and r.get("lat") is not None]
    if not placed:
        return None
    return point_map(
        [r["lon"] for r in placed],
        [r["lat"] for r in placed],
        [f"{r['name']}（{r.get('area_name', '')}）：{r[label] or '无有效数据'}" for r in placed],
        [r["colour"] for r in placed],
        title=title,
        tile_url=tile_url,
        outlines=outlines,
    )


def hourly_chart(hourly: pd.DataFrame, *, title: str) -> Markup:
    """Hourly concentrations (hour-ending, Beijing time); CO on the right axis."""
    figure = go.Figure()
    times = hourly["time"].dt.tz_localize(None) if len(hourly) else []
    for column, label, axis in HOURLY_SERIES:
        figure.add_trace(
            go.Scatter(
                x=times,
                y=hourly[column] if len(hourly) else [],
                name=label,
                mode="lines",
                yaxis=axis,
                connectgaps=False,
            )
        )
    figure.update_layout(
        title=title,
        yaxis={"title": "μg/m³"},
        yaxis2={"title": "mg/m³", "overlaying": "y", "side": "right", "showgrid": False},
        legend_orientation="h",
        xaxis={"title": "时间（北京时间，小时末）"},
    )
    return chart_html(figure, height=380)


def daily_chart(days: Sequence[Mapping[str, Any]], *, title: str) -> Markup:
    """Daily AQI as bars in the colour of their category, PM2.5 as a line."""
    figure = go.Figure(
        go.Bar(
            x=[d["date"] for d in days],
            y=[d["aqi"] for d in days],
            marker_color=[d["colour"] for d in days],
            marker_line={"width": 1, "color": "#555"},
            name="AQI",
            text=[d["category"] or "无有效数据" for d in days],
            hovertemplate="%{x}<br>AQI %{y}<br>%{text}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[d["date"] for d in days],
            y=[d["pm25"] for d in days],
            name="PM2.5 日均值（μg/m³）",
            mode="lines+markers",
            line_color=TARGET_COLOUR,
            yaxis="y2",
        )
    )
    figure.update_layout(
        title=title,
        yaxis={"title": "AQI"},
        yaxis2={"title": "μg/m³", "overlaying": "y", "side": "right", "showgrid": False},
        legend_orientation="h",
    )
    return chart_html(figure, height=340)
