"""数据导入 pages: upload a file, see every error with its row and column before anything is
written, confirm, see the history; download the templates.

The check is the importer run as a dry run; the file is kept on the server under its SHA-256
(``data_dir/uploads``) and the confirm form sends back only that digest (``importing.service``).
Checking and importing run as jobs out of the request (``importing.jobs``): the form starts the
job and redirects to its page, which shows its progress (polled by ``/static/import-job.js``
from the status endpoint, no inline script) until it shows the result.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from envbureau.core import permissions
from envbureau.core.clock import local_text
from envbureau.core.errors import DomainError, ErrorDetail
from envbureau.core.importing import jobs, service
from envbureau.core.importing.kinds import (
    ImportKind,
    allowed_kinds,
    check_kind,
    get_kind,
    kinds,
    label_of,
)
from envbureau.core.importing.limits import Limits
from envbureau.core.importing.models import ImportJob
from envbureau.core.importing.templates import write_template
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploads_folder(request: Request) -> Path:
    return service.uploads_of(request.app.state.settings.data_dir)


def _errors(items: list[dict[str, Any]]) -> list[ErrorDetail]:
    return [ErrorDetail(tuple(e["loc"]), e["code"], e["msg"], e.get("value")) for e in items or []]


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


def _start_job(
    request: Request,
    session: DbSession,
    staff: Staff,
    background: BackgroundTasks,
    *,
    kind: ImportKind,
    sha256: str,
    file_name: str,
    dry_run: bool,
) -> Response:
    """Queue the job, run it after the commit (or here, in a joined session), show its page."""
    settings = request.app.state.settings
    job = jobs.create(
        session, kind=kind, sha256=sha256, file_name=file_name, staff=staff, dry_run=dry_run
    )
    context = jobs.JobContext(
        engine=request.app.state.engine,
        uploads=uploads_folder(request),
        limits=Limits.of(settings),
        staff=staff,
        kind=kind,
    )
    if jobs.joined(session):
        jobs.run_here(session, job.id, context)
    else:
        background.add_task(jobs.start, job.id, context)
    return RedirectResponse(f"/console/imports/jobs/{job.id}", status_code=303)


@router.get("/console/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, staff: CurrentStaff) -> Response:
    context = {"kinds": kinds(), "allowed": allowed_kinds(staff)}
    return render(request, staff, "imports/upload.html", context)


@router.post("/console/imports/check", dependencies=[CsrfChecked], include_in_schema=False)
@permissions.route("import")
def check_upload(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    background: BackgroundTasks,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    chosen = get_kind(kind)
    check_kind(staff, chosen)
    retention = request.app.state.settings.upload_retention_hours
    try:
        data, name = service.read_upload(file.file, file.filename)
        digest = service.save_upload(uploads_folder(request), data, retention)
    except DomainError as exc:
        return _result(request, staff, chosen, {"errors": exc.details, "file_name": file.filename})
    del data
    return _start_job(
        request,
        session,
        staff,
        background,
        kind=chosen,
        sha256=digest,
        file_name=name,
        dry_run=True,
    )


@router.post("/console/imports/confirm", dependencies=[CsrfChecked], include_in_schema=False)
@permissions.route("import")
def confirm_upload(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    background: BackgroundTasks,
    kind: Annotated[str, Form()],
    sha256: Annotated[str, Form()],
    file_name: Annotated[str, Form()],
) -> Response:
    chosen = get_kind(kind)
    check_kind(staff, chosen)
    try:
        name = service.clean_file_name(file_name)
        service.kept_upload(uploads_folder(request), sha256)
    except DomainError as exc:
        return _result(request, staff, chosen, {"errors": exc.details, "file_name": file_name})
    return _start_job(
        request,
        session,
        staff,
        background,
        kind=chosen,
        sha256=sha256,
        file_name=name,
        dry_run=False,
    )


@router.get("/console/imports/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, session: DbSession, staff: CurrentStaff, job_id: int) -> Response:
    """The job's progress while it runs; then its result, as the check page always showed it."""
    job = jobs.get(session, job_id, staff)
    chosen = get_kind(job.kind)
    status = jobs.status_of(job)
    if status in ("queued", "running"):
        context = {"kind": chosen, "job": job, "status": status, "progress": jobs.progress_of(job)}
        return render(request, staff, "imports/job.html", context)
    return _result(request, staff, chosen, _job_context(job))


def _job_context(job: ImportJob) -> dict[str, Any]:
    result = jobs.result_of(job)
    if "outcome" not in result:
        return {"errors": _errors(result.get("errors", [])), "file_name": job.file_name}
    return {
        "outcome": result["outcome"],
        "warnings": _errors(result.get("warnings", [])),
        "file_name": job.file_name,
        "sha256": job.content_sha256,
    }


@router.get("/console/imports/jobs/{job_id}/status", include_in_schema=False)
def job_status(session: DbSession, staff: CurrentStaff, job_id: int) -> Response:
    """What the progress page polls: status and rows done of the total (0 = not known yet)."""
    job = jobs.get(session, job_id, staff)
    done, total = jobs.progress_of(job)
    body = {"id": job.id, "status": jobs.status_of(job), "done": done, "total": total}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


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
