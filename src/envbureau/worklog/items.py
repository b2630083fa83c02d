"""One work record or plan as the console and the API show it: its clause in pieces, the
office domains it belongs to, and its detail (template cells, theme name, history).

A clause that cannot be split (a brace naming no quantity, possible in data written before
the brace rule) is shown as its raw text rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from envbureau.core.errors import DomainError
from envbureau.worklog import service
from envbureau.worklog.clauses import Quantity
from envbureau.worklog.history import HistoryEntry, item_history
from envbureau.worklog.import_kinds import plan_domains
from envbureau.worklog.importers import template_cells
from envbureau.worklog.models import PLAN_THEMES, RECORD_THEMES, WorkPlan, WorkRecord

ClausePart = tuple[str, Quantity | None]


@dataclass(frozen=True)
class ItemDetail:
    """What an item's page shows besides the item itself."""

    item: WorkRecord | WorkPlan
    is_record: bool
    cells: dict[str, str]  # the import template row that would write the item unchanged
    parts: tuple[ClausePart, ...]
    theme_name: str
    domains: tuple[str, ...]
    history: tuple[HistoryEntry, ...]  # newest first


def clause_parts(item: WorkRecord | WorkPlan) -> list[ClausePart]:
    """The clause as (text, quantity or None) pieces; the raw text if it cannot be split."""
    try:
        return service.text_parts(item.text, item.quantities)
    except DomainError:
        return [(item.text, None)]


def printed_text(item: WorkRecord | WorkPlan) -> str:
    """The clause as the report prints it (quantities put in)."""
    return "".join(piece for piece, _ in clause_parts(item))


def theme_name(item: WorkRecord | WorkPlan) -> str:
    themes = RECORD_THEMES if isinstance(item, WorkRecord) else PLAN_THEMES
    return themes.get(item.theme, "")


def item_domains(item: WorkRecord | WorkPlan) -> tuple[str, ...]:
    """The office domains whose staff may edit the item: a record's theme, a plan's domains."""
    if isinstance(item, WorkRecord):
        return (item.theme,)
    return plan_domains(item.theme, item.indicator_id)


def get_detail(*, session: Session, item: WorkRecord | WorkPlan) -> ItemDetail:
    """The item's page: template cells, clause pieces, theme name, domains and history."""
    return ItemDetail(
        item=item,
        is_record=isinstance(item, WorkRecord),
        cells=template_cells(item),
        parts=tuple(clause_parts(item)),
        theme_name=theme_name(item),
        domains=item_domains(item),
        history=tuple(reversed(item_history(session=session, item=item))),
    )
