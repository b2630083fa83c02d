"""What the import page offers of the work log: records and plans, checked row by row against
the office domains of each row and its area (branch and grid users import their own area's).

A record's theme is an office domain; a plan's theme spans several (``PLAN_DOMAINS``), unless
the plan names the indicator it serves, whose office domain it then belongs to.
"""

from __future__ import annotations

from typing import Any

from envbureau.core.importing.kinds import ImportKind, scoped_rows, table
from envbureau.core.indicators.definitions import load_catalog
from envbureau.worklog.importers import PLAN_SCHEMA, RECORD_SCHEMA, PlanImporter, RecordImporter
from envbureau.worklog.models import PLAN_FIELD_LABELS, RECORD_FIELD_LABELS

#: The office domains each part-two plan theme draws on.
PLAN_DOMAINS: dict[str, tuple[str, ...]] = {
    "quality": ("air", "water", "soil"),
    "beautiful": ("ecology", "industry"),
    "reform": ("reform",),
    "enforcement": ("enforcement",),
    "publicity": ("publicity",),
}


def plan_domains(theme: str, indicator_id: str | None) -> tuple[str, ...]:
    """The office domains a plan belongs to (any one of them may edit it)."""
    registry = load_catalog()
    if indicator_id and indicator_id in registry:
        return (registry.get(indicator_id).office_domain,)
    return PLAN_DOMAINS.get(theme, ())


def _record_domains(row: dict[str, Any]) -> tuple[str, ...]:
    return (row["theme"],)


def _plan_domains(row: dict[str, Any]) -> tuple[str, ...]:
    return plan_domains(row["theme"], row["indicator_id"])


WORK_RECORDS = ImportKind(
    "work_records",
    "工作台账",
    RECORD_SCHEMA,
    "rows",
    table(
        RecordImporter,
        scoped_rows(
            "edit",
            domains_of=_record_domains,
            domain_column=RECORD_FIELD_LABELS["theme"],
            domain_value="theme",
            area_column=RECORD_FIELD_LABELS["area_code"],
        ),
    ),
    row_action="edit",
    note="表述中的数字写成 {数量名称}，数值填在“数量”列",
)
WORK_PLANS = ImportKind(
    "work_plans",
    "工作安排",
    PLAN_SCHEMA,
    "rows",
    table(
        PlanImporter,
        scoped_rows(
            "edit",
            domains_of=_plan_domains,
            domain_column=PLAN_FIELD_LABELS["theme"],
            domain_value="theme",
            area_column=PLAN_FIELD_LABELS["area_code"],
        ),
    ),
    row_action="edit",
)
