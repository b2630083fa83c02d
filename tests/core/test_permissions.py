"""The permission table: every role × action × (own/other office domain) × (own/other area),
the reasons given, the import kinds each role is offered, an office domain that a manifest
adds (accepted by the table and by the org units' 业务领域 column), and docs/web.md carrying
exactly the table's rendering."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from envbureau import domains
from envbureau.core import permissions
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.areas.importers import OrgUnitImporter
from envbureau.core.areas.models import OrgUnit
from envbureau.core.domain import DomainManifest, OfficeDomain
from envbureau.core.errors import ValidationFailed
from envbureau.core.importing.kinds import allowed_kinds, check_kind, get_kind
from envbureau.core.importing.runner import run_import
from envbureau.core.permissions import Forbidden, Staff
from envbureau.web.pages import menu_for

OWN_AREA, OTHER_AREA = "990102", "990103"
OWN_DOMAIN, OTHER_DOMAIN = "air", "water"


def staff(role: str, *, domains: frozenset[str] = frozenset({OWN_DOMAIN})) -> Staff:
    """A user of ``role`` in district 990102 (branch and grid see it and the town below it),
    whose unit has the office domain "air"."""
    scoped = role in AREA_SCOPED_ROLES
    return Staff(
        user_id=1,
        username=role,
        display_name=role,
        role=role,
        area_code=OWN_AREA,
        scope=frozenset({OWN_AREA, "990102001"}) if scoped else None,
        domains=domains,
    )


# Worked by hand from the rules: 1 = allowed. The four cells of each action are
# (own domain, own area) (own domain, other area) (other domain, own area) (other domain, other area).
EXPECTED = {
    "admin": {
        "view": "1111",
        "edit": "1111",
        "enter_value": "1111",
        "import": "1111",
        "set_target": "1111",
        "generate_report": "1111",
        "admin": "1111",
    },
    "leader": {
        "view": "1111",
        "edit": "0000",
        "enter_value": "0000",
        "import": "0000",
        "set_target": "0000",
        "generate_report": "0000",
        "admin": "0000",
    },
    "office": {
        "view": "1111",
        "edit": "1100",
        "enter_value": "1100",
        "import": "1100",
        "set_target": "1100",
        "generate_report": "1111",
        "admin": "0000",
    },
    "branch": {
        "view": "1010",
        "edit": "1010",
        "enter_value": "0000",
        "import": "1010",
        "set_target": "0000",
        "generate_report": "1010",
        "admin": "0000",
    },
    "grid": {
        "view": "1010",
        "edit": "1010",
        "enter_value": "0000",
        "import": "1010",
        "set_target": "0000",
        "generate_report": "0000",
        "admin": "0000",
    },
    "readonly": {
        "view": "1111",
        "edit": "0000",
        "enter_value": "0000",
        "import": "0000",
        "set_target": "0000",
        "generate_report": "0000",
        "admin": "0000",
    },
}
CELLS = (
    (OWN_DOMAIN, OWN_AREA),
    (OWN_DOMAIN, OTHER_AREA),
    (OTHER_DOMAIN, OWN_AREA),
    (OTHER_DOMAIN, OTHER_AREA),
)


def test_the_expected_table_names_every_role_and_action() -> None:
    assert set(EXPECTED) == set(ROLES) == set(permissions.TABLE)
    assert all(set(actions) == set(permissions.ACTIONS) for actions in EXPECTED.values())


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("action", permissions.ACTIONS)
def test_the_table_for_every_role_action_domain_and_area(role: str, action: str) -> None:
    user = staff(role)
    got = "".join(
        "1" if permissions.allowed(user, action, domain, area) else "0" for domain, area in CELLS
    )
    assert got == EXPECTED[role][action], (role, action)


def test_only_branch_and_grid_are_limited_to_their_area() -> None:
    limited = {role for role, grants in permissions.TABLE.items() if grants["view"].own_area}
    assert limited == AREA_SCOPED_ROLES == {"branch", "grid"}


@pytest.mark.parametrize(
    ("role", "action", "domain", "area", "reason"),
    [
        ("leader", "edit", OWN_DOMAIN, OWN_AREA, "“局领导”角色只能查看"),
        ("readonly", "import", None, None, "“只读”角色只能查看，不能导入数据"),
        ("branch", "set_target", OWN_DOMAIN, OWN_AREA, "只有系统管理员和业务科室可以设定年度目标"),
        (
            "grid",
            "generate_report",
            None,
            OWN_AREA,
            "“网格员”角色不能生成报告，可查看和下载已生成的报告",
        ),
        ("office", "admin", None, None, "只有系统管理员可以进行此操作"),
        (
            "branch",
            "enter_value",
            OWN_DOMAIN,
            OWN_AREA,
            "“分局”角色不能填报指标数值（只有系统管理员和业务科室可以）",
        ),
        ("office", "enter_value", OTHER_DOMAIN, OWN_AREA, "只能修改本科室业务领域的数据"),
        ("office", "edit", OTHER_DOMAIN, OWN_AREA, "只能修改本科室业务领域的数据"),
        ("branch", "edit", OWN_DOMAIN, OTHER_AREA, "无权查看其他区域的数据"),
    ],
)
def test_refusals_say_why_in_chinese(
    role: str, action: str, domain: str | None, area: str | None, reason: str
) -> None:
    with pytest.raises(Forbidden) as refused:
        permissions.check(staff(role), action, domain, area)
    assert refused.value.message == reason


def test_staff_check_edit_and_the_any_of_helpers_read_the_table() -> None:
    office = staff("office")
    office.check_edit(OWN_DOMAIN, OTHER_AREA)
    with pytest.raises(Forbidden, match="只能修改本科室业务领域的数据"):
        office.check_edit(OTHER_DOMAIN)
    # a plan of theme "quality" belongs to air, water and soil: any one of them will do
    assert permissions.may_edit(office, ("water", "air", "soil"))
    assert not permissions.may_edit(office, ("water", "soil"))
    assert not permissions.may_edit(staff("admin"), ())  # an item of no domain: no one
    with pytest.raises(Forbidden, match="只能修改本科室业务领域的数据"):
        permissions.check_edit_any(office, ("water",))
    with pytest.raises(Forbidden, match="无权查看其他区域的数据"):
        permissions.check_edit_any(staff("branch"), ("water",), OTHER_AREA)


def test_no_domain_named_means_some_domain_and_no_area_named_means_not_checked() -> None:
    assert permissions.allowed(staff("office"), "import")
    assert not permissions.allowed(staff("office", domains=frozenset()), "import")
    assert permissions.allowed(staff("branch"), "edit", OTHER_DOMAIN, None)


def test_an_undeclared_domain_gives_an_office_no_right() -> None:
    office = staff("office", domains=frozenset({"air", "nonsense"}))
    assert not permissions.allowed(office, "edit", "nonsense")
    with pytest.raises(ValueError, match="unknown action"):
        permissions.allowed(office, "delete_everything")


# Worked by hand: the kinds of the manifests (core, air, water, indicators, worklog) that each
# role passes at kind level (rows are checked later).
OFFERED = {
    "admin": [
        "areas",
        "org_units",
        "area_boundaries",
        "air_stations",
        "air_observations",
        "water_sections",
        "water_samples",
        "indicator_manual_entries",
        "indicator_targets",
        "work_records",
        "work_plans",
    ],
    "leader": [],
    "office": [
        "air_stations",
        "air_observations",
        "indicator_manual_entries",
        "indicator_targets",
        "work_records",
        "work_plans",
    ],
    "branch": ["work_records", "work_plans"],
    "grid": ["work_records", "work_plans"],
    "readonly": [],
}


@pytest.mark.parametrize("role", list(OFFERED))
def test_import_kinds_offered_to_each_role(role: str) -> None:
    assert [kind.key for kind in allowed_kinds(staff(role))] == OFFERED[role]


def test_an_office_without_domains_imports_nothing() -> None:
    assert allowed_kinds(staff("office", domains=frozenset())) == []


@pytest.fixture
def toy_domain() -> Iterator[None]:
    domains.extend(
        DomainManifest(name="toy", label="玩具", office_domains=(OfficeDomain("toy", "玩具"),))
    )
    try:
        yield
    finally:
        domains.retract("toy")


def test_an_office_domain_added_by_a_manifest_is_in_the_table(toy_domain: None) -> None:
    office = staff("office", domains=frozenset({"toy"}))
    assert permissions.allowed(office, "edit", "toy")
    assert not permissions.allowed(office, "edit", "air")
    assert [k.key for k in allowed_kinds(office)] == OFFERED["office"][2:]


def test_a_retracted_office_domain_gives_no_right() -> None:
    office = staff("office", domains=frozenset({"toy"}))
    assert not permissions.allowed(office, "edit", "toy")
    assert allowed_kinds(office) == []


TOY_UNIT = "单位代码,单位名称,类型,业务领域\nTOY-1,玩具科,科室,{}\n"


def test_org_units_accept_an_office_domain_added_by_a_manifest(
    session: Session, toy_domain: None
) -> None:
    for word in ("玩具", "toy"):
        outcome = run_import(
            session,
            OrgUnitImporter(),
            data=TOY_UNIT.format(word).encode(),
            file_name="u.csv",
            actor="t",
        )
        assert outcome.rows == 1
        assert session.get(OrgUnit, "TOY-1").domains == ["toy"]


def test_org_units_refuse_an_undeclared_domain_listing_the_manifests_labels(
    session: Session,
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        run_import(
            session,
            OrgUnitImporter(),
            data=TOY_UNIT.format("玩具").encode(),
            file_name="u.csv",
            actor="t",
        )
    (detail,) = failed.value.details
    assert (detail.loc, detail.code, detail.value) == (
        ("u.csv", 2, "业务领域"),
        "unit.domain_unknown",
        "玩具",
    )
    # the manifests' order: the platform's six, then air's, then water's
    assert (
        detail.msg
        == "未知业务领域，可选：治土、行业整治、生态文明建设、制度改革、执法监管、宣传、治气、治水"
    )


def test_org_unit_domains_keep_a_stored_order_of_the_same_set(session: Session) -> None:
    monitor = "单位代码,单位名称,类型,业务领域\nMON-1,监测站,科室,治水；治气\n"
    run_import(session, OrgUnitImporter(), data=monitor.encode(), file_name="u.csv", actor="t")
    assert session.get(OrgUnit, "MON-1").domains == ["air", "water"]  # the manifests' order
    session.get(OrgUnit, "MON-1").domains = ["water", "air"]  # as an earlier version stored it
    session.flush()
    again = run_import(
        session, OrgUnitImporter(), data=monitor.encode(), file_name="u.csv", actor="t"
    )
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 1)


# --- docs/web.md and the import kinds read the same table ---------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"
BEGIN = "<!-- permission-table: generated by envbureau.core.permissions.markdown_table() -->\n"
END = "<!-- /permission-table -->"


def test_docs_web_md_carries_exactly_the_tables_rendering() -> None:
    text = DOCS.read_text("utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert shown == permissions.markdown_table()


def test_the_rendering_is_the_table_worked_by_hand() -> None:
    # A row per role in the table's order; "—" where the role lacks the action.
    assert permissions.markdown_table().splitlines()[3:6] == [
        "| 局领导 | `leader` | 全部 | — | — | — | — | — | — |",
        "| 业务科室 | `office` | 全部 | 本科室业务领域 | 本科室业务领域 | 本科室业务领域"
        " | 本科室业务领域 | 全部 | — |",
        "| 分局 | `branch` | 本区域及下级区域 | 本区域及下级区域 | — | 本区域及下级区域 | — "
        "| 本区域及下级区域 | — |",
    ]


@pytest.mark.parametrize(
    ("role", "kind", "reason"),
    [
        (
            "branch",
            "indicator_manual_entries",
            "“分局”角色不能导入人工填报指标（只有系统管理员和业务科室可以填报指标数值）",
        ),
        (
            "grid",
            "indicator_targets",
            "“网格员”角色不能导入年度目标（只有系统管理员和业务科室可以设定年度目标）",
        ),
        ("branch", "air_observations", "“分局”角色只能导入本区域的工作台账和工作安排"),
        ("office", "areas", "只有系统管理员可以导入行政区划"),
        ("leader", "work_records", "“局领导”角色只能查看，不能导入数据"),
    ],
)
def test_a_refused_import_kind_says_which_right_is_missing(
    role: str, kind: str, reason: str
) -> None:
    with pytest.raises(Forbidden) as refused:
        check_kind(staff(role), get_kind(kind))
    assert refused.value.message == reason


def test_every_route_declaration_names_a_known_action() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        permissions.route("enter_values")

    @permissions.route("enter_value")
    def endpoint() -> None: ...

    assert permissions.route_action(endpoint) == "enter_value"
    assert permissions.route_action(lambda: None) is None


#: The menu each role is offered, worked from the table by hand: 数据导入 for the roles that may
#: import something (branch and grid import their area's records; leader and readonly only
#: read), 系统 for admin alone.
MENUS = {
    "admin": ["首页", "空气", "水", "数据导入", "指标", "工作台账", "报告", "系统"],
    "leader": ["首页", "空气", "水", "指标", "工作台账", "报告"],
    "office": ["首页", "空气", "水", "数据导入", "指标", "工作台账", "报告"],
    "branch": ["首页", "空气", "水", "数据导入", "指标", "工作台账", "报告"],
    "grid": ["首页", "空气", "水", "数据导入", "指标", "工作台账", "报告"],
    "readonly": ["首页", "空气", "水", "指标", "工作台账", "报告"],
}


@pytest.mark.parametrize("role", list(ROLES))
def test_the_menu_offers_what_the_table_allows(role: str) -> None:
    assert [label for _path, label in menu_for(staff(role))] == MENUS[role]
