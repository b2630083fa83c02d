"""Every route, every demo role, against the permission table (``core.permissions.TABLE``).

Each staff route declares the action it performs (``permissions.route``; a GET that declares
nothing is a "view"). For each demo account the walk sends every route's sample requests —
pages, API, the import page and its API, reports, system pages, and the unsafe methods with the
session's CSRF token — and compares the answer with what the table says for the route's action,
the sample's office domain and its area: allowed is 200 or 303, refused is 403 or 404. Samples
name their data (a station of 清江区, a record of 东湖区, a figure of the 治气 domain); expected
answers come from the table, not from the code under test.

Then the finding of issue 11 itself: branch and grid accounts enter no manual indicator value,
through the console form, the API or an import file.

Each test runs in a transaction rolled back afterwards (``demo_app``, ``demo_session``); the
reports go to this module's own folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau import domains
from envbureau.air.models import Station
from envbureau.core import permissions
from envbureau.core.accounts.models import User
from envbureau.core.indicators.models import ManualEntry
from envbureau.core.permissions import Staff, load_staff
from envbureau.demo.accounts import ACCOUNTS
from envbureau.water.models import Section
from envbureau.web import login
from envbureau.web.scope import view_codes
from envbureau.web.security import current_staff
from envbureau.worklog.items import item_domains
from envbureau.worklog.models import WorkPlan, WorkRecord
from factories.web import csrf_of, sign_in

pytestmark = pytest.mark.slow  # the demo city, built once per run

CITY, BRANCH_AREA, OTHER_DISTRICT, GRID_TOWN = "990100", "990102", "990103", "990102001"
PERIOD, TEST_PERIOD = "2026H1", "2010H1"  # the demo's half-year; a period only tests write
VEHICLES = "vehicles.old_vehicles_retired"  # a manual figure of the 治气 (air) domain
SOIL = "soil.contaminated_sites_investigated"  # a manual figure of the 治土 (soil) domain
WATER = "water.share_class_i_iii"  # computed, 治水

#: Routes anyone may use (no signed-in user in their dependencies): worked out from the code.
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/"),
    ("GET", "/api/v1/public/air"),
    ("GET", "/api/v1/public/water"),
    ("GET", "/api/v1/public/indicators"),
    ("GET", "/healthz"),
    # changing one's password: login.py reads its own half-signed-in session (a user whose
    # password must change has no staff session yet)
    ("GET", "/account/password"),
    ("POST", "/account/password"),
}

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# --- the routes and what they declare ---------------------------------------------------------


def routes() -> list[tuple[str, str, APIRoute]]:
    out = []
    for router in [login.router, *domains.routers()]:
        for route in router.routes:
            if isinstance(route, APIRoute):
                out += [(method, route.path, route) for method in sorted(route.methods)]
    return out


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _calls(dep)


def needs_staff(route: APIRoute) -> bool:
    return current_staff in set(_calls(route.dependant))


def declared(method: str, path: str, route: APIRoute) -> str | None:
    action = permissions.route_action(route.endpoint)
    if action is None and method not in UNSAFE:
        action = "view"  # a GET never writes (docs/web.md): at least "view", walked below
    return action


def staff_routes() -> list[tuple[str, str, str | None]]:
    return [(m, p, declared(m, p, r)) for m, p, r in routes() if needs_staff(r)]


def test_the_public_routes_are_exactly_the_ones_without_a_signed_in_user() -> None:
    assert {(m, p) for m, p, r in routes() if not needs_staff(r)} == PUBLIC


def test_every_staff_route_declares_a_known_action() -> None:
    undeclared = [(m, p) for m, p, action in staff_routes() if action is None]
    assert undeclared == []
    assert {action for _, _, action in staff_routes()} <= set(permissions.ACTIONS)
    # an unsafe route declares something other than "view" (it writes)
    assert [(m, p) for m, p, a in staff_routes() if m in UNSAFE and a == "view"] == []


# --- samples: one or more requests per route, each naming its data ----------------------------


@dataclass
class Sample:
    path: str
    area: str | None = None  # the data's area; None = the user's own default
    domains: tuple[str, ...] = ()  # the data's office domains (any one will do); () = none named
    monitoring: bool = False  # monitoring results: a grid inspector reads its district
    needs: tuple[str, ...] = ()  # actions the data needs besides the route's (an import's rows)
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    upload: tuple[str, bytes] | None = None  # (file name, bytes), as the form field "file"
    confirm_after_check: bool = False  # check the upload first, then confirm its digest
    started_by: str | None = None  # an import job's page: only the user who started it sees it
    note: str = field(default="")


MANUAL_CSV = (
    "指标代码,时段,区域代码,数值,来源文件\n"
    f"{VEHICLES},{TEST_PERIOD},{BRANCH_AREA},7,区年报（测试）\n"
).encode()


def make_items(session: Session) -> dict[str, list[WorkRecord | WorkPlan]]:
    """Work-log items of 2011 (a year the demo does not use) in the areas the walk needs: the
    branch's district, the grid inspector's town, another district, the city."""
    records: list[WorkRecord | WorkPlan] = []
    for n, (theme, area) in enumerate(
        [("air", BRANCH_AREA), ("water", GRID_TOWN), ("water", OTHER_DISTRICT), ("air", CITY)]
    ):
        records.append(
            WorkRecord(
                date=date(2011, 3, n + 1),
                theme=theme,
                kind="campaign",
                title=f"权限表测试台账{n}",
                text="检查企业{检查家数}家",
                quantities=[{"name": "检查家数", "value": 23, "unit": "家"}],
                area_code=area,
                attachments=[],
                created_by="test",
                updated_by="test",
            )
        )
    plans: list[WorkRecord | WorkPlan] = []
    for n, (theme, area) in enumerate([("quality", BRANCH_AREA), ("publicity", CITY)]):
        plans.append(
            WorkPlan(
                year=2011,
                half=2,
                theme=theme,
                title=f"权限表测试安排{n}",
                text="开展巡查",
                quantities=[],
                area_code=area,
                created_by="test",
                updated_by="test",
            )
        )
    session.add_all(records + plans)
    session.flush()
    return {"records": records, "plans": plans}


def _station(session: Session, area: str) -> str:
    found = session.scalars(
        select(Station.code).where(Station.area_code == area).order_by(Station.code)
    ).first()
    assert found is not None, area
    return found


def _section(session: Session, area: str) -> str:
    found = session.scalars(
        select(Section.code).where(Section.area_code == area).order_by(Section.code)
    ).first()
    assert found is not None, area
    return found


def _item(kind: str, item: WorkRecord | WorkPlan) -> tuple[list[Sample], Sample]:
    """The item's page and API read, and an edit of its title."""
    base = f"/console/worklog/{kind}/{item.id}"
    read = [
        Sample(base, area=item.area_code),
        Sample(f"/api/v1/worklog/{kind}/{item.id}", area=item.area_code),
    ]
    edit = Sample(
        f"{base}/edit",
        form={"field": "title", "value": f"{item.title}（核对）", "reason": "权限表测试"},
        area=item.area_code,
        domains=item_domains(item),
    )
    return read, edit


