"""Indicator subjects: what, besides an area, a value, a manual entry or a target may be for.

A figure of the bureau is for an area; some are also for one enterprise, one org unit (a member
unit of the target responsibility book) or one campaign (专项行动). The subject is stored in two
plain text columns, ``subject_kind`` and ``subject_code``, both ``''`` when there is none: NOT
NULL, so the unique constraints that include them hold on SQLite and PostgreSQL alike (two
NULLs never collide in a unique constraint).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from envbureau.core.areas.models import OrgUnit
from envbureau.core.errors import NotFound, RuleViolation

SubjectKind = Literal["enterprise", "org_unit", "campaign"]

#: Chinese names of the subject kinds.
SUBJECT_KINDS: dict[str, str] = {"enterprise": "企业", "org_unit": "单位", "campaign": "专项行动"}


@dataclass(frozen=True)
class Subject:
    """One enterprise, org unit or campaign an indicator figure is for."""

    kind: SubjectKind
    code: str

    def __post_init__(self) -> None:
        if self.kind not in SUBJECT_KINDS:
            raise RuleViolation(
                f"对象类型应为 {'、'.join(SUBJECT_KINDS)}，不是“{self.kind}”",
                code="subject.kind",
                loc=("subject_kind",),
            )
        if not self.code.strip():
            raise RuleViolation("对象代码不能为空", code="subject.code", loc=("subject_code",))

    @property
    def label(self) -> str:
        return f"{SUBJECT_KINDS[self.kind]} {self.code}"


def columns(subject: Subject | None) -> tuple[str, str]:
    """``(subject_kind, subject_code)`` as stored: ``('', '')`` for the area's own figure."""
    return ("", "") if subject is None else (subject.kind, subject.code)


def from_columns(kind: str, code: str) -> Subject | None:
    """The stored columns back as a ``Subject`` (None for the area's own figure)."""
    return Subject(kind, code) if kind else None  # type: ignore[arg-type]


def key_suffix(subject: Subject | None) -> str:
    """What an audit entity id adds for a subject: ``/org_unit:DW-01`` (nothing without)."""
    return "" if subject is None else f"/{subject.kind}:{subject.code}"


def check_exists(session: Session, subject: Subject | None) -> None:
    """An org-unit subject must be a known unit; enterprises and campaigns have no table yet,
    so their codes are taken as given."""
    if subject is not None and subject.kind == "org_unit":
        check_unit(session, subject.code, loc="subject_code")


def check_unit(session: Session, code: str, *, loc: str) -> None:
    if session.get(OrgUnit, code) is None:
        raise NotFound(f"未知单位“{code}”", code="org_unit.unknown", loc=(loc,))
