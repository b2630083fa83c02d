"""Every number a report prints, with its receipt (``figures.json``).

A template never types a number: it asks the book for an indicator value, a target or a work
record's quantity, and gets back a ``Run`` holding the value as printed (formatted once, at the
indicator's precision) and the id of the receipt. A value that cannot be computed is never
invented: the run is a ``【数据不足：原因】`` placeholder and the book keeps a warning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import IndicatorRegistry, load_catalog
from envbureau.core.periods import Period
from envbureau.reports.document import Run
from envbureau.standards.rounding import format_gbt8170

#: Lists longer than this are summarised by their length in a receipt's ``inputs``.
INPUTS_LISTED = 12


@dataclass
class Figure:
    """One printed number and where it came from (one entry of ``figures.json``)."""

    id: str
    kind: str  # indicator | target | record_quantity
    name: str
    printed: str
    value: float | None
    unit: str
    period: str = ""
    period_label: str = ""
    area_code: str = ""
    area_name: str = ""
    indicator_id: str | None = None
    record_id: str | None = None
    source: str = ""  # computed | manual | target book | work record
    edition: str | None = None
    coverage: dict[str, Any] | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    computed_at: str | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FigureBook:
    """Hands out figures for one report and keeps their receipts and the warnings."""

    session: Session
    registry: IndicatorRegistry = field(default_factory=load_catalog)
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _seen: dict[tuple[Any, ...], Figure] = field(default_factory=dict)
    _values: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def indicator(
        self,
        indicator_id: str,
        period: Period,
        area_code: str,
        *,
        absolute: bool = False,
        zero: str | None = None,
    ) -> Run:
        """The indicator's value for the period and area, as reported (``absolute``: without
        its sign, for a sentence that says 上升/下降 in words; ``zero``: words for zero)."""
        row = self.value(indicator_id, period, area_code)
        definition = self.registry.get(indicator_id)
        if row.value is None:
            return self._missing(f"{definition.name}（{period.label}）", row.reason)
        key = ("indicator", indicator_id, period.code, area_code, absolute, zero)
        if key in self._seen:
            return self._run(self._seen[key])
        value = abs(row.value) if absolute else row.value
        printed = indicators_service.format_value(definition, value)
        if zero is not None and row.value == 0:
            printed = zero
        figure = self._add(
            key,
            kind="indicator",
            name=definition.name,
            printed=printed,
            value=row.value,
            unit=definition.unit,
            period=period.code,
            period_label=period.label,
            area_code=area_code,
            area_name=self._area_name(area_code),
            indicator_id=indicator_id,
            source=row.source,
            edition=row.edition,
            coverage=row.coverage,
            inputs=summarise(row.inputs),
            computed_at=row.computed_at.isoformat(timespec="seconds"),
            note="以绝对值印出，升降见文字" if absolute else "",
        )
        return self._run(figure)

    def detail(
        self, indicator_id: str, key: str, label: str, period: Period, area_code: str
    ) -> Run:
        """A value the indicator computed beside its own (``details[key]``), e.g. the
        year-on-year change on one edition of the standard for both years (同口径)."""
        row = self.value(indicator_id, period, area_code)
        definition = self.registry.get(indicator_id)
        detail = (row.details or {}).get(key)
        if row.value is None or not isinstance(detail, int | float):
            reason = row.reason or f"指标未给出“{label}”"
            return self._missing(f"{definition.name}（{label}，{period.label}）", reason)
        fkey = ("detail", indicator_id, key, period.code, area_code)
        if fkey in self._seen:
            return self._run(self._seen[fkey])
        figure = self._add(
            fkey,
            kind="indicator_detail",
            name=f"{definition.name}（{label}）",
            printed=format_gbt8170(abs(detail), definition.precision),
            value=float(detail),
            unit=definition.unit,
            period=period.code,
            period_label=period.label,
            area_code=area_code,
            area_name=self._area_name(area_code),
            indicator_id=indicator_id,
            source=f"{row.source}（明细 {key}）",
            edition=row.edition,
            coverage=row.coverage,
            inputs=summarise(row.inputs),
            computed_at=row.computed_at.isoformat(timespec="seconds"),
            note="以绝对值印出，升降见文字",
        )
        return self._run(figure)

    def value(self, indicator_id: str, period: Period, area_code: str) -> Any:
        """The value with provenance (stored, or computed afresh without storing when the data
        changed), once per report: building a report only reads, so it holds no write lock."""
        key = (indicator_id, period.code, area_code)
        if key not in self._values:
            self._values[key] = indicators_service.current(
                session=self.session,
                indicator_id=indicator_id,
                period=period,
                area_code=area_code,
                registry=self.registry,
            ).row
        return self._values[key]

    def target(self, indicator_id: str, year: int, area_code: str) -> Run:
        """The year's target of an indicator for an area, from the target book."""
        definition = self.registry.get(indicator_id)
        target = indicators_service.get_target(
            session=self.session, indicator_id=indicator_id, year=year, area_code=area_code
        )
        if target is None:
            return self._missing(f"{definition.name}{year}年目标", "尚未设定年度目标")
        key = ("target", indicator_id, year, area_code)
        if key in self._seen:
            return self._run(self._seen[key])
        figure = self._add(
            key,
            kind="target",
            name=f"{definition.name}{year}年目标（{indicators_service.DIRECTIONS[target.direction]}）",
            printed=format_gbt8170(target.value, definition.precision),
            value=target.value,
            unit=definition.unit,
            period=str(year),
            period_label=f"{year}年",
            area_code=area_code,
            area_name=self._area_name(area_code),
            indicator_id=indicator_id,
            source=f"年度目标：{target.source_document}",
            computed_at=target.set_at.isoformat(timespec="seconds") if target.set_at else None,
        )
        return self._run(figure)

    def derived(self, name: str, value: float, precision: int, unit: str, **receipt: Any) -> Run:
        """A number worked from other figures (an outlook's requirement): its receipt says how."""
        key = ("derived", name, receipt.get("period", ""), receipt.get("area_code", ""))
        if key in self._seen:
            return self._run(self._seen[key])
        figure = self._add(
            key,
            kind="derived",
            name=name,
            printed=format_gbt8170(value, precision),
            value=value,
            unit=unit,
            **receipt,
        )
        return self._run(figure)

    def quantity(
        self, record_id: str, name: str, value: float, printed: str, unit: str, title: str
    ) -> Run:
        """A quantity staff recorded in a work record, printed as the work log prints it."""
        key = ("record", record_id, name)
        if key in self._seen:
            return self._run(self._seen[key], record=record_id)
        figure = self._add(
            key,
            kind="record_quantity",
            name=name,
            printed=printed,
            value=float(value),
            unit=unit,
            record_id=record_id,
            source=f"工作台账：{title}",
        )
        return self._run(figure, record=record_id)

    def missing(self, what: str, reason: str) -> Run:
        return self._missing(what, reason)

    # --- internals ---------------------------------------------------------------------------
    def _add(self, key: tuple[Any, ...], **fields: Any) -> Figure:
        figure = Figure(id=f"F{len(self.figures) + 1:03d}", **fields)
        self.figures.append(figure)
        self._seen[key] = figure
        return figure

    @staticmethod
    def _run(figure: Figure, record: str | None = None) -> Run:
        return Run(figure.printed, figure=figure.id, record=record)

    def _missing(self, what: str, reason: str) -> Run:
        reason = reason or "无法计算"
        self.warnings.append(f"{what}：{reason}")
        return Run(f"【数据不足：{reason}】", missing=True)

    def _area_name(self, code: str) -> str:
        area = areas_service.get(session=self.session, code=code)
        return area.name if area is not None else code


def summarise(inputs: dict[str, Any] | None) -> dict[str, Any]:
    """A receipt's inputs kept readable: long lists become their length."""
    out: dict[str, Any] = {}
    for key, value in (inputs or {}).items():
        if isinstance(value, list | dict) and len(value) > INPUTS_LISTED:
            out[key] = f"{len(value)} 项"
        else:
            out[key] = value
    return out
