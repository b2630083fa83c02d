"""The dashboard's figures (plotly, through ``web.charts``), drawn from its ``Overview``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from envbureau.core.colours import NO_DATA_COLOUR
from envbureau.overview.results import Overview
from envbureau.web.charts import MapPlace, monthly_chart, places_map


@dataclass(frozen=True)
class DashboardCharts:
    station_map: Markup | None
    month_charts: Mapping[str, Markup]  # card key → its months against last year
    water_map: Markup | None


def dashboard_charts(result: Overview, tile_url: str | None) -> DashboardCharts:
    return DashboardCharts(
        station_map=station_map(result, tile_url),
        month_charts=month_charts(result),
        water_map=water_map(result, tile_url),
    )


def station_map(result: Overview, tile_url: str | None) -> Markup | None:
    """Each active station in the colour of its latest day's AQI category."""
    if result.as_of is None:
        return None
    places = []
    for s in result.stations:
        day = s.latest
        places.append(
            MapPlace(
                name=s.name,
                area_name=s.area_name,
                lon=s.lon,
                lat=s.lat,
                colour=day.colour if day else NO_DATA_COLOUR,
                label=f"AQI {day.aqi} {day.category}" if day and day.aqi else "",
            )
        )
    return places_map(
        places,
        title=f"各站点 {result.as_of:%Y-%m-%d} 日 AQI",
        tile_url=tile_url,
        outlines=result.outlines,
    )


def month_charts(result: Overview) -> dict[str, Markup]:
    """Each card's indicator month by month, this year against last (the rate as bars)."""
    charts = {}
    for key, card in (result.cards or {}).items():
        charts[key] = monthly_chart(
            title=f"{card.name}（逐月，与上年同月比较）",
            unit=card.unit,
            series=(result.month_tables or {})[key],
            target=card.target.value if card.target else None,
            bars=key == "good_day_rate",
        )
    return charts


def water_map(result: Overview, tile_url: str | None) -> Markup | None:
    """The sections with a class this year, in the colour of their class."""
    if result.water is None:
        return None
    places = [
        MapPlace(
            name=s["name"],
            area_name=s["area_name"],
            lon=s["lon"],
            lat=s["lat"],
            colour=s["colour"],
            label=s["class_label"] or "",
        )
        for s in result.water.evaluated
    ]
    return places_map(
        places, title="断面水质类别（年初至今）", tile_url=tile_url, outlines=result.outlines
    )
