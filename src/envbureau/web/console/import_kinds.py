"""What the console can import, who may import it, and running it with the importer's own rules.

Every kind runs through the same function the command line uses (``run_import``, or the air
and water importers that bring their own parsing); this module only adds who may do it:

- the system administrator may import anything;
- an office (业务科室) imports the kinds of its domains — air stations and data "air", water
  sections and samples "water"; for manual indicator entries, targets, work records and plans
  the rule is checked row by row (the indicator's or the record's theme);
- a branch (分局) or grid inspector (网格员) imports only work records and plans, and only of
  its own area;
- leaders and read-only users import nothing.

A row outside the user's domain or area is an error naming its file, row and column, reported
with every other error of the file; nothing is written then.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.air.formats import TEMPLATE_SCHEMA as AIR_DATA_SCHEMA
from envbureau.air.importers import STATION_SCHEMA, StationImporter, import_observations
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.boundaries import BOUNDARY_SCHEMA, AreaBoundaryImporter
from envbureau.core.areas.importers import AREA_SCHEMA, UNIT_SCHEMA, AreaImporter, OrgUnitImporter
from envbureau.core.errors import ErrorDetail, NotFound, RuleViolation
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.runner import ApplyResult, Importer, ImportOutcome, run_import
from envbureau.core.importing.schema import TableSchema
from envbureau.core.indicators.definitions import THEMES, load_catalog
from envbureau.core.indicators.importers import (
    MANUAL_SCHEMA,
    TARGET_SCHEMA,
    ManualEntryImporter,
    TargetImporter,
)
from envbureau.water.importers import SAMPLE_SCHEMA, SECTION_SCHEMA, SectionImporter, import_samples
from envbureau.web.console.admin_helpers import may_edit, plan_domains
from envbureau.web.security import EDIT_ROLES, Forbidden, Staff
from envbureau.worklog.importers import PLAN_SCHEMA, RECORD_SCHEMA, PlanImporter, RecordImporter
from envbureau.worklog.models import PLAN_FIELD_LABELS, RECORD_FIELD_LABELS

Run = Callable[[Session, Staff, bytes, str, bool], tuple[ImportOutcome, list[ErrorDetail]]]
RowRule = Callable[[Session, Staff, list[dict[str, Any]], str], list[ErrorDetail]]

#: The largest file the console accepts (a year of hourly data of a city is far smaller).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str
    schema: TableSchema
    access: Literal["admin", "domain", "rows"]
    run: Run
    domain: str | None = None  # the office domain of an ``access="domain"`` kind
    area_roles: bool = False  # may branch and grid users import it (their own area only)
    note: str = ""


@dataclass
class ScopedImporter:
    """An importer whose ``check`` also refuses the rows the user may not write."""

    inner: Importer
    staff: Staff
    rule: RowRule

    @property
    def kind(self) -> str:
        return self.inner.kind

    @property
    def schema(self) -> TableSchema:
        return self.inner.schema

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        errors = self.inner.check(session, records, file_name)
        return errors + self.rule(session, self.staff, records, file_name)

    def apply(self, session: Session, records: list[dict[str, Any]], **kwargs: Any) -> ApplyResult:
        return self.inner.apply(session, records, **kwargs)


def _table(factory: Callable[[], Importer], rule: RowRule | None = None) -> Run:
    def run(
        session: Session, staff: Staff, data: bytes, file_name: str, dry_run: bool
    ) -> tuple[ImportOutcome, list[ErrorDetail]]:
        importer: Importer = factory()
        if rule is not None:
            importer = ScopedImporter(importer, staff, rule)
        outcome = run_import(
            session, importer, data=data, file_name=file_name, actor=staff.username, dry_run=dry_run
        )
        return outcome, []

    return run


def _air_data(
    session: Session, staff: Staff, data: bytes, file_name: str, dry_run: bool
) -> tuple[ImportOutcome, list[ErrorDetail]]:
    return import_observations(
        session,
        data=data,
        file_name=file_name,
        fmt="template",
        actor=staff.username,
        dry_run=dry_run,
    )


def _water_samples(
    session: Session, staff: Staff, data: bytes, file_name: str, dry_run: bool
) -> tuple[ImportOutcome, list[ErrorDetail]]:
    outcome = import_samples(
        session, data=data, file_name=file_name, actor=staff.username, dry_run=dry_run
    )
    return outcome, []


# --- rules row by row ------------------------------------------------------------------------


def _domain_error(
    staff: Staff, where: tuple[str, int], column: str, theme_names: str, value: str
) -> ErrorDetail:
    mine = "、".join(THEMES.get(d, d) for d in sorted(staff.domains)) or "无"
    return ErrorDetail(
        (*where, column),
        "scope.domain",
        f"属于“{theme_names}”，不在本科室的业务领域（{mine}）内",
        value=value,
    )


def _area_errors(
    session: Session, staff: Staff, where: tuple[str, int], column: str, area_code: str | None
) -> list[ErrorDetail]:
    if not area_code or staff.can_see(area_code):
        return []
    own = areas_service.get(session=session, code=staff.area_code or "")
    name = f"{own.name}（{own.code}）" if own is not None else str(staff.area_code)
    return [
        ErrorDetail(
            (*where, column),
            "scope.area",
            f"不在本账号所辖区域（{name}及其下级区域）内",
            value=area_code,
        )
    ]


def _indicator_rows(
    session: Session, staff: Staff, records: list[dict[str, Any]], file_name: str
) -> list[ErrorDetail]:
    """Manual entries and targets: the indicator's theme is the office domain."""
    registry = load_catalog()
    errors = []
    for r in records:
        where = (file_name, r["_row"])
        if r["indicator_id"] in registry:
            theme = registry.get(r["indicator_id"]).theme
            if not may_edit(staff, (theme,)):
                errors.append(
                    _domain_error(staff, where, "指标代码", THEMES[theme], r["indicator_id"])
                )
        errors += _area_errors(session, staff, where, "区域代码", r["area_code"])
    return errors


