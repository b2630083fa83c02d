"""The ranking of an area's districts or stations by composite index (环办监测〔2018〕19号), as the
排名 page and its API show it, each figure rounded as its indicator is (GB/T 8170)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.evaluation import edition_label
from envbureau.core.areas import service as areas_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.service import format_value
from envbureau.core.periods import Period

BY_VALUES = ("district", "station")


@dataclass(frozen=True)
class RankingRow:
    """A district or station with its rank (ties share one; None without a valid index)."""

    rank: int | None
    code: str
    name: str
    composite_index: str  # as reported
    good_day_rate: str
    pm25: str
    valid: bool  # every statistic has enough valid days (GB 3095 表4)


@dataclass(frozen=True)
class RankingTable:
    """What is ranked (``by``), whether the area has districts, the edition, the rows."""

    by: str
    has_districts: bool
    edition: str
    rows: tuple[RankingRow, ...]


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def ranking_table(*, session: Session, area_code: str, period: Period, by: str) -> RankingTable:
    """An area's districts (by default) or stations (asked for, or when the area has no
    districts below it, as a district has not), ranked ascending by composite index."""
    has_districts = bool(
        areas_service.list_descendants(session=session, code=area_code, level="district")
    )
    if not has_districts:
        by = "station"
    elif by not in BY_VALUES:
        by = "district"
    frame = service.rank_areas(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end, by=by
    )
    registry = load_catalog()
    shown = {
        column: registry.get(indicator)
        for column, indicator in (
            ("composite_index", "air.composite_index"),
            ("good_day_rate", "air.good_day_rate"),
            ("pm25", "air.pm25_mean"),
        )
    }
    rows = tuple(
        RankingRow(
            rank=None if pd.isna(row["rank"]) else int(row["rank"]),
            code=row["code"],
            name=row["name"],
            composite_index=format_value(shown["composite_index"], _number(row["composite_index"])),
            good_day_rate=format_value(shown["good_day_rate"], _number(row["good_day_rate"])),
            pm25=format_value(shown["pm25"], _number(row["pm25"])),
            valid=bool(row["valid"]),
        )
        for _, row in frame.iterrows()
    )
    return RankingTable(
        by=by,
        has_districts=has_districts,
        edition=edition_label("auto", period.start, period.end),
        rows=rows,
    )
