"""Imports out of the request (issue 11): jobs, no write lock while checking, busy databases,
orphaned jobs, kept uploads cleaned up.

These tests commit, so each runs on its own fresh database (SQLite or PostgreSQL, as the suite).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from envbureau.core import db, migrate
from envbureau.core.areas.models import Area
from envbureau.core.db import make_engine, session_scope
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing import jobs, service
from envbureau.core.importing.kinds import ImportKind, kinds
from envbureau.core.importing.limits import Limits
from envbureau.core.importing.models import ImportJob, ImportRecord
from envbureau.core.importing.runner import ImportOutcome
from envbureau.core.permissions import Staff
from envbureau.domains import office_domains
from factories.demo import Invoke

AREAS = (
    "区划代码,名称,级别,类型,上级代码\n"
    "990100,示范市,市,地级市,\n"
    "990102,清江区,区县,区,990100\n"
    "990103,东湖区,区县,区,990100\n"
).encode()
ADMIN = Staff(
    user_id=1,
    username="job-admin",
    display_name="管理员",
    role="admin",
    area_code=None,
    scope=None,
    domains=frozenset(office_domains()),
)


@pytest.fixture
def engine(fresh_database_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine, write=False) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _job(engine: Engine, tmp_path: Path, data: bytes, *, dry_run: bool, kind: ImportKind) -> int:
    uploads = tmp_path / "uploads"
    digest = service.save_upload(uploads, data)
    with session_scope(engine) as session:
        job = jobs.create(
            session, kind=kind, sha256=digest, file_name="区划.csv", staff=ADMIN, dry_run=dry_run
        )
        job_id = job.id
    context = jobs.JobContext(engine, uploads, Limits(), ADMIN, kind)
    jobs._run_owned(job_id, context)  # what the worker thread runs
    return job_id


def _read(engine: Engine, job_id: int) -> ImportJob:
    with session_scope(engine, write=False) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        return job


def test_a_dry_run_job_counts_without_writing_and_the_import_job_writes_once(
    engine: Engine, tmp_path: Path
) -> None:
    kind = kinds()["areas"]
    checked = _read(engine, _job(engine, tmp_path, AREAS, dry_run=True, kind=kind))
    assert checked.status == "done" and checked.finished_at is not None
    assert checked.result is not None
    outcome = checked.result["outcome"]
    assert (outcome["dry_run"], outcome["rows"], outcome["created"]) == (True, 3, 3)
    assert _count(engine, Area) == 0 and _count(engine, ImportRecord) == 0
    assert (checked.done, checked.total) == (3, 3)

    done = _read(engine, _job(engine, tmp_path, AREAS, dry_run=False, kind=kind))
    assert done.status == "done" and done.result is not None
    assert (done.result["outcome"]["created"], done.result["outcome"]["changed"]) == (3, True)
    assert _count(engine, Area) == 3 and _count(engine, ImportRecord) == 1
    again = _read(engine, _job(engine, tmp_path, AREAS, dry_run=False, kind=kind))
    assert again.result is not None and again.result["outcome"]["unchanged"] == 3
    assert _count(engine, ImportRecord) == 1


def test_a_failed_check_lists_file_row_column_rule_and_its_upload_is_removed(
    engine: Engine, tmp_path: Path
) -> None:
    bad = AREAS.replace(b"990103,", b"99010X,")
    job = _read(engine, _job(engine, tmp_path, bad, dry_run=True, kind=kinds()["areas"]))
    assert job.status == "failed" and job.result is not None
    first = job.result["errors"][0]
    assert first["loc"][:3] == ["区划.csv", 4, "区划代码"] and first["value"] == "99010X"
    assert not (tmp_path / "uploads" / job.content_sha256).exists()
    assert _count(engine, Area) == 0


def _foreign_write(engine: Engine) -> None:
    """Another writer, not willing to wait: fails at once if someone holds the write lock."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=0")
            connection.commit()
            with connection.execution_options(**db.WRITE).begin() as transaction:
                transaction.rollback()  # BEGIN IMMEDIATE went through: nobody held the lock
    else:
        with engine.connect() as connection:
            connection.execute(text("SET lock_timeout = '100ms'"))
            connection.execute(text("LOCK TABLE areas IN EXCLUSIVE MODE"))
            connection.rollback()


