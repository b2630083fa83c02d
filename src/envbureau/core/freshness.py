"""The data version: one key that changes whenever data any figure is computed from change.

Each domain names, in its manifest, a function giving what changes with its data (the latest
row ids and creation times, counts); the platform adds the import records and the database it
reads. A stored indicator value records the version it was computed from, and page caches key
on it, so new data make them stale at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Hashable
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from envbureau.core.domain import load_target
from envbureau.core.importing.models import ImportRecord

#: ``session.info`` keys: a session that only reads (a GET request) works its version out once.
READS_ONLY = "envbureau.reads_only"
_VERSION = "envbureau.data_version"


log = logging.getLogger(__name__)


class WriteInReadOnlySession(RuntimeError):
    """A session marked read-only (a GET request) tried to write: a bug, refused (docs/web.md:
    GET requests never write)."""


def mark_reads_only(session: Session) -> None:
    """Say that ``session`` writes nothing, so its data version cannot change while it lives
    and is worked out once (a page asks for it for every figure and every cached part).

    The promise is enforced: a flush with changes, or an INSERT/UPDATE/DELETE statement, in such
    a session is logged and refused with ``WriteInReadOnlySession``; a re-computation to show
    uses ``indicators.service.current``, which stores nothing."""
    session.info[READS_ONLY] = True
    if not event.contains(session, "before_flush", _refuse_flush):
        event.listen(session, "before_flush", _refuse_flush)
        event.listen(session, "do_orm_execute", _refuse_statement)


def _refuse(session: Session, what: str) -> None:
    log.error("只读会话试图写入：%s", what)
    raise WriteInReadOnlySession(f"只读请求试图写入数据：{what}")


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = [
        *session.new,
        *session.deleted,
        *(o for o in session.dirty if session.is_modified(o)),
    ]
    if changed and session.info.get(READS_ONLY):
        _refuse(session, ", ".join(sorted({type(o).__name__ for o in changed})))


def _refuse_statement(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and state.session.info.get(
        READS_ONLY
    ):
        _refuse(state.session, str(state.statement).split("\n", 1)[0][:120])


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
