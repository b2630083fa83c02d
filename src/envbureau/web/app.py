"""The FastAPI application factory."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine

from envbureau import __version__
from envbureau.core.config import Settings
from envbureau.core.db import make_engine
from envbureau.core.errors import DomainError, NotFound
from envbureau.web import public

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        title="envbureau 生态环境局工作平台",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(public.router)

    @app.exception_handler(DomainError)
    def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFound) else 422
        return JSONResponse({"detail": [d.as_dict() for d in exc.details]}, status_code=status)

    return app
