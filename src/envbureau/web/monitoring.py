"""TRANSITIONAL re-exports while the pages move to their domains' web packages; removed when
no module imports it (see docs/architecture.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import Station
from envbureau.air.snapshots import (  # noqa: F401
    AQI_LEGEND,
    RECENT_DAYS,
    active_days,
    air_as_of,
    area_day,
    day_figures,
    level_of,
    station_snapshot,
)
from envbureau.core.areas import service as areas_service
from envbureau.core.colours import NO_DATA_COLOUR  # noqa: F401
from envbureau.core.freshness import data_version
from envbureau.core.periods import year_to_date as ytd_period  # noqa: F401
from envbureau.water.colours import WATER_CLASS_COLOURS  # noqa: F401
from envbureau.water.snapshots import (  # noqa: F401
    class_label,
    item_names,
    section_classes,
    section_months,
    water_as_of,
)
from envbureau.web.cache import CACHE, PageCache  # noqa: F401
from envbureau.web.scope import check_view, home_area, view_codes, visible_areas  # noqa: F401
from envbureau.web.security import Staff


def area_names(session: Session) -> dict[str, str]:
    return areas_service.area_names(session=session)


def stations_in_view(session: Session, staff: Staff | None, area_code: str | None = None):
    stations = air_service.list_stations(session=session, area_code=area_code)
    if staff is None:
        return stations
    codes = view_codes(session, staff)
    return [s for s in stations if codes is None or s.area_code in codes]


def station_snapshots(
    session: Session, stations: list[Station], as_of: date | None
) -> list[dict[str, Any]]:
    if as_of is None:
        return []
    key = ("stations", tuple(s.code for s in stations), as_of, data_version(session))
    names = area_names(session)
    return CACHE.get_or_build(
        key, lambda: [station_snapshot(session, s, as_of, names) for s in stations]
    )
