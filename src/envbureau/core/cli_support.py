"""What every command shares: settings and engine, one error style, progress bars, imports.

Every command imports this module, so it imports nothing heavy at the top: the import
machinery (pandas) and the progress bars load inside the functions that use them, which keeps
``envbureau users list`` and ``envbureau --help`` under half a second.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from envbureau.core.config import Settings, get_settings
from envbureau.core.errors import DomainError

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlalchemy.engine import Engine

    from envbureau.core.importing.runner import Importer, ImportOutcome

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        err_console.print("[bold red]配置错误[/]（ENVBUREAU_* 环境变量或 .env）：")
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "settings"
            err_console.print(f"  - ENVBUREAU_{field.upper()}: {error['msg']}")
        raise typer.Exit(EXIT_USER_ERROR) from None


def engine_or_exit(settings: Settings | None = None) -> Engine:
    """The configured engine, after checking the database answers."""
    from envbureau.core.db import check_connection, make_engine

    settings = settings or settings_or_exit()
    engine = make_engine(settings.database_url)
    check_connection(engine)
    return engine


def reports_errors(func: F) -> F:
    """Turn a ``DomainError`` into its Chinese message and a non-zero exit, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            err_console.print(
                f"[bold red]错误[/] {escape(exc.render())}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _progress() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not sys.stderr.isatty(),
    )


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar fed by ``callback(done, total)``; silent when not on a terminal."""
    with _progress() as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


@contextmanager
def labelled_progress() -> Iterator[Callable[[str, int, int], None]]:
    """One bar per step, fed by ``callback(label, done, total)`` (for multi-step jobs)."""
    with _progress() as progress:
        tasks: dict[str, Any] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        yield update


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def run_file_import(
    importer: Importer, path: Path, *, dry_run: bool, actor: str = "cli"
) -> ImportOutcome:
    """Import one file in its own transaction and print what it changed (or would change)."""
    from envbureau.core.db import session_scope
    from envbureau.core.importing.runner import import_file

    engine = engine_or_exit()
    with session_scope(engine) as session, progress_bar(f"导入 {path.name}") as update:
        outcome = import_file(
            session, importer, path, actor=actor, dry_run=dry_run, progress=update
        )
    print_outcome(outcome)
    return outcome


def print_outcome(outcome: ImportOutcome) -> None:
    r = outcome.result
    head = "试导入（未写入）" if outcome.dry_run else "导入完成"
    console.print(
        f"{head}：{outcome.file_name}，{outcome.rows} 行 —— 新增 {r.created}，"
        f"更新 {r.updated}，未变 {r.unchanged}"
    )
    if not outcome.dry_run and not outcome.changed:
        console.print("内容与数据库一致，未作任何更改。")
