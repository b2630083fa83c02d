"""Backup, restore and copy of the whole database in one portable file (docs/security.md).

A backup is a zip: ``manifest.json`` (format, Alembic revision, each table's columns and row
count) and one ``tables/<name>.jsonl`` per table, rows in primary-key order. The same file
restores into SQLite or PostgreSQL, which also gives ``db copy`` (SQLite → PostgreSQL).

- Consistent while the server runs: SQLite is first snapshotted with the online backup API
  (``sqlite3.Connection.backup``), PostgreSQL is read in one REPEATABLE READ, READ ONLY
  transaction.
- Restore is one transaction (schema brought to the backup's revision, rows inserted in
  foreign-key order, PostgreSQL sequences reset, then checked: revision, row count per table
  against the manifest, SQLite ``PRAGMA foreign_key_check`` and ``integrity_check``); any
  failure rolls everything back. It refuses a backup from a newer schema than this program
  knows, and a database that already holds rows unless ``force``.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import MetaData, Table, func, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from envbureau.core import migrate
from envbureau.core.clock import utc_now
from envbureau.core.db import WRITE, make_engine
from envbureau.core.errors import RuleViolation

FORMAT = "envbureau-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 2000
SKIPPED = {"alembic_version"}

#: ``progress(label, done, total)``, as ``cli_support.labelled_progress`` gives it.
Progress = Callable[[str, int, int], None]


def _quiet(_label: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class Manifest:
    revision: str
    dialect: str
    created_at: str
    tables: dict[str, int]
    columns: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": FORMAT_VERSION, **self.__dict__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise RuleViolation(
                f"不是本系统的备份文件，或备份格式版本 {data.get('version')} 无法识别",
                code="backup.format",
            )
        return cls(
            data["revision"], data["dialect"], data["created_at"], data["tables"], data["columns"]
        )


# --- values ---------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """A database value as JSON: times as ISO text, decimals as text, bytes as base64."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, timedelta):
        return value.total_seconds()
    raise TypeError(f"cannot store {type(value).__name__}")


def _decoder(column_type: sqltypes.TypeEngine[Any]) -> Callable[[Any], Any]:
    """How a JSON value goes back into a column of ``column_type``."""
    if isinstance(column_type, sqltypes.DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, sqltypes.Date):
        return date.fromisoformat
    if isinstance(column_type, sqltypes.Time):
        return time.fromisoformat
    if isinstance(column_type, sqltypes.Numeric) and not isinstance(column_type, sqltypes.Float):
        return lambda v: Decimal(str(v))
    if isinstance(column_type, sqltypes.LargeBinary):
        return base64.b64decode
    if isinstance(column_type, sqltypes.Interval):
        return lambda v: timedelta(seconds=v)
    return lambda v: v


def _reflect(connection: Connection) -> list[Table]:
    """The database's own tables in foreign-key order (parents first), Alembic's left out."""
    metadata = MetaData()
    metadata.reflect(connection)
    tables = [t for t in metadata.sorted_tables if t.name not in SKIPPED]
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, sqltypes.JSON):
                column.type.none_as_null = True  # a missing value stays SQL NULL
    return tables


