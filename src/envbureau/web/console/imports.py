"""TRANSITIONAL: the import pages and API moved to ``envbureau.core.importing.web``.

This module serves them until ``core/manifest.py`` names ``envbureau.core.importing.web.views``
and ``.api`` as routers and ``envbureau.core.importing.web`` as a templates package; the pages
here render the old ``staff/imports*.html`` until then. Delete it and those templates with that
change.
"""

from __future__ import annotations

from typing import Annotated, Any

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
from envbureau.core.importing.web import api, views
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CsrfChecked, CurrentStaff, Staff

router = APIRouter()
router.include_router(api.router)
router.add_api_route(
    "/console/imports/templates/{kind}.xlsx", views.download_template, include_in_schema=False
)


def _result(
    request: Request, staff: Staff, kind: ImportKind, context: dict[str, Any]
) -> HTMLResponse:
    tz = request.app.state.settings.tz
    return render(
        request,
        staff,
        "staff/imports_result.html",
        {"kind": kind, "local_time": lambda at: local_text(at, tz), **context},
        status_code=422 if context.get("errors") else 200,
    )


@router.get("/console/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, staff: CurrentStaff) -> Response:
    context = {"kinds": kinds(), "allowed": allowed_kinds(staff)}
    return render(request, staff, "staff/imports.html", context)


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
            uploads=views.uploads_folder(request),
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
            uploads=views.uploads_folder(request),
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
    return render(request, staff, "staff/imports_history.html", context)
