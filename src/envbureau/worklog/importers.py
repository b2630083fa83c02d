"""Importing work records and work plans from the bureau's sheets (and checking edits).

Both tables are written by natural key — records by (日期, 主题, 标题), plans by (年度, 半年,
主题, 标题) — so the same file twice changes nothing, and each created or changed row is
audited by ``upsert_rows``. An edit is checked by the same rules: the record is turned back
into one template row, the edited cell replaced, and the row checked as an import would be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.areas.importers import unknown_area_errors
from envbureau.core.areas.models import OrgUnit
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.readers import RawTable
from envbureau.core.importing.runner import (
    ApplyResult,
    Progress,
    previewing,
    raise_if_errors,
    upsert_rows,
)
from envbureau.core.importing.schema import Column, TableSchema, check_table
from envbureau.core.indicators.definitions import load_catalog
from envbureau.worklog.clauses import (
    ATTACHMENT_SEPARATORS,
    as_quantities,
    brace_errors,
    normalise_text,
    parse_quantities,
    quantity_names,
)
from envbureau.worklog.models import (
    PLAN_FIELD_LABELS,
    PLAN_THEMES,
    RECORD_FIELD_LABELS,
    RECORD_KINDS,
    RECORD_THEMES,
    WorkPlan,
    WorkRecord,
)


def _words(labels: Mapping[str, str], **extra: str) -> dict[str, str]:
    """Chinese labels first (the template lists them), then the keys, then short forms."""
    return {label: key for key, label in labels.items()} | {k: k for k in labels} | extra


THEME_WORDS = _words(RECORD_THEMES, eco="ecology")
KIND_WORDS = _words(RECORD_KINDS, 文件="document", 行动="campaign", 保障="event", 项目="project")
PLAN_THEME_WORDS = _words(
    PLAN_THEMES,
    三大战役="quality",
    环境质量="quality",
    美丽建设="beautiful",
    生态文明建设="beautiful",
    制度改革="reform",
    绿色发展="reform",
    执法监管="enforcement",
    环境安全="enforcement",
    宣传="publicity",
    信息公开="publicity",
)
HALF_WORDS = {"上半年": "1", "下半年": "2", "1": "1", "2": "2", "H1": "1", "H2": "2"}

_TITLE_RULE = "应为一行、不超过 200 字；重新导入时按“{key}”匹配，同一{key}只能有一行"
_TEXT_HELP = "报告中的原句，数字写成 {数量名称}，如：完成整治企业{完成家数}家"
_QUANTITY_HELP = "名称=数值单位，多个用分号分隔，如：完成家数=137家; 行业数=9个"


def _shared_columns(labels: Mapping[str, str], key: str) -> tuple[Column, ...]:
    return (
        Column(
            "title",
            labels["title"],
            aliases=("事项", "名称"),
            pattern=r"[^\n]{1,200}",
            pattern_rule=_TITLE_RULE.format(key=key),
        ),
        Column("text", labels["text"], aliases=("表述", "内容"), help=_TEXT_HELP),
        Column("quantities", labels["quantities"], required=False, help=_QUANTITY_HELP),
        Column(
            "unit_code",
            labels["unit_code"],
            required=False,
            aliases=("责任单位代码", "单位"),
            help="单位代码（如 EEB-AIR）或单位全称",
        ),
        Column("area_code", labels["area_code"], aliases=("区域代码",), help="市为全市事项"),
    )


R = RECORD_FIELD_LABELS
RECORD_SCHEMA = TableSchema(
    name="work_records",
    label="工作台账",
    columns=(
        Column("date", R["date"], kind="date", aliases=("时间",)),
        Column("theme", R["theme"], kind="choice", choices=THEME_WORDS, aliases=("工作领域",)),
        Column("kind", R["kind"], kind="choice", choices=KIND_WORDS, aliases=("事项类别",)),
        *_shared_columns(R, "日期+主题+标题"),
        Column(
            "attachments",
            R["attachments"],
            required=False,
            aliases=("文号", "附件文号"),
            help="文号或文件名，多个用分号分隔",
        ),
        Column("sort_order", R["sort_order"], kind="int", required=False, minimum=0),
    ),
    natural_key=("date", "theme", "title"),
)

P = PLAN_FIELD_LABELS
PLAN_SCHEMA = TableSchema(
    name="work_plans",
    label="工作安排",
    columns=(
        Column("year", P["year"], kind="int", minimum=2000, maximum=2100),
        Column("half", P["half"], kind="choice", choices=HALF_WORDS, aliases=("半年度",)),
        Column("theme", P["theme"], kind="choice", choices=PLAN_THEME_WORDS),
        *_shared_columns(P, "年度+半年+主题+标题"),
        Column("deadline", P["deadline"], kind="date", required=False, aliases=("截止日期",)),
        Column(
            "indicator_id",
            P["indicator_id"],
            required=False,
            aliases=("服务指标",),
            help="该项工作服务的年度目标指标，如 air.good_day_rate",
        ),
        Column("sort_order", P["sort_order"], kind="int", required=False, minimum=0),
    ),
    natural_key=("year", "half", "theme", "title"),
)


def unit_lookup(session: Session) -> tuple[dict[str, str], set[str]]:
    """Unit codes and unambiguous unit names → code; the names two units share."""
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    codes = set()
    for code, name in session.execute(select(OrgUnit.code, OrgUnit.name)):
        codes_by_name[name].add(code)
        codes.add(code)
    lookup = {name: next(iter(c)) for name, c in codes_by_name.items() if len(c) == 1}
    lookup |= {code: code for code in codes}
    return lookup, {n for n, c in codes_by_name.items() if len(c) > 1 and n not in codes}


def _clause_errors(
    session: Session, records: list[dict[str, Any]], file_name: str, labels: Mapping[str, str]
) -> list[ErrorDetail]:
    """Quantities well formed, every brace name a quantity, the unit and area known."""
    units, ambiguous = unit_lookup(session)
    errors: list[ErrorDetail] = []
    for r in records:
        where = (file_name, r["_row"])
        _, problems = parse_quantities(r["quantities"])
        errors += [replace(p, loc=(*where, labels["quantities"])) for p in problems]
        names = quantity_names(r["quantities"])
        errors += [replace(p, loc=(*where, labels["text"])) for p in brace_errors(r["text"], names)]
        unit = r["unit_code"]
        if unit and unit in ambiguous:
            errors.append(
                ErrorDetail(
                    (*where, labels["unit_code"]),
                    "unit.ambiguous",
                    "有多个单位同名，请填写单位代码",
                    value=unit,
                )
            )
        elif unit and unit not in units:
            errors.append(
                ErrorDetail(
                    (*where, labels["unit_code"]),
                    "unit.unknown",
                    "责任单位不存在（填写单位代码或全称，请先导入组织机构）",
                    value=unit,
                )
            )
    return errors + unknown_area_errors(session, records, file_name, label=labels["area_code"])


def _clause_values(r: dict[str, Any], units: Mapping[str, str]) -> dict[str, Any]:
    quantities, _ = parse_quantities(r["quantities"])
    return {
        "title": r["title"],
        "text": normalise_text(r["text"]),
        "quantities": [q.as_dict() for q in quantities],
        "unit_code": units[r["unit_code"]] if r["unit_code"] else None,
        "area_code": r["area_code"],
        "sort_order": int(r["sort_order"]) if r["sort_order"] is not None else 0,
    }


def _write(
    session: Session,
    model: type[WorkRecord] | type[WorkPlan],
    rows: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    actor: str,
    progress: Progress,
) -> ApplyResult:
    """``upsert_rows``, stamping who created a new row and who last changed an existing one."""
    existing = {tuple(r) for r in session.execute(select(*(getattr(model, k) for k in key)))}
    for row in rows:
        if tuple(row[k] for k in key) not in existing:
            row |= {"created_by": actor, "updated_by": actor}
    entity_type = "work_record" if model is WorkRecord else "work_plan"
    result = upsert_rows(
        session, model, rows, key=key, entity_type=entity_type, actor=actor, progress=progress
    )
    changed = set(result.changes)
    if previewing(session):  # a dry run: counted by upsert_rows, nothing written
        return result
    for row in rows:
        ident = tuple(row[k] for k in key)
        if ident in existing and "/".join(str(v) for v in ident) in changed:
            found = session.scalars(
                select(model).where(
                    *(getattr(model, k) == v for k, v in zip(key, ident, strict=True))
                )
            ).first()
            if found is not None:  # select() of a union of models is typed as their base
                cast(WorkRecord | WorkPlan, found).updated_by = actor
    session.flush()
    return result


class RecordImporter:
    kind = "work_records"
    schema = RECORD_SCHEMA
    #: a dry run only reads (``runner.PREVIEW``: ``upsert_rows`` counts without writing)
    previews = True

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        return _clause_errors(session, records, file_name, RECORD_FIELD_LABELS)

    def values(self, session: Session, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Checked rows as column values of ``WorkRecord``."""
        units, _ = unit_lookup(session)
        return [
            {
                "date": r["date"],
                "theme": r["theme"],
                "kind": r["kind"],
                **_clause_values(r, units),
                "attachments": [
                    a.strip()
                    for a in ATTACHMENT_SEPARATORS.split(r["attachments"] or "")
                    if a.strip()
                ],
            }
            for r in records
        ]

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        rows = self.values(session, records)
        return _write(
            session, WorkRecord, rows, key=RECORD_SCHEMA.natural_key, actor=actor, progress=progress
        )


