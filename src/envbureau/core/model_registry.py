"""Import every module that defines tables, so ``Base.metadata`` knows the whole schema."""

from __future__ import annotations

import importlib

from envbureau.core.db import Base

MODEL_MODULES = (
    "envbureau.core.areas.models",
    "envbureau.core.accounts.models",
    "envbureau.core.importing.models",
    "envbureau.core.indicators.models",
    "envbureau.air.models",
    "envbureau.water.models",
    "envbureau.worklog.models",
)


def load_models() -> type[Base]:
    for module in MODEL_MODULES:
        importlib.import_module(module)
    return Base
