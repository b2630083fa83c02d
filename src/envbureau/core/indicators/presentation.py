"""Indicator values as the pages and the API show them: registry lines, targets, manual records.

Everything here reads and nothing writes (GET requests never write): a value is the stored one
while its data version holds, else computed afresh by ``service.current``. Numbers are
formatted here (GB/T 8170 at the indicator's precision) and times in the bureau's zone, so the
web layer only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.clock import local_text
from envbureau.core.freshness import data_version_key
from envbureau.core.indicators import service
from envbureau.core.indicators.definitions import THEMES, IndicatorDefinition, load_catalog
from envbureau.core.indicators.models import IndicatorTarget, ManualEntry
from envbureau.core.periods import Period
from envbureau.standards.rounding import format_gbt8170

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class TargetView:
    """A target as printed: value and gap (positive = still short) rounded like the indicator."""

    value: float
    value_reported: str
    direction: str
    direction_word: str
    source_document: str
    responsible_unit: str | None
    gap: float | None
    gap_reported: str
    attained: bool | None


def target_view(
    definition: IndicatorDefinition, target: IndicatorTarget | None, value: float | None
) -> TargetView | None:
    """``target`` against ``value`` (None: no value yet, so no gap)."""
    if target is None:
        return None
    status = service.target_status(target, value) if value is not None else None
    return TargetView(
        value=target.value,
        value_reported=service.format_value(definition, target.value),
        direction=target.direction,
        direction_word=service.DIRECTIONS[target.direction],
        source_document=target.source_document,
        responsible_unit=target.responsible_unit,
        gap=status.gap if status else None,
        gap_reported=format_gbt8170(abs(status.gap), definition.precision) if status else "",
        attained=status.attained if status else None,
    )


@dataclass(frozen=True)
class RegistryRow:
    """One line of the registry: the definition, the value as reported, where it came from, how
    fresh it is, and the target's gap. ``source`` is how the indicator is obtained, and
    ``value_source`` how this period's value was (a computed one may fall back to a manual
    entry)."""

    id: str
    name: str
    unit: str
    definition: str
    rule: str
    precision: int
    theme: str
    theme_name: str
    office_domain: str
    source: str
    better: str
    public: bool
    value_labels: dict[str, str]
    value: float | None
    value_reported: str
    status: str
    reason: str
    value_source: str
    computed_at: str  # in the bureau's zone, to the minute
    stale: bool  # the stored value was out of date: this one is computed afresh, not stored
    stored: bool
    target: TargetView | None


@dataclass(frozen=True)
class ThemeGroup:
    code: str
    name: str
    rows: list[RegistryRow]


@dataclass(frozen=True)
class Registry:
    """Every indicator (of a theme) for a period and an area, and the same grouped by theme."""

    rows: list[RegistryRow]
    groups: list[ThemeGroup]


def registry(
    *, session: Session, period: Period, area_code: str, tz: ZoneInfo, theme: str | None = None
) -> Registry:
    """The registry of the area's values for the period; ``theme`` filters one section."""
    definitions = [d for d in load_catalog().all() if not theme or d.theme == theme]
    targets = {
        t.indicator_id: t
        for t in session.scalars(
            select(IndicatorTarget).where(
                IndicatorTarget.year == period.year,
                IndicatorTarget.area_code == area_code,
                IndicatorTarget.subject_kind == "",
            )
        )
    }
    version = data_version_key(session)
    rows = []
    for definition in definitions:
        now = service.current(
            session=session,
            indicator_id=definition.id,
            period=period,
            area_code=area_code,
            version=version,
        )
        value = now.row.value
        described = definition.describe()
        rows.append(
            RegistryRow(
                id=definition.id,
                name=definition.name,
                unit=definition.unit,
                definition=definition.definition,
                rule=definition.rule,
                precision=definition.precision,
                theme=definition.theme,
                theme_name=described["theme_name"],
                office_domain=definition.office_domain,
                source=described["source"],
                better=definition.better,
                public=definition.public,
                value_labels=described["value_labels"],
                value=value,
                value_reported=service.format_value(definition, value),
                status=now.row.status,
                reason=now.row.reason,
                value_source=now.row.source,
                computed_at=local_text(now.computed_at, tz),
                stale=now.stale,
                stored=now.stored,
                target=target_view(definition, targets.get(definition.id), value),
            )
        )
    groups = [
        ThemeGroup(code, name, [r for r in rows if r.theme == code])
        for code, name in THEMES.items()
        if any(r.theme == code for r in rows)
    ]
    return Registry(rows=rows, groups=groups)


@dataclass(frozen=True)
class EntryView:
    """A manual entry as recorded: the value as typed (no rounding), who and when."""

    id: int
    indicator_id: str
    period: str
    area_code: str
    value: float
    value_text: str
    revision: int
    source_document: str
    note: str
    entered_by: str
    entered_at: str  # in the bureau's zone, to the minute


def entry_view(entry: ManualEntry, tz: ZoneInfo) -> EntryView:
    return EntryView(
        id=entry.id,
        indicator_id=entry.indicator_id,
        period=entry.period_code,
        area_code=entry.area_code,
        value=entry.value,
        # as entered: 1234.0 shows as 1234, 97.755 keeps its digits (no rounding in the record)
        value_text=f"{entry.value:.15g}",
        revision=entry.revision,
        source_document=entry.source_document,
        note=entry.note,
        entered_by=entry.entered_by,
        entered_at=local_text(entry.entered_at, tz),
    )


def history(
    *, session: Session, indicator_id: str, area_code: str, tz: ZoneInfo
) -> list[EntryView]:
    """The area's own manual entries of the indicator, newest period and revision first."""
    entries = session.scalars(
        select(ManualEntry)
        .where(
            ManualEntry.indicator_id == indicator_id,
            ManualEntry.area_code == area_code,
            ManualEntry.subject_kind == "",
        )
        .order_by(ManualEntry.period_end.desc(), ManualEntry.revision.desc())
        .limit(HISTORY_LIMIT)
    )
    return [entry_view(e, tz) for e in entries]