def test_checking_holds_no_write_lock(engine: Engine, tmp_path: Path) -> None:
    """While the dry run's transaction is still open, another writer gets the lock at once."""
    inner = kinds()["areas"]
    seen: list[str] = []

    def run(
        session: Session, staff: Staff, data: bytes, name: str, dry_run: bool
    ) -> tuple[ImportOutcome, list[ErrorDetail]]:
        answer = inner.run(session, staff, data, name, dry_run)
        _foreign_write(engine)  # the job's reading transaction is still open here
        seen.append("written")
        return answer

    job = _read(engine, _job(engine, tmp_path, AREAS, dry_run=True, kind=replace(inner, run=run)))
    assert seen == ["written"] and job.status == "done", job.result


def test_a_job_left_running_by_a_dead_process_is_failed(engine: Engine) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with session_scope(engine) as session:
        orphan = ImportJob(
            kind="areas",
            content_sha256="0" * 64,
            file_name="x.csv",
            actor="job-admin",
            dry_run=True,
            status="running",
            done=0,
            total=0,
            owner=f"{socket.gethostname()}:{child.pid}",
        )
        session.add(orphan)
        session.flush()
        orphan_id = orphan.id
    read = _read(engine, orphan_id)
    assert jobs.status_of(read) == "failed"
    assert jobs.result_of(read)["errors"][0]["code"] == "import.job_orphaned"
    with session_scope(engine) as session:
        assert jobs.recover(session) == 1
    assert _read(engine, orphan_id).status == "failed"


def test_kept_uploads_older_than_the_retention_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    old = service.save_upload(folder, b"old file")
    part = folder / ".abc.part"
    part.write_bytes(b"x")
    stranger = folder / "notes.txt"
    stranger.write_bytes(b"not an upload")
    day_ago = time.time() - 25 * 3600
    for path in (folder / old, part, stranger):
        os.utime(path, (day_ago, day_ago))
    new = service.save_upload(folder, b"new file", retention_hours=24)
    assert sorted(p.name for p in folder.iterdir()) == sorted([new, "notes.txt"])


def test_an_upload_sent_again_is_kept_from_then_on(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    digest = service.save_upload(folder, b"same")
    day_ago = time.time() - 25 * 3600
    os.utime(folder / digest, (day_ago, day_ago))
    assert service.save_upload(folder, b"same", retention_hours=24) == digest
    assert (folder / digest).is_file()


# --- two imports from the command line at once ------------------------------------------------


def test_a_cli_import_while_another_writes_checks_freely_then_stops_in_chinese(
    envbureau: Invoke,
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not fresh_database_url.startswith("sqlite"):
        pytest.skip("the database-wide write lock is SQLite's; PostgreSQL locks rows")
    engine = make_engine(fresh_database_url)
    migrate.upgrade(engine)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "区划.csv"
    path.write_bytes(AREAS)
    with engine.connect() as other:  # another import holding the write lock
        holding = other.execution_options(**db.WRITE).begin()  # BEGIN IMMEDIATE
        checked = envbureau("areas", "import", str(path), "--dry-run")
        refused = envbureau("areas", "import", str(path))
        holding.rollback()
    assert checked.exit_code == 0, checked.output
    assert "试导入（未写入）：区划.csv，3 行 —— 新增 3" in checked.output
    assert refused.exit_code == 2, refused.output
    assert "数据库正被另一个导入或写入占用" in refused.output
    assert "import.database_busy" in refused.output and "Traceback" not in refused.output
    done = envbureau("areas", "import", str(path))
    assert done.exit_code == 0 and "新增 3" in done.output
    engine.dispose()


def test_server_start_removes_old_uploads_and_fails_orphaned_jobs(
    engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"
    digest = service.save_upload(folder, b"left over")
    day_ago = time.time() - 49 * 3600
    os.utime(folder / digest, (day_ago, day_ago))
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with session_scope(engine) as session:
        session.add(
            ImportJob(
                kind="areas",
                content_sha256=digest,
                file_name="x.csv",
                actor="job-admin",
                dry_run=False,
                status="queued",
                done=0,
                total=0,
                owner=f"{socket.gethostname()}:{child.pid}",
            )
        )
    jobs.on_start(engine, folder, 48)
    assert not (folder / digest).exists()
    with session_scope(engine, write=False) as session:
        assert session.scalars(select(ImportJob.status)).all() == ["failed"]
