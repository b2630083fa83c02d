"""Which area and period a page shows, within what the signed-in user may see.

Monitoring results (stations, sections) sit at district level, so a grid inspector reads the
district of its town (``view_codes``); everything else follows the user's own scope
(``Staff.scope``). Pages pick their area with ``resolve_area`` and their period with ``choose``;
a query that is not understood falls back to the default with a notice, while another
district's area stays refused (403).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import Area
from envbureau.core.errors import NotFound, RuleViolation
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.web.security import Forbidden, Staff


def home_area(session: Session, staff: Staff) -> Area | None:
    """The area a user's pages open on: the city, or the user's district (a grid inspector's
    town rolls up to its district)."""
    roots = areas_service.list_root(session=session)
    if staff.scope is None or staff.area_code is None:
        return roots[0] if roots else None
    area = areas_service.get(session=session, code=staff.area_code)
    while area is not None and area.level not in ("city", "district") and area.parent_code:
        area = areas_service.get(session=session, code=area.parent_code)
    return area


def view_codes(session: Session, staff: Staff) -> set[str] | None:
    """Area codes whose air and water figures the user may read; None = every area."""
    if staff.scope is None:
        return None
    home = home_area(session, staff)
    if home is None:
        return set(staff.scope)
    return areas_service.area_and_descendant_codes(session=session, code=home.code)


def check_view(session: Session, staff: Staff, area_code: str | None) -> None:
    codes = view_codes(session, staff)
    if codes is not None and (area_code is None or area_code not in codes):
        raise Forbidden("无权查看其他区域的数据")


def visible_areas(session: Session, staff: Staff) -> list[Area]:
    """The city and its districts whose monitoring results the user may choose."""
    codes = view_codes(session, staff)
    out = []
    for root in areas_service.list_root(session=session):
        for area in [root, *areas_service.list_descendants(session=session, code=root.code)]:
            if area.level in ("city", "district") and (codes is None or area.code in codes):
                out.append(area)
    return out


def resolve_area(
    session: Session, staff: Staff, code: str | None, *, monitoring_data: bool = False
) -> Area:
    """The area asked for (default: the user's own, or the city), refused outside the scope.

    ``monitoring_data``: for pages of monitoring results (sections, stations), which sit at
    district level, a grid inspector reads the district of its town (``view_codes``).
    """
    if monitoring_data:
        if not code:
            home = home_area(session, staff)
            code = home.code if home is not None else staff.area_code
        check_view(session, staff, code)
        return areas_service.get_or_raise(session=session, code=code or "")
    if not code:
        code = staff.area_code or areas_service.list_root(session=session)[0].code
    staff.check_area(code)
    return areas_service.get_or_raise(session=session, code=code)


def area_choices(session: Session, staff: Staff, *, monitoring_data: bool = False) -> list[Area]:
    """Areas to offer in a page's area picker: the user's own area and the districts in scope."""
    if monitoring_data:
        return visible_areas(session, staff)
    base = resolve_area(session, staff, None)
    districts = areas_service.list_descendants(session=session, code=base.code, level="district")
    return [base, *(a for a in districts if staff.can_see(a.code))]


def choose(
    request: Request,
    session: Session,
    staff: Staff,
    period: str | None,
    area: str | None,
    default: Callable[[Request, Session, str], Period],
    *,
    monitoring_data: bool = False,
) -> tuple[Period, Area, str | None]:
    """A page's period and area from its query, falling back to the defaults with a notice
    when the query is not understood (another district's area stays refused: 403)."""
    notice = None
    scope = {"monitoring_data": monitoring_data}
    try:
        chosen_area = resolve_area(session, staff, area, **scope)
    except NotFound as exc:
        notice, chosen_area = exc.details[0].msg, resolve_area(session, staff, None, **scope)
    if period:
        try:
            return parse_period(period), chosen_area, notice
        except RuleViolation as exc:
            notice = exc.details[0].msg
    return default(request, session, chosen_area.code), chosen_area, notice
