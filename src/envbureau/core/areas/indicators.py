"""Indicators computed from the organisation units (the report's 网格化监管 paragraph)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import OrgUnit
from envbureau.core.indicators.definitions import (
    Computation,
    Coverage,
    IndicatorDefinition,
    registry,
)
from envbureau.core.periods import Period


def town_env_offices(session: Session, period: Period, area_code: str) -> Computation:
    """Towns/streets of the area with an environmental office (环保办) set up by the period end."""
    towns = {
        a.code
        for a in areas_service.list_descendants(session=session, code=area_code, level="town")
    }
    if not towns:
        return Computation(value=None, reason="该区域下没有乡镇（街道）")
    units = session.scalars(
        select(OrgUnit).where(OrgUnit.kind == "town_office").options(selectinload(OrgUnit.areas))
    )
    covered: dict[str, str] = {}
    for unit in units:
        if unit.established_on is None or unit.established_on > period.end:
            continue
        for area in unit.areas:
            if area.code in towns:
                covered.setdefault(area.code, unit.code)
    return Computation(
        value=float(len(covered)),
        inputs={"units": sorted(set(covered.values())), "towns_with_office": sorted(covered)},
        coverage=Coverage(
            expected=len(towns), observed=len(covered), valid=True, rule="区域内全部乡镇（街道）"
        ),
        details={"towns_total": len(towns)},
    )


TOWN_ENV_OFFICES = registry.register(
    IndicatorDefinition(
        id="org.town_env_offices",
        name="已成立环保办的乡镇（街道）数",
        unit="个",
        definition="截至时段末，区域内已设立环保办（乡镇环境保护工作机构）的乡镇、街道个数。",
        rule="《实行环境保护网格化监管的实施意见》：在乡镇（街道）设立环保办；以组织机构登记的成立日期为准",
        precision=0,
        theme="enforcement",
        provider=town_env_offices,
        better="higher",
        public=True,
    )
)
