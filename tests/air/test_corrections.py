"""Corrections add audited revisions; dust events are recorded with their source."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.corrections import add_dust_event, correct_observation
from envbureau.air.importers import import_observations
from envbureau.air.models import Observation
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.errors import NotFound, RuleViolation


@pytest.fixture
def one_hour(session: Session, stations) -> None:
    text = "站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5\n1001A,2026-03-01 01:00,8,30,0.6,50,70,40\n"
    import_observations(session, data=text.encode(), file_name="a.csv", fmt="template", actor="t")


def test_correction_adds_revision_keeps_original_and_audits(session: Session, one_hour) -> None:
    revision = correct_observation(
        session=session,
        station_code="1001A",
        hour_ending=datetime(2026, 3, 1, 1),
        values={"pm25": 38.0},
        invalid={"o3"},
        actor="审核员",
        reason="PM2.5 仪器校准后复核",
    )
    rows = session.scalars(select(Observation).order_by(Observation.revision)).all()
    assert [(r.pm25, r.is_current, r.status) for r in rows] == [
        (40, False, "provisional"),
        (38, True, "audited"),
    ]
    assert revision.no2 == 30 and revision.created_by == "审核员"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "revise")).one()
    assert entry.before["pm25"] == 40 and entry.after["pm25"] == 38
    assert entry.reason == "PM2.5 仪器校准后复核"
    hourly = service.load_hourly(
        session=session, stations=["1001A"], first_day=date(2026, 3, 1), last_day=date(2026, 3, 1)
    )
    assert hourly["pm25"].tolist() == [38.0] and hourly["o3"].isna().all()  # flagged invalid


def test_correction_needs_reason_known_hour_and_sane_values(session: Session, one_hour) -> None:
    args = dict(session=session, station_code="1001A", actor="a")
    with pytest.raises(RuleViolation, match="原因"):
        correct_observation(hour_ending=datetime(2026, 3, 1, 1), reason=" ", **args)
    with pytest.raises(NotFound):
        correct_observation(hour_ending=datetime(2026, 3, 1, 2), reason="r", **args)
    with pytest.raises(RuleViolation, match="负"):
        correct_observation(
            hour_ending=datetime(2026, 3, 1, 1), reason="r", values={"so2": -1.0}, **args
        )
    with pytest.raises(RuleViolation, match="未知污染物"):
        correct_observation(
            hour_ending=datetime(2026, 3, 1, 1), reason="r", values={"pm1": 3.0}, **args
        )


def test_dust_event_recorded_and_audited(session: Session) -> None:
    event = add_dust_event(
        session=session,
        first_day=date(2026, 3, 18),
        last_day=date(2026, 3, 19),
        source_document="省厅通报",
        actor="a",
    )
    assert event.id is not None
    assert (
        session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "air_dust_event"))
        .one()
        .after["source_document"]
        == "省厅通报"
    )
    with pytest.raises(RuleViolation):
        add_dust_event(
            session=session,
            first_day=date(2026, 3, 19),
            last_day=date(2026, 3, 18),
            source_document="x",
            actor="a",
        )
