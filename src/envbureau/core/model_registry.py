"""Import every module that defines tables, so ``Base.metadata`` knows the whole schema.

The modules are the ones the domains' manifests name (``envbureau.domains``)."""

from __future__ import annotations

import importlib

from envbureau.core.db import Base


def load_models() -> type[Base]:
    from envbureau.domains import model_modules

    for module in model_modules():
        importlib.import_module(module)
    return Base
