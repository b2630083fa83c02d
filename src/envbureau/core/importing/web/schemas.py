"""What ``/api/v1/imports`` answers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.kinds import label_of
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.service import Imported


class ImportWarning(BaseModel):
    """A value imported but flagged for review: where (file, row, column), rule, message."""

    loc: list[str | int]
    code: str
    msg: str
    value: str | None = None

    @classmethod
    def of(cls, detail: ErrorDetail) -> ImportWarning:
        return cls(loc=list(detail.loc), code=detail.code, msg=detail.msg, value=detail.value)


class ImportRecordRead(BaseModel):
    """One import that changed data."""

    id: int
    kind: str = Field(description="导入类型（如 work_records、air_observations:prsa）")
    kind_name: str = Field(description="导入类型的中文名称")
    file: str
    sha256: str
    rows: int
    created: int
    updated: int
    unchanged: int
    actor: str
    at_utc: str = Field(description="导入时间（UTC，ISO 8601，以 Z 结尾）")

    @classmethod
    def of(cls, record: ImportRecord) -> ImportRecordRead:
        return cls(
            id=record.id,
            kind=record.importer,
            kind_name=label_of(record.importer),
            file=record.file_name,
            sha256=record.content_sha256,
            rows=record.rows,
            created=record.created,
            updated=record.updated,
            unchanged=record.unchanged,
            actor=record.actor,
            at_utc=record.at.isoformat(timespec="seconds") + "Z",
        )


class ImportResultRead(BaseModel):
    """What an import (or its dry run) did, row counts by what happened to each row."""

    kind: str
    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    changed: bool = Field(description="是否改变了数据（有新增或更新）")
    record_id: int | None = Field(description="导入记录编号（未改变数据或仅校验时为空）")
    already_imported: ImportRecordRead | None = Field(
        description="同一文件内容此前的导入记录（如有）"
    )
    warnings: list[ImportWarning]

    @classmethod
    def of(cls, imported: Imported) -> ImportResultRead:
        outcome, r = imported.outcome, imported.outcome.result
        earlier = outcome.already_imported
        return cls(
            kind=outcome.importer,
            file=outcome.file_name,
            rows=outcome.rows,
            created=r.created,
            updated=r.updated,
            unchanged=r.unchanged,
            dry_run=outcome.dry_run,
            changed=outcome.changed,
            record_id=outcome.record_id,
            already_imported=None if earlier is None else ImportRecordRead.of(earlier),
            warnings=[ImportWarning.of(w) for w in imported.warnings],
        )
