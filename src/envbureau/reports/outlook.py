"""The report's "力争…" sentences: what the rest of the year needs to meet the air targets.

The numbers come from ``air.attainment.target_outlook`` (year-to-date values, the target book
and past years' seasons) and enter the report as derived figures whose receipts say how.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from envbureau.air.attainment import PM25_ID, RATE_ID, target_outlook
from envbureau.reports.figures import FigureBook
from envbureau.reports.markup import Marks

#: indicator id → (key of the outlook, what the rest of the year needs, its field, unit,
#: precision)
NEEDS = {
    RATE_ID: ("good_day_rate", "余下时段所需优良天数比例", "share_needed", "%", 1),
    PM25_ID: ("pm25", "余下时段PM2.5平均浓度上限", "remaining_mean_allowed", "μg/m³", 0),
}


class OutlookSentences:
    """Template helpers: ``outlook.needed(id)`` and ``outlook.probability(id)`` → tokens."""

    def __init__(
        self, session: Session, book: FigureBook, marks: Marks, year: int, area: str, as_of: date
    ) -> None:
        self._session, self._book, self._marks = session, book, marks
        self._year, self._area, self._as_of = year, area, as_of
        self._outlook: dict[str, Any] | None = None

    def _get(self, indicator_id: str) -> dict[str, Any] | None:
        if self._outlook is None:
            self._outlook = target_outlook(
                session=self._session, area_code=self._area, year=self._year, as_of=self._as_of
            )
        return self._outlook.get(NEEDS[indicator_id][0])

    def _receipt(self, outlook: dict[str, Any]) -> dict[str, Any]:
        return {
            "period": f"{self._as_of:%Y-%m-%d}—{self._year}-12-31",
            "period_label": f"{self._year}年余下时段",
            "area_code": self._area,
            "source": f"年度目标完成形势测算（目标：{outlook['source_document']}）",
            "inputs": {k: v for k, v in outlook.items() if k != "source_document"},
        }

    def needed(self, indicator_id: str) -> str:
        """What the rest of the year must reach for the target to be met."""
        _, name, field, unit, precision = NEEDS[indicator_id]
        outlook = self._get(indicator_id)
        if outlook is None:
            run = self._book.missing(name, "未设定年度目标或没有年初至今数据")
        else:
            run = self._book.derived(
                name, outlook[field], precision, unit, **self._receipt(outlook)
            )
        return self._marks.token(run)

    def probability(self, indicator_id: str) -> str:
        """The chance of meeting the target [%], from past years' second halves."""
        _, name, *_ = NEEDS[indicator_id]
        outlook = self._get(indicator_id)
        if outlook is None or outlook.get("probability") is None:
            run = self._book.missing(f"{name}的完成概率", "没有往年同期数据，无法测算")
        else:
            run = self._book.derived(
                f"{name}：按往年同期测算的完成概率",
                100 * outlook["probability"],
                0,
                "%",
                **self._receipt(outlook),
            )
        return self._marks.token(run)
