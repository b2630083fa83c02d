"""Importing a file on a user's behalf: check it (a dry run) and keep it, confirm it, list what
was imported.

The uploaded bytes stay on the server under ``<uploads>/<sha256>``; the confirm step sends back
only that digest, the kind and the file's name as a label, so a client never names a path.
Confirming runs the importer again for real (all rows or none; the same content twice changes
nothing). Who may import what is ``kinds.check_kind`` and the kind's row rules.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.errors import ErrorDetail, RuleViolation
from envbureau.core.importing.kinds import ImportKind, check_kind
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.runner import ImportOutcome
from envbureau.core.permissions import Staff

#: The largest file accepted (a year of hourly data of a city is far smaller).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Imported:
    """What an import (or its check) did: the outcome, the warnings (values imported but
    flagged for review) and, for a check, the digest the kept file is confirmed by."""

    outcome: ImportOutcome
    warnings: list[ErrorDetail]
    sha256: str | None = None


def run(
    *, session: Session, staff: Staff, kind: ImportKind, data: bytes, file_name: str, dry_run: bool
) -> Imported:
    """Import (or only check) a file as ``staff``."""
    check_kind(staff, kind)
    check_size(data)
    outcome, warnings = kind.run(session, staff, data, file_name, dry_run)
    return Imported(outcome, warnings)


def check_file(
    *, session: Session, staff: Staff, kind: ImportKind, data: bytes, file_name: str, uploads: Path
) -> Imported:
    """Check a file without writing a row, and keep it for ``confirm_file`` if it passes."""
    checked = run(
        session=session, staff=staff, kind=kind, data=data, file_name=file_name, dry_run=True
    )
    return Imported(checked.outcome, checked.warnings, save_upload(uploads, data))


def confirm_file(
    *, session: Session, staff: Staff, kind: ImportKind, sha256: str, file_name: str, uploads: Path
) -> Imported:
    """Import a file kept by ``check_file``, named by its digest."""
    name = clean_file_name(file_name)
    data = load_upload(uploads, sha256)
    return run(session=session, staff=staff, kind=kind, data=data, file_name=name, dry_run=False)


def history(*, session: Session, staff: Staff, limit: int = 200) -> list[ImportRecord]:
    """Imports newest first; users limited to their area see only their own."""
    stmt = select(ImportRecord).order_by(ImportRecord.id.desc()).limit(limit)
    if staff.scope is not None:
        stmt = stmt.where(ImportRecord.actor == staff.username)
    return list(session.scalars(stmt))


# --- uploaded files, kept on the server by content -----------------------------------------


def read_upload(stream: BinaryIO, name: str | None) -> tuple[bytes, str]:
    """An uploaded file's bytes (read at most one byte over the limit) and its name as a label."""
    file_name = clean_file_name(name)
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    check_size(data)
    return data, file_name


def clean_file_name(name: str | None) -> str:
    """The last part of a client's file name, as a label only (never used as a path)."""
    text = (name or "").replace("\x00", "")
    text = PureWindowsPath(PurePosixPath(text).name).name.strip()
    text = "".join(ch for ch in text if ch.isprintable())
    if not text:
        raise RuleViolation("请选择要上传的文件", code="import.file_missing", loc=("file",))
    return text[-200:]


def check_size(data: bytes) -> None:
    if not data:
        raise RuleViolation("上传的文件是空的", code="import.file_empty", loc=("file",))
    if len(data) > MAX_UPLOAD_BYTES:
        raise RuleViolation(
            f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请分批导入",
            code="import.file_too_large",
            loc=("file",),
        )


def uploads_of(data_dir: Path) -> Path:
    """Where kept uploads live: ``<data_dir>/uploads`` (the import page and server start)."""
    return Path(data_dir) / "uploads"


def save_upload(folder: Path, data: bytes, retention_hours: int | None = None) -> str:
    """Keep the bytes under their SHA-256 and return it (the only handle the client gets).

    Kept files older than ``retention_hours`` are removed first (``remove_old_uploads``); a
    file uploaded again is kept from now on.
    """
    check_size(data)
    if retention_hours is not None:
        remove_old_uploads(folder, retention_hours)
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if path.is_file():
        os.utime(path)
    else:
        partial = folder / f".{digest}.part"
        partial.write_bytes(data)
        partial.replace(path)
    return digest


def remove_old_uploads(folder: Path, retention_hours: int, *, now: float | None = None) -> int:
    """Remove kept uploads (and unfinished ``.part`` files) older than ``retention_hours``.

    Called on each new upload and when the server starts (settings.upload_retention_hours): a
    check's file waits that long for its confirmation, a finished job's file no longer.
    """
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - retention_hours * 3600
    removed = 0
    for path in folder.iterdir():
        is_upload = SHA256.fullmatch(path.name) or path.name.endswith(".part")
        try:
            if is_upload and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by another worker
            continue
    return removed


def discard_upload(folder: Path, digest: str) -> None:
    """Remove a kept file nobody will confirm (its check failed)."""
    if SHA256.fullmatch(digest or ""):
        (folder / digest).unlink(missing_ok=True)


def kept_upload(folder: Path, digest: str) -> Path:
    """The path of the file kept under ``digest``; anything else is refused."""
    if not SHA256.fullmatch(digest or ""):
        raise RuleViolation("上传文件的标识无效", code="import.upload_invalid", loc=("sha256",))
    path = folder / digest
    if not path.is_file():
        raise RuleViolation(
            "上传的文件已不在服务器上，请重新上传", code="import.upload_gone", loc=("sha256",)
        )
    return path


def load_upload(folder: Path, digest: str) -> bytes:
    """The bytes kept under ``digest``; anything but a SHA-256 of a kept file is refused."""
    data = kept_upload(folder, digest).read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise RuleViolation("上传的文件已损坏，请重新上传", code="import.upload_corrupt")
    return data
