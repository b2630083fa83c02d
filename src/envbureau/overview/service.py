"""首页 (dashboard) of an area: the year's air figures against the targets with the outlook, the
months against last year, the stations' and the area's latest day, the water sections by class
and the alerts (targets at risk, stations with missing data, sections drifting worse).

"Today" is the day the data reach (``air.snapshots.air_as_of``, ``water.snapshots.water_as_of``),
never the wall clock. The year-to-date and monthly figures are indicator values, read as the
data stand (``core.indicators.service.current``: the stored value, or one computed afresh
without writing); nothing an indicator stores is computed again here. The other domains are
read only through their services and snapshots.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.attainment import PM25_ID, RATE_ID, target_outlook
from envbureau.air.snapshots import air_as_of, day_of, list_snapshots
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.boundaries import outlines_for
from envbureau.core.freshness import data_version_key
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.core.periods import Period, parse, year_to_date
from envbureau.overview import alerts
from envbureau.overview.results import (
    AirCard,
    Alert,
    AreaDay,
    AreaRef,
    CardTarget,
    MonthTable,
    Overview,
    WaterOverview,
)
from envbureau.water import service as water_service
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.snapshots import section_classes, water_as_of

#: The dashboard's cards: key → the year-to-date indicator it shows.
CARDS = (("good_day_rate", RATE_ID), ("pm25", PM25_ID))


def overview(*, session: Session, area_code: str) -> Overview:
    """The dashboard of an area (the city, or a branch's district)."""
    area = areas_service.get_or_raise(session=session, code=area_code)
    as_of, water_day = air_as_of(session), water_as_of(session)
    result: dict[str, Any] = {
        "area": AreaRef(area.code, area.name, area.level),
        "as_of": as_of,
        "water_as_of": water_day,
        "outlines": tuple(outlines_for(session, area.code)),
    }
    found: list[Alert] = []
    if as_of is not None:
        version = data_version_key(session)
        cards = air_cards(session=session, area_code=area.code, as_of=as_of, version=version)
        stations = tuple(
            s for s in list_snapshots(session=session, area_code=area.code).items if s.active
        )
        result |= {
            "ytd_label": year_to_date(as_of).label,
            "cards": cards,
            "month_tables": {
                key: month_table(
                    session=session,
                    indicator_id=card.id,
                    area_code=area.code,
                    as_of=as_of,
                    version=version,
                )
                for key, card in cards.items()
            },
            "stations": stations,
            "city_day": area_day(session=session, area_code=area.code, day=as_of),
        }
        found += alerts.target_alerts(cards.values()) + alerts.station_alerts(stations)
    if water_day is not None:
        result["water"] = water(session=session, area_code=area.code, as_of=water_day)
        drift = water_service.drift_warnings(session=session, area_code=area.code, as_of=water_day)
        found += alerts.water_alerts(drift)
    return Overview(**result, alerts=tuple(found))


def _value(
    session: Session, indicator_id: str, period: Period, area_code: str, version: str
) -> IndicatorValue:
    """The stored value while its data version holds, else computed afresh (not written)."""
    return indicators_service.current(
        session=session,
        indicator_id=indicator_id,
        period=period,
        area_code=area_code,
        version=version,
    ).row


def air_cards(*, session: Session, area_code: str, as_of: date, version: str) -> dict[str, AirCard]:
    """The year-to-date good-day rate and PM2.5 mean with their targets and outlook."""
    registry = load_catalog()
    period = year_to_date(as_of)
    targets = {
        i: indicators_service.get_target(
            session=session, indicator_id=i, year=as_of.year, area_code=area_code
        )
        for i in (RATE_ID, PM25_ID)
    }
    outlook = (
        target_outlook(session=session, area_code=area_code, year=as_of.year, as_of=as_of)
        if any(targets.values())
        else {}
    )
    cards = {}
    for key, indicator_id in CARDS:
        definition = registry.get(indicator_id)
        row = _value(session, indicator_id, period, area_code, version)
        target = targets[indicator_id]
        card_target = None
        if target is not None:
            status = (
                indicators_service.target_status(target, row.value)
                if row.value is not None
                else None
            )
            card_target = CardTarget(
                value=target.value,
                words=indicators_service.DIRECTIONS[target.direction],
                source_document=target.source_document,
                attained_so_far=status.attained if status else None,
            )
        cards[key] = AirCard(
            key=key,
            id=indicator_id,
            name=definition.name,
            unit=definition.unit,
            value=row.value,
            shown=indicators_service.format_value(definition, row.value),
            reason=row.reason,
            edition=row.edition,
            coverage=row.coverage,
            period=period.label,
            period_code=period.code,
            target=card_target,
            outlook=outlook.get(key),
        )
    return cards


def month_table(
    *, session: Session, indicator_id: str, area_code: str, as_of: date, version: str
) -> MonthTable:
    """The indicator's monthly values this year up to the as-of month, and all of last year."""
    table: dict[str, dict[int, float | None]] = {}
    for year, last_month in ((as_of.year, as_of.month), (as_of.year - 1, 12)):
        table[f"{year}年"] = {
            month: _value(
                session, indicator_id, parse(f"{year}-{month:02d}"), area_code, version
            ).value
            for month in range(1, last_month + 1)
        }
    return table


def area_day(*, session: Session, area_code: str, day: date) -> AreaDay | None:
    """The area's official daily AQI (a city on its national-control stations)."""
    evaluation = air_service.evaluate(
        session=session, area_code=area_code, first_day=day, last_day=day
    )
    if evaluation is None:
        return None
    figures = day_of(evaluation.city_daily.iloc[0])
    return AreaDay(
        **{f.name: getattr(figures, f.name) for f in fields(figures)},
        stations=tuple(evaluation.stations),
    )


def water(*, session: Session, area_code: str, as_of: date) -> WaterOverview:
    """Every section of the area with its class from 1 January to the latest sample."""
    first = date(as_of.year, 1, 1)
    sections = tuple(section_classes(session, area_code, first, as_of))
    return WaterOverview(
        first_day=first,
        last_day=as_of,
        span=f"{first:%Y年%-m月%-d日}至{as_of:%Y年%-m月%-d日}",
        sections=sections,
        class_counts={
            label: sum(1 for s in sections if s["class_label"] == label)
            for label in WATER_CLASS_COLOURS
        },
    )
