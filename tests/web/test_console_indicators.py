"""指标 in the console: registry values and provenance as stored, manual entries and annual
targets through the forms and the API (CSRF, roles, domains, area scope, audit log).

The demo city is shared by the whole run: every entry and target written here is for 2010
(no other test reads 2010) and is removed again, with its audit entries, by ``undo_2010``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from envbureau.core.db import make_engine, session_scope
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.models import IndicatorTarget, IndicatorValue, ManualEntry
from envbureau.core.periods import parse as parse_period
from envbureau.water import service as water_service
from factories.web import csrf_of

CITY = "990100"
BRANCH_AREA = "990102"  # 清江区
OTHER_DISTRICT = "990103"  # 东湖区
PERIOD = "2026H1"  # the demo's report half-year (read only)
TEST_PERIOD = "2010H1"  # written here, and only here
VEHICLES = "vehicles.old_vehicles_retired"  # a manual figure of the 治气 domain
SOIL = "soil.contaminated_sites_investigated"  # a manual figure of the 治土 domain
WATER = "water.share_class_i_iii"  # computed, 治水
BEIJING = ZoneInfo("Asia/Shanghai")


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _local(at) -> str:  # type: ignore[no-untyped-def]
    return at.replace(tzinfo=UTC).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def db(demo_database_url: str) -> Iterator[Session]:
    with session_scope(make_engine(demo_database_url)) as session:
        yield session


@pytest.fixture
def undo_2010(demo_database_url: str) -> Iterator[None]:
    """Remove every 2010 entry, target, value and their audit entries written by a test."""
    yield
    with session_scope(make_engine(demo_database_url)) as session:
        session.execute(delete(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD))
        session.execute(delete(IndicatorValue).where(IndicatorValue.period_code == TEST_PERIOD))
        session.execute(delete(IndicatorTarget).where(IndicatorTarget.year == 2010))
        for kind, key in (
            ("indicator_manual_entry", f"/{TEST_PERIOD}/"),
            ("indicator_target", "/2010/"),
        ):
            session.execute(
                delete(AuditEntry).where(
                    AuditEntry.entity_type == kind, AuditEntry.entity_id.contains(key)
                )
            )


def _detail(client: TestClient, indicator: str, period: str = TEST_PERIOD, area: str = CITY):
    return client.get(f"/console/indicators/{indicator}?period={period}&area={area}")


def _post(client: TestClient, indicator: str, what: str, token: str | None, **fields: str):
    data = {"period": TEST_PERIOD, "area_code": CITY, **fields}
    if token is not None:
        data["csrf_token"] = token
    return client.post(f"/console/indicators/{indicator}/{what}", data=data, follow_redirects=False)


def _audit(session: Session, kind: str, entity_id: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == kind, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )


# --- reading: values and provenance as stored ----------------------------------------------------


def test_the_registry_shows_each_stored_value_and_its_computing_time(
    staff_client, db: Session
) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/indicators?period={PERIOD}&area={CITY}&theme=water")
    assert page.status_code == 200
    db.rollback()  # a new read transaction sees the app's commits
    stored = {
        row.indicator_id: row
        for row in db.scalars(
            select(IndicatorValue).where(
                IndicatorValue.period_code == PERIOD, IndicatorValue.area_code == CITY
            )
        )
    }
    catalog = load_catalog()
    water = [d for d in catalog.all() if d.theme == "water"]
    rows = re.findall(r"<tr>(.*?)</tr>", page.text, re.S)
    for definition in water:
        row = next(r for r in rows if f'<code class="muted">{definition.id}</code>' in r)
        value = stored[definition.id]
        if value.value is None:
            assert f"— {value.reason}" in _text(row), definition.id
        else:
            reported = indicators_service.format_value(definition, value.value)
            assert f'<td class="num">{reported}</td>' in row, definition.id
        assert _local(value.computed_at) in row
        assert "系统计算" in row
    # no other theme on a filtered list
    assert "air.good_day_rate" not in page.text and "治气</h2>" not in page.text

    api = client.get(f"/api/v1/indicators?period={PERIOD}&area={CITY}&theme=water").json()
    assert {i["id"]: i["value"] for i in api["items"]} == {d.id: stored[d.id].value for d in water}


def test_an_indicator_page_shows_its_provenance_as_the_service_stored_it(
    staff_client, db: Session
) -> None:
    client = staff_client("leader")
    text = _text(_detail(client, WATER, PERIOD).text)
    db.rollback()  # a new read transaction sees the app's commits
    row = db.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == WATER,
            IndicatorValue.period_code == PERIOD,
            IndicatorValue.area_code == CITY,
        )
    )
    definition = load_catalog().get(WATER)
    period = parse_period(PERIOD)
    assert f"{indicators_service.format_value(definition, row.value)} %" in text
    assert f"计算时间 {_local(row.computed_at)}（北京时间）" in text
    assert f"时段 {period.label}（{period.start} 至 {period.end}）" in text
    assert f"采用标准版本 {row.edition}" in text and row.edition == "GB 3838-2002"
    coverage = row.coverage
    assert f"应有 {coverage['expected']}，实有 {coverage['observed']}，有效" in text
    assert "评价断面 " + "、".join(row.inputs["sections"]) in text
    assert "达标断面 " + "、".join(row.inputs["passing"]) in text

    api = client.get(f"/api/v1/indicators/{WATER}?period={PERIOD}&area={CITY}").json()
    assert api["value"] == row.value and api["edition"] == row.edition
    assert api["inputs"] == row.inputs and api["coverage"] == row.coverage
    assert api["source"] == "computed" and api["area_code"] == CITY


# --- manual entries -----------------------------------------------------------------------------------


def test_a_manual_entry_through_the_form_is_stored_shown_and_audited(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("air")
    page = _detail(client, VEHICLES)
    assert f'action="/console/indicators/{VEHICLES}/manual"' in page.text
    token = csrf_of(page.text)
    document = "市公安局交警支队机动车注销登记统计（2010年1—6月，测试）"
    sent = _post(client, VEHICLES, "manual", token, value="1,234", source_document=document)
    assert sent.status_code == 303
    assert sent.headers["location"].endswith(f"period={TEST_PERIOD}&area={CITY}&saved=manual")

    text = _text(client.get(sent.headers["location"]).text)
    assert "已保存人工填报值" in text
    assert "数值（按 GB/T 8170 修约） 1234 辆" in text
    assert f"{TEST_PERIOD} 1 1234 {document}" in text and " air " in text

    entity = f"{VEHICLES}/{TEST_PERIOD}/{CITY}"
    db.rollback()  # a new read transaction sees the app's commits
    entry = db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD))
    assert (entry.value, entry.entered_by, entry.source_document) == (1234.0, "air", document)
    [created] = _audit(db, "indicator_manual_entry", entity)
    assert (created.actor, created.action, created.before) == ("air", "create", None)
    assert created.after == {"value": 1234.0, "source_document": document, "revision": 1}

    # a correction adds a revision, keeps the first, and is audited with before and after
    sent = _post(client, VEHICLES, "manual", token, value="1240", source_document=document)
    assert sent.status_code == 303
    text = _text(client.get(sent.headers["location"]).text)
    assert (
        "1240 辆" in text and f"{TEST_PERIOD} 2 1240 " in text and f"{TEST_PERIOD} 1 1234 " in text
    )
    db.rollback()  # a new read transaction sees the app's commits
    revised = _audit(db, "indicator_manual_entry", entity)[-1]
    assert revised.action == "revise"
    assert revised.before == {"value": 1234.0, "source_document": document}
    assert revised.after["value"] == 1240.0 and revised.after["revision"] == 2
    explained = client.get(f"/api/v1/indicators/{VEHICLES}?period={TEST_PERIOD}&area={CITY}").json()
    assert explained["value"] == 1240.0 and explained["inputs"]["revision"] == 2


def test_a_manual_entry_without_a_number_or_a_source_is_refused_beside_the_form(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("air")
    token = csrf_of(_detail(client, VEHICLES).text)
    bad = _post(client, VEHICLES, "manual", token, value="一千", source_document="文件")
    assert bad.status_code == 422 and "数值应为数字，不是“一千”" in bad.text
    assert 'value="一千"' in bad.text  # what was typed is kept
    nosource = _post(client, VEHICLES, "manual", token, value="12", source_document="  ")
    assert nosource.status_code == 422 and "人工填报必须注明来源文件" in nosource.text
    db.rollback()  # a new read transaction sees the app's commits
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None


def test_a_computed_indicator_takes_no_manual_entry(staff_client, undo_2010: None) -> None:
    client = staff_client("admin")
    page = _detail(client, WATER)
    assert "/manual" not in page.text  # no entry form for a computed figure
    sent = _post(client, WATER, "manual", csrf_of(page.text), value="99", source_document="x")
    assert sent.status_code == 422 and "由系统计算，不能人工填报" in sent.text


def test_a_form_without_the_csrf_token_is_refused_and_nothing_is_written(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("admin")
    _detail(client, VEHICLES)  # the session has a token; the form just does not send it
    for token in (None, "forged-token"):
        sent = _post(client, VEHICLES, "manual", token, value="77", source_document="文件")
        assert sent.status_code == 403 and "安全令牌" in sent.text
        target = _post(client, VEHICLES, "target", token, value="77", source_document="文件")
        assert target.status_code == 403
    api = client.post(
        f"/api/v1/indicators/{VEHICLES}/manual",
        json={"period": TEST_PERIOD, "value": 77, "source_document": "文件"},
    )
    assert api.status_code == 403
    db.rollback()  # a new read transaction sees the app's commits
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


def test_the_api_takes_a_manual_entry_with_the_csrf_header(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("admin")
    token = csrf_of(_detail(client, SOIL).text)
    sent = client.post(
        f"/api/v1/indicators/{SOIL}/manual",
        json={"period": TEST_PERIOD, "value": 17, "source_document": "排查台账（测试）"},
        headers={"X-CSRF-Token": token},
    )
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["entry"]["entered_by"] == "admin" and body["entry"]["area_code"] == CITY
    assert body["indicator"]["value"] == 17.0 and body["indicator"]["source"] == "manual"
    db.rollback()  # a new read transaction sees the app's commits
    [audit] = _audit(db, "indicator_manual_entry", f"{SOIL}/{TEST_PERIOD}/{CITY}")
    assert audit.actor == "admin" and audit.after["value"] == 17.0


def test_an_office_user_enters_only_their_own_domain(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("air")
    for indicator in (WATER, SOIL):
        page = _detail(client, indicator)
        assert page.status_code == 200
        assert 'method="post"' not in page.text.split("<main", 1)[-1]  # no forms offered
        token = csrf_of(page.text)
        manual = _post(client, indicator, "manual", token, value="5", source_document="文件")
        assert manual.status_code == 403 and "只能修改本科室业务领域的数据" in manual.text
        target = _post(client, indicator, "target", token, value="5", source_document="文件")
        assert target.status_code == 403 and "只能修改本科室业务领域的数据" in target.text
    db.rollback()  # a new read transaction sees the app's commits
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


@pytest.mark.parametrize("username", ["viewer", "leader"])
def test_read_only_roles_enter_nothing(
    staff_client, db: Session, undo_2010: None, username: str
) -> None:
    client = staff_client(username)
    page = _detail(client, VEHICLES)
    assert page.status_code == 200 and "淘汰黄标车及老旧车辆数" in page.text
    assert 'method="post"' not in page.text.split("<main", 1)[-1]
    token = csrf_of(page.text)
    manual = _post(client, VEHICLES, "manual", token, value="5", source_document="文件")
    assert manual.status_code == 403 and "角色只能查看" in manual.text
    target = _post(client, VEHICLES, "target", token, value="5", source_document="文件")
    assert target.status_code == 403
    api = client.post(
        f"/api/v1/indicators/{VEHICLES}/manual",
        json={"period": TEST_PERIOD, "value": 5, "source_document": "文件"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 403
    db.rollback()  # a new read transaction sees the app's commits
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


# --- annual targets -------------------------------------------------------------------------------


def test_a_target_through_the_form_is_stored_shown_and_audited(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("admin")
    token = csrf_of(_detail(client, VEHICLES).text)
    document = "2010年老旧车辆淘汰目标责任书（测试）"
    sent = _post(
        client, VEHICLES, "target", token, value="5000", direction=">=", source_document=document
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("saved=target")
    text = _text(client.get(sent.headers["location"]).text)
    assert "已保存年度目标" in text
    assert f"年度目标（2010年） 不低于 5000 尚无数值 来源：{document}" in text

    entity = f"{VEHICLES}/2010/{CITY}"
    db.rollback()  # a new read transaction sees the app's commits
    target = indicators_service.get_target(
        session=db, indicator_id=VEHICLES, year=2010, area_code=CITY
    )
    assert (target.value, target.direction, target.set_by) == (5000.0, ">=", "admin")
    [created] = _audit(db, "indicator_target", entity)
    assert created.action == "create" and created.before is None
    assert created.after == {"value": 5000.0, "direction": ">=", "source_document": document}

    # with a value entered, the page shows the gap; a changed target is audited before/after
    _post(client, VEHICLES, "manual", token, value="4200", source_document="注销登记统计（测试）")
    sent = _post(
        client, VEHICLES, "target", token, value="4500", direction=">=", source_document=document
    )
    text = _text(client.get(sent.headers["location"]).text)
    assert "不低于 4500 尚差 300 辆" in text
    db.rollback()  # a new read transaction sees the app's commits
    changed = _audit(db, "indicator_target", entity)[-1]
    assert changed.action == "update"
    assert changed.before["value"] == 5000.0 and changed.after["value"] == 4500.0
    listing = client.get(f"/console/indicators?period={TEST_PERIOD}&area={CITY}&theme=air")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", listing.text, re.S) if VEHICLES in r)
    assert "不低于 4500" in _text(row) and "尚差 300" in _text(row)


def test_the_api_sets_a_target_for_the_roles_that_may(
    staff_client, db: Session, undo_2010: None
) -> None:
    body = {"year": 2010, "value": 90, "direction": ">=", "source_document": "目标责任书（测试）"}
    air = staff_client("air")
    token = csrf_of(_detail(air, WATER).text)
    url = f"/api/v1/indicators/{WATER}/target"
    refused = air.post(url, json=body, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and "只能修改本科室业务领域的数据" in refused.text
    branch = staff_client("branch")
    refused = branch.post(
        f"/api/v1/indicators/{SOIL}/target",
        json=body | {"area_code": BRANCH_AREA},
        headers={"X-CSRF-Token": csrf_of(_detail(branch, SOIL, area=BRANCH_AREA).text)},
    )
    assert refused.status_code == 403
    assert air.post(f"/api/v1/indicators/{VEHICLES}/target", json=body).status_code == 403
    blank = air.post(
        f"/api/v1/indicators/{VEHICLES}/target",
        json=body | {"source_document": "  "},
        headers={"X-CSRF-Token": token},
    )
    assert blank.status_code == 422 and "年度目标必须注明来源文件" in blank.text

    saved = air.post(
        f"/api/v1/indicators/{VEHICLES}/target", json=body, headers={"X-CSRF-Token": token}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "indicator_id": VEHICLES,
        "year": 2010,
        "area_code": CITY,
        "value": 90.0,
        "direction": ">=",
        "source_document": "目标责任书（测试）",
        "set_by": "air",
    }
    db.rollback()  # a new read transaction sees the app's commits
    [audit] = _audit(db, "indicator_target", f"{VEHICLES}/2010/{CITY}")
    assert audit.actor == "air" and audit.after["value"] == 90.0
    shown = air.get(f"/api/v1/indicators/{VEHICLES}?period={TEST_PERIOD}&area={CITY}").json()
    assert (
        shown["target"]["value"] == 90.0
        and shown["target"]["source_document"] == "目标责任书（测试）"
    )


def test_a_target_needs_its_source_document(staff_client, db: Session, undo_2010: None) -> None:
    client = staff_client("admin")
    token = csrf_of(_detail(client, VEHICLES).text)
    sent = _post(
        client, VEHICLES, "target", token, value="5000", direction=">=", source_document=""
    )
    assert sent.status_code == 422 and "年度目标必须注明来源文件" in sent.text
    db.rollback()  # a new read transaction sees the app's commits
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


def test_a_branch_user_enters_figures_of_their_district_but_sets_no_targets(
    staff_client, db: Session, undo_2010: None
) -> None:
    client = staff_client("branch")
    page = _detail(client, SOIL, area=BRANCH_AREA)
    token = csrf_of(page.text)
    assert "/target" not in page.text.split("<main", 1)[-1]
    sent = _post(
        client,
        SOIL,
        "manual",
        token,
        area_code=BRANCH_AREA,
        value="3",
        source_document="区排查台账（测试）",
    )
    assert sent.status_code == 303
    db.rollback()  # a new read transaction sees the app's commits
    entry = db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD))
    assert (entry.area_code, entry.entered_by, entry.value) == (BRANCH_AREA, "branch", 3.0)
    target = _post(
        client, SOIL, "target", token, area_code=BRANCH_AREA, value="3", source_document="x"
    )
    assert target.status_code == 403 and "年度目标" in target.text
    # and nothing of another district
    other = _post(
        client, SOIL, "manual", token, area_code=OTHER_DISTRICT, value="3", source_document="x"
    )
    assert other.status_code == 403 and "无权查看其他区域的数据" in other.text
    api = client.post(
        f"/api/v1/indicators/{SOIL}/manual",
        json={
            "period": TEST_PERIOD,
            "area_code": OTHER_DISTRICT,
            "value": 3,
            "source_document": "x",
        },
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 403
    db.rollback()  # a new read transaction sees the app's commits
    assert db.scalars(
        select(ManualEntry.area_code).where(ManualEntry.period_code == TEST_PERIOD)
    ).all() == [BRANCH_AREA]


# --- area scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/console/indicators?area={OTHER_DISTRICT}",
        f"/console/indicators?area={CITY}",
        f"/console/indicators/{WATER}?period={PERIOD}&area={OTHER_DISTRICT}",
        f"/api/v1/indicators?period={PERIOD}&area={OTHER_DISTRICT}",
        f"/api/v1/indicators/{WATER}?period={PERIOD}&area={OTHER_DISTRICT}",
        f"/api/v1/indicators/{WATER}?period={PERIOD}&area={CITY}",
    ],
)
def test_a_branch_user_cannot_read_another_districts_indicators(staff_client, path: str) -> None:
    response = staff_client("branch").get(path)
    assert response.status_code == 403
    assert "无权查看其他区域的数据" in response.text and "W0" not in response.text


def test_a_branch_user_reads_their_own_districts_values(staff_client, db: Session) -> None:
    client = staff_client("branch")
    page = client.get(f"/console/indicators?period={PERIOD}&theme=water")
    assert "清江区 · 2026年上半年" in _text(page.text)
    picker = page.text.split('<select name="area">', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="(\d+)"', picker)
    assert options == [BRANCH_AREA]
    api = client.get(f"/api/v1/indicators/{WATER}?period={PERIOD}").json()
    assert api["area_code"] == BRANCH_AREA
    db.rollback()  # a new read transaction sees the app's commits
    row = db.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == WATER,
            IndicatorValue.period_code == PERIOD,
            IndicatorValue.area_code == BRANCH_AREA,
        )
    )
    own = {s.code for s in water_service.list_sections(session=db, area_code=BRANCH_AREA)}
    assert api["value"] == row.value and set(api["inputs"]["sections"]) <= own
    assert api["inputs"]["sections"] == row.inputs["sections"]