def _record_rows(
    session: Session, staff: Staff, records: list[dict[str, Any]], file_name: str
) -> list[ErrorDetail]:
    """Work records: the record's theme and its area."""
    labels = RECORD_FIELD_LABELS
    errors = []
    for r in records:
        where = (file_name, r["_row"])
        if not may_edit(staff, (r["theme"],)):
            errors.append(
                _domain_error(staff, where, labels["theme"], THEMES[r["theme"]], r["theme"])
            )
        errors += _area_errors(session, staff, where, labels["area_code"], r["area_code"])
    return errors


def _plan_rows(
    session: Session, staff: Staff, records: list[dict[str, Any]], file_name: str
) -> list[ErrorDetail]:
    """Work plans: the indicator served, or the domains of the plan's theme; and its area."""
    labels = PLAN_FIELD_LABELS
    errors = []
    for r in records:
        where = (file_name, r["_row"])
        domains = plan_domains(r["theme"], r["indicator_id"])
        if not may_edit(staff, domains):
            names = "、".join(THEMES.get(d, d) for d in domains)
            errors.append(_domain_error(staff, where, labels["theme"], names, r["theme"]))
        errors += _area_errors(session, staff, where, labels["area_code"], r["area_code"])
    return errors


KINDS: dict[str, ImportKind] = {
    kind.key: kind
    for kind in (
        ImportKind("areas", "行政区划", AREA_SCHEMA, "admin", _table(AreaImporter)),
        ImportKind("org_units", "组织机构", UNIT_SCHEMA, "admin", _table(OrgUnitImporter)),
        ImportKind(
            "area_boundaries",
            "行政区划边界",
            BOUNDARY_SCHEMA,
            "admin",
            _table(AreaBoundaryImporter),
            note="GeoJSON 文件（要素属性含区划代码），或每行一个 GeoJSON 几何的表格",
        ),
        ImportKind(
            "air_stations", "空气监测站点", STATION_SCHEMA, "domain", _table(StationImporter), "air"
        ),
        ImportKind(
            "air_observations",
            "空气质量小时数据（模板格式）",
            AIR_DATA_SCHEMA,
            "domain",
            _air_data,
            "air",
            note="数值变化的站点小时形成新的修订版本，原值保留",
        ),
        ImportKind(
            "water_sections",
            "水质监测断面",
            SECTION_SCHEMA,
            "domain",
            _table(SectionImporter),
            "water",
        ),
        ImportKind(
            "water_samples",
            "水质监测数据",
            SAMPLE_SCHEMA,
            "domain",
            _water_samples,
            "water",
            note="未检出写检出限加 L（如 0.01L）",
        ),
        ImportKind(
            "indicator_manual_entries",
            "人工填报指标",
            MANUAL_SCHEMA,
            "rows",
            _table(ManualEntryImporter, _indicator_rows),
            note="科室只能填报本领域的指标",
        ),
        ImportKind(
            "indicator_targets",
            "年度目标",
            TARGET_SCHEMA,
            "rows",
            _table(TargetImporter, _indicator_rows),
            note="科室只能导入本领域指标的目标",
        ),
        ImportKind(
            "work_records",
            "工作台账",
            RECORD_SCHEMA,
            "rows",
            _table(RecordImporter, _record_rows),
            area_roles=True,
            note="表述中的数字写成 {数量名称}，数值填在“数量”列",
        ),
        ImportKind(
            "work_plans",
            "工作安排",
            PLAN_SCHEMA,
            "rows",
            _table(PlanImporter, _plan_rows),
            area_roles=True,
        ),
    )
}


