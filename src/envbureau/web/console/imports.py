"""数据导入: upload a file, see every error with its row and column before anything is written,
confirm, see the history; download the templates. JSON under ``/api/v1/imports``.

The check is the importer run as a dry run. The uploaded bytes stay on the server under
``data_dir/uploads/<sha256>``; the confirm form sends back only that digest, the kind and the
file's name as a label, so the client never names a path. Confirming runs the importer again
for real (all rows or none; the same content twice changes nothing).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from envbureau.core.errors import DomainError
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.runner import ImportOutcome
from envbureau.core.importing.templates import write_template
from envbureau.web.console import import_kinds
from envbureau.web.console.admin_helpers import local_time, tz_of
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uploads(request: Request) -> Path:
    return Path(request.app.state.settings.data_dir) / "uploads"


def _read(upload: UploadFile) -> tuple[bytes, str]:
    name = import_kinds.clean_file_name(upload.filename)
    data = upload.file.read(import_kinds.MAX_UPLOAD_BYTES + 1)
    import_kinds.check_size(data)
    return data, name


def _page(request: Request, staff: Staff, context: dict[str, Any], status: int = 200) -> Response:
    return render(
        request,
        staff,
        "staff/imports.html",
        {"kinds": import_kinds.KINDS, "allowed": import_kinds.allowed_kinds(staff), **context},
        status_code=status,
    )


def _result(
    request: Request, staff: Staff, kind: import_kinds.ImportKind, context: dict[str, Any]
) -> HTMLResponse:
    status = 422 if context.get("errors") else 200
    return render(
        request,
        staff,
        "staff/imports_result.html",
        {"kind": kind, "local_time": lambda at: local_time(at, tz_of(request)), **context},
        status_code=status,
    )


@router.get("/console/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, staff: CurrentStaff) -> Response:
    return _page(request, staff, {})


@router.post("/console/imports/check", dependencies=[CsrfChecked], include_in_schema=False)
def check_upload(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    chosen = import_kinds.get_kind(kind)
    import_kinds.check_kind(staff, chosen)
    try:
        data, name = _read(file)
        outcome, warnings = import_kinds.run(
            session, staff, chosen, data=data, file_name=name, dry_run=True
        )
        digest = import_kinds.save_upload(_uploads(request), data)
    except DomainError as exc:
        return _result(request, staff, chosen, {"errors": exc.details, "file_name": file.filename})
    return _result(
        request,
        staff,
        chosen,
        {"outcome": outcome, "warnings": warnings, "sha256": digest, "file_name": name},
    )


@router.post("/console/imports/confirm", dependencies=[CsrfChecked], include_in_schema=False)
def confirm_upload(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    kind: Annotated[str, Form()],
    sha256: Annotated[str, Form()],
    file_name: Annotated[str, Form()],
) -> Response:
    chosen = import_kinds.get_kind(kind)
    import_kinds.check_kind(staff, chosen)
    try:
        name = import_kinds.clean_file_name(file_name)
        data = import_kinds.load_upload(_uploads(request), sha256)
        outcome, warnings = import_kinds.run(
            session, staff, chosen, data=data, file_name=name, dry_run=False
        )
    except DomainError as exc:
        return _result(request, staff, chosen, {"errors": exc.details, "file_name": file_name})
    return _result(
        request, staff, chosen, {"outcome": outcome, "warnings": warnings, "file_name": name}
    )


@router.get("/console/imports/history", response_class=HTMLResponse, include_in_schema=False)
def history_page(request: Request, session: DbSession, staff: CurrentStaff) -> Response:
    records = import_kinds.history(session, staff)
    return render(
        request,
        staff,
        "staff/imports_history.html",
        {
            "records": records,
            "label_of": import_kinds.label_of,
            "local_time": lambda at: local_time(at, tz_of(request)),
        },
    )


@router.get("/console/imports/templates/{kind}.xlsx", include_in_schema=False)
def download_template(kind: str, staff: CurrentStaff) -> Response:
    chosen = import_kinds.get_kind(kind)
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(chosen.schema, Path(folder) / "template.xlsx")
        content = path.read_bytes()
    name = quote(f"{chosen.label}导入模板.xlsx")
    return Response(
        content,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


# --- JSON ------------------------------------------------------------------------------------


def outcome_json(outcome: ImportOutcome, warnings: list[Any]) -> dict[str, Any]:
    r = outcome.result
    earlier = outcome.already_imported
    return {
        "kind": outcome.importer,
        "file": outcome.file_name,
        "rows": outcome.rows,
        "created": r.created,
        "updated": r.updated,
        "unchanged": r.unchanged,
        "dry_run": outcome.dry_run,
        "changed": outcome.changed,
        "record_id": outcome.record_id,
        "already_imported": None if earlier is None else record_json(earlier),
        "warnings": [w.as_dict() for w in warnings],
    }


def record_json(record: ImportRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.importer,
        "kind_name": import_kinds.label_of(record.importer),
        "file": record.file_name,
        "sha256": record.content_sha256,
        "rows": record.rows,
        "created": record.created,
        "updated": record.updated,
        "unchanged": record.unchanged,
        "actor": record.actor,
        "at_utc": record.at.isoformat(timespec="seconds") + "Z",
    }


@router.post(
    "/api/v1/imports/{kind}",
    tags=["数据导入"],
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
) -> dict[str, Any]:
    chosen = import_kinds.get_kind(kind)
    import_kinds.check_kind(staff, chosen)
    data, name = _read(file)
    outcome, warnings = import_kinds.run(
        session, staff, chosen, data=data, file_name=name, dry_run=dry_run
    )
    return outcome_json(outcome, warnings)


@router.get("/api/v1/imports/history", tags=["数据导入"], summary="导入记录（最新在前）")
def history_api(session: DbSession, staff: CurrentStaff) -> list[dict[str, Any]]:
    return [record_json(r) for r in import_kinds.history(session, staff)]
