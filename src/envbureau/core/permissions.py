"""Who may do what: one table of role × action, each right limited to the user's office domains
and/or to the user's area.

``TABLE`` is the only place a role's rights are written. A right (``Grant``) may be limited to
the office domains of the user's organisation unit (its 业务领域 column) and to the user's area
and the areas below it (``Staff.scope``). Office domains are the ones the domain manifests
declare (``envbureau.domains.office_domains()``), not the report's sections: a permits or
complaints domain brings its own office domain and this table needs no change.

Everything that decides reads this table: the console pages and the API (``check``, ``may``),
the import page (``core.importing.kinds``: a file needs "import", each row the right of what it
writes), and docs/web.md, whose role table is ``markdown_table()`` (a test compares them). Each
web route declares its action (``route``); tests/web/test_permission_table.py walks every route
for every demo role against this table. The command line is the server operator's tool: it
runs with the operator's access to the database, and its ``--user`` only names the operator in
the audit log.

Manual indicator values ("enter_value") are apart from work-log records and plans ("edit"):
branch and grid users keep their area's records and plans, and enter no figures.

``allowed``/``check`` take the action, the office domain of the data (``None``: no one domain,
an office then needs at least one) and its area (``None``: not checked here, the caller checks
each row's area). An indicator's office domain is ``definition.office_domain``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from envbureau.core.accounts.models import User
from envbureau.core.accounts.roles import AREA_SCOPED_ROLES, ROLES
from envbureau.core.areas import service as areas_service
from envbureau.core.areas.models import OrgUnit

#: view: pages and API reads; edit: work-log records and plans; enter_value: manual indicator
#: values (figures entered by hand, by form, API or import); import: files on the import page
#: (each row also needs the right of what it writes); set_target: annual targets;
#: generate_report: the half-year report; admin: users, roles, the audit log, areas and
#: organisation units.
ACTIONS = ("view", "edit", "enter_value", "import", "set_target", "generate_report", "admin")

#: The actions' Chinese names (docs/web.md, the system page).
ACTION_NAMES = {
    "view": "查看",
    "edit": "修改台账与安排",
    "enter_value": "填报指标数值",
    "import": "导入文件",
    "set_target": "设定年度目标",
    "generate_report": "生成报告",
    "admin": "系统管理",
}


@dataclass(frozen=True)
class Grant:
    """A role's right to one action, and how far it reaches."""

    own_domains: bool = False  # only data of the office domains of the user's unit
    own_area: bool = False  # only data of the user's area and the areas below it


EVERYWHERE = Grant()
OWN_DOMAINS = Grant(own_domains=True)
OWN_AREA = Grant(own_area=True)

#: role → action → grant; an action a role lacks is not listed.
TABLE: dict[str, dict[str, Grant]] = {
    "admin": dict.fromkeys(ACTIONS, EVERYWHERE),
    "leader": {"view": EVERYWHERE},
    "office": {
        "view": EVERYWHERE,
        "edit": OWN_DOMAINS,
        "enter_value": OWN_DOMAINS,
        "import": OWN_DOMAINS,
        "set_target": OWN_DOMAINS,
        "generate_report": EVERYWHERE,
    },
    "branch": {
        "view": OWN_AREA,
        "edit": OWN_AREA,
        "import": OWN_AREA,
        "generate_report": OWN_AREA,
    },
    "grid": {"view": OWN_AREA, "edit": OWN_AREA, "import": OWN_AREA},
    "readonly": {"view": EVERYWHERE},
}

#: Why a role without the action is refused ({role}: its name; {roles}: the roles that may).
REFUSED = {
    "view": "“{role}”角色无权查看",
    "edit": "“{role}”角色只能查看",
    "enter_value": "“{role}”角色不能填报指标数值（只有{roles}可以）",
    "import": "“{role}”角色只能查看，不能导入数据",
    "set_target": "只有{roles}可以设定年度目标",
    "generate_report": "“{role}”角色不能生成报告，可查看和下载已生成的报告",
    "admin": "只有{roles}可以进行此操作",
}
OUTSIDE_DOMAINS = "只能修改本科室业务领域的数据"
#: How far a grant reaches, as docs/web.md and the system page say it.
REACH_NAMES = {
    EVERYWHERE: "全部",
    OWN_DOMAINS: "本科室业务领域",
    OWN_AREA: "本区域及下级区域",
    Grant(own_domains=True, own_area=True): "本区域内本科室业务领域",
}
OUTSIDE_AREA = "无权查看其他区域的数据"