def samples(
    session: Session, report: dict[str, str], items: dict[str, list[WorkRecord | WorkPlan]]
) -> dict[tuple[str, str], list[Sample]]:
    """Every staff route's samples (the demo city's data, looked up by what they are)."""
    own_station, other_station = _station(session, BRANCH_AREA), _station(session, OTHER_DISTRICT)
    own_section, other_section = _section(session, BRANCH_AREA), _section(session, OTHER_DISTRICT)
    pages: dict[str, list[Sample]] = {"records": [], "plans": []}
    edits: dict[str, list[Sample]] = {"records": [], "plans": []}
    for kind, made in items.items():
        for item in made:
            read, write = _item(kind, item)
            pages[kind] += read
            edits[kind].append(write)
    rep = f"/console/reports/{BRANCH_AREA}/{PERIOD}"
    manual_form = {"period": TEST_PERIOD, "value": "5", "source_document": "权限表测试"}
    manual_json = {"period": TEST_PERIOD, "value": 5, "source_document": "权限表测试"}
    target_form = {"period": TEST_PERIOD, "value": "5", "source_document": "目标责任书（测试）"}
    target_json = {"year": 2010, "value": 5, "direction": ">=", "source_document": "目标（测试）"}
    own, other = {"area": BRANCH_AREA}, {"area": OTHER_DISTRICT}
    mon = {"monitoring": True}
    return {
        ("GET", "/api/v1/me"): [Sample("/api/v1/me")],
        ("GET", "/console/system"): [Sample("/console/system")],
        ("GET", "/console/system/audit"): [Sample("/console/system/audit")],
        ("POST", "/console/system/users"): [
            Sample(
                "/console/system/users",
                form={
                    "username": "walk-new",
                    "role": "readonly",
                    "password": "Walk-Test-2026-Long-Pass!",
                    "area_code": CITY,
                },
            )
        ],
        ("POST", "/console/system/users/{username}/disable"): [
            Sample("/console/system/users/viewer/disable", form={"reason": "权限表测试"})
        ],
        ("POST", "/console/system/users/{username}/enable"): [
            Sample("/console/system/users/viewer/enable", form={"reason": "权限表测试"})
        ],
        ("GET", "/console/imports"): [Sample("/console/imports")],
        ("GET", "/console/imports/history"): [Sample("/console/imports/history")],
        ("GET", "/console/imports/jobs/{job_id}"): [Sample(report["job"], started_by="admin")],
        ("GET", "/console/imports/jobs/{job_id}/status"): [
            Sample(f"{report['job']}/status", started_by="admin")
        ],
        ("GET", "/api/v1/imports/history"): [Sample("/api/v1/imports/history")],
        ("GET", "/console/imports/templates/{kind}.xlsx"): [
            Sample("/console/imports/templates/work_records.xlsx")
        ],
        ("POST", "/console/imports/check"): [
            Sample(
                "/console/imports/check",
                form={"kind": "indicator_manual_entries"},
                upload=("manual.csv", MANUAL_CSV),
                domains=("air",),
                needs=("enter_value",),
                **own,  # type: ignore[arg-type]
            )
        ],
        ("POST", "/console/imports/confirm"): [
            Sample(
                "/console/imports/confirm",
                form={"kind": "indicator_manual_entries", "file_name": "manual.csv"},
                upload=("manual.csv", MANUAL_CSV),
                confirm_after_check=True,
                domains=("air",),
                needs=("enter_value",),
                **own,  # type: ignore[arg-type]
            )
        ],
        ("POST", "/api/v1/imports/{kind}"): [
            Sample(
                "/api/v1/imports/indicator_manual_entries?dry_run=true",
                upload=("manual.csv", MANUAL_CSV),
                domains=("air",),
                needs=("enter_value",),
                **own,  # type: ignore[arg-type]
            )
        ],
        ("GET", "/console"): [Sample("/console")],
        ("GET", "/api/v1/dashboard"): [Sample("/api/v1/dashboard")],
        ("GET", "/console/air"): [
            Sample("/console/air"),
            Sample(f"/console/air?area={OTHER_DISTRICT}", **other, **mon),  # type: ignore[arg-type]
        ],
        ("GET", "/console/air/stations/{code}"): [
            Sample(f"/console/air/stations/{own_station}", **own, **mon),  # type: ignore[arg-type]
            Sample(f"/console/air/stations/{other_station}", **other, **mon),  # type: ignore[arg-type]
        ],
        ("GET", "/console/air/calendar"): [Sample("/console/air/calendar")],
        ("GET", "/console/air/evaluate"): [Sample("/console/air/evaluate")],
        ("GET", "/console/air/ranking"): [Sample("/console/air/ranking")],
        ("GET", "/api/v1/air/stations"): [Sample("/api/v1/air/stations")],
        ("GET", "/api/v1/air/stations/{code}"): [
            Sample(f"/api/v1/air/stations/{own_station}", **own, **mon),  # type: ignore[arg-type]
            Sample(f"/api/v1/air/stations/{other_station}", **other, **mon),  # type: ignore[arg-type]
        ],
        ("GET", "/api/v1/air/calendar"): [Sample("/api/v1/air/calendar")],
        ("GET", "/api/v1/air/evaluate"): [Sample("/api/v1/air/evaluate")],
        ("GET", "/api/v1/air/ranking"): [Sample("/api/v1/air/ranking")],
        ("GET", "/console/water"): [
            Sample("/console/water"),
            Sample(f"/console/water?area={OTHER_DISTRICT}", **other, **mon),  # type: ignore[arg-type]
        ],
        ("GET", "/console/water/sections/{code}"): [
            Sample(f"/console/water/sections/{own_section}", **own, **mon),  # type: ignore[arg-type]
            Sample(f"/console/water/sections/{other_section}", **other, **mon),  # type: ignore[arg-type]
        ],
        ("GET", "/console/water/classes"): [Sample("/console/water/classes")],
        ("GET", "/console/water/compliance"): [Sample("/console/water/compliance")],
        ("GET", "/api/v1/water/sections"): [Sample("/api/v1/water/sections")],
        ("GET", "/api/v1/water/sections/{code}/samples"): [
            Sample(f"/api/v1/water/sections/{own_section}/samples", **own, **mon),  # type: ignore[arg-type]
            Sample(f"/api/v1/water/sections/{other_section}/samples", **other, **mon),  # type: ignore[arg-type]
        ],
        ("GET", "/api/v1/water/classes"): [Sample("/api/v1/water/classes")],
        ("GET", "/api/v1/water/compliance"): [Sample("/api/v1/water/compliance")],
        ("GET", "/console/indicators"): [
            Sample("/console/indicators"),
            Sample(f"/console/indicators?area={OTHER_DISTRICT}", **other),  # type: ignore[arg-type]
        ],
        ("GET", "/console/indicators/{indicator_id}"): [
            Sample(f"/console/indicators/{WATER}?period={PERIOD}"),
            Sample(f"/console/indicators/{WATER}?period={PERIOD}&area={BRANCH_AREA}", **own),  # type: ignore[arg-type]
        ],
        ("POST", "/console/indicators/{indicator_id}/manual"): [
            Sample(
                f"/console/indicators/{VEHICLES}/manual",
                form=manual_form | {"area_code": BRANCH_AREA},
                domains=("air",),
                **own,  # type: ignore[arg-type]
            ),
            Sample(
                f"/console/indicators/{SOIL}/manual",
                form=manual_form | {"area_code": CITY},
                domains=("soil",),
                area=CITY,
            ),
        ],
        ("POST", "/console/indicators/{indicator_id}/target"): [
            Sample(
                f"/console/indicators/{VEHICLES}/target",
                form=target_form | {"area_code": CITY},
                domains=("air",),
                area=CITY,
            )
        ],
        ("GET", "/api/v1/indicators"): [Sample(f"/api/v1/indicators?period={PERIOD}")],
        ("GET", "/api/v1/indicators/{indicator_id}"): [
            Sample(f"/api/v1/indicators/{WATER}?period={PERIOD}&area={BRANCH_AREA}", **own),  # type: ignore[arg-type]
            Sample(f"/api/v1/indicators/{WATER}?period={PERIOD}&area={CITY}", area=CITY),
        ],
        ("POST", "/api/v1/indicators/{indicator_id}/manual"): [
            Sample(
                f"/api/v1/indicators/{VEHICLES}/manual",
                json=manual_json | {"area_code": BRANCH_AREA},
                domains=("air",),
                **own,  # type: ignore[arg-type]
            ),
        ],
        ("POST", "/api/v1/indicators/{indicator_id}/target"): [
            Sample(
                f"/api/v1/indicators/{VEHICLES}/target",
                json=target_json | {"area_code": BRANCH_AREA},
                domains=("air",),
                **own,  # type: ignore[arg-type]
            )
        ],
        ("GET", "/console/worklog"): [
            Sample("/console/worklog"),
            Sample(f"/console/worklog?area={OTHER_DISTRICT}", **other),  # type: ignore[arg-type]
        ],
        ("GET", "/console/worklog/records/{item_id}"): pages["records"][0::2],
        ("GET", "/api/v1/worklog/records/{item_id}"): pages["records"][1::2],
        ("GET", "/console/worklog/plans/{item_id}"): pages["plans"][0::2],
        ("GET", "/api/v1/worklog/plans/{item_id}"): pages["plans"][1::2],
        ("POST", "/console/worklog/records/{item_id}/edit"): edits["records"],
        ("POST", "/console/worklog/plans/{item_id}/edit"): edits["plans"],
        ("GET", "/api/v1/worklog"): [
            Sample("/api/v1/worklog"),
            Sample(f"/api/v1/worklog?area={OTHER_DISTRICT}", **other),  # type: ignore[arg-type]
        ],
        ("GET", "/console/reports"): [Sample("/console/reports")],
        ("POST", "/console/reports/generate"): [
            Sample(
                "/console/reports/generate",
                form={"year": "2026", "half": "1", "area": BRANCH_AREA},
                **own,  # type: ignore[arg-type]
            )
        ],
        ("GET", "/console/reports/{area}/{period}"): [Sample(rep, **own)],  # type: ignore[arg-type]
        ("GET", "/console/reports/{area}/{period}/files/{name}"): [
            Sample(f"{rep}/files/{quote(report['file'])}", **own)  # type: ignore[arg-type]
        ],
        ("GET", "/console/reports/{area}/{period}/view"): [Sample(f"{rep}/view", **own)],  # type: ignore[arg-type]
        ("GET", "/console/reports/{area}/{period}/figures/{figure_id}"): [
            Sample(f"{rep}/figures/{report['figure']}", **own)  # type: ignore[arg-type]
        ],
    }