class PlanImporter:
    kind = "work_plans"
    schema = PLAN_SCHEMA
    #: a dry run only reads (``runner.PREVIEW``: ``upsert_rows`` counts without writing)
    previews = True

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        registry = load_catalog()
        errors = _clause_errors(session, records, file_name, PLAN_FIELD_LABELS)
        errors += [
            ErrorDetail(
                (file_name, r["_row"], PLAN_FIELD_LABELS["indicator_id"]),
                "indicator.unknown",
                "未知指标代码（见 envbureau indicators list）",
                value=r["indicator_id"],
            )
            for r in records
            if r["indicator_id"] and r["indicator_id"] not in registry
        ]
        return errors

    def values(self, session: Session, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Checked rows as column values of ``WorkPlan``."""
        units, _ = unit_lookup(session)
        return [
            {
                "year": int(r["year"]),
                "half": int(r["half"]),
                "theme": r["theme"],
                **_clause_values(r, units),
                "deadline": r["deadline"],
                "indicator_id": r["indicator_id"],
            }
            for r in records
        ]

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        rows = self.values(session, records)
        return _write(
            session, WorkPlan, rows, key=PLAN_SCHEMA.natural_key, actor=actor, progress=progress
        )


def template_cells(item: WorkRecord | WorkPlan) -> dict[str, str]:
    """A stored record or plan as the one template row that would import it unchanged."""
    labels = RECORD_FIELD_LABELS if isinstance(item, WorkRecord) else PLAN_FIELD_LABELS
    cells = {}
    for field, label in labels.items():
        value = getattr(item, field)
        if field == "quantities":
            value = "; ".join(q.cell() for q in as_quantities(value))
        elif field == "attachments":
            value = "; ".join(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        cells[label] = "" if value is None else str(value)
    return cells


def check_row(
    session: Session,
    importer: RecordImporter | PlanImporter,
    cells: Mapping[str, str],
    *,
    where: str,
    row: int,
) -> dict[str, Any]:
    """One row checked by every rule of ``importer``; its column values, or ValidationFailed
    naming ``where``, ``row`` and the column."""
    frame = pd.DataFrame([dict(cells)], index=pd.Index([row], name="row"), dtype=object)
    checked = check_table(RawTable(file_name=where, frame=frame, encoding="utf-8"), importer.schema)
    errors = list(checked.errors)
    records = checked.records()
    if not errors:
        errors += importer.check(session, records, where)
    raise_if_errors(errors, where)
    return importer.values(session, records)[0]