class Forbidden(Exception):
    """Signed in but not allowed: wrong role, another district's data, a missing CSRF token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Staff:
    """The signed-in user and what they may reach."""

    user_id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    scope: frozenset[str] | None  # area codes the user may see; None = every area
    domains: frozenset[str]  # office domain codes of the user's unit (业务领域)

    @property
    def role_name(self) -> str:
        return ROLES[self.role][0]

    def can_see(self, area_code: str | None) -> bool:
        return self.scope is None or (area_code is not None and area_code in self.scope)

    def check_area(self, area_code: str | None) -> None:
        if not self.can_see(area_code):
            raise Forbidden(OUTSIDE_AREA)

    def may(self, action: str, domain: str | None = None, area_code: str | None = None) -> bool:
        return allowed(self, action, domain, area_code)

    def check(self, action: str, domain: str | None = None, area_code: str | None = None) -> None:
        check(self, action, domain, area_code)

    def check_edit(self, domain: str, area_code: str | None = None) -> None:
        """May this user change ``domain`` data of ``area_code``? (the table's "edit")"""
        check(self, "edit", domain, area_code)


def grant_of(role: str, action: str) -> Grant | None:
    """The role's right to ``action``, or None; an action not in ``ACTIONS`` is a bug."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    return TABLE.get(role, {}).get(action)


def roles_with(action: str) -> tuple[str, ...]:
    """The roles that have ``action`` at all, in the table's order."""
    return tuple(role for role in TABLE if grant_of(role, action) is not None)


def joined(names: Sequence[str]) -> str:
    """Chinese enumeration: 甲、乙和丙."""
    if len(names) < 2:
        return "".join(names)
    return f"{'、'.join(names[:-1])}和{names[-1]}"


def role_names(roles: Iterable[str]) -> str:
    return joined([ROLES[role][0] for role in roles])


def own_domains(staff: Staff) -> frozenset[str]:
    """The user's office domains that a manifest declares (others give no right)."""
    from envbureau.domains import office_domains  # the registry imports the manifests

    return staff.domains & office_domains().keys()


def limited_to_area(staff: Staff, action: str) -> bool:
    """Whether ``action`` reaches only the user's own area (branch and grid users)."""
    grant = grant_of(staff.role, action)
    return grant is not None and grant.own_area and staff.scope is not None


def refusal(
    staff: Staff, action: str, domain: str | None = None, area_code: str | None = None
) -> str | None:
    """Why ``staff`` may not do ``action`` on ``domain`` data of ``area_code``; None if it may."""
    grant = grant_of(staff.role, action)
    if grant is None:
        return REFUSED[action].format(role=staff.role_name, roles=role_names(roles_with(action)))
    if grant.own_domains:
        mine = own_domains(staff)
        if not mine or (domain is not None and domain not in mine):
            return OUTSIDE_DOMAINS
    if grant.own_area and area_code is not None and not staff.can_see(area_code):
        return OUTSIDE_AREA
    return None


def allowed(
    staff: Staff, action: str, domain: str | None = None, area_code: str | None = None
) -> bool:
    return refusal(staff, action, domain, area_code) is None


def check(
    staff: Staff, action: str, domain: str | None = None, area_code: str | None = None
) -> None:
    """Raise ``Forbidden`` with the Chinese reason unless ``allowed``."""
    reason = refusal(staff, action, domain, area_code)
    if reason is not None:
        raise Forbidden(reason)


def allowed_any(
    staff: Staff, action: str, domains: Iterable[str], area_code: str | None = None
) -> bool:
    """For an item that belongs to several office domains: any one of them will do (none
    named: no one may)."""
    return any(allowed(staff, action, domain, area_code) for domain in domains)


def check_any(
    staff: Staff, action: str, domains: Iterable[str], area_code: str | None = None
) -> None:
    chosen = tuple(domains)
    if not allowed_any(staff, action, chosen, area_code):
        raise Forbidden(
            refusal(staff, action, chosen[0] if chosen else "", area_code) or OUTSIDE_DOMAINS
        )


def may_edit(staff: Staff, domains: Iterable[str], area_code: str | None = None) -> bool:
    """Whether the user may edit an item of any of ``domains`` (and of the area)."""
    return allowed_any(staff, "edit", domains, area_code)


def check_edit_any(staff: Staff, domains: Iterable[str], area_code: str | None = None) -> None:
    check_any(staff, "edit", domains, area_code)


def load_staff(session: Session, user_id: int) -> Staff | None:
    """The active user ``user_id`` with the areas and office domains it reaches; None if gone."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    scope = None
    if user.role_code in AREA_SCOPED_ROLES and user.area_code:
        scope = frozenset(
            areas_service.area_and_descendant_codes(session=session, code=user.area_code)
        )
    domains: frozenset[str] = frozenset()
    if user.unit_code:
        unit = session.get(OrgUnit, user.unit_code)
        domains = frozenset(unit.domains or []) if unit is not None else frozenset()
    return Staff(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role_code,
        area_code=user.area_code,
        scope=scope,
        domains=domains,
    )


# --- what each route does ---------------------------------------------------------------------

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
ROUTE_ACTION = "__permission_action__"


def route(action: str) -> Callable[[Endpoint], Endpoint]:
    """Declare the action a web route performs (under ``@router.get``/``post``).

    The route still checks it with the data's office domain and area (``check``); the
    declaration is what tests/web/test_permission_table.py walks: every staff route, every
    demo role, the answer compared with this table. A GET that declares nothing is a "view".
    """
    grant_of("admin", action)  # an unknown action fails at import time

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, ROUTE_ACTION, action)
        return endpoint

    return mark


def route_action(endpoint: Callable[..., Any]) -> str | None:
    """The action ``route`` declared for ``endpoint``, or None."""
    action = getattr(endpoint, ROUTE_ACTION, None)
    return action if isinstance(action, str) else None


# --- the table as docs/web.md prints it -------------------------------------------------------


def reach_name(grant: Grant | None) -> str:
    return "—" if grant is None else REACH_NAMES[grant]


def holders(action: str) -> str:
    """Who has ``action`` and how far, in Chinese: 系统管理员（全部）、业务科室（本科室业务领域）."""
    return "、".join(
        f"{ROLES[role][0]}（{reach_name(grant_of(role, action))}）" for role in roles_with(action)
    )


def markdown_table() -> str:
    """The table as Markdown: a row per role, a column per action, each cell how far the right
    reaches ("—": not at all). docs/web.md carries exactly this (a test compares them)."""
    head = ["角色", "代码", *(ACTION_NAMES[action] for action in ACTIONS)]
    lines = [
        "| " + " | ".join(head) + " |",
        "| " + " | ".join("---" for _ in head) + " |",
    ]
    for role in TABLE:
        cells = [ROLES[role][0], f"`{role}`", *(reach_name(grant_of(role, a)) for a in ACTIONS)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