def _ordered(table: Table) -> Any:
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows in each table, by name (what a backup's manifest records)."""
    return {
        t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
        for t in _reflect(connection)
    }


# --- backup ---------------------------------------------------------------------------------


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees one consistent state of ``engine``'s database."""
    if engine.dialect.name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="envbureau-backup-") as folder:
            copy = Path(folder) / "snapshot.db"
            raw = engine.raw_connection()
            try:
                target = sqlite3.connect(copy)
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
                target.close()
            finally:
                raw.close()
            snapshot = make_engine(f"sqlite:///{copy}")
            try:
                with snapshot.connect() as connection:
                    yield connection
            finally:
                snapshot.dispose()
        return
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def backup(engine: Engine, path: Path, progress: Progress = _quiet) -> Manifest:
    """Write the whole database to ``path`` (a zip); the file appears only once complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with _snapshot(engine) as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None:
            raise RuleViolation("数据库尚未建表，没有可备份的内容", code="backup.empty_schema")
        tables = _reflect(connection)
        totals = row_counts(connection)
        counts: dict[str, int] = {}
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                label = f"备份 {table.name}"
                progress(label, 0, totals[table.name])
                done = 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as out:
                    result = connection.execution_options(stream_results=True).execute(
                        _ordered(table)
                    )
                    for rows in result.partitions(BATCH):
                        for row in rows:
                            line = json.dumps(list(row), default=_encode, ensure_ascii=False)
                            out.write(line.encode("utf-8") + b"\n")
                        done += len(rows)
                        progress(label, done, totals[table.name])
                counts[table.name] = done
            manifest = Manifest(
                revision=revision,
                dialect=engine.dialect.name,
                created_at=utc_now().isoformat(timespec="seconds"),
                tables=counts,
                columns={t.name: [c.name for c in t.columns] for t in tables},
            )
            archive.writestr(MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False, indent=1))
    os.replace(partial, path)
    return manifest


# --- restore --------------------------------------------------------------------------------


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as archive:
            return Manifest.from_json(json.loads(archive.read(MANIFEST)))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise RuleViolation(
            f"“{path.name}”不是有效的备份文件：{exc}", code="backup.format"
        ) from exc


def _check_known(engine: Engine, revision: str) -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config(engine))
    try:
        known = scripts.get_revision(revision)
    except (RevisionError, CommandError):
        known = None
    if known is None:
        raise RuleViolation(
            f"备份来自更新的数据库版本 {revision}（本程序最新为 {scripts.get_current_head()}），"
            "请先升级 envbureau 再恢复",
            code="backup.newer_schema",
        )


def _seeded_counts(revision: str | None) -> dict[str, int]:
    """Rows the migrations themselves write up to ``revision`` (the roles): a database holding
    no more than these is still empty."""
    if revision is None:
        return {}
    with tempfile.TemporaryDirectory(prefix="envbureau-seed-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'seed.db'}")
        try:
            migrate.upgrade(engine, revision)
            with engine.connect() as connection:
                return row_counts(connection)
        finally:
            engine.dispose()


def _migrate_to(connection: Connection, engine: Engine, revision: str) -> None:
    """Bring the schema to ``revision`` inside the restore's own transaction."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current == revision:
        return
    config = migrate.alembic_config(engine)
    config.attributes["connection"] = connection
    if current is None:
        command.upgrade(config, revision)
        return
    scripts = ScriptDirectory.from_config(config)
    older = revision in {s.revision for s in scripts.iterate_revisions(current, "base")}
    (command.downgrade if older else command.upgrade)(config, revision)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL: each serial column's sequence continues after the restored rows."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": f'"{table.name}"', "c": column.name},
            ).scalar()
            if sequence is None:
                continue
            top = connection.execute(select(func.max(column))).scalar()
            connection.execute(
                text("SELECT setval(:s, :v, :called)"),
                {"s": sequence, "v": top or 1, "called": top is not None},
            )


def _check(connection: Connection, manifest: Manifest) -> None:
    """The restored database against the manifest; raises (and so rolls back) on a mismatch."""
    revision = MigrationContext.configure(connection).get_current_revision()
    counts = row_counts(connection)
    wrong = {
        name: (counts.get(name), expected)
        for name, expected in manifest.tables.items()
        if counts.get(name) != expected
    }
    problems = [f"{n}：恢复后 {got} 行，备份中 {want} 行" for n, (got, want) in wrong.items()]
    if revision != manifest.revision:
        problems.append(f"数据库版本 {revision}，备份为 {manifest.revision}")
    if connection.dialect.name == "sqlite":
        if connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
            problems.append("外键检查未通过（PRAGMA foreign_key_check）")
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        if integrity != "ok":
            problems.append(f"完整性检查未通过：{integrity}")
    if problems:
        raise RuleViolation(
            "恢复后的核对未通过，已全部撤销：" + "；".join(problems), code="backup.check_failed"
        )


