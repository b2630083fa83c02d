"""Running an import: all rows valid or nothing written; the same content twice changes nothing.

Rows are written by natural key, so a file whose content the database already holds changes
nothing and leaves no record; a file imported after another that changed the same rows puts
its own values back (and that is recorded).

An importer declares its ``schema`` and implements ``check`` (rules across rows and against the
database) and ``apply`` (write the rows by natural key). ``run_import`` does the rest.

Checking holds no write lock (issue 11). A dry run marks the session ``PREVIEW``: importers that
say ``previews = True`` (and ``upsert_rows``, the air and water writers) then only read the
existing keys to count what would be created, updated or left unchanged, and write nothing.
Any other importer's dry run still writes inside a SAVEPOINT rolled back at once. A session
owned by an import job carries ``BEFORE_WRITE``: called just before the first write, it ends
the reading transaction and begins the one writing transaction, so the file is read and
checked outside it and the writes run in one short transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.errors import ErrorDetail, RuleViolation, ValidationFailed
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.readers import parse_table
from envbureau.core.importing.schema import TableSchema, check_table

Progress = Callable[[int, int], None]
#: ``session.info`` keys: a dry run that writes nothing; the hook run before the first write;
#: the progress callback of the job or command running the import.
PREVIEW = "envbureau_import_preview"
BEFORE_WRITE = "envbureau_import_before_write"
PROGRESS = "envbureau_import_progress"


def previewing(session: Session) -> bool:
    """True while a dry run counts rows without writing (see the module docstring)."""
    return bool(session.info.get(PREVIEW))


def begin_writing(session: Session) -> None:
    """A ``BEFORE_WRITE`` hook: end the reading transaction; the writing one begins now
    (``BEGIN IMMEDIATE`` on SQLite: ``core.db.WRITE``)."""
    from envbureau.core.db import WRITE

    session.commit()
    session.connection(execution_options=WRITE)


def database_busy(file_name: str) -> RuleViolation:
    """Another import or write held the database longer than the busy timeout (SQLite)."""
    return RuleViolation(
        f"数据库正被另一个导入或写入占用，等待后仍未释放：文件“{file_name}”未写入任何数据，"
        "请稍后重试",
        code="import.database_busy",
        loc=(file_name,),
    )


def session_progress(session: Session, progress: Progress | None = None) -> Progress:
    """``progress``, else the one the session's job or command gave, else nothing."""
    return progress or session.info.get(PROGRESS) or _no_progress


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)  # natural keys created or updated

    def add(self, other: ApplyResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changes += other.changes


class Importer(Protocol):
    kind: str
    schema: TableSchema

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]: ...

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult: ...


