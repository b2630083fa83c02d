"""Charts and maps of the console: plotly figures rendered as HTML fragments.

The plotly JavaScript comes from the installed package (``/static/vendor/plotly.min.js``, see
``web.vendor``); a page that shows charts loads it once. Maps are drawn on longitude/latitude
axes from the city's own coordinates, so they work offline; when the settings name a tile
server (``ENVBUREAU_MAP_TILE_URL``, a bureau's intranet tiles) it is drawn beneath.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from markupsafe import Markup

PLOTLY_SCRIPT = Markup('<script src="/static/vendor/plotly.min.js"></script>')
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d"]}
FONT = {"family": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", "size": 13}


def chart_html(figure: go.Figure, *, height: int = 360) -> Markup:
    """A figure as a ``<div>`` with its script (the plotly library loaded by the page)."""
    figure.update_layout(
        height=height,
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        font=FONT,
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
    )
    return Markup(figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG))


def point_map(
    lon: Sequence[float],
    lat: Sequence[float],
    labels: Sequence[str],
    colors: Sequence[str],
    *,
    title: str,
    tile_url: str | None = None,
    height: int = 420,
) -> Markup:
    """Stations or sections as coloured points with hover labels."""
    if tile_url:
        figure = go.Figure(
            go.Scattermap(
                lon=lon,
                lat=lat,
                text=labels,
                marker={"size": 12, "color": colors},
                hoverinfo="text",
                mode="markers",
            )
        )
        figure.update_layout(
            title=title,
            map={
                "style": {
                    "version": 8,
                    "sources": {"tiles": {"type": "raster", "tiles": [tile_url], "tileSize": 256}},
                    "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}],
                },
                "center": {"lon": sum(lon) / max(len(lon), 1), "lat": sum(lat) / max(len(lat), 1)},
                "zoom": 9,
            },
        )
        return chart_html(figure, height=height)
    figure = go.Figure(
        go.Scatter(
            x=lon,
            y=lat,
            text=labels,
            mode="markers",
            marker={"size": 12, "color": colors, "line": {"width": 1, "color": "#333"}},
            hoverinfo="text",
        )
    )
    figure.update_layout(
        title=title,
        xaxis={"title": "经度"},
        yaxis={"title": "纬度", "scaleanchor": "x", "scaleratio": 1},
    )
    return chart_html(figure, height=height)