def restore(
    engine: Engine, path: Path, *, force: bool = False, progress: Progress = _quiet
) -> Manifest:
    """Load the backup at ``path`` into ``engine``'s database, all or nothing, then check it."""
    manifest = read_manifest(path)
    _check_known(engine, manifest.revision)
    try:
        _restore(engine, path, manifest, force, progress)
    except (SQLAlchemyError, ValueError, KeyError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise RuleViolation(
            f"恢复失败，数据库未作任何更改：{reason}", code="backup.load_failed"
        ) from exc
    return manifest


def _restore(
    engine: Engine, path: Path, manifest: Manifest, force: bool, progress: Progress
) -> None:
    with zipfile.ZipFile(path) as archive, engine.execution_options(**WRITE).begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        current = MigrationContext.configure(connection).get_current_revision()
        seeded = _seeded_counts(current)
        filled = {n: c for n, c in row_counts(connection).items() if c > seeded.get(n, 0)}
        if filled and not force:
            listed = "、".join(f"{n}（{c} 行）" for n, c in list(filled.items())[:5])
            raise RuleViolation(
                f"目标数据库不是空库：{listed}；确认覆盖请加 --force",
                code="backup.target_not_empty",
            )
        _migrate_to(connection, engine, manifest.revision)
        tables = {t.name: t for t in _reflect(connection)}
        for table in reversed(tables.values()):  # the backup holds the seeded rows too
            connection.execute(table.delete())
        for name in [t for t in tables if t in manifest.tables]:
            _load_table(connection, archive, tables[name], manifest, progress)
        missing = sorted(set(manifest.tables) - set(tables))
        if missing:
            raise RuleViolation(f"目标数据库缺少表：{'、'.join(missing)}", code="backup.schema")
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, list(tables.values()))
        _check(connection, manifest)


def _load_table(
    connection: Connection,
    archive: zipfile.ZipFile,
    table: Table,
    manifest: Manifest,
    progress: Progress,
) -> None:
    names = manifest.columns[table.name]
    unknown = [n for n in names if n not in table.columns]
    if unknown:
        raise RuleViolation(
            f"表 {table.name} 没有备份中的列：{'、'.join(unknown)}", code="backup.schema"
        )
    decoders = [_decoder(table.columns[n].type) for n in names]
    label, total, done = f"恢复 {table.name}", manifest.tables[table.name], 0
    progress(label, 0, total)
    batch: list[dict[str, Any]] = []
    with archive.open(f"tables/{table.name}.jsonl") as lines:
        rows: Iterable[list[Any]] = (json.loads(line) for line in lines)
        links = [
            (names.index(fk.parent.name), names.index(fk.column.name))
            for fk in table.foreign_keys
            if fk.column.table is table
        ]
        if links:
            rows = _parents_first(list(rows), links)
        for values in rows:
            batch.append(
                {
                    n: None if v is None else d(v)
                    for n, v, d in zip(names, values, decoders, strict=True)
                }
            )
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                done += len(batch)
                batch = []
                progress(label, done, total)
    if batch:
        connection.execute(table.insert(), batch)
        done += len(batch)
    progress(label, done, total)


def _parents_first(rows: list[list[Any]], links: list[tuple[int, int]]) -> list[list[Any]]:
    """Rows of a table that refers to itself (areas, org units), each after its parent.

    ``links`` pairs the position of a referring column with the position of the key it refers
    to; rows whose parent never comes (a cycle, a missing parent) go last, for the database to
    refuse with its own message."""
    placed: list[set[Any]] = [set() for _ in links]
    present = [{r[key] for r in rows} for _, key in links]
    ordered: list[list[Any]] = []
    waiting = rows
    while waiting:
        ready: list[list[Any]] = []
        later: list[list[Any]] = []
        for row in waiting:
            free = all(
                row[ref] is None or row[ref] in placed[i] or row[ref] not in present[i]
                for i, (ref, _) in enumerate(links)
            )
            (ready if free else later).append(row)
        if not ready:
            ordered += later
            break
        for row in ready:
            for i, (_, key) in enumerate(links):
                placed[i].add(row[key])
        ordered += ready
        waiting = later
    return ordered


# --- copy -----------------------------------------------------------------------------------


def copy(source: Engine, target: Engine, progress: Progress = _quiet) -> Manifest:
    """Every row of ``source`` into the empty database ``target``, schema at the same revision."""
    if source.url == target.url:
        raise RuleViolation("目标数据库与当前数据库相同", code="backup.same_database")
    current = migrate.current_revision(source)
    head = migrate.head_revision(source)
    if current != head:
        raise RuleViolation(
            f"当前数据库版本 {current} 不是最新版本 {head}，请先执行 envbureau db upgrade",
            code="backup.source_not_head",
        )
    with tempfile.TemporaryDirectory(prefix="envbureau-copy-") as folder:
        dump = Path(folder) / "copy.zip"
        backup(source, dump, progress)
        return restore(target, dump, progress=progress)
