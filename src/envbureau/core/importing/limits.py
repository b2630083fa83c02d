"""How large a file an import may read (issue 11: bounded uploads), from the settings.

``import_max_rows`` data rows, ``import_max_columns`` columns, ``import_max_xlsx_bytes``
uncompressed bytes of an XLSX. The readers decide while reading: a file over a limit is
refused as soon as the limit is passed, never parsed whole first. A job or a command runs
under its settings' limits (``using``); elsewhere the process settings apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from envbureau.core.errors import RuleViolation

#: Excel's own limit of characters in one cell; a longer cell is not a spreadsheet's.
MAX_CELL_CHARS = 32_767


@dataclass(frozen=True)
class Limits:
    max_rows: int = 1_000_000
    max_columns: int = 200
    max_xlsx_bytes: int = 256 * 1024 * 1024

    @classmethod
    def of(cls, settings: object) -> Limits:
        return cls(
            max_rows=getattr(settings, "import_max_rows", cls.max_rows),
            max_columns=getattr(settings, "import_max_columns", cls.max_columns),
            max_xlsx_bytes=getattr(settings, "import_max_xlsx_bytes", cls.max_xlsx_bytes),
        )


_current: ContextVar[Limits | None] = ContextVar("import_limits", default=None)


def current() -> Limits:
    """The limits in force: those of ``using``, else the process settings'."""
    chosen = _current.get()
    if chosen is not None:
        return chosen
    from envbureau.core.config import get_settings

    try:
        return Limits.of(get_settings())
    except Exception:  # settings not valid here (a test, a tool): the documented defaults
        return Limits()


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def too_many_rows(file_name: str, limit: int) -> RuleViolation:
    return RuleViolation(
        f"文件“{file_name}”超过 {limit:,} 行数据的导入上限（import_max_rows），请分批导入",
        code="file.too_many_rows",
        loc=(file_name,),
    )


def too_many_columns(file_name: str, found: int, limit: int) -> RuleViolation:
    return RuleViolation(
        f"文件“{file_name}”有 {found:,} 列，超过 {limit:,} 列的导入上限（import_max_columns）",
        code="file.too_many_columns",
        loc=(file_name,),
    )
