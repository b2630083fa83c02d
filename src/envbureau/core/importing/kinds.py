"""What the import page and API accept, and who may import it, by the permission table.

Each domain declares its kinds (``ImportKind``) in its own ``import_kinds.py`` and names them
in its manifest; ``kinds()`` collects them in ``DOMAINS`` order. Every kind runs through the
same function the command line uses (``run_import``, or the air and water importers that bring
their own parsing); this module adds only who may do it (``core.permissions``). A file needs
the "import" right, and what it writes needs the right of a form or API call writing the same:

- ``access="admin"``: the "admin" right (system administrators): areas, org units, boundaries;
- ``access="domain"``: "import" in the kind's office ``domain`` (air data: "air"); such files
  are not tied to one area, so a right limited to an area (branch, grid) does not reach them;
- ``access="rows"``: every row is checked by the kind's row rule (``scoped_rows``) for the
  kind's ``row_action`` ("edit" for work-log records and plans, "enter_value" for manual
  indicator values, "set_target" for targets) and "import", in the row's office domain (an
  indicator's ``office_domain``, a record's theme) and its area. A role without the row action
  at all is refused the kind (branch and grid: no indicator values, no targets).

A row outside the user's domains or area is an error naming its file, row and column, reported
with every other error of the file; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from envbureau.core import permissions
from envbureau.core.areas import service as areas_service
from envbureau.core.errors import ErrorDetail, NotFound
from envbureau.core.importing.runner import ApplyResult, Importer, ImportOutcome, run_import
from envbureau.core.importing.schema import TableSchema
from envbureau.core.permissions import Forbidden, Staff

Run = Callable[[Session, Staff, bytes, str, bool], tuple[ImportOutcome, list[ErrorDetail]]]
RowRule = Callable[[Session, Staff, list[dict[str, Any]], str], list[ErrorDetail]]


@dataclass(frozen=True)
class ImportKind:
    """One kind of file: its columns, who may import it (module docstring), and how it runs."""

    key: str
    label: str
    schema: TableSchema
    access: Literal["admin", "domain", "rows"]
    run: Run
    domain: str | None = None  # the office domain of an ``access="domain"`` kind
    row_action: str = "import"  # what each row of an ``access="rows"`` kind needs besides import
    note: str = ""
    #: the name of an import record of this kind read in another format (``key:format``)
    format_label: Callable[[str], str] | None = None


@dataclass
class ScopedImporter:
    """An importer whose ``check`` also refuses the rows the user may not write."""

    inner: Importer
    staff: Staff
    rule: RowRule
    kind: str = field(init=False)
    schema: TableSchema = field(init=False)

    def __post_init__(self) -> None:
        self.kind = self.inner.kind
        self.schema = self.inner.schema

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        errors = self.inner.check(session, records, file_name)
        return errors + self.rule(session, self.staff, records, file_name)

    def apply(self, session: Session, records: list[dict[str, Any]], **kwargs: Any) -> ApplyResult:
        return self.inner.apply(session, records, **kwargs)


def table(factory: Callable[[], Importer], rule: RowRule | None = None) -> Run:
    """A kind's ``run`` for a table importer, its rows checked by ``rule`` when given."""

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


# --- rules row by row ------------------------------------------------------------------------


def domain_label(code: str) -> str:
    from envbureau.domains import office_domains  # the registry imports the manifests

    return office_domains().get(code, code)


