"""Building the half-year work report: templates + indicator values + work records → Document.

The template (``templates/half_year.md.j2`` by default, or the same name in the bureau's own
folder, ``ENVBUREAU_TEMPLATE_DIR``) writes the prose; it asks for every number through the
functions below, which hand out figures from the ``FigureBook`` and never format a number
themselves. Work records and plans enter as marked staff text, their quantities as figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.config import get_settings
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.reports.document import Document, Run
from envbureau.reports.figures import FigureBook
from envbureau.reports.markup import Marks, parse
from envbureau.reports.outlook import OutlookSentences
from envbureau.reports.typed_numbers import typed_numbers
from envbureau.worklog import service as worklog_service

HALF_YEAR_TEMPLATE = "half_year.md.j2"
#: Punctuation a record's clause may end with; the template supplies the joining marks.
CLAUSE_END = "。；;，,、 "


@dataclass
class Report:
    document: Document
    book: FigureBook
    period: Period
    area_code: str
    template: str
    meta: dict[str, Any] = field(default_factory=dict)


def environment(template_dir: Path | None = None) -> Environment:
    """Templates from the bureau's folder first, then the package's own."""
    loaders: list[BaseLoader] = []
    folder = template_dir if template_dir is not None else get_settings().template_dir
    if folder is not None:
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(PackageLoader("envbureau.reports", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def build_half_year(
    session: Session,
    *,
    year: int,
    half: int = 1,
    area_code: str,
    template_dir: Path | None = None,
    issued_on: date | None = None,
) -> Report:
    """The half-year report of an area: its document, figures and warnings."""
    if half not in (1, 2):
        raise ValueError("half must be 1 or 2")
    period = parse_period(f"{year}H{half}")
    area = areas_service.get_or_raise(session=session, code=area_code)
    book = FigureBook(session)
    marks = Marks()
    context = _Context(session, book, marks, period, area_code)
    env = environment(template_dir)
    template = env.get_template(HALF_YEAR_TEMPLATE)
    text = template.render(
        city=area.name,
        year=year,
        half=half,
        half_word="上半年" if half == 1 else "下半年",
        next_half_word="下半年" if half == 1 else "明年",
        period=period,
        area_code=area_code,
        fig=context.fig,
        fig_detail=context.fig_detail,
        value=context.value,
        trend=context.trend,
        target=context.target,
        edition=context.edition,
        records=context.records,
        plans=context.plans,
        outlook=OutlookSentences(session, book, marks, year, area_code, period.end),
    )
    title, paragraphs = parse(text, marks)
    issued = issued_on or period.end.replace(day=min(period.end.day, 30))
    document = Document(
        title=title,
        paragraphs=paragraphs,
        issuer=f"{area.name}生态环境局",
        issued_on=issued,
    )
    book.warnings += [
        f"模板中直接写了数字“{n}”：数字应通过 fig()/target() 取得" for n in typed_numbers(document)
    ]
    origin = template.filename or HALF_YEAR_TEMPLATE
    return Report(document, book, period, area_code, origin)


def reference(kind: str, item_id: int) -> str:
    """The id a report gives a work record (WR12) or plan (WP3)."""
    return f"{'WR' if kind == 'record' else 'WP'}{item_id}"


@dataclass
class _Context:
    """The functions a template calls; each returns a token standing for marked runs."""

    session: Session
    book: FigureBook
    marks: Marks
    period: Period
    area_code: str

    def _period(self, period: str | None) -> Period:
        return self.period if period is None else parse_period(period)

    def fig(
        self,
        indicator_id: str,
        period: str | None = None,
        area: str | None = None,
        absolute: bool = False,
        zero: str | None = None,
    ) -> str:
        """The value as reported; ``zero`` prints words for a zero (没有发生) instead of 0."""
        run = self.book.indicator(
            indicator_id, self._period(period), area or self.area_code, absolute=absolute, zero=zero
        )
        return self.marks.token(run)

    def value(self, indicator_id: str, period: str | None = None) -> float | None:
        """The raw value, for a template's conditions only (print it with ``fig``)."""
        return self.book.value(indicator_id, self._period(period), self.area_code).value

    def fig_detail(self, indicator_id: str, key: str, label: str) -> str:
        """A value from the indicator's details, printed without its sign."""
        run = self.book.detail(indicator_id, key, label, self.period, self.area_code)
        return self.marks.token(run)

    def trend(
        self,
        indicator_id: str,
        up: str,
        down: str,
        same: str = "持平",
        period: str | None = None,
        area: str | None = None,
        detail: str | None = None,
    ) -> str:
        """A word for the sign of a change (上升/下降, 改善/下降 …); empty when unknown.
        ``detail`` reads the sign of a value in the indicator's details instead."""
        row = self.book.value(indicator_id, self._period(period), area or self.area_code)
        value = row.value if detail is None else (row.details or {}).get(detail)
        if not isinstance(value, int | float):
            return ""
        return up if value > 0 else down if value < 0 else same

    def target(self, indicator_id: str, year: int | None = None, area: str | None = None) -> str:
        run = self.book.target(indicator_id, year or self.period.year, area or self.area_code)
        return self.marks.token(run)

    def edition(self, indicator_id: str, period: str | None = None) -> str:
        """The standard edition the value was computed under, as text for the reader."""
        row = self.book.value(indicator_id, self._period(period), self.area_code)
        return row.edition or ""

    def records(self, theme: str, sep: str = "；") -> str:
        """The work records of a theme in the period, their clauses joined by ``sep``."""
        items = worklog_service.list_records(
            session=self.session,
            start=self.period.start,
            end=self.period.end,
            area_code=self.area_code,
            theme=theme,
        )
        return self._clauses(items, sep, kind="record")

    def plans(self, theme: str, sep: str = "；") -> str:
        """The planned actions of a part-two theme for the rest of the year."""
        first_half = self.period.start.month == 1
        items = worklog_service.list_plans(
            session=self.session,
            year=self.period.year if first_half else self.period.year + 1,
            half=2 if first_half else 1,
            area_code=self.area_code,
            theme=theme,
        )
        return self._clauses(items, sep, kind="plan")

    def _clauses(self, items: list[Any], sep: str, kind: str) -> str:
        runs: list[Run] = []
        for n, item in enumerate(items):
            if n:
                runs.append(Run(sep))
            runs.extend(self._clause_runs(item, kind))
        return self.marks.token(*runs) if runs else ""

    def _clause_runs(self, item: Any, kind: str) -> list[Run]:
        ref = reference(kind, item.id)
        parts = worklog_service.text_parts(item.text.rstrip(CLAUSE_END), item.quantities)
        runs = []
        for text, quantity in parts:
            if quantity is None:
                runs.append(Run(text, record=ref))
            else:
                runs.append(
                    self.book.quantity(
                        ref,
                        quantity.name,
                        quantity.value,
                        quantity.printed,
                        quantity.unit,
                        item.title,
                    )
                )
        return runs
