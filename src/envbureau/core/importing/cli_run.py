"""Imports from the command line: read and check outside the write lock, refuse a busy database
in Chinese (issue 11: two CLI imports at once).

Each file is one ``sessions.import_session``: read and checked in a reading transaction, written
in one transaction begun just before the first write. On SQLite a second import started while
another writes waits for it (the busy timeout); if the lock is not released in that time it
stops with ``import.database_busy`` — a Chinese message naming the file, never a traceback —
and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from envbureau.core.cli_support import engine_or_exit, print_outcome, progress_bar
from envbureau.core.importing.runner import Importer, ImportOutcome, import_file
from envbureau.core.importing.sessions import import_session

__all__ = ["import_session", "run_file_import"]


def run_file_import(
    importer: Importer, path: Path, *, dry_run: bool, actor: str = "cli"
) -> ImportOutcome:
    """Import one file in its own unit of work and print what it changed (or would change)."""
    engine = engine_or_exit()
    with import_session(engine, path.name) as session, progress_bar(f"导入 {path.name}") as update:
        outcome = import_file(
            session, importer, path, actor=actor, dry_run=dry_run, progress=update
        )
    print_outcome(outcome)
    return outcome
