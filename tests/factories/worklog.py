"""Factories of the work log (a pytest plugin): units to be responsible, sheets to import."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from envbureau.core.areas.models import Area, OrgUnit
from envbureau.core.importing.runner import ImportOutcome, run_import
from envbureau.worklog.importers import PlanImporter, RecordImporter

RECORD_HEADER = "日期,主题,类别,标题,报告表述,数量,责任单位,区划代码,附件,排序\n"
PLAN_HEADER = "年度,半年,主题,标题,报告表述,数量,责任单位,区划代码,完成时限,指标代码,排序\n"

#: Three records of 测试市 (``make_city``): two city-wide, one in a town of 甲区.
RECORDS = (
    "2026-01-20,治气,出台文件,大气方案,出台《测试市大气污染防治方案》,,大气环境科,990100,测环发〔2026〕1号,\n"
    "2026-03-16,air,专项行动,VOCs整治,完成VOCs整治企业{完成家数}家、涉及{行业数}个行业,"
    "完成家数=137家; 行业数=9个,EEB-AIR,990100,,\n"
    "2026-04-16,治水,工程项目,水源保护,新建隔离围网{围网}公里,围网=18.6公里,水生态环境科,990102001,"
    "甲文件；乙文件,5\n"
)
PLANS = (
    "2026,下半年,quality,臭氧防控,力争优良天数比例达到年度目标,,大气环境科,990100,2026-10-31,"
    "air.good_day_rate,\n"
    "2026,2,宣传,宣传三进,组织宣传活动{场次}场,场次=40场,,990121,,,1\n"
)


def make_units(session: Session) -> list[OrgUnit]:
    """The bureau's air and water offices, and two town offices that share a name."""
    units = [
        OrgUnit(code="EEB-AIR", name="大气环境科", kind="office"),
        OrgUnit(code="EEB-WATER", name="水生态环境科", kind="office"),
        OrgUnit(code="HBB-1", name="金溪镇环保办", kind="town_office"),
        OrgUnit(code="HBB-2", name="金溪镇环保办", kind="town_office"),
    ]
    session.add_all(units)
    session.flush()
    return units


@pytest.fixture
def worklog_units(session: Session, city: dict[str, Area]) -> list[OrgUnit]:
    """``make_units`` over 测试市 (the core ``city`` fixture)."""
    return make_units(session)


@pytest.fixture
def import_records(session: Session, worklog_units) -> Callable[..., ImportOutcome]:
    """Factory: ``import_records(rows, name=..., actor=...)`` imports rows under the header."""

    def run(rows: str = RECORDS, name: str = "台账.csv", actor: str = "t") -> ImportOutcome:
        data = (RECORD_HEADER + rows).encode("utf-8")
        return run_import(session, RecordImporter(), data=data, file_name=name, actor=actor)

    return run


@pytest.fixture
def import_plans(session: Session, worklog_units) -> Callable[..., ImportOutcome]:
    """Factory: ``import_plans(rows, name=..., actor=...)`` imports plan rows."""

    def run(rows: str = PLANS, name: str = "安排.csv", actor: str = "t") -> ImportOutcome:
        data = (PLAN_HEADER + rows).encode("utf-8")
        return run_import(session, PlanImporter(), data=data, file_name=name, actor=actor)

    return run
