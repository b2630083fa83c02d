"""Importing administrative divisions and organisation units from the bureau's spreadsheets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas.models import AREA_CODE_LENGTH, AREA_LEVELS, Area, OrgUnit
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.runner import ApplyResult, Progress, upsert_rows
from envbureau.core.importing.schema import Column, TableSchema

LEVEL_WORDS = {
    "市": "city",
    "city": "city",
    "区县": "district",
    "区/县": "district",
    "县区": "district",
    "district": "district",
    "乡镇": "town",
    "乡镇街道": "town",
    "乡镇(街道)": "town",
    "town": "town",
    "村": "village",
    "村社区": "village",
    "村(社区)": "village",
    "village": "village",
}

AREA_SCHEMA = TableSchema(
    name="areas",
    label="行政区划",
    columns=(
        Column(
            "code",
            "区划代码",
            aliases=("代码", "行政区划代码"),
            pattern=r"\d{6}|\d{9}|\d{12}",
            pattern_rule="应为 6、9 或 12 位数字（GB/T 2260 及统计用区划代码）",
        ),
        Column("name", "名称", aliases=("区划名称",)),
        Column("level", "级别", kind="choice", choices=LEVEL_WORDS, aliases=("层级",)),
        Column("kind", "类型", required=False, aliases=("区划类型",)),
        Column(
            "parent_code",
            "上级代码",
            required=False,
            aliases=("上级区划代码",),
            pattern=r"\d{6}|\d{9}",
            pattern_rule="应为 6 或 9 位数字",
        ),
    ),
    natural_key=("code",),
)


class AreaImporter:
    kind = "areas"
    schema = AREA_SCHEMA
    #: a dry run only reads (``runner.PREVIEW``: ``upsert_rows`` counts without writing)
    previews = True

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        """Code length fits the level; the parent exists (in the file or the database) one
        level up."""
        levels = {r["code"]: r["level"] for r in records}
        known = {code: level for code, level in session.execute(select(Area.code, Area.level))}
        known.update(levels)
        errors: list[ErrorDetail] = []
        for r in records:
            where = (file_name, r["_row"])
            if len(r["code"]) != AREA_CODE_LENGTH[r["level"]]:
                errors.append(
                    ErrorDetail(
                        (*where, "区划代码"),
                        "area.code_length",
                        f"{r['level']} 级区划代码应为 {AREA_CODE_LENGTH[r['level']]} 位",
                        value=r["code"],
                    )
                )
            parent = r["parent_code"]
            expected_parent = (
                AREA_LEVELS[AREA_LEVELS.index(r["level"]) - 1] if (r["level"] != "city") else None
            )
            if parent is None:
                if expected_parent is not None:
                    errors.append(
                        ErrorDetail(
                            (*where, "上级代码"),
                            "area.parent_required",
                            "非市级区划必须填写上级代码",
                        )
                    )
            elif parent not in known:
                errors.append(
                    ErrorDetail(
                        (*where, "上级代码"),
                        "area.parent_unknown",
                        "上级区划不存在（文件与数据库中均未找到）",
                        value=parent,
                    )
                )
            elif known[parent] != expected_parent:
                errors.append(
                    ErrorDetail(
                        (*where, "上级代码"),
                        "area.parent_level",
                        f"上级区划级别应为 {expected_parent}，实为 {known[parent]}",
                        value=parent,
                    )
                )
        return errors

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        ordered = sorted(records, key=lambda r: AREA_LEVELS.index(r["level"]))
        return upsert_rows(
            session,
            Area,
            ordered,
            key=("code",),
            entity_type="area",
            actor=actor,
            progress=progress,
        )


UNIT_KIND_WORDS = {
    "局机关": "bureau",
    "局": "bureau",
    "bureau": "bureau",
    "科室": "office",
    "office": "office",
    "分局": "branch",
    "branch": "branch",
    "成员单位": "member_unit",
    "member_unit": "member_unit",
    "乡镇环保办": "town_office",
    "环保办": "town_office",
    "town_office": "town_office",
}

UNIT_SCHEMA = TableSchema(
    name="org_units",
    label="组织机构",
    columns=(
        Column("code", "单位代码", aliases=("代码",)),
        Column("name", "单位名称", aliases=("名称",)),
        Column("kind", "类型", kind="choice", choices=UNIT_KIND_WORDS, aliases=("单位类型",)),
        Column("parent_code", "上级单位代码", required=False, aliases=("上级单位",)),
        Column(
            "area_codes",
            "所辖区域代码",
            required=False,
            aliases=("所辖区域", "区域代码"),
            pattern=r"\d{6,12}([;；,，、]\d{6,12})*",
            pattern_rule="应为区划代码，多个用分号分隔",
        ),
        Column("established_on", "成立日期", kind="date", required=False),
        Column(
            "domains",
            "业务领域",
            required=False,
            help="科室负责的领域，如 治气；治水（可修改这些领域的数据）",
        ),
    ),
    natural_key=("code",),
)


def _office_domains() -> dict[str, str]:
    """Office domain code → name, as the domain manifests declare them (not the report's
    sections): a new domain's manifest brings its own."""
    from envbureau.domains import office_domains  # the registry imports the manifests

    return office_domains()


