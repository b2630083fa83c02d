"""What the public portal discloses, with no login and nothing internal: the city it speaks for,
its real-time air quality (``air.realtime``), its sections' classes by month (``water.portal``)
and the latest value of every public indicator. No user, audit, note, provenance input or
unpublished indicator is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.air import realtime
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.indicators.definitions import THEMES, load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.core.indicators.service import format_value
from envbureau.water import portal as water_portal


@dataclass(frozen=True)
class PublicValue:
    """The latest stored value of a public indicator for a top-level area, as reported."""

    indicator_id: str
    name: str
    theme: str  # the report section's name (执法监管 …)
    unit: str
    area_code: str
    area_name: str
    period: str  # period code, 2026H1
    value: float | None
    value_reported: str  # GB/T 8170 at the indicator's precision; "—" without a value
    status: str
    reason: str


def portal_city(*, session: Session) -> Area | None:
    """The city the portal speaks for: the first top-level area."""
    roots = areas_service.list_root(session=session)
    return roots[0] if roots else None


def public_air(*, session: Session) -> realtime.RealtimeReport | None:
    """The city's real-time air quality of the latest observed hour; None without data."""
    city = portal_city(session=session)
    return None if city is None else realtime.realtime_report(session=session, area_code=city.code)


def public_water(*, session: Session, year: int | None) -> water_portal.WaterYear:
    """The city's sections by month of ``year`` (default: the year of the latest sample)."""
    city = portal_city(session=session)
    return water_portal.water_year(
        session=session, area_code=None if city is None else city.code, year=year
    )


def public_values(*, session: Session) -> tuple[PublicValue, ...]:
    """The latest stored value of every public indicator for each top-level area (its own
    figure, not an enterprise's or a unit's within it)."""
    registry = load_catalog()
    public = {d.id: d for d in registry.all() if d.public}
    roots = {a.code: a.name for a in areas_service.list_root(session=session)}
    rows = session.scalars(
        select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id.in_(public),
            IndicatorValue.area_code.in_(roots),
            IndicatorValue.subject_kind == "",  # the area's own figure, not a subject's
        )
        .order_by(IndicatorValue.indicator_id, IndicatorValue.period_end.desc())
    )
    out, seen = [], set()
    for row in rows:
        key = (row.indicator_id, row.area_code)
        if key in seen:
            continue
        seen.add(key)
        d = public[row.indicator_id]
        out.append(
            PublicValue(
                indicator_id=d.id,
                name=d.name,
                theme=THEMES[d.theme],
                unit=d.unit,
                area_code=row.area_code,
                area_name=roots[row.area_code],
                period=row.period_code,
                value=row.value,
                value_reported=format_value(d, row.value),
                status=row.status,
                reason=row.reason,
            )
        )
    return tuple(out)
