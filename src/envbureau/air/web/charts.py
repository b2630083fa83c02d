"""The plotly figures of the air pages, drawn from the air domain's result objects (rendered
by ``web.charts``): a station's hourly concentrations and its month of daily AQI."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from markupsafe import Markup

from envbureau.air.snapshots import DayFigures
from envbureau.air.station_month import HourlySeries
from envbureau.core.colours import TARGET_COLOUR
from envbureau.web.charts import chart_html

LINE_COLOUR = TARGET_COLOUR  # the PM2.5 line, as the target lines of the dashboard's charts
#: Pollutants of the hourly chart: column, label, unit axis.
HOURLY_SERIES = (
    ("pm25", "PM2.5", "y"),
    ("pm10", "PM10", "y"),
    ("o3", "O3", "y"),
    ("no2", "NO2", "y"),
    ("so2", "SO2", "y"),
    ("co", "CO（右轴，mg/m³）", "y2"),
)


def hourly_chart(hours: HourlySeries) -> Markup:
    """Hourly concentrations (hour-ending, Beijing time); CO on the right axis; flagged values
    leave gaps."""
    days = (hours.last_day - hours.first_day).days + 1
    figure = go.Figure()
    for column, label, axis in HOURLY_SERIES:
        figure.add_trace(
            go.Scatter(
                x=list(hours.times),
                y=list(hours.values[column]),
                name=label,
                mode="lines",
                yaxis=axis,
                connectgaps=False,
            )
        )
    title = f"最近{days}日小时浓度（{hours.first_day:%m-%d}至{hours.last_day:%m-%d}）"
    figure.update_layout(
        title=title,
        yaxis={"title": "μg/m³"},
        yaxis2={"title": "mg/m³", "overlaying": "y", "side": "right", "showgrid": False},
        legend_orientation="h",
        xaxis={"title": "时间（北京时间，小时末）"},
    )
    return chart_html(figure, height=380)


def daily_chart(days: Sequence[DayFigures], *, title: str) -> Markup:
    """Daily AQI as bars in the colour of their category (HJ 633 附录A), PM2.5 as a line."""
    figure = go.Figure(
        go.Bar(
            x=[d.date for d in days],
            y=[d.aqi for d in days],
            marker_color=[d.colour for d in days],
            marker_line={"width": 1, "color": "#555"},
            name="AQI",
            text=[d.category or "无有效数据" for d in days],
            hovertemplate="%{x}<br>AQI %{y}<br>%{text}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[d.date for d in days],
            y=[d.pm25 for d in days],
            name="PM2.5 日均值（μg/m³）",
            mode="lines+markers",
            line_color=LINE_COLOUR,
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
