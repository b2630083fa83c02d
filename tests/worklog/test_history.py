"""An item's history (``worklog.history``): every audit entry under every key it has had,
oldest first, an edit of a key field (its title) followed back to the entries before it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.worklog import service
from envbureau.worklog.history import entity_of, item_history
from envbureau.worklog.models import WorkPlan, WorkRecord


def test_history_follows_a_renamed_title(session: Session, import_records) -> None:
    import_records()
    record = session.scalars(select(WorkRecord).where(WorkRecord.title == "VOCs整治")).one()
    service.update_record(
        session=session,
        record_id=record.id,
        changes={"title": "VOCs深度整治"},
        actor="air",
        reason="标题更正",
    )
    service.update_record(
        session=session,
        record_id=record.id,
        changes={"quantities": "完成家数=140家; 行业数=9个"},
        actor="air",
        reason="核对台账",
    )
    history = item_history(session=session, item=record)
    assert [(e.action, e.reason) for e in history] == [
        ("create", ""),
        ("update", "标题更正"),
        ("update", "核对台账"),
    ]
    assert history[1].before == {"title": "VOCs整治"}
    assert history[1].after == {"title": "VOCs深度整治"}
    assert history[2].before == {
        "quantities": [
            {"name": "完成家数", "value": 137, "unit": "家"},
            {"name": "行业数", "value": 9, "unit": "个"},
        ]
    }
    assert all(e.actor in ("t", "air") for e in history)


def test_history_keeps_to_its_own_item(session: Session, import_records) -> None:
    import_records()
    record = session.scalars(select(WorkRecord).where(WorkRecord.title == "大气方案")).one()
    history = item_history(session=session, item=record)
    assert [e.action for e in history] == ["create"]
    assert history[0].after is not None and history[0].after["title"] == "大气方案"


def test_entity_of_records_and_plans() -> None:
    assert entity_of(WorkRecord()) == ("work_record", ("date", "theme", "title"))
    assert entity_of(WorkPlan()) == ("work_plan", ("year", "half", "theme", "title"))
