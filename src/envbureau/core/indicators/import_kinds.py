"""What the import page offers of indicators: manual entries and annual targets, checked row
by row against the office domain of each row's indicator (``definition.office_domain``) and
its area, with the right a form would need: "enter_value" for values, "set_target" for
targets (neither of which branch and grid users have)."""

from __future__ import annotations

from typing import Any

from envbureau.core.importing.kinds import ImportKind, RowRule, scoped_rows, table
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.importers import (
    MANUAL_SCHEMA,
    TARGET_SCHEMA,
    ManualEntryImporter,
    TargetImporter,
)
from envbureau.core.permissions import holders


def _office_domain(row: dict[str, Any]) -> tuple[str, ...] | None:
    """The row's indicator's office domain; None for an unknown indicator (the importer says so)."""
    registry = load_catalog()
    if row["indicator_id"] not in registry:
        return None
    return (registry.get(row["indicator_id"]).office_domain,)


def _rows(action: str) -> RowRule:
    return scoped_rows(
        action,
        domains_of=_office_domain,
        domain_column="指标代码",
        domain_value="indicator_id",
        area_column="区域代码",
    )


MANUAL_ENTRIES = ImportKind(
    "indicator_manual_entries",
    "人工填报指标",
    MANUAL_SCHEMA,
    "rows",
    table(ManualEntryImporter, _rows("enter_value")),
    row_action="enter_value",
    note=f"可填报：{holders('enter_value')}；每行按指标的业务领域和区域核对",
)
TARGETS = ImportKind(
    "indicator_targets",
    "年度目标",
    TARGET_SCHEMA,
    "rows",
    table(TargetImporter, _rows("set_target")),
    row_action="set_target",
    note=f"可设定：{holders('set_target')}；每行按指标的业务领域和区域核对",
)
