"""Progress of the 劣Ⅴ elimination list per control level (``water.elimination``), with the
annual targets of eliminated sections, for the compliance page and its API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.presentation import TargetView
from envbureau.core.periods import Period
from envbureau.water.compliance import target_of
from envbureau.water.elimination import LEVELS, STATUSES, elimination_status
from envbureau.water.period_classes import class_text

STATUS_WORDS = {"consolidated": "巩固", "eliminated": "已消劣", "remaining": "尚待消劣"}


@dataclass(frozen=True)
class EliminationLevel:
    """A control level's listed sections, counted by status (``STATUSES``), and the target
    of eliminated sections (``water.inferior_v_eliminated_<level>``)."""

    word: str
    listed: int
    counts: dict[str, int]
    target: TargetView | None


@dataclass(frozen=True)
class EliminationLine:
    code: str
    name: str
    level: str
    last_year: str
    now: str
    status: str


@dataclass(frozen=True)
class EliminationProgress:
    levels: tuple[EliminationLevel, ...]
    lines: tuple[EliminationLine, ...]


def elimination_progress(
    *, session: Session, area_code: str, period: Period
) -> EliminationProgress:
    """劣Ⅴ elimination progress per control level, with the eliminated-count targets."""
    frame = elimination_status(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )
    registry = load_catalog()
    levels = []
    for level, word in LEVELS.items():
        part = frame[frame["level"] == level]
        definition = registry.get(f"water.inferior_v_eliminated_{level}")
        eliminated = int(part["eliminated"].sum()) if len(part) else 0
        levels.append(
            EliminationLevel(
                word=word,
                listed=len(part),
                counts={s: int(part[s].sum()) if len(part) else 0 for s in STATUSES},
                target=target_of(
                    session=session,
                    definition=definition,
                    period=period,
                    area_code=area_code,
                    value=float(eliminated),
                ),
            )
        )
    lines = tuple(
        EliminationLine(
            code=row["code"],
            name=row["name"],
            level=LEVELS.get(row["level"], row["level"]),
            last_year=class_text(row.get("last_year_class")),
            now=class_text(row.get("water_class")),
            status=next(w for s, w in STATUS_WORDS.items() if row[s]),
        )
        for _, row in frame.iterrows()
    )
    return EliminationProgress(tuple(levels), lines)
