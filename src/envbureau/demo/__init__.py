"""The demo city 示范市: a deterministic, realistic city that every domain adds its part to.

Each part is a module named by its domain's manifest (``demo``), with a ``LABEL`` and a
``build(ctx)`` that returns lines saying what it did; ``envbureau.domains.DOMAINS`` sets the
order, since later parts use what earlier ones built. Parts write through the same importers and services staff use, so
building the demo twice changes nothing the second time.
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from envbureau.core.importing.runner import Importer, ImportOutcome, run_import

CITY_CODE = "990100"
CITY_NAME = "示范市"
DEFAULT_SEED = 20260301
DEMO_ACTOR = "demo"


@dataclass
class DemoContext:
    session: Session
    seed: int = DEFAULT_SEED
    progress: Callable[[int, int], None] = field(default=lambda done, total: None)

    def rng(self, part: str) -> np.random.Generator:
        """A generator per part, so adding a part never changes another part's data."""
        return np.random.default_rng([self.seed, zlib.crc32(part.encode())])

    def import_frame(self, importer: Importer, frame: pd.DataFrame, name: str) -> ImportOutcome:
        """Import a generated table through the real importer (as a UTF-8 CSV)."""
        return self.import_bytes(importer, frame.to_csv(index=False).encode("utf-8"), name)

    def import_bytes(self, importer: Importer, data: bytes, name: str) -> ImportOutcome:
        """Import a generated file (its kind chosen by ``name``) through the real importer."""
        return run_import(
            self.session,
            importer,
            data=data,
            file_name=name,
            actor=DEMO_ACTOR,
            progress=self.progress,
        )


def load_parts() -> list[tuple[str, object]]:
    from envbureau.domains import demo_parts

    return [(name, importlib.import_module(name)) for name in demo_parts()]
