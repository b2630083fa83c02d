"""The data version: one key that changes whenever data any figure is computed from change.

Each domain names, in its manifest, a function giving what changes with its data (the latest
row ids and creation times, counts); the platform adds the import records and the database it
reads. A stored indicator value records the version it was computed from, and page caches key
on it, so new data make them stale at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.domain import load_target
from envbureau.core.importing.models import ImportRecord

#: ``session.info`` keys: a session that only reads (a GET request) works its version out once.
READS_ONLY = "envbureau.reads_only"
_VERSION = "envbureau.data_version"


def mark_reads_only(session: Session) -> None:
    """Say that ``session`` writes nothing, so its data version cannot change while it lives
    and is worked out once (a page asks for it for every figure and every cached part)."""
    session.info[READS_ONLY] = True


def data_version(session: Session) -> tuple[Hashable, ...]:
    """Every domain's version parts, the latest import and the database's address."""
    known: tuple[Hashable, ...] | None = session.info.get(_VERSION)
    if known is not None:
        return known
    version = _read_version(session)
    if session.info.get(READS_ONLY):
        session.info[_VERSION] = version
    return version


def _read_version(session: Session) -> tuple[Hashable, ...]:
    from envbureau.domains import manifests  # the registry imports domain manifests

    bind = session.get_bind()
    parts: list[Hashable] = [str(bind.engine.url)]  # an Engine is its own .engine
    for manifest in manifests():
        for target in manifest.data_versions:
            parts += [manifest.name, *load_target(target)(session)]
    parts.append(str(session.scalar(select(func.max(ImportRecord.id)))))
    return tuple(parts)


def data_version_key(session: Session) -> str:
    """``data_version`` as a short stable text, for storing beside a computed value."""
    text = "|".join(str(part) for part in data_version(session)[1:])
    return hashlib.sha256(text.encode()).hexdigest()[:16]
