"""Building the demo city: migrate, run every part in one transaction, compute the indicators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.engine import Engine

from envbureau.core import migrate
from envbureau.core.areas import service as areas_service
from envbureau.core.db import session_scope
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.demo import CITY_CODE, DEFAULT_SEED, DemoContext, load_parts

DEMO_PERIODS = ("2026H1",)


@dataclass
class DemoSummary:
    lines: list[str] = field(default_factory=list)
    indicator_values: list[tuple[str, str, str, str]] = field(default_factory=list)


def build_demo(
    engine: Engine,
    *,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str, int, int], None] = lambda label, done, total: None,
) -> DemoSummary:
    """Build (or bring up to date) the demo city in the database behind ``engine``."""
    migrate.upgrade(engine)
    summary = DemoSummary()
    with session_scope(engine) as session:
        for _, module in load_parts():
            label = module.LABEL  # type: ignore[attr-defined]
            ctx = DemoContext(session=session, seed=seed, progress=partial(progress, label))
            lines = module.build(ctx)  # type: ignore[attr-defined]
            summary.lines += [f"{label}：{line}" for line in lines]
        areas = [CITY_CODE] + [
            a.code
            for a in areas_service.list_descendants(
                session=session, code=CITY_CODE, level="district"
            )
        ]
        periods: list[Period] = [parse_period(p) for p in DEMO_PERIODS]
        definitions = load_catalog().all()
        total, done = len(definitions) * len(areas) * len(periods), 0
        for period in periods:
            for definition in definitions:
                for area in areas:
                    row = indicators_service.compute(
                        session=session, indicator_id=definition.id, period=period, area_code=area
                    )
                    if area == CITY_CODE:
                        shown = indicators_service.format_value(definition, row.value)
                        summary.indicator_values.append(
                            (
                                definition.name,
                                period.label,
                                shown,
                                definition.unit if row.value is not None else row.reason,
                            )
                        )
                    done += 1
                    progress("计算指标", done, total)
    return summary
