"""Which work-log items a request reaches: the area a list shows and the items a user may see.

Shared by the pages and the API (not a route module). Seeing follows the user's area scope
(``Staff.check_area``); editing is checked where an edit is made, by the permission table.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.web.security import Staff
from envbureau.worklog import service
from envbureau.worklog.models import WorkPlan, WorkRecord


def area_to_list(staff: Staff, wanted: str | None) -> str | None:
    """The area to list: the one asked for when the user may see it, else the user's own
    (None: every area, for users without an area scope)."""
    if wanted:
        staff.check_area(wanted)
        return wanted
    return staff.area_code if staff.scope is not None else None


def visible_record(session: Session, staff: Staff, item_id: int) -> WorkRecord:
    record = service.get_record_or_raise(session=session, record_id=item_id)
    staff.check_area(record.area_code)
    return record


def visible_plan(session: Session, staff: Staff, item_id: int) -> WorkPlan:
    plan = service.get_plan_or_raise(session=session, plan_id=item_id)
    staff.check_area(plan.area_code)
    return plan