@dataclass
class ImportOutcome:
    file_name: str
    importer: str
    rows: int
    result: ApplyResult
    dry_run: bool
    already_imported: ImportRecord | None = None
    record_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.result.created or self.result.updated)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_import(
    session: Session,
    importer: Importer,
    *,
    data: bytes,
    file_name: str,
    actor: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Validate the whole file, then write it atomically (or only report, when ``dry_run``)."""
    raw = parse_table(data, file_name)
    checked = check_table(raw, importer.schema)
    errors = list(checked.errors)
    if not any(e.code.startswith("column.") for e in errors):
        # Rules across rows and against the database, on the rows whose cells are valid,
        # so that one run reports every error in the file.
        bad_rows = {e.loc[1] for e in errors if len(e.loc) > 1}
        records = [r for r in checked.records() if r["_row"] not in bad_rows]
        errors += importer.check(session, records, file_name)
    raise_if_errors(errors, file_name)
    records = checked.records()
    inner = getattr(importer, "inner", importer)  # a kind's ScopedImporter wraps the importer
    return apply_atomically(
        session,
        kind=importer.kind,
        data=data,
        file_name=file_name,
        rows=len(records),
        actor=actor,
        dry_run=dry_run,
        previews=bool(getattr(inner, "previews", False)),
        apply=lambda: importer.apply(
            session, records, actor=actor, progress=session_progress(session, progress)
        ),
    )


def raise_if_errors(errors: list[ErrorDetail], file_name: str) -> None:
    """Refuse the whole file when any rule is broken, listing every error in row order."""
    if errors:
        errors.sort(key=_row_order)
        raise ValidationFailed(details=errors, summary=f"文件“{file_name}”校验未通过")


def _row_order(error: ErrorDetail) -> tuple[int, int, str]:
    """File-level errors first, then numbered rows in order, then rows named otherwise."""
    if len(error.loc) < 2:
        return (0, 0, "")
    row = error.loc[1]
    return (1, row, "") if isinstance(row, int) else (2, 0, str(row))


def apply_atomically(
    session: Session,
    *,
    kind: str,
    data: bytes,
    file_name: str,
    rows: int,
    actor: str,
    dry_run: bool,
    apply: Callable[[], ApplyResult],
    previews: bool = False,
) -> ImportOutcome:
    """Run ``apply`` in a SAVEPOINT: keep it and record the import, or roll it all back.

    A dry run, a failure, or a file that changes nothing (the same content again) leaves the
    database exactly as it was, without even an import record. A dry run of an ``apply`` that
    ``previews`` writes nothing at all (module docstring).
    """
    digest = content_hash(data)
    if dry_run and previews:
        return _preview(session, kind, digest, file_name, rows, apply)
    before_write = session.info.pop(BEFORE_WRITE, None)
    if before_write is not None:
        before_write(session)
    earlier = session.scalar(
        select(ImportRecord)
        .where(ImportRecord.importer == kind, ImportRecord.content_sha256 == digest)
        .order_by(ImportRecord.id)
        .limit(1)
    )
    savepoint = session.begin_nested()
    try:
        result = apply()
        if dry_run or not (result.created or result.updated):
            savepoint.rollback()
            return ImportOutcome(
                file_name, kind, rows, result, dry_run=dry_run, already_imported=earlier
            )
        record = ImportRecord(
            importer=kind,
            file_name=file_name,
            content_sha256=digest,
            rows=rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            actor=actor,
        )
        session.add(record)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="import",
            entity_type="import",
            entity_id=str(record.id),
            after={
                "file": file_name,
                "importer": kind,
                "sha256": digest,
                "created": result.created,
                "updated": result.updated,
            },
        )
        savepoint.commit()
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    return ImportOutcome(file_name, kind, rows, result, dry_run=False, record_id=record.id)


def _preview(
    session: Session,
    kind: str,
    digest: str,
    file_name: str,
    rows: int,
    apply: Callable[[], ApplyResult],
) -> ImportOutcome:
    """A dry run by reading only: ``apply`` counts, under ``PREVIEW``, and writes nothing."""
    earlier = session.scalar(
        select(ImportRecord)
        .where(ImportRecord.importer == kind, ImportRecord.content_sha256 == digest)
        .order_by(ImportRecord.id)
        .limit(1)
    )
    session.info[PREVIEW] = True
    try:
        result = apply()
    finally:
        session.info.pop(PREVIEW, None)
    return ImportOutcome(file_name, kind, rows, result, dry_run=True, already_imported=earlier)


def import_file(session: Session, importer: Importer, path: Path, **kwargs: Any) -> ImportOutcome:
    """``run_import`` on a file from disk."""
    if not path.is_file():
        raise ValidationFailed(
            details=[ErrorDetail((str(path),), "file.not_found", "文件不存在")],
            summary="无法导入",
        )
    return run_import(session, importer, data=path.read_bytes(), file_name=path.name, **kwargs)


def _no_progress(done: int, total: int) -> None:
    return None


def upsert_rows(
    session: Session,
    model: type,
    rows: Sequence[dict[str, Any]],
    *,
    key: tuple[str, ...],
    entity_type: str,
    actor: str,
    progress: Progress = _no_progress,
) -> ApplyResult:
    """Create or update rows of ``model`` by natural ``key``; an equal row is left untouched.

    Each create and each update is written to the audit log with its before/after values.
    """
    result = ApplyResult()
    total = len(rows)
    preview = previewing(session)
    for done, values in enumerate(rows, start=1):
        values = {k: v for k, v in values.items() if not k.startswith("_")}
        ident = tuple(values[k] for k in key)
        existing = session.scalar(
            select(model).where(*(getattr(model, k) == v for k, v in zip(key, ident, strict=True)))
        )
        entity_id = "/".join(str(v) for v in ident)
        if preview:
            _count_preview(result, existing, values, entity_id)
        elif existing is None:
            session.add(model(**values))
            audit.record(
                session,
                actor=actor,
                action="create",
                entity_type=entity_type,
                entity_id=entity_id,
                after=values,
            )
            result.created += 1
            result.changes.append(entity_id)
        else:
            before = {k: getattr(existing, k) for k in values}
            changed = {k: v for k, v in values.items() if before[k] != v}
            if changed:
                for k, v in changed.items():
                    setattr(existing, k, v)
                audit.record(
                    session,
                    actor=actor,
                    action="update",
                    entity_type=entity_type,
                    entity_id=entity_id,
                    before={k: before[k] for k in changed},
                    after=changed,
                )
                result.updated += 1
                result.changes.append(entity_id)
            else:
                result.unchanged += 1
        if done % 200 == 0 or done == total:
            if not preview:
                session.flush()
            progress(done, total)
    return result


def _count_preview(result: ApplyResult, existing: Any, values: dict[str, Any], ident: str) -> None:
    """What ``upsert_rows`` would do with one row, counted without writing it."""
    if existing is None:
        result.created += 1
    elif any(getattr(existing, k) != v for k, v in values.items()):
        result.updated += 1
    else:
        result.unchanged += 1
        return
    result.changes.append(ident)
