"""The FastAPI application factory: public portal, staff console, JSON API."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from envbureau import __version__, domains
from envbureau.core.config import Settings
from envbureau.core.db import make_engine
from envbureau.core.errors import DomainError, ErrorDetail
from envbureau.web import errors, login, vendor
from envbureau.web.middleware import BodyLimit, NoNulInAddress, SecurityHeaders
from envbureau.web.security import Forbidden, LoginRequired, session_options

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        title="envbureau 生态环境局工作平台",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # web.vendor serves it with the installed swagger-ui-bundle
        responses=errors.ERROR_RESPONSES,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.templates = Jinja2Templates(directory=[HERE / "templates", *domains.template_dirs()])
    app.add_middleware(SessionMiddleware, **session_options(settings))  # no secret: ConfigError
    # Added after the session middleware, so they run before it: a body too large is refused
    # before anything else is done, and every answer (errors included) carries the headers.
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(NoNulInAddress)
    app.add_middleware(SecurityHeaders, tls=settings.tls, map_tile_url=settings.map_tile_url)
    app.include_router(vendor.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(login.router)
    for router in domains.routers():
        app.include_router(router)

    app.add_exception_handler(DomainError, errors.domain_error)
    app.add_exception_handler(RequestValidationError, errors.request_invalid)
    app.add_exception_handler(StarletteHTTPException, errors.http_error)
    app.add_exception_handler(SQLAlchemyError, errors.database_error)
    app.add_exception_handler(Exception, errors.server_error)

    @app.exception_handler(LoginRequired)
    def _login_required(request: Request, _exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            detail = ErrorDetail((), "auth.login_required", "请先登录")
            return JSONResponse(errors.body([detail]), status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, exc: Forbidden) -> Response:
        return errors.answer(request, 403, [ErrorDetail((), "auth.forbidden", exc.message)])

    return app
