"""Queries over administrative divisions and organisation units."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area, OrgUnit
from envbureau.core.errors import NotFound


def get(*, session: Session, code: str) -> Area | None:
    return session.get(Area, code)


def get_or_raise(*, session: Session, code: str) -> Area:
    area = session.get(Area, code)
    if area is None:
        raise NotFound(f"未知区域代码“{code}”", code="area.unknown", loc=("area",))
    return area


def list_root(*, session: Session) -> list[Area]:
    """The top areas (the city, or cities when several are loaded)."""
    return list(session.scalars(select(Area).where(Area.parent_code.is_(None)).order_by(Area.code)))


def list_descendants(*, session: Session, code: str, level: str | None = None) -> list[Area]:
    """All areas below ``code`` (not itself), optionally of one level, in code order."""
    tree = select(Area.code).where(Area.parent_code == code).cte("tree", recursive=True)
    tree = tree.union_all(select(Area.code).where(Area.parent_code == tree.c.code))
    stmt = select(Area).where(Area.code.in_(select(tree.c.code)))
    if level is not None:
        stmt = stmt.where(Area.level == level)
    return list(session.scalars(stmt.order_by(Area.code)))


def area_and_descendant_codes(*, session: Session, code: str) -> set[str]:
    """``code`` and every code below it: the scope of a figure asked for ``code``."""
    return {code} | {a.code for a in list_descendants(session=session, code=code)}


def area_names(*, session: Session) -> dict[str, str]:
    """Area code → name, for labelling rows."""
    return {a.code: a.name for a in session.scalars(select(Area))}


def list_units(*, session: Session, kind: str | None = None) -> list[OrgUnit]:
    stmt = select(OrgUnit).order_by(OrgUnit.code)
    if kind is not None:
        stmt = stmt.where(OrgUnit.kind == kind)
    return list(session.scalars(stmt))