def _domain_words() -> dict[str, str]:
    """Every word a 业务领域 cell may hold (a code or a name) → the office domain code."""
    declared = _office_domains()
    return {name: code for code, name in declared.items()} | {code: code for code in declared}


def _domains(text: str | None) -> list[str]:
    """Office domain codes of a 业务领域 cell (治气, 治水 … or air, water …), in the manifests'
    order."""
    words = _domain_words()
    chosen = {words.get(w, w) for w in _split_codes(text)}
    return [code for code in _office_domains() if code in chosen] + sorted(
        chosen - set(_office_domains())
    )


def _kept_order(session: Session, code: str, domains: list[str]) -> list[str]:
    """The unit's stored domains when they are the same set (an earlier order is no change)."""
    unit = session.get(OrgUnit, code)
    stored = list(unit.domains or []) if unit is not None else None
    return stored if stored is not None and set(stored) == set(domains) else domains


def _split_codes(text: str | None) -> list[str]:
    if not text:
        return []
    for sep in "；,，、":
        text = text.replace(sep, ";")
    return [c.strip() for c in text.split(";") if c.strip()]


class OrgUnitImporter:
    kind = "org_units"
    schema = UNIT_SCHEMA

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        """Parents and areas must exist; a unit cannot be its own parent."""
        units = {r["code"] for r in records} | set(session.scalars(select(OrgUnit.code)))
        areas = set(session.scalars(select(Area.code)))
        words = _domain_words()
        names = "、".join(_office_domains().values())
        errors = []
        for r in records:
            if r["parent_code"] and (
                r["parent_code"] not in units or r["parent_code"] == r["code"]
            ):
                errors.append(
                    ErrorDetail(
                        (file_name, r["_row"], "上级单位代码"),
                        "unit.parent_unknown",
                        "上级单位不存在",
                        value=r["parent_code"],
                    )
                )
            for word in _split_codes(r["domains"]):
                if word not in words:
                    errors.append(
                        ErrorDetail(
                            (file_name, r["_row"], "业务领域"),
                            "unit.domain_unknown",
                            f"未知业务领域，可选：{names}",
                            value=word,
                        )
                    )
            for code in _split_codes(r["area_codes"]):
                if code not in areas:
                    errors.append(
                        ErrorDetail(
                            (file_name, r["_row"], "所辖区域代码"),
                            "unit.area_unknown",
                            "区域代码不存在，请先导入行政区划",
                            value=code,
                        )
                    )
        return errors

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        rows = _parents_first(
            [
                {
                    **{k: v for k, v in r.items() if k != "area_codes"},
                    "domains": _kept_order(session, r["code"], _domains(r["domains"])),
                }
                for r in records
            ]
        )
        result = upsert_rows(
            session,
            OrgUnit,
            rows,
            key=("code",),
            entity_type="org_unit",
            actor=actor,
            progress=progress,
        )
        for r in records:
            unit = session.get(OrgUnit, r["code"])
            assert unit is not None
            wanted = sorted(_split_codes(r["area_codes"]))
            current = sorted(a.code for a in unit.areas)
            if wanted != current:
                unit.areas = [session.get(Area, c) for c in wanted]  # type: ignore[misc]
                audit.record(
                    session,
                    actor=actor,
                    action="update",
                    entity_type="org_unit",
                    entity_id=unit.code,
                    before={"areas": current},
                    after={"areas": wanted},
                )
                if unit.code not in result.changes:
                    result.updated += 1
                    result.unchanged -= 1
                    result.changes.append(unit.code)
        session.flush()
        return result


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order units so that a parent given in the same file is written before its children."""
    pending = {r["code"]: r for r in rows}
    ordered: list[dict[str, Any]] = []
    while pending:
        ready = [r for r in pending.values() if r["parent_code"] not in pending]
        if not ready:  # a cycle; check() reports self-parents, the database refuses the rest
            ready = list(pending.values())
        for r in ready:
            ordered.append(pending.pop(r["code"]))
    return ordered


def unknown_area_errors(
    session: Session, records: list[dict[str, Any]], file_name: str, *, label: str = "区划代码"
) -> list[ErrorDetail]:
    """Rows whose ``area_code`` is given but not a known division (for any domain's importer)."""
    areas = set(session.scalars(select(Area.code)))
    return [
        ErrorDetail(
            (file_name, r["_row"], label), "area.unknown", "区划代码不存在", value=r["area_code"]
        )
        for r in records
        if r["area_code"] and r["area_code"] not in areas
    ]