# --- the walk ---------------------------------------------------------------------------------


def expected(session: Session, staff: Staff, action: str, sample: Sample) -> bool:
    """The table's answer for this user, the route's action and the sample's data."""
    if sample.started_by is not None and staff.username != sample.started_by:
        return False
    area = sample.area
    if sample.monitoring and area is not None:
        codes = view_codes(session, staff)  # docs/web.md: grid reads its district's results
        if codes is not None and area not in codes:
            return False
        area = None
    for needed in (action, *sample.needs):
        if sample.domains:
            if not permissions.allowed_any(staff, needed, sample.domains, area):
                return False
        elif not permissions.allowed(staff, needed, None, area):
            return False
    return True


def send(client: TestClient, method: str, sample: Sample, token: str) -> Any:
    headers = {"X-CSRF-Token": token} if method in UNSAFE else {}
    files = None
    if sample.upload is not None:
        name, data = sample.upload
        files = {"file": (name, data, "text/csv")}
    if sample.confirm_after_check:
        assert sample.upload is not None and sample.form is not None
        check_form = {"kind": sample.form["kind"]}
        client.post("/console/imports/check", data=check_form, files=files, headers=headers)
        form = sample.form | {"sha256": hashlib.sha256(sample.upload[1]).hexdigest()}
        return client.post(sample.path, data=form, headers=headers, follow_redirects=False)
    return client.request(
        method,
        sample.path,
        data=sample.form,
        json=sample.json,
        files=files,
        headers=headers,
        follow_redirects=False,
    )


