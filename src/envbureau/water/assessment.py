"""达标考核: everything the compliance page and its API show for an area and a period, in one
result: the compliance tables, the cross-boundary assessment and the 劣Ⅴ elimination list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from envbureau.core.periods import Period
from envbureau.water import service as water_service
from envbureau.water.as_of import DataDay, area_day
from envbureau.water.compliance import ComplianceTable, compliance_tables
from envbureau.water.cross_boundary_table import CrossBoundaryTable, cross_boundary_table
from envbureau.water.elimination_progress import EliminationProgress, elimination_progress


@dataclass(frozen=True)
class Assessment:
    period: Period
    tables: tuple[ComplianceTable, ...]
    cross: CrossBoundaryTable
    elimination: EliminationProgress
    data_day: DataDay


def assessment(*, session: Session, area_code: str, period: Period, today: date) -> Assessment:
    """The compliance tables, cross-boundary grades and elimination progress of the area."""
    sections = {
        s.code: s for s in water_service.list_sections(session=session, area_code=area_code)
    }
    return Assessment(
        period=period,
        tables=compliance_tables(
            session=session, area_code=area_code, period=period, sections=sections
        ),
        cross=cross_boundary_table(
            session=session, area_code=area_code, period=period, sections=sections
        ),
        elimination=elimination_progress(session=session, area_code=area_code, period=period),
        data_day=area_day(session=session, area_code=area_code, today=today),
    )
