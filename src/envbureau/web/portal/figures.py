"""The portal's figures through the page cache (``web.cache``): the page and the API show the
same result, computed once per data version (evaluating an hour or a year takes a moment)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.air.realtime import RealtimeReport
from envbureau.overview import portal as portal_service
from envbureau.water.portal import WaterYear
from envbureau.web.cache import cached


def air(session: Session) -> RealtimeReport | None:
    return cached(session, ("portal-air",), lambda: portal_service.public_air(session=session))


def water(session: Session, year: int | None) -> WaterYear:
    return cached(
        session,
        ("portal-water", year),
        lambda: portal_service.public_water(session=session, year=year),
    )