@pytest.fixture(scope="module")
def reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("walk-reports")


@pytest.fixture
def report(demo_app, reports_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """清江区's 2026 first-half report, generated once for the module by the admin."""
    settings = demo_app.state.settings.model_copy(update={"output_dir": reports_dir})
    monkeypatch.setitem(demo_app.state._state, "settings", settings)
    folder = reports_dir / "reports" / BRANCH_AREA / PERIOD
    if not (folder / "figures.json").exists():
        admin = sign_in(TestClient(demo_app), "admin")
        token = csrf_of(admin.get("/console/reports").text)
        made = admin.post(
            "/console/reports/generate",
            data={"csrf_token": token, "year": "2026", "half": "1", "area": BRANCH_AREA},
        )
        assert made.status_code == 200, made.text[-2000:]
    receipts = json.loads((folder / "figures.json").read_text("utf-8"))
    docx = next(p.name for p in folder.iterdir() if p.suffix == ".docx")
    return {"file": docx, "figure": str(receipts["figures"][0]["id"]), "job": _admin_job(demo_app)}


def _admin_job(demo_app: Any) -> str:
    """The page of an import check the admin started (in this test's transaction)."""
    admin = sign_in(TestClient(demo_app), "admin")
    checked = admin.post(
        "/console/imports/check",
        data={
            "kind": "indicator_manual_entries",
            "csrf_token": csrf_of(admin.get("/console").text),
        },
        files={"file": ("manual.csv", MANUAL_CSV, "text/csv")},
        follow_redirects=False,
    )
    assert checked.status_code == 303, checked.text[-2000:]
    return str(checked.headers["location"])


ANSWERS = {True: {200, 303}, False: {403, 404}}


def _gist(text: str) -> str:
    """The page title or the API's first message, to name a wrong answer."""
    found = re.search(r"<title>(.*?)</title>", text) or re.search(r'"msg":\s*"([^"]*)"', text)
    return found.group(1) if found else text[:120]


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_every_route_answers_each_role_as_the_table_says(
    demo_app, demo_session: Session, report: dict[str, str], username: str
) -> None:
    # a server error is an answer too (500), listed with the others
    client = sign_in(TestClient(demo_app, raise_server_exceptions=False), username)
    token = csrf_of(client.get("/console/imports").text)
    user_id = demo_session.scalar(select(User.id).where(User.username == username))
    staff = load_staff(demo_session, user_id)
    assert staff is not None
    table = samples(demo_session, report, make_items(demo_session))
    walked = set()
    wrong = []
    for method, path, action in staff_routes():
        assert action is not None, (method, path)
        assert (method, path) in table, f"no sample for {method} {path}: add one to samples()"
        walked.add((method, path))
        for sample in table[(method, path)]:
            want = expected(demo_session, staff, action, sample)
            got = send(client, method, sample, token)
            if got.status_code not in ANSWERS[want]:
                wrong.append(
                    f"{method} {sample.path} [{action}] 应{'允许' if want else '拒绝'}，"
                    f"得到 {got.status_code}：{_gist(got.text)}"
                )
    assert set(table) == walked  # no sample for a route that is gone
    assert wrong == [], "\n".join(wrong)


# --- the finding: branch and grid enter no manual indicator value ------------------------------


def _entries(session: Session) -> list[tuple[str, str]]:
    session.expire_all()  # read again what the app wrote
    rows = session.execute(
        select(ManualEntry.entered_by, ManualEntry.area_code).where(
            ManualEntry.period_code == TEST_PERIOD
        )
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.mark.parametrize(("username", "area"), [("branch", BRANCH_AREA), ("grid", GRID_TOWN)])
def test_branch_and_grid_cannot_enter_a_manual_indicator_value(
    staff_client, demo_session: Session, username: str, area: str
) -> None:
    client = staff_client(username)
    page = client.get(f"/console/indicators/{SOIL}?period={TEST_PERIOD}&area={area}")
    assert page.status_code == 200
    assert f"/console/indicators/{SOIL}/manual" not in page.text  # no form offered
    token = csrf_of(page.text)
    values = {"period": TEST_PERIOD, "area_code": area, "source_document": "区台账（测试）"}

    form = client.post(
        f"/console/indicators/{SOIL}/manual",
        data=values | {"value": "3", "csrf_token": token},
        follow_redirects=False,
    )
    assert form.status_code == 403 and "角色不能填报指标数值" in form.text

    api = client.post(
        f"/api/v1/indicators/{SOIL}/manual",
        json=values | {"value": 3},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 403 and "角色不能填报指标数值" in api.text

    csv = f"指标代码,时段,区域代码,数值,来源文件\n{SOIL},{TEST_PERIOD},{area},3,区台账\n"
    upload = {"file": ("manual.csv", csv.encode(), "text/csv")}
    imported = client.post(
        "/api/v1/imports/indicator_manual_entries",
        files=upload,
        headers={"X-CSRF-Token": token},
    )
    assert imported.status_code == 403 and "不能导入人工填报指标" in imported.text
    checked = client.post(
        "/console/imports/check",
        data={"kind": "indicator_manual_entries", "csrf_token": token},
        files=upload,
    )
    assert checked.status_code == 403
    imports_page = client.get("/console/imports").text
    offered = re.findall(r'<option value="([a-z_]+)"', imports_page)
    assert "indicator_manual_entries" not in offered and "work_records" in offered

    assert _entries(demo_session) == []


def test_the_air_office_still_enters_its_domains_values_everywhere(
    staff_client, demo_session: Session
) -> None:
    client = staff_client("air")
    token = csrf_of(client.get(f"/console/indicators/{VEHICLES}?period={TEST_PERIOD}").text)
    sent = client.post(
        f"/api/v1/indicators/{VEHICLES}/manual",
        json={
            "period": TEST_PERIOD,
            "area_code": BRANCH_AREA,
            "value": 4,
            "source_document": "区年报（测试）",
        },
        headers={"X-CSRF-Token": token},
    )
    assert sent.status_code == 200, sent.text
    assert _entries(demo_session) == [("air", BRANCH_AREA)]
