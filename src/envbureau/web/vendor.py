"""JavaScript of the charting library, served from the installed Python package (no CDN)."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.responses import Response
from plotly.offline import get_plotlyjs

router = APIRouter(include_in_schema=False)


@cache
def _plotly() -> bytes:
    return get_plotlyjs().encode("utf-8")


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    return Response(
        _plotly(),
        media_type="application/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )
