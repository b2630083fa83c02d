"""/account/password: a signed-in user changes their own password (docs/security.md).

The one page a user with a one-time password can reach (``web.security.current_staff`` sends
them here). A change ends every session of the user (``service.change_password``), then this
browser gets a fresh one, so other browsers signed in with the old password are out.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from envbureau.core.accounts import passwords, service, sessions
from envbureau.core.accounts.models import User
from envbureau.core.clock import utc_now
from envbureau.core.errors import DomainError
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import PASSWORD_PAGE, SESSION_TOKEN, SignedIn, check_csrf, csrf_token

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, session: DbSession, staff: SignedIn, *, error: str = "", status: int = 200
) -> HTMLResponse:
    must = bool(session.scalar(select(User.must_change_password).where(User.id == staff.user_id)))
    return render(
        request,
        staff,
        "account/password.html",
        {
            "must_change": must,
            "error": error,
            "min_length": passwords.MIN_PASSWORD_LENGTH,
            "done": request.query_params.get("done") == "1",
        },
        status_code=status,
    )


@router.get(PASSWORD_PAGE, response_class=HTMLResponse)
def password_page(request: Request, session: DbSession, staff: SignedIn) -> HTMLResponse:
    return _page(request, session, staff)


@router.post(PASSWORD_PAGE, dependencies=[Depends(check_csrf)], response_model=None)
def change_password(
    request: Request,
    session: DbSession,
    staff: SignedIn,
    old_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
    confirm_password: Annotated[str, Form()],
) -> HTMLResponse | RedirectResponse:
    if new_password != confirm_password:
        return _page(request, session, staff, error="两次输入的新密码不一致", status=422)
    try:
        service.change_password(
            session=session,
            username=staff.username,
            old_password=old_password,
            new_password=new_password,
        )
    except DomainError as exc:
        return _page(request, session, staff, error=exc.details[0].msg, status=422)
    hours = request.app.state.settings.session_hours
    token = sessions.open_session(
        session=session, user_id=staff.user_id, now=utc_now(), hours=hours
    )
    request.session.clear()
    request.session[SESSION_TOKEN] = token
    csrf_token(request)
    return RedirectResponse(f"{PASSWORD_PAGE}?done=1", status_code=303)
