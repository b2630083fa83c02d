"""Third-party browser assets served from installed Python packages, never from a CDN: the
charting library (plotly) and the API documentation page (Swagger UI 5, which reads OpenAPI 3.1,
from the files the swagger-ui-py package ships), so every page works on an intranet with no
internet."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from plotly.offline import get_plotlyjs

from envbureau.core.errors import NotFound

router = APIRouter(include_in_schema=False)
CACHED = {"Cache-Control": "public, max-age=86400"}
#: The Swagger UI files the docs page loads, with their media types.
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "application/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


@cache
def _swagger_folder() -> Path:
    """swagger-ui-py's ``static`` folder, found without importing the package."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@cache
def _plotly() -> bytes:
    return get_plotlyjs().encode("utf-8")


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    return Response(_plotly(), media_type="application/javascript", headers=CACHED)


@router.get("/static/vendor/swagger-ui/{name}")
def swagger_asset(name: str) -> Response:
    media_type = SWAGGER_FILES.get(name)
    if media_type is None:
        raise NotFound(f"未找到文件“{name}”", code="vendor.unknown", loc=("path", "name"))
    return Response((_swagger_folder() / name).read_bytes(), media_type=media_type, headers=CACHED)


@router.get("/api/v1/docs")
def api_docs(request: Request) -> HTMLResponse:
    """The API's documentation page, every asset from this server and no inline script (the
    Content-Security-Policy forbids it): ``/static/swagger-init.js`` starts Swagger UI."""
    openapi_url = escape(request.app.openapi_url or "/api/v1/openapi.json")
    title = escape(f"{request.app.title} · 接口文档")
    return HTMLResponse(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        '<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">'
        '<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png">'
        f"<title>{title}</title></head><body>"
        f'<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>'
        '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>'
        '<script src="/static/swagger-init.js"></script>'
        "</body></html>"
    )
