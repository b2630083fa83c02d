"""``envbureau db backup / restore / copy``: the demo city out to one file and back, row for row.

Runs on the suite's database (SQLite or PostgreSQL); the copy test moves a SQLite database
into an empty PostgreSQL one when a PostgreSQL server is given.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import Engine

from envbureau.core import migrate
from envbureau.core.backup import read_manifest, row_counts
from envbureau.core.db import WRITE, make_engine
from factories.demo import Invoke, invoker


@pytest.fixture
def engines() -> Iterator[list[Engine]]:
    made: list[Engine] = []
    yield made
    for engine in made:
        engine.dispose()


def open_engine(url: str, engines: list[Engine]) -> Engine:
    engine = make_engine(url)
    engines.append(engine)
    return engine


def run(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    return invoker(url, folder, monkeypatch)


def every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows in primary-key order (Alembic's own table left out)."""
    metadata = MetaData()
    with engine.connect() as connection:
        metadata.reflect(connection)
        out = {}
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            keys = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*keys)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


@pytest.fixture(scope="module")
def demo_backup(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("backup")
    with pytest.MonkeyPatch.context() as monkeypatch:
        result = run(demo_database_url, folder, monkeypatch)("db", "backup", "demo.zip")
    assert result.exit_code == 0, result.output
    assert "已备份到 demo.zip" in result.output
    yield folder / "demo.zip"


def test_backup_manifest_counts_every_table(demo_backup: Path, demo_database_url: str) -> None:
    manifest = read_manifest(demo_backup)
    engine = make_engine(demo_database_url)
    try:
        with engine.connect() as connection:
            counts = row_counts(connection)
        assert manifest.revision == migrate.current_revision(engine)
    finally:
        engine.dispose()
    assert manifest.tables == counts
    assert sum(counts.values()) > 1000  # the demo city, not an empty schema
    with zipfile.ZipFile(demo_backup) as archive:
        names = set(archive.namelist())
    assert names == {"manifest.json", *(f"tables/{t}.jsonl" for t in counts)}


def test_restore_into_empty_database_gives_every_row_back(
    demo_backup: Path,
    demo_database_url: str,
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engines: list[Engine],
) -> None:
    invoke = run(fresh_database_url, tmp_path, monkeypatch)
    result = invoke("db", "restore", str(demo_backup))
    assert result.exit_code == 0, result.output
    assert "已恢复并核对" in result.output
    source = open_engine(demo_database_url, engines)
    target = open_engine(fresh_database_url, engines)
    assert migrate.current_revision(target) == migrate.current_revision(source)
    assert every_row(target) == every_row(source)

    again = invoke("db", "restore", str(demo_backup))
    assert again.exit_code == 2
    assert "目标数据库不是空库" in again.output and "backup.target_not_empty" in again.output
    forced = invoke("db", "restore", str(demo_backup), "--force")
    assert forced.exit_code == 0, forced.output
    assert every_row(target) == every_row(source)


def rewrite(source: Path, out: Path, change: Any) -> Path:
    """A slim copy of the backup at ``source`` with ``change(manifest, files)`` applied."""
    with zipfile.ZipFile(source) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    for big in ("air_observations",):  # the checks below need no 300,000 hourly rows
        del manifest["tables"][big], manifest["columns"][big], files[f"tables/{big}.jsonl"]
    change(manifest, files)
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out


def nothing_written(url: str, engines: list[Engine]) -> None:
    engine = open_engine(url, engines)
    assert migrate.current_revision(engine) is None
    with engine.connect() as connection:
        assert row_counts(connection) == {}


def test_restore_refuses_a_newer_schema(
    demo_backup: Path,
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engines: list[Engine],
) -> None:
    newer = rewrite(demo_backup, tmp_path / "newer.zip", lambda m, f: m.update(revision="9999"))
    result = run(fresh_database_url, tmp_path, monkeypatch)("db", "restore", str(newer))
    assert result.exit_code == 2
    assert "备份来自更新的数据库版本 9999" in result.output
    assert "backup.newer_schema" in result.output
    nothing_written(fresh_database_url, engines)


def test_restore_is_all_or_nothing_when_a_count_is_wrong(
    demo_backup: Path,
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engines: list[Engine],
) -> None:
    def miscount(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
        manifest["tables"]["areas"] += 1

    broken = rewrite(demo_backup, tmp_path / "broken.zip", miscount)
    result = run(fresh_database_url, tmp_path, monkeypatch)("db", "restore", str(broken))
    assert result.exit_code == 2
    assert "恢复后的核对未通过" in result.output and "backup.check_failed" in result.output
    nothing_written(fresh_database_url, engines)


def test_restore_is_all_or_nothing_when_a_row_breaks_a_key(
    demo_backup: Path,
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engines: list[Engine],
) -> None:
    def duplicate_a_record(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
        lines = files["tables/work_records.jsonl"].splitlines(keepends=True)
        files["tables/work_records.jsonl"] = b"".join([*lines, lines[-1]])
        manifest["tables"]["work_records"] += 1

    broken = rewrite(demo_backup, tmp_path / "dup.zip", duplicate_a_record)
    result = run(fresh_database_url, tmp_path, monkeypatch)("db", "restore", str(broken))
    assert result.exit_code == 2, result.output
    assert "恢复失败，数据库未作任何更改" in result.output
    assert "Traceback" not in result.output
    nothing_written(fresh_database_url, engines)


def test_restore_refuses_a_file_that_is_not_a_backup(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    result = run(fresh_database_url, tmp_path, monkeypatch)("db", "restore", "x.zip")
    assert result.exit_code == 2
    assert "不是有效的备份文件" in result.output and "backup.format" in result.output


def test_sqlite_backup_while_a_writer_holds_its_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engines: list[Engine]
) -> None:
    """The online backup API reads a snapshot: an open write transaction neither blocks it
    nor leaks into it."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = open_engine(url, engines)
    migrate.upgrade(engine)
    with engine.execution_options(**WRITE).connect() as writer:
        writer.begin()  # BEGIN IMMEDIATE: the write lock is held until the rollback
        writer.execute(
            text("INSERT INTO areas (code, name, level) VALUES ('990100', '甲市', 'city')")
        )
        result = run(url, tmp_path, monkeypatch)("db", "backup", "live.zip")
        writer.rollback()
    assert result.exit_code == 0, result.output
    assert read_manifest(tmp_path / "live.zip").tables["areas"] == 0


def test_copy_sqlite_into_empty_postgresql(
    demo_backup: Path,
    postgres_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engines: list[Engine],
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'city.db'}"
    restored = run(sqlite_url, tmp_path, monkeypatch)("db", "restore", str(demo_backup))
    assert restored.exit_code == 0, restored.output
    copied = run(sqlite_url, tmp_path, monkeypatch)("db", "copy", "--to", postgres_database_url)
    assert copied.exit_code == 0, copied.output
    assert "已复制到 postgresql" in copied.output
    source = open_engine(sqlite_url, engines)
    target = open_engine(postgres_database_url, engines)
    assert migrate.current_revision(target) == migrate.head_revision(target)
    assert every_row(target) == every_row(source)
    checked = 0
    with target.connect() as connection:
        # every serial column continues after the copied rows: a new row gets a fresh id
        with_id = set(
            connection.execute(
                text(
                    "SELECT table_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_name = 'id'"
                )
            ).scalars()
        )
        for name, rows in every_row(source).items():
            if name not in with_id:
                continue
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}
            ).scalar()
            if sequence is None or not rows:
                continue
            last = connection.execute(text(f"SELECT last_value FROM {sequence}")).scalar()
            assert last == connection.execute(text(f"SELECT max(id) FROM {name}")).scalar()
            checked += 1
    assert checked >= 5

    again = run(sqlite_url, tmp_path, monkeypatch)("db", "copy", "--to", postgres_database_url)
    assert again.exit_code == 2 and "目标数据库不是空库" in again.output
