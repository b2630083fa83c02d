"""数据导入 pages: upload a file, see every error with its row and column before anything is
written, confirm, see the history; download the templates.

The check is the importer run as a dry run; the file is kept on the server under its SHA-256
(``data_dir/uploads``) and the confirm form sends back only that digest (``importing.service``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from envbureau.core.clock import local_text
from envbureau.core.errors import DomainError
from envbureau.core.importing import service
from envbureau.core.importing.kinds import (
    ImportKind,
    allowed_kinds,
    check_kind,
    get_kind,
    kinds,
    label_of,
)
from envbureau.core.importing.templates import write_template
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploads_folder(request: Request) -> Path:
    return Path(request.app.state.settings.data_dir) / "uploads"


def _result(
    request: Request, staff: Staff, kind: ImportKind, context: dict[str, Any]
) -> HTMLResponse:
    tz = request.app.state.settings.tz
    return render(
        request,
        staff,
        "imports/result.html",
        {"kind": kind, "local_time": lambda at: local_text(at, tz), **context},
        status_code=422 if context.get("errors") else 200,
    )


@router.get("/console/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, staff: CurrentStaff) -> Response:
    context = {"kinds": kinds(), "allowed": allowed_kinds(staff)}
    return render(request, staff, "imports/upload.html", context)


@router.post("/console/imports/check", dependencies=[CsrfChecked], include_in_schema=False)
def check_upload(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    chosen = get_kind(kind)
    check_kind(staff, chosen)
    try:
        data, name = service.read_upload(file.file, file.filename)
        checked = service.check_file(
            session=session,
            staff=staff,
            kind=chosen,
            data=data,
            file_name=name,
            uploads=uploads_folder(request),
        )
    except DomainError as exc:
        return _result(request, staff, chosen, {"errors": exc.details, "file_name": file.filename})
    context = {"outcome": checked.outcome, "warnings": checked.warnings, "file_name": name}
    return _result(request, staff, chosen, {**context, "sha256": checked.sha256})


@router.post("/console/imports/confirm", dependencies=[CsrfChecked], include_in_schema=False)
def confirm_upload(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    kind: Annotated[str, Form()],
    sha256: Annotated[str, Form()],
    file_name: Annotated[str, Form()],
) -> Response:
    chosen = get_kind(kind)
    check_kind(staff, chosen)
    try:
        done = service.confirm_file(
            session=session,
            staff=staff,
            kind=chosen,
            sha256=sha256,
            file_name=file_name,
            uploads=uploads_folder(request),
        )
    except DomainError as exc:
        return _result(request, staff, chosen, {"errors": exc.details, "file_name": file_name})
    context = {"outcome": done.outcome, "warnings": done.warnings}
    return _result(request, staff, chosen, {**context, "file_name": done.outcome.file_name})


@router.get("/console/imports/history", response_class=HTMLResponse, include_in_schema=False)
def history_page(request: Request, session: DbSession, staff: CurrentStaff) -> Response:
    tz = request.app.state.settings.tz
    context = {
        "records": service.history(session=session, staff=staff),
        "label_of": label_of,
        "local_time": lambda at: local_text(at, tz),
    }
    return render(request, staff, "imports/history.html", context)


@router.get("/console/imports/templates/{kind}.xlsx", include_in_schema=False)
def download_template(kind: str, staff: CurrentStaff) -> Response:
    chosen = get_kind(kind)
    with tempfile.TemporaryDirectory() as folder:
        content = write_template(chosen.schema, Path(folder) / "template.xlsx").read_bytes()
    name = quote(f"{chosen.label}导入模板.xlsx")
    return Response(
        content,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )
