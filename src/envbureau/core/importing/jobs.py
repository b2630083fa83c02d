"""Checks and imports as jobs out of the request (issue 11), with progress and a kept result.

A job reads its file (kept under its SHA-256 by ``service.save_upload``) on a worker thread of
the server process. It reads and checks in a reading transaction, which never holds the SQLite
write lock; a dry run ends there (its counts are read, ``runner.PREVIEW``). An import then
begins its one writing transaction just before the first write (``runner.BEFORE_WRITE``).
Progress lives in memory while the job runs (a writing transaction must not wait on a progress
row); the status, the result (the outcome, or every error with file, row, column and rule) and
the finishing time are written when the job finishes. A job left queued or running by a process
of this host that is gone is reported failed when read, and marked failed when the next job is
created.

When the caller's session is joined to an outer connection's transaction (a test, an embedding
caller), the job runs at once in that session: a transaction cannot be handed to another thread.
"""

from __future__ import annotations

import logging
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from envbureau.core.db import fits_integer_key, session_factory, session_scope, utcnow
from envbureau.core.errors import DomainError, ErrorDetail, NotFound
from envbureau.core.importing import limits as import_limits
from envbureau.core.importing import service
from envbureau.core.importing.kinds import ImportKind
from envbureau.core.importing.models import ImportJob
from envbureau.core.importing.runner import (
    BEFORE_WRITE,
    PROGRESS,
    ImportOutcome,
    begin_writing,
    database_busy,
)
from envbureau.core.permissions import Staff

log = logging.getLogger(__name__)

#: Errors and warnings kept in a job's result (a file is refused whole; the rest is counted).
MAX_LISTED = 1000
WORKERS = 2
_pool: ThreadPoolExecutor | None = None
_pool_lock = Lock()
_live: dict[int, tuple[int, int]] = {}


def owner() -> str:
    """This process, as a job's ``owner`` names it."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class JobContext:
    """Where a job finds its database, file, limits and user."""

    engine: Engine
    uploads: Path
    limits: import_limits.Limits
    staff: Staff
    kind: ImportKind


def create(
    session: Session, *, kind: ImportKind, sha256: str, file_name: str, staff: Staff, dry_run: bool
) -> ImportJob:
    """A queued job (written in the caller's transaction; ``start`` it after the commit)."""
    recover(session)
    job = ImportJob(
        kind=kind.key,
        content_sha256=sha256,
        file_name=file_name,
        actor=staff.username,
        dry_run=dry_run,
        status="queued",
        done=0,
        total=0,
        owner=owner(),
    )
    session.add(job)
    session.flush()
    return job


def joined(session: Session) -> bool:
    """True when the session works inside a transaction its caller owns (module docstring)."""
    return isinstance(session.get_bind(), Connection)


def start(job_id: int, context: JobContext) -> None:
    """Run the job on the server's worker threads."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="import-job")
        _pool.submit(_run_owned, job_id, context)


def run_here(session: Session, job_id: int, context: JobContext) -> None:
    """Run the job at once in ``session`` (a joined session, module docstring)."""
    job = _job(session, job_id)
    job.status = "running"
    session.flush()
    try:
        result, ok = _execute(session, job, context, owned=False)
        _finish(job, result, ok)
    finally:
        _live.pop(job_id, None)
    session.flush()


def _run_owned(job_id: int, context: JobContext) -> None:
    try:
        with session_scope(context.engine) as session:
            job = _job(session, job_id)
            job.status, job.owner = "running", owner()
            snapshot = (job.kind, job.content_sha256, job.file_name, job.dry_run)
        reading = session_factory(context.engine)()
        detached = ImportJob(
            id=job_id,
            kind=snapshot[0],
            content_sha256=snapshot[1],
            file_name=snapshot[2],
            dry_run=snapshot[3],
        )
        try:
            result, ok = _execute(reading, detached, context, owned=True)
        finally:
            reading.close()
        with session_scope(context.engine) as session:
            _finish(_job(session, job_id), result, ok)
    except Exception:  # the job's own bookkeeping failed: say so on its row if possible
        log.exception("import job %s failed", job_id)
        with session_scope(context.engine) as session:
            failed = [_detail((), "import.job_crashed", "导入任务出现内部错误，未写入任何数据")]
            _finish(_job(session, job_id), {"errors": failed}, ok=False)
    finally:
        _live.pop(job_id, None)


def _execute(
    session: Session, job: ImportJob, context: JobContext, *, owned: bool
) -> tuple[dict[str, Any], bool]:
    """Check (and import) the job's file; the result payload and whether it passed."""
    job_id = job.id
    _live[job_id] = (0, 0)
    session.info[PROGRESS] = lambda done, total: _live.__setitem__(job_id, (done, total))
    if owned:
        session.info[BEFORE_WRITE] = begin_writing
    try:
        with import_limits.using(context.limits):
            data = service.load_upload(context.uploads, job.content_sha256)
            outcome, warnings = context.kind.run(
                session, context.staff, data, job.file_name, job.dry_run
            )
        if owned:
            session.commit()
    except DomainError as exc:
        _rollback(session, owned)
        service.discard_upload(context.uploads, job.content_sha256)
        return {"errors": [d.as_dict() for d in exc.details[:MAX_LISTED]], "more": 0}, False
    except OperationalError as exc:
        _rollback(session, owned)
        if "locked" not in str(exc):
            raise
        return {"errors": [database_busy(job.file_name).details[0].as_dict()]}, False
    finally:
        session.info.pop(PROGRESS, None)
        session.info.pop(BEFORE_WRITE, None)
    return outcome_payload(outcome, warnings), True


def _rollback(session: Session, owned: bool) -> None:
    if owned:
        session.rollback()


def _detail(loc: tuple[str | int, ...], code: str, msg: str) -> dict[str, object]:
    return ErrorDetail(loc, code, msg).as_dict()


def outcome_payload(outcome: ImportOutcome, warnings: list[ErrorDetail]) -> dict[str, Any]:
    earlier = outcome.already_imported
    r = outcome.result
    return {
        "outcome": {
            "file_name": outcome.file_name,
            "rows": outcome.rows,
            "dry_run": outcome.dry_run,
            "created": r.created,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "changed": outcome.changed,
            "record_id": outcome.record_id,
            "already_imported": None
            if earlier is None
            else {"id": earlier.id, "actor": earlier.actor, "at": earlier.at.isoformat()},
        },
        "warnings": [w.as_dict() for w in warnings[:MAX_LISTED]],
        "more_warnings": max(len(warnings) - MAX_LISTED, 0),
    }


def _finish(job: ImportJob, result: dict[str, Any], ok: bool) -> None:
    job.status = "done" if ok else "failed"
    job.result = result
    job.finished_at = utcnow()
    done, total = _live.get(job.id, (job.done, job.total))
    job.done, job.total = done, total


def _job(session: Session, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound("导入任务不存在", code="import.job_unknown", loc=("job",))
    return job


# --- reading a job ---------------------------------------------------------------------------


def get(session: Session, job_id: int, staff: Staff) -> ImportJob:
    """The job, for the user who started it only."""
    job = session.get(ImportJob, job_id) if fits_integer_key(job_id) else None
    if job is None or job.actor != staff.username:
        raise NotFound("导入任务不存在", code="import.job_unknown", loc=("job",))
    return job


def status_of(job: ImportJob) -> str:
    """The job's status, a job whose process is gone being failed (module docstring)."""
    if job.status in ("queued", "running") and _orphaned(job.owner):
        return "failed"
    return job.status


def progress_of(job: ImportJob) -> tuple[int, int]:
    return _live.get(job.id, (job.done, job.total))


def _orphaned(owner_name: str) -> bool:
    host, _, pid = owner_name.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's job: only its own processes can tell
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


ORPHANED = [
    _detail((), "import.job_orphaned", "处理该任务的服务进程已退出，任务未完成，未写入任何数据")
]


def recover(session: Session) -> int:
    """Mark failed the unfinished jobs of this host's processes that are gone."""
    stale = session.scalars(select(ImportJob).where(ImportJob.status.in_(("queued", "running"))))
    count = 0
    for job in stale:
        if _orphaned(job.owner):
            _finish(job, {"errors": ORPHANED}, ok=False)
            count += 1
    return count


def result_of(job: ImportJob) -> dict[str, Any]:
    if status_of(job) == "failed" and job.status != "failed":
        return {"errors": ORPHANED}
    return job.result or {}


def on_start(engine: Engine, uploads: Path, retention_hours: int) -> None:
    """At server start: kept uploads past their retention removed, orphaned jobs failed."""
    service.remove_old_uploads(uploads, retention_hours)
    with session_scope(engine) as session:
        recover(session)