def scoped_rows(
    action: str,
    *,
    domains_of: Callable[[dict[str, Any]], tuple[str, ...] | None],
    domain_column: str,
    domain_value: str,
    area_column: str,
) -> RowRule:
    """A row rule: each row's office domains (``domains_of``; None = not known, the importer
    reports that) and its ``area_code`` must be within the user's ``action`` right and its
    "import" right."""
    needed = ("import", action)

    def rule(
        session: Session, staff: Staff, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        errors = []
        for r in records:
            where = (file_name, r["_row"])
            domains = domains_of(r)
            if domains is not None and not all(
                permissions.allowed_any(staff, a, domains) for a in needed
            ):
                names = "、".join(domain_label(d) for d in domains)
                errors.append(domain_error(staff, where, domain_column, names, r[domain_value]))
            errors += area_errors(session, staff, needed, where, area_column, r["area_code"])
        return errors

    return rule


def domain_error(
    staff: Staff, where: tuple[str, int], column: str, domain_names: str, value: str
) -> ErrorDetail:
    mine = "、".join(domain_label(d) for d in sorted(staff.domains)) or "无"
    return ErrorDetail(
        (*where, column),
        "scope.domain",
        f"属于“{domain_names}”，不在本科室的业务领域（{mine}）内",
        value=value,
    )


def area_errors(
    session: Session,
    staff: Staff,
    actions: tuple[str, ...],
    where: tuple[str, int],
    column: str,
    area_code: str | None,
) -> list[ErrorDetail]:
    if not area_code or not any(permissions.limited_to_area(staff, a) for a in actions):
        return []
    if staff.can_see(area_code):
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


# --- the kinds and who may use them ----------------------------------------------------------


def kinds() -> dict[str, ImportKind]:
    """Import kind key → kind, as the manifests declare them (``DOMAINS`` order)."""
    from envbureau.domains import import_kinds

    return import_kinds()


def get_kind(key: str) -> ImportKind:
    known = kinds()
    kind = known.get(key)
    if kind is None:
        raise NotFound(
            f"未知的导入类型“{key}”（可选：{'、'.join(known)}）",
            code="import.kind_unknown",
            loc=("kind",),
        )
    return kind


def label_of(importer: str) -> str:
    """The Chinese name of an import record's ``importer`` (``air_observations:prsa`` too)."""
    known = kinds()
    if importer in known:
        return known[importer].label
    base, _, fmt = importer.partition(":")
    kind = known.get(base)
    if kind is not None and kind.format_label is not None:
        return kind.format_label(fmt)
    return importer


def check_kind(staff: Staff, kind: ImportKind) -> None:
    """Refuse a user who may not import this kind at all (rows are checked later)."""
    if permissions.grant_of(staff.role, "import") is None:
        permissions.check(staff, "import")  # raises with the role's reason
    if kind.access == "admin":
        if not permissions.allowed(staff, "admin"):
            names = permissions.role_names(permissions.roles_with("admin"))
            raise Forbidden(f"只有{names}可以导入{kind.label}")
        return
    if kind.access == "domain" and permissions.limited_to_area(staff, "import"):
        labels = [k.label for k in kinds().values() if _rows_kind_for(staff.role, k)]
        raise Forbidden(f"“{staff.role_name}”角色只能导入本区域的{permissions.joined(labels)}")
    if kind.access == "rows" and permissions.grant_of(staff.role, kind.row_action) is None:
        names = permissions.role_names(permissions.roles_with(kind.row_action))
        action = permissions.ACTION_NAMES[kind.row_action]
        raise Forbidden(f"“{staff.role_name}”角色不能导入{kind.label}（只有{names}可以{action}）")
    if kind.domain is not None:
        permissions.check(staff, "import", kind.domain)
    elif not (permissions.allowed(staff, "import") and permissions.allowed(staff, kind.row_action)):
        raise Forbidden("本科室未设置业务领域，不能导入数据")


def _rows_kind_for(role: str, kind: ImportKind) -> bool:
    """A kind checked row by row whose row action ``role`` has (in some domain or area)."""
    return kind.access == "rows" and permissions.grant_of(role, kind.row_action) is not None


def allowed_kinds(staff: Staff) -> list[ImportKind]:
    out = []
    for kind in kinds().values():
        try:
            check_kind(staff, kind)
        except Forbidden:
            continue
        out.append(kind)
    return out
