"""Factories of the air domain (a pytest plugin)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from envbureau.air.models import Station


def make_stations(session: Session, *codes: str, city: str = "测试市") -> list[Station]:
    stations = [Station(code=c, name=f"站点{c}", city=city) for c in codes]
    session.add_all(stations)
    session.flush()
    return stations


@pytest.fixture
def stations(session: Session) -> list[Station]:
    """Stations 1001A and 1002A of 测试市."""
    return make_stations(session, "1001A", "1002A")
