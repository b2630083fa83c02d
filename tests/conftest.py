"""Test-wide fixtures: where the shared reference data lives, and the marker rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("ENVBUREAU_SHARED_DIR", REPO_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared reference folder (``../shared``); tests marked ``real_data`` read from it."""
    return SHARED_DIR


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if (SHARED_DIR / "data").is_dir():
        return
    skip = pytest.mark.skip(reason=f"real data folder not found: {SHARED_DIR / 'data'}")
    for item in items:
        if "real_data" in item.keywords:
            item.add_marker(skip)
