"""``report explain``: how a printed figure was obtained, and whether it still holds.

Reads the receipt in ``figures.json``, shows the indicator's definition and rule, the inputs,
coverage and standard edition, then computes the figure again from today's data and says
whether the printed value would change (data corrected or added since the report was made).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from envbureau.core.errors import NotFound
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.periods import parse as parse_period
from envbureau.standards.rounding import format_gbt8170
from envbureau.worklog import service as worklog_service
from envbureau.worklog.clauses import Quantity, as_quantities
from envbureau.worklog.models import WorkPlan, WorkRecord


def explain_figure(session: Session, receipts: dict[str, Any], figure_id: str) -> dict[str, Any]:
    """The receipt of ``figure_id``, the rule behind it and a re-computation now."""
    figure = next((f for f in receipts["figures"] if f["id"] == figure_id), None)
    if figure is None:
        raise NotFound(
            f"报告中没有编号为 {figure_id} 的数字（共 {len(receipts['figures'])} 个）",
            code="report.figure_unknown",
            loc=("figure",),
        )
    out: dict[str, Any] = {"figure": figure, "report": receipts["report"]}
    kind = figure["kind"]
    now: str | None  # the figure as it would be printed today; None when its source is gone
    if kind in ("indicator", "target"):
        definition = load_catalog().get(figure["indicator_id"])
        out["definition"] = definition.describe()
    if kind == "indicator":
        row = indicators_service.current(  # computed afresh when the data changed; no write
            session=session,
            indicator_id=figure["indicator_id"],
            period=parse_period(figure["period"]),
            area_code=figure["area_code"],
        ).row
        value = row.value
        if value is not None and figure.get("note", "").startswith("以绝对值"):
            value = abs(value)
        now = indicators_service.format_value(definition, value)
        out["recomputed"] = _compare(figure["printed"], now, row.value, row.reason)
        out["recomputed"]["edition"] = row.edition
    elif kind == "target":
        target = indicators_service.get_target(
            session=session,
            indicator_id=figure["indicator_id"],
            year=int(figure["period"]),
            area_code=figure["area_code"],
        )
        now = None if target is None else format_gbt8170(target.value, definition.precision)
        out["recomputed"] = _compare(figure["printed"], now, target and target.value, "目标已删除")
    elif kind == "record_quantity":
        quantity = _quantity(session, figure["record_id"], figure["name"])
        now = None if quantity is None else quantity.printed
        value = None if quantity is None else quantity.value
        out["recomputed"] = _compare(figure["printed"], now, value, "台账中已无此数量")
    else:
        out["recomputed"] = {
            "note": "测算值：依据见 inputs；重新生成报告即按最新数据重新测算",
            "same": None,
        }
    return out


def _compare(printed: str, now: str | None, value: Any, reason: str) -> dict[str, Any]:
    if now is None:
        return {"printed_now": None, "value_now": None, "same": False, "reason": reason}
    return {"printed_now": now, "value_now": value, "same": now == printed}


def _quantity(session: Session, reference: str, name: str) -> Quantity | None:
    """The quantity ``name`` of work record ``WR<id>`` or plan ``WP<id>`` as it is now."""
    item_id = int(reference[2:])
    item: WorkRecord | WorkPlan
    if reference.startswith("WR"):
        item = worklog_service.get_record_or_raise(session=session, record_id=item_id)
    else:
        item = worklog_service.get_plan_or_raise(session=session, plan_id=item_id)
    return next((q for q in as_quantities(item.quantities) if q.name == name), None)
