"""The staff console: one module per area of work, each with a ``router`` (pages under
``/console``, JSON under ``/api/v1``). The app includes every module of this package that has
a router, so adding a page never means editing a shared list."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    out = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            out.append(router)
    return out