def get_kind(key: str) -> ImportKind:
    kind = KINDS.get(key)
    if kind is None:
        raise NotFound(
            f"未知的导入类型“{key}”（可选：{'、'.join(KINDS)}）",
            code="import.kind_unknown",
            loc=("kind",),
        )
    return kind


AIR_FORMAT_NAMES = {
    "template": "模板格式",
    "china-sites": "全国城市站点格式",
    "prsa": "北京多站点格式",
}


def label_of(importer: str) -> str:
    """The Chinese name of an import record's ``importer`` (``air_observations:prsa`` too)."""
    if importer in KINDS:
        return KINDS[importer].label
    base, _, fmt = importer.partition(":")
    if base == "air_observations":
        return f"空气质量小时数据（{AIR_FORMAT_NAMES.get(fmt, fmt)}）"
    return importer


def check_kind(staff: Staff, kind: ImportKind) -> None:
    """Refuse a user who may not import this kind at all (rows are checked later)."""
    if staff.role not in EDIT_ROLES:
        raise Forbidden(f"“{staff.role_name}”角色只能查看，不能导入数据")
    if staff.role == "admin":
        return
    if kind.access == "admin":
        raise Forbidden(f"只有系统管理员可以导入{kind.label}")
    if staff.scope is not None and not kind.area_roles:
        raise Forbidden("分局和网格员只能导入本区域的工作台账和工作安排")
    if kind.domain is not None:
        staff.check_edit(kind.domain)
    elif staff.role == "office" and not staff.domains:
        raise Forbidden("本科室未设置业务领域，不能导入数据")


def allowed_kinds(staff: Staff) -> list[ImportKind]:
    out = []
    for kind in KINDS.values():
        try:
            check_kind(staff, kind)
        except Forbidden:
            continue
        out.append(kind)
    return out


def run(
    session: Session, staff: Staff, kind: ImportKind, *, data: bytes, file_name: str, dry_run: bool
) -> tuple[ImportOutcome, list[ErrorDetail]]:
    """Import (or only check) a file as ``staff``: the outcome and any warnings."""
    check_kind(staff, kind)
    return kind.run(session, staff, data, file_name, dry_run)


def history(session: Session, staff: Staff, *, limit: int = 200) -> list[ImportRecord]:
    """Imports newest first; branch and grid users see only their own."""
    stmt = select(ImportRecord).order_by(ImportRecord.id.desc()).limit(limit)
    if staff.scope is not None:
        stmt = stmt.where(ImportRecord.actor == staff.username)
    return list(session.scalars(stmt))


# --- uploaded files, kept on the server by content -----------------------------------------


def clean_file_name(name: str | None) -> str:
    """The last part of a client's file name, as a label only (never used as a path)."""
    text = (name or "").replace("\x00", "")
    text = PureWindowsPath(PurePosixPath(text).name).name.strip()
    text = "".join(ch for ch in text if ch.isprintable())
    if not text:
        raise RuleViolation("请选择要上传的文件", code="import.file_missing", loc=("file",))
    return text[-200:]


def check_size(data: bytes) -> None:
    if not data:
        raise RuleViolation("上传的文件是空的", code="import.file_empty", loc=("file",))
    if len(data) > MAX_UPLOAD_BYTES:
        raise RuleViolation(
            f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请分批导入",
            code="import.file_too_large",
            loc=("file",),
        )


def save_upload(folder: Path, data: bytes) -> str:
    """Keep the bytes under their SHA-256 and return it (the only handle the client gets)."""
    check_size(data)
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.is_file():
        partial = folder / f".{digest}.part"
        partial.write_bytes(data)
        partial.replace(path)
    return digest


def load_upload(folder: Path, digest: str) -> bytes:
    """The bytes kept under ``digest``; anything but a SHA-256 of a kept file is refused."""
    if not SHA256.fullmatch(digest or ""):
        raise RuleViolation("上传文件的标识无效", code="import.upload_invalid", loc=("sha256",))
    path = folder / digest
    if not path.is_file():
        raise RuleViolation(
            "上传的文件已不在服务器上，请重新上传", code="import.upload_gone", loc=("sha256",)
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise RuleViolation("上传的文件已损坏，请重新上传", code="import.upload_corrupt")
    return data
