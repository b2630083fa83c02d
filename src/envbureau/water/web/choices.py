"""What a water request asks for, within the user's scope: its area and period, a section,
and the day the bureau's zone is in (for an empty database only, ``water.as_of``).

Shared by the water views and API; not a route module (architecture.md, "The road of a figure").
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area
from envbureau.core.clock import local_today
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.water import service as water_service
from envbureau.water.as_of import default_half
from envbureau.water.models import Section
from envbureau.web.scope import check_view, choose, resolve_area
from envbureau.web.security import Staff


def today(request: Request) -> date:
    return local_today(request.app.state.settings.tz)


def default_period(request: Request, session: Session, area_code: str) -> Period:
    """The half-year of the area's latest sample (``water.as_of.default_half``)."""
    return default_half(session=session, area_code=area_code, today=today(request))


def page_scope(
    request: Request, session: Session, staff: Staff, period: str | None, area: str | None
) -> tuple[Period, Area, str | None]:
    """A page's period and area; a query not understood falls back with a notice."""
    return choose(request, session, staff, period, area, default_period, monitoring_data=True)


def api_scope(
    request: Request, session: Session, staff: Staff, period: str | None, area: str | None
) -> tuple[Period, Area]:
    """The API's period and area; a period not understood is refused (422)."""
    chosen_area = resolve_area(session, staff, area, monitoring_data=True)
    if period:
        return parse_period(period), chosen_area
    return default_period(request, session, chosen_area.code), chosen_area


def section_of(session: Session, staff: Staff, code: str) -> Section:
    """The section, if it lies in the user's view (404 unknown, 403 another district's)."""
    section = water_service.get_section_or_raise(session=session, code=code)
    check_view(session, staff, section.area_code)
    return section
