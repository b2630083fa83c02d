"""Third-party browser assets served from installed Python packages, never from a CDN: the
charting library (plotly) and the API documentation page (Swagger UI 5, which reads OpenAPI 3.1,
from the files the swagger-ui-py package ships), so every page works on an intranet with no
internet."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
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
    """The API's documentation page, every asset from this server."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/api/v1/openapi.json",
        title=f"{request.app.title} · 接口文档",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
    )
