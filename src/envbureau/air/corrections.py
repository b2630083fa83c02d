"""Staff corrections of stored air data: an audited value revision, a recorded dust event.

A correction never edits a stored value: it adds a revision with who and why, and the
previous revision stays (it only stops being current).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import POLLUTANTS, DustEvent, Observation, invalid_bit
from envbureau.core.accounts import audit
from envbureau.core.clock import utc_now
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.errors import NotFound, RuleViolation


def correct_observation(
    *,
    session: Session,
    station_code: str,
    hour_ending: datetime,
    actor: str,
    reason: str,
    values: dict[str, float | None] | None = None,
    invalid: set[str] | None = None,
    status: str = "audited",
) -> Observation:
    """Add a revision of one station-hour (Beijing hour-ending time) with new values and/or
    invalid flags; the reason is required (数据审核：修正须注明原因)."""
    if not reason.strip():
        raise RuleViolation("修正数据必须说明原因", code="air.correction_reason", loc=("reason",))
    unknown = set(values or {}) | set(invalid or set())
    unknown -= set(POLLUTANTS)
    if unknown:
        raise RuleViolation(
            f"未知污染物：{'、'.join(sorted(unknown))}", code="air.pollutant_unknown"
        )
    for pollutant, value in (values or {}).items():
        if value is not None and value < 0:
            raise RuleViolation("浓度不能为负", code="value.negative", loc=(pollutant,))
    time_utc = (hour_ending - BEIJING_OFFSET).replace(tzinfo=None)
    current = session.scalar(
        select(Observation).where(
            Observation.station_code == station_code,
            Observation.time_utc == time_utc,
            Observation.is_current.is_(True),
        )
    )
    if current is None:
        raise NotFound(
            f"{station_code} 在 {hour_ending:%Y-%m-%d %H:%M} 没有数据",
            code="air.observation_not_found",
        )
    before = {p: getattr(current, p) for p in POLLUTANTS} | {"invalid_flags": current.invalid_flags}
    revision = Observation(
        station_code=station_code,
        time_utc=time_utc,
        revision=current.revision + 1,
        status=status,
        created_by=actor,
        created_at=utc_now(),
        reason=reason,
        source="人工修正",
        invalid_flags=current.invalid_flags
        if invalid is None
        else sum(invalid_bit(p) for p in invalid),
        **{p: (values or {}).get(p, getattr(current, p)) for p in POLLUTANTS},
    )
    current.is_current = False
    session.flush()
    session.add(revision)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="revise",
        entity_type="air_observation",
        entity_id=f"{station_code}/{time_utc:%Y-%m-%dT%H:%MZ}",
        before=before,
        after={p: getattr(revision, p) for p in POLLUTANTS}
        | {"invalid_flags": revision.invalid_flags},
        reason=reason,
    )
    air_service.forget_evaluations(session)
    return revision


def add_dust_event(
    *,
    session: Session,
    first_day: date,
    last_day: date,
    source_document: str,
    actor: str,
    note: str = "",
    area_code: str | None = None,
) -> DustEvent:
    """Record a sand-dust episode from the document that declares it (e.g. 省厅通报)."""
    if last_day < first_day:
        raise RuleViolation("结束日期早于开始日期", code="dust.reversed")
    if not source_document.strip():
        raise RuleViolation("沙尘过程必须注明依据文件", code="dust.source_required")
    event = DustEvent(
        start_date=first_day,
        end_date=last_day,
        source_document=source_document,
        note=note,
        area_code=area_code,
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="air_dust_event",
        entity_id=str(event.id),
        after={"start": first_day, "end": last_day, "source_document": source_document},
    )
    air_service.forget_evaluations(session)
    return event
