"""``/api/v1/imports``: import a file (or only check it), and the import history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from envbureau.core.importing import service
from envbureau.core.importing.kinds import check_kind, get_kind
from envbureau.core.importing.web.schemas import ImportRecordRead, ImportResultRead
from envbureau.web.deps import DbSession
from envbureau.web.security import CsrfChecked, CurrentStaff

router = APIRouter(tags=["数据导入"])


@router.post(
    "/api/v1/imports/{kind}",
    dependencies=[CsrfChecked],
    summary="导入文件（dry_run=true 只校验并报告将新增/更新/未变的行数）",
    responses={422: {"description": "校验未通过：每处错误的文件、行、列、值和规则"}},
)
def import_api(
    session: DbSession,
    staff: CurrentStaff,
    kind: str,
    file: Annotated[UploadFile, File()],
    dry_run: bool = False,
) -> ImportResultRead:
    chosen = get_kind(kind)
    check_kind(staff, chosen)
    data, name = service.read_upload(file.file, file.filename)
    imported = service.run(
        session=session, staff=staff, kind=chosen, data=data, file_name=name, dry_run=dry_run
    )
    return ImportResultRead.of(imported)


@router.get("/api/v1/imports/history", summary="导入记录（最新在前）")
def history_api(session: DbSession, staff: CurrentStaff) -> list[ImportRecordRead]:
    return [ImportRecordRead.of(r) for r in service.history(session=session, staff=staff)]
