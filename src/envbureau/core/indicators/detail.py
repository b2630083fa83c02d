"""One indicator's page: its value as the data stand, provenance, target and manual records.

Reads only (GET requests never write): the value is ``service.current``'s, the stored one while
its data version holds, else computed afresh and not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from envbureau.core.clock import local_text
from envbureau.core.indicators import presentation, service
from envbureau.core.indicators.definitions import IndicatorDefinition, load_catalog
from envbureau.core.periods import Period


@dataclass(frozen=True)
class IndicatorDetail:
    """What the indicator page and ``/api/v1/indicators/{id}`` show.

    ``explained`` is ``service.explanation``'s dict (definition, value, provenance, target);
    ``stale``: a stored value was out of date and this one is computed afresh (not stored).
    """

    definition: IndicatorDefinition
    period: Period
    area_code: str
    explained: dict[str, Any]
    computed_at: str  # in the bureau's zone, to the minute
    stale: bool
    stored: bool
    target: presentation.TargetView | None
    history: list[presentation.EntryView]


def detail(
    *, session: Session, indicator_id: str, period: Period, area_code: str, tz: ZoneInfo
) -> IndicatorDetail:
    """The indicator's value for the period and area with everything the page shows."""
    definition = load_catalog().get(indicator_id)
    now = service.current(
        session=session, indicator_id=indicator_id, period=period, area_code=area_code
    )
    target = service.get_target(
        session=session, indicator_id=indicator_id, year=period.year, area_code=area_code
    )
    return IndicatorDetail(
        definition=definition,
        period=period,
        area_code=area_code,
        explained=service.explanation(definition, period, now.row, target),
        computed_at=local_text(now.computed_at, tz),
        stale=now.stale,
        stored=now.stored,
        target=presentation.target_view(definition, target, now.row.value),
        history=presentation.history(
            session=session, indicator_id=indicator_id, area_code=area_code, tz=tz
        ),
    )
