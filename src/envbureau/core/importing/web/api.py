"""``/api/v1/imports``: import a file (or only check it), and the import history.

The request's own transaction is ended before the file is read (issue 11): the file is checked
in a reading transaction and written in one short transaction of its own
(``sessions.import_session``), so a long check never holds the SQLite write lock. A session
joined to its caller's transaction (a test) runs the import in that transaction instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from envbureau.core import permissions
from envbureau.core.importing import jobs, service
from envbureau.core.importing.kinds import check_kind, get_kind
from envbureau.core.importing.limits import Limits, using
from envbureau.core.importing.sessions import import_session
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
@permissions.route("import")
def import_api(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    kind: str,
    file: Annotated[UploadFile, File()],
    dry_run: bool = False,
) -> ImportResultRead:
    chosen = get_kind(kind)
    check_kind(staff, chosen)
    data, name = service.read_upload(file.file, file.filename)
    if jobs.joined(session):
        imported = service.run(
            session=session, staff=staff, kind=chosen, data=data, file_name=name, dry_run=dry_run
        )
        return ImportResultRead.of(imported)
    session.commit()  # the request's transaction ends here: checking holds no write lock
    settings = request.app.state.settings
    with using(Limits.of(settings)), import_session(request.app.state.engine, name) as own:
        imported = service.run(
            session=own, staff=staff, kind=chosen, data=data, file_name=name, dry_run=dry_run
        )
    return ImportResultRead.of(imported)


@router.get("/api/v1/imports/history", summary="导入记录（最新在前）")
def history_api(session: DbSession, staff: CurrentStaff) -> list[ImportRecordRead]:
    return [ImportRecordRead.of(r) for r in service.history(session=session, staff=staff)]
