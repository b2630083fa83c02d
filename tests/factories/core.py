"""Factories of the core domain: a small city tree and its units (a pytest plugin)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area, OrgUnit


def make_city(session: Session) -> dict[str, Area]:
    """City 990100 with districts 990102 and 990121, three towns each, one village."""
    areas = {"990100": Area(code="990100", name="测试市", level="city")}
    for district, name in (("990102", "甲区"), ("990121", "乙县")):
        areas[district] = Area(code=district, name=name, level="district", parent_code="990100")
        for n in range(1, 4):
            code = f"{district}{n:03d}"
            areas[code] = Area(code=code, name=f"{name}{n}镇", level="town", parent_code=district)
    areas["990102001001"] = Area(
        code="990102001001", name="一村", level="village", parent_code="990102001"
    )
    session.add_all(areas.values())
    session.flush()
    return areas


def make_town_office(session: Session, town: str, established: date | None) -> OrgUnit:
    unit = OrgUnit(
        code=f"HBB-{town}", name=f"{town}环保办", kind="town_office", established_on=established
    )
    unit.areas = [session.get(Area, town)]  # type: ignore[list-item]
    session.add(unit)
    session.flush()
    return unit


def make_member_unit(session: Session, code: str, name: str) -> OrgUnit:
    """A member unit (成员单位) of the target responsibility book: an indicator subject."""
    unit = OrgUnit(code=code, name=name, kind="member_unit")
    session.add(unit)
    session.flush()
    return unit


@pytest.fixture
def city(session: Session) -> dict[str, Area]:
    return make_city(session)


@pytest.fixture
def town_office(session: Session) -> Callable[[str, date | None], OrgUnit]:
    """Factory: ``town_office(town_code, established_on)`` adds a town 环保办."""
    return lambda town, established: make_town_office(session, town, established)


@pytest.fixture
def member_unit(session: Session) -> Callable[[str, str], OrgUnit]:
    """Factory: ``member_unit(code, name)`` adds a member unit (成员单位)."""
    return lambda code, name: make_member_unit(session, code, name)
