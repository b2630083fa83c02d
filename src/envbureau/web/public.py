"""TRANSITIONAL: the public portal moved to ``envbureau.web.portal`` (``views`` and ``api``).
``web.app`` includes this router until it includes those two itself; then this module goes."""

from __future__ import annotations

from fastapi import APIRouter

from envbureau.web.portal import api, views

router = APIRouter()
router.include_router(views.router)
router.include_router(api.router)
