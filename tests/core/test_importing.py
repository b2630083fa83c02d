"""The importer machinery, through the areas importer: validation, atomicity, idempotence."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from envbureau.core.areas.importers import AreaImporter, OrgUnitImporter
from envbureau.core.areas.models import Area, OrgUnit
from envbureau.core.errors import ValidationFailed
from envbureau.core.importing.models import ImportRecord
from envbureau.core.importing.runner import run_import

GOOD = (
    "区划代码,名称,级别,类型,上级代码\n"
    "990100,示范市,市,地级市,\n"
    "990102,清江区,区县,区,990100\n"
    "990102001,金溪街道,乡镇,街道,990102\n"
    "990102001001,金溪社区,村社区,社区,990102001\n"
)


def counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Area)),
        session.scalar(select(func.count()).select_from(ImportRecord)),
        session.scalar(select(func.count()).select_from(AuditEntry)),
    )


def import_text(
    session: Session,
    text: str,
    *,
    encoding: str = "utf-8",
    name: str = "a.csv",
    dry_run: bool = False,
):
    return run_import(
        session,
        AreaImporter(),
        data=text.encode(encoding),
        file_name=name,
        actor="tester",
        dry_run=dry_run,
    )


def test_run_import_gbk_file_creates_rows_and_record(session: Session) -> None:
    outcome = import_text(session, GOOD, encoding="gbk", name="区划.csv")
    assert (outcome.result.created, outcome.result.updated) == (4, 0)
    assert session.get(Area, "990102001").name == "金溪街道"
    record = session.scalar(select(ImportRecord))
    assert (record.file_name, record.rows, record.actor) == ("区划.csv", 4, "tester")
    assert len(record.content_sha256) == 64


def test_run_import_xlsx_file(session: Session) -> None:
    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run_import(
        session, AreaImporter(), data=buffer.getvalue(), file_name="a.xlsx", actor="tester"
    )
    assert outcome.result.created == 4
    assert session.get(Area, "990102").parent_code == "990100"


def test_run_import_same_content_twice_changes_nothing(session: Session) -> None:
    import_text(session, GOOD)
    before = counts(session)
    again = import_text(session, GOOD)
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 4)
    assert again.already_imported is not None
    assert counts(session) == before


def test_run_import_changed_row_updates_and_is_audited(session: Session) -> None:
    import_text(session, GOOD)
    outcome = import_text(session, GOOD.replace("清江区,区县", "清江新区,区县"))
    assert (outcome.result.created, outcome.result.updated) == (0, 1)
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "area", AuditEntry.action == "update")
    ).one()
    assert entry.before == {"name": "清江区"} and entry.after == {"name": "清江新区"}
    # Importing the first file again puts its values back.
    back = import_text(session, GOOD)
    assert back.result.updated == 1
    assert session.get(Area, "990102").name == "清江区"


def test_run_import_reports_every_error_and_writes_nothing(session: Session) -> None:
    bad = (
        "区划代码,名称,级别,类型,上级代码\n"
        "990100,示范市,市,地级市,\n"
        "99010X,清江区,区县,区,990100\n"  # row 3: code not digits
        "990103,,区县,区,990100\n"  # row 4: name empty
        "990104,南山区,省,区,990100\n"  # row 5: unknown level
        "990100,重复市,市,,\n"  # row 6: duplicate key of row 2
    )
    before = counts(session)
    with pytest.raises(ValidationFailed) as info:
        import_text(session, bad, name="bad.csv")
    found = {(d.loc[1], d.loc[2], d.code) for d in info.value.details}
    assert found == {
        (3, "区划代码", "value.invalid"),
        (4, "名称", "value.required"),
        (5, "级别", "value.invalid"),
        (6, "区划代码", "row.duplicate_key"),
    }
    assert all(d.loc[0] == "bad.csv" for d in info.value.details)
    assert next(d for d in info.value.details if d.loc[1] == 3).value == "99010X"
    assert counts(session) == before


def test_run_import_cross_row_rules_checked(session: Session) -> None:
    bad = (
        "区划代码,名称,级别,上级代码\n"
        "990102001,金溪街道,乡镇,990999\n"  # parent unknown
        "990102,清江区,区县,\n"  # district without parent
        "9901020010,某村,村社区,990102001\n"  # 10 digits: pattern
    )
    with pytest.raises(ValidationFailed) as info:
        import_text(session, bad)
    codes = {(d.loc[1], d.code) for d in info.value.details}
    assert (2, "area.parent_unknown") in codes
    assert (3, "area.parent_required") in codes
    assert (4, "value.invalid") in codes


def test_run_import_missing_required_columns_named(session: Session) -> None:
    with pytest.raises(ValidationFailed) as info:
        import_text(session, "区划代码,类型\n990100,市\n")
    missing = {d.loc[2] for d in info.value.details if d.code == "column.missing"}
    assert missing == {"名称", "级别"}
    assert all(d.loc[1] == 1 for d in info.value.details if d.code == "column.missing")


def test_run_import_english_headers_accepted_as_aliases(session: Session) -> None:
    text = "code,name,level,parent_code\n990100,示范市,city,\n"
    assert import_text(session, text).result.created == 1


def test_run_import_dry_run_writes_nothing(session: Session) -> None:
    before = counts(session)
    outcome = import_text(session, GOOD, dry_run=True)
    assert outcome.dry_run and outcome.result.created == 4
    assert counts(session) == before


def test_run_import_failure_while_writing_rolls_back_everything(session: Session) -> None:
    class FailingImporter(AreaImporter):
        def apply(self, session, records, *, actor, progress):  # type: ignore[no-untyped-def]
            super().apply(session, records, actor=actor, progress=progress)
            raise RuntimeError("disk full")  # after rows were written

    before = counts(session)
    with pytest.raises(RuntimeError):
        run_import(
            session, FailingImporter(), data=GOOD.encode(), file_name="a.csv", actor="tester"
        )
    assert counts(session) == before


def test_org_unit_import_links_areas_and_is_idempotent(session: Session) -> None:
    import_text(session, GOOD)
    units = (
        "单位代码,单位名称,类型,上级单位代码,所辖区域代码,成立日期\n"
        "HBB-1,金溪街道环保办,乡镇环保办,BR-1,990102001,2026/3/1\n"
        "BR-1,清江分局,分局,,990102,\n"
    )
    first = run_import(
        session, OrgUnitImporter(), data=units.encode("gbk"), file_name="u.csv", actor="t"
    )
    assert first.result.created == 2
    unit = session.get(OrgUnit, "HBB-1")
    assert [a.code for a in unit.areas] == ["990102001"]
    assert str(unit.established_on) == "2026-03-01"
    again = run_import(
        session, OrgUnitImporter(), data=units.encode("gbk"), file_name="u.csv", actor="t"
    )
    assert (again.result.created, again.result.updated) == (0, 0)
    moved = units.replace(
        "HBB-1,金溪街道环保办,乡镇环保办,BR-1,990102001",
        "HBB-1,金溪街道环保办,乡镇环保办,BR-1,990102",
    )
    third = run_import(
        session, OrgUnitImporter(), data=moved.encode(), file_name="u.csv", actor="t"
    )
    assert (third.result.created, third.result.updated, third.result.unchanged) == (0, 1, 1)


def test_org_unit_import_unknown_area_refused(session: Session) -> None:
    units = "单位代码,单位名称,类型,所辖区域代码\nX,某办,环保办,990555001\n"
    with pytest.raises(ValidationFailed) as info:
        run_import(session, OrgUnitImporter(), data=units.encode(), file_name="u.csv", actor="t")
    assert [(d.loc[1], d.loc[2], d.code) for d in info.value.details] == [
        (2, "所辖区域代码", "unit.area_unknown")
    ]


def test_org_unit_import_bad_date_named(session: Session) -> None:
    import_text(session, GOOD)
    units = "单位代码,单位名称,类型,所辖区域代码,成立日期\nX,某办,环保办,990102001,2026-13-01\n"
    with pytest.raises(ValidationFailed) as info:
        run_import(session, OrgUnitImporter(), data=units.encode(), file_name="u.csv", actor="t")
    (detail,) = info.value.details
    assert (detail.loc, detail.code, detail.value) == (
        ("u.csv", 2, "成立日期"),
        "value.invalid",
        "2026-13-01",
    )
    assert "应为日期" in detail.msg


def test_run_import_repeated_column_reported(session: Session) -> None:
    with pytest.raises(ValidationFailed) as info:
        import_text(session, "区划代码,名称,级别,名称\n990100,示范市,市,另一个\n")
    assert [(d.loc, d.code) for d in info.value.details] == [
        (("a.csv", 1, "名称"), "column.duplicate")
    ]
