"""Charts and maps of the console: plotly figures rendered as HTML fragments, and the generic
builders the pages share (a month-by-month chart against last year, a map of places).

The plotly JavaScript comes from the installed package (``/static/vendor/plotly.min.js``, see
``web.vendor``); a page that shows charts loads it once, with ``/static/charts.js``, which draws
every chart from its JSON data block: no inline script, so the Content-Security-Policy can forbid
it (``web.middleware``). Maps are drawn on longitude/latitude
axes from the city's own coordinates, so they work offline; when the settings name a tile
server (``ENVBUREAU_MAP_TILE_URL``, a bureau's intranet tiles) it is drawn beneath.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from markupsafe import Markup

from envbureau.core.areas.boundaries import Outline
from envbureau.core.colours import LAST_YEAR_COLOUR, TARGET_COLOUR, THIS_YEAR_COLOUR

PLOTLY_SCRIPT = Markup(
    '<script src="/static/vendor/plotly.min.js"></script><script src="/static/charts.js"></script>'
)
#: JSON in a ``<script>`` block: nothing in it may close the block or open a comment.
JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d"]}
FONT = {"family": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", "size": 13}
MONTH_LABELS = [f"{m}月" for m in range(1, 13)]


@dataclass(frozen=True)
class MapPlace:
    """A station or section on a map: where, its colour, and what its hover says."""

    name: str
    area_name: str
    lon: float | None
    lat: float | None
    colour: str
    label: str  # after the name, e.g. "AQI 48 优"; "" = no valid data


def chart_html(figure: go.Figure, *, height: int = 360) -> Markup:
    """A figure as a ``<div>`` and its JSON data block (``/static/charts.js`` draws it)."""
    figure.update_layout(
        height=height,
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        font=FONT,
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
    )
    chart_id = str(uuid.uuid4())
    figure_json = figure.to_json()  # {"data": [...], "layout": {...}}
    data = f'{figure_json[:-1]},"config":{json.dumps(CONFIG)}}}'.translate(JSON_ESCAPES)
    return Markup(
        f'<div id="{chart_id}" class="plotly-graph-div" data-height="{height}"></div>'
        f'<script type="application/json" data-plotly-for="{chart_id}">{data}</script>'
    )


def point_map(
    lon: Sequence[float],
    lat: Sequence[float],
    labels: Sequence[str],
    colors: Sequence[str],
    *,
    title: str,
    tile_url: str | None = None,
    outlines: Sequence[Outline] = (),
    height: int = 420,
) -> Markup:
    """Stations or sections as coloured points with hover labels, over the areas' outlines."""
    if tile_url:
        figure = go.Figure(_outline_traces(outlines, on_tiles=True))
        figure.add_trace(
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
            showlegend=False,
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
    figure = go.Figure(_outline_traces(outlines, on_tiles=False))
    figure.add_trace(
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
        showlegend=False,
        xaxis={"title": "经度"},
        yaxis={"title": "纬度", "scaleanchor": "x", "scaleratio": 1},
    )
    return chart_html(figure, height=height)


def _outline_traces(outlines: Sequence[Outline], *, on_tiles: bool) -> list[go.Scatter]:
    """Each area's rings as thin grey lines (one trace per area, a gap between rings), and on
    the plain map its name at the middle of its outer ring (text on tiles would need a font
    server, so there the name shows on hover instead)."""
    traces = []
    for outline in outlines:
        lon: list[float | None] = []
        lat: list[float | None] = []
        for ring in outline.rings:
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
        line = {"width": 1, "color": "#8a8a8a"}
        if on_tiles:
            traces.append(
                go.Scattermap(
                    lon=lon, lat=lat, mode="lines", line=line, name=outline.name, hoverinfo="name"
                )
            )
            continue
        traces.append(go.Scatter(x=lon, y=lat, mode="lines", line=line, hoverinfo="skip"))
        outer = outline.rings[0][:-1]
        traces.append(
            go.Scatter(
                x=[sum(p[0] for p in outer) / len(outer)],
                y=[sum(p[1] for p in outer) / len(outer)],
                mode="text",
                text=[outline.name],
                textfont={"color": "#666"},
                hoverinfo="skip",
            )
        )
    return traces


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
    places: Sequence[MapPlace],
    *,
    title: str,
    tile_url: str | None,
    outlines: Sequence[Outline] = (),
) -> Markup | None:
    """The places with coordinates as coloured points over the areas' outlines; None when none
    has any."""
    lon: list[float] = []
    lat: list[float] = []
    texts, colours = [], []
    for place in places:
        if place.lon is None or place.lat is None:
            continue
        lon.append(place.lon)
        lat.append(place.lat)
        texts.append(f"{place.name}（{place.area_name}）：{place.label or '无有效数据'}")
        colours.append(place.colour)
    if not lon:
        return None
    return point_map(lon, lat, texts, colours, title=title, tile_url=tile_url, outlines=outlines)
