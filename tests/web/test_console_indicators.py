"""指标 in the console: registry values and provenance, manual entries and annual targets
through the forms and the API (CSRF, roles, domains, area scope, audit log), values that new
data have made stale, and GET requests that never write.

Each test runs in a transaction rolled back afterwards (``isolated_demo_app``, ``demo_session``):
what one writes no other sees. Entries and targets are written for 2010, which the demo does not
use. Expected figures are literals worked by hand from the demo city's water sections
(demo/water.py, 2026H1), each with how it was worked. The demo city is built once per run,
hence ``slow``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.models import IndicatorTarget, IndicatorValue, ManualEntry
from envbureau.core.periods import parse as parse_period
from factories.web import csrf_of, sign_in

pytestmark = pytest.mark.slow  # every test reads the demo city, built once per run

CITY = "990100"
BRANCH_AREA = "990102"  # 清江区
OTHER_DISTRICT = "990103"  # 东湖区
PERIOD = "2026H1"  # the demo's report half-year (read only)
TEST_PERIOD = "2010H1"  # written here, and only here
VEHICLES = "vehicles.old_vehicles_retired"  # a manual figure of the 治气 domain
SOIL = "soil.contaminated_sites_investigated"  # a manual figure of the 治土 domain
WATER = "water.share_class_i_iii"  # computed, 治水
BEIJING = ZoneInfo("Asia/Shanghai")

# The demo's 40 sections and their 2026H1 classes (the stored provenance of
# water.share_class_i_iii, from the levels demo/water.py gives them): Ⅳ W05 W09 W16 W21,
# Ⅴ W06 W08 W10, 劣Ⅴ W07; every other section is Ⅱ or Ⅲ.
ALL_SECTIONS = [f"W{n:02d}" for n in range(1, 41)]
NOT_I_III = {"W05", "W06", "W07", "W08", "W09", "W10", "W16", "W21"}
PASSING = [code for code in ALL_SECTIONS if code not in NOT_I_III]  # 32 sections
# 清江区 (990102): W05 and W11 by name, and W18 W24 W30 W36 (demo/water.py gives W14–W40 the
# district DISTRICTS[n % 6], 990102 for n divisible by 6).
BRANCH_SECTIONS = ["W05", "W11", "W18", "W24", "W30", "W36"]

#: The water figures of the city for 2026H1 as the registry prints them, worked by hand:
WATER_2026H1 = {
    # 32 of the 40 sections are Ⅰ–Ⅲ: 32 / 40 = 80.0 %
    "water.share_class_i_iii": "80.0",
    # the 4 drinking sources W01–W04 are Ⅱ, all within their targets (Ⅱ, Ⅱ, Ⅱ, Ⅲ): 100.0 %
    "water.drinking_source_compliance_rate": "100.0",
    # W06 Ⅴ, W07 劣Ⅴ, W08 Ⅴ miss target Ⅳ, W10 Ⅴ misses Ⅲ; W14–W40 have target ≥ level:
    # 36 / 40 = 90.0 %
    "water.function_zone_compliance_rate": "90.0",
    # 15 sections have a 水十条 target (W01, W05–W07, W10–W13, and W16 W20 … W40, every 4th);
    # W07 (劣Ⅴ > Ⅴ) and W10 (Ⅴ > Ⅲ) miss it: 13 / 15 = 86.67 → 86.7 %
    "water.assessment_compliance_rate": "86.7",
    # the cross-boundary sections W11, W12, W13 are Ⅲ, their target: grade 优秀
    "water.cross_boundary_grade": "优秀",
    # 劣Ⅴ in 2026H1: W07 only
    "water.inferior_v_sections": "1",
    # elimination list: provincial W05 W06 W07, city W08 W09; W05 and W09 left 劣Ⅴ in 2025
    # (consolidated, one each), the others are due in 2026: W06 and W07 provincial, W08 city
    "water.inferior_v_consolidated_provincial": "1",
    "water.inferior_v_consolidated_city": "1",
    "water.inferior_v_due_provincial": "2",
    "water.inferior_v_due_city": "1",
    # W06 (Ⅴ) and W08 (Ⅴ) left 劣Ⅴ; W07 did not
    "water.inferior_v_eliminated": "2",
    "water.inferior_v_eliminated_provincial": "1",
    "water.inferior_v_eliminated_city": "1",
    "water.inferior_v_remaining_provincial": "1",
    "water.inferior_v_remaining_city": "0",
}


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _local(at) -> str:  # type: ignore[no-untyped-def]
    return at.replace(tzinfo=UTC).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def db(demo_session: Session) -> Session:
    """The test's own session, on the connection the app's requests join: it sees what they
    wrote at once (never roll it back: that would undo them)."""
    return demo_session


@pytest.fixture
def staff_client(isolated_demo_app) -> Callable[[str], TestClient]:  # type: ignore[no-untyped-def]
    """``staff_client("air")``: signed in as that demo account, inside the test's transaction."""
    return lambda username: sign_in(TestClient(isolated_demo_app), username)


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


def _stored(db: Session, period: str, area: str) -> dict[str, IndicatorValue]:
    rows = db.scalars(
        select(IndicatorValue).where(
            IndicatorValue.period_code == period,
            IndicatorValue.area_code == area,
            IndicatorValue.subject_kind == "",
        )
    )
    return {row.indicator_id: row for row in rows}


def test_the_registry_shows_each_stored_value_and_its_computing_time(
    staff_client, db: Session
) -> None:
    # Other tests of the run may have changed the shared demo city since it was built (a CLI
    # correction, an import), which makes its stored values stale; store them afresh inside this
    # test's rolled-back transaction so that what the page shows is the stored row.
    for indicator_id in WATER_2026H1:
        indicators_service.compute(
            session=db, indicator_id=indicator_id, period=parse_period(PERIOD), area_code=CITY
        )
    client = staff_client("leader")
    page = client.get(f"/console/indicators?period={PERIOD}&area={CITY}&theme=water")
    assert page.status_code == 200
    stored = _stored(db, PERIOD, CITY)
    rows = re.findall(r"<tr>(.*?)</tr>", page.text, re.S)
    shown = [r for r in rows if '<code class="muted">water.' in r]
    assert len(shown) == len(WATER_2026H1)
    for indicator_id, reported in WATER_2026H1.items():
        row = next(r for r in shown if f'<code class="muted">{indicator_id}</code>' in r)
        assert f'<td class="num">{reported}</td>' in row, indicator_id
        assert _local(stored[indicator_id].computed_at) in row  # the stored value, not recomputed
        assert "系统计算" in row and "已按新数据重算" not in row
    # no other theme on a filtered list
    assert "air.good_day_rate" not in page.text and "治气</h2>" not in page.text

    api = client.get(f"/api/v1/indicators?period={PERIOD}&area={CITY}&theme=water").json()
    items = {i["id"]: i for i in api["items"]}
    assert {k: i["value_reported"] for k, i in items.items()} == WATER_2026H1
    assert items[WATER]["value"] == 80.0 and items[WATER]["stored"] is True
    assert not any(i["stale"] for i in api["items"])


def test_an_indicator_page_shows_its_provenance(staff_client, db: Session) -> None:
    client = staff_client("leader")
    text = _text(_detail(client, WATER, PERIOD).text)
    row = _stored(db, PERIOD, CITY)[WATER]
    assert "数值（按 GB/T 8170 修约） 80.0 %" in text  # 32 of 40 sections Ⅰ–Ⅲ
    assert f"计算时间 {_local(row.computed_at)}（北京时间）" in text
    assert "时段 2026年上半年（2026-01-01 至 2026-06-30）" in text
    assert "采用标准版本 GB 3838-2002" in text
    assert "应有 40，实有 40，有效" in text  # every section has samples in the half-year
    assert "评价断面 " + "、".join(ALL_SECTIONS) in text
    assert "达标断面 " + "、".join(PASSING) in text
    assert "重新计算的值" not in text  # the stored value holds

    api = client.get(f"/api/v1/indicators/{WATER}?period={PERIOD}&area={CITY}").json()
    assert api["value"] == 80.0 and api["value_reported"] == "80.0"
    assert api["edition"] == "GB 3838-2002" and api["source"] == "computed"
    assert api["inputs"]["sections"] == ALL_SECTIONS and api["inputs"]["passing"] == PASSING
    assert api["coverage"] == {
        "expected": 40,
        "observed": 40,
        "valid": True,
        "rule": "有监测数据的全部断面",
    }
    assert api["area_code"] == CITY and (api["stale"], api["stored"]) == (False, True)
    assert api["indicator"]["office_domain"] == "water" and api["subject"] is None


# --- freshness: what new data change is shown at once, and a GET never writes ------------------


def test_a_value_new_data_made_stale_is_shown_as_the_data_now_stand(
    staff_client, db: Session
) -> None:
    """A manual entry written without recomputing (as an import does) makes the stored value
    stale: the pages and the API show the new figure and say so, and store nothing."""
    client = staff_client("leader")
    before = _stored(db, PERIOD, CITY)[VEHICLES]
    stored_value, stored_at = before.value, before.computed_at
    indicators_service.enter_manual(
        session=db,
        indicator_id=VEHICLES,
        period=parse_period(PERIOD),
        area_code=CITY,
        value=98765,
        source_document="更正后的注销登记统计（测试）",
        entered_by="test",
    )
    count = db.scalar(select(func.count(IndicatorValue.id)))

    text = _text(_detail(client, VEHICLES, PERIOD).text)
    assert "数值（按 GB/T 8170 修约） 98765 辆" in text
    assert "已保存的值计算后又有新数据，此处为按当前数据重新计算的值。" in text
    listing = client.get(f"/console/indicators?period={PERIOD}&area={CITY}&theme=air")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", listing.text, re.S) if VEHICLES in r)
    assert '<td class="num">98765</td>' in row and "已按新数据重算" in row
    api = client.get(f"/api/v1/indicators/{VEHICLES}?period={PERIOD}&area={CITY}").json()
    assert api["value"] == 98765.0 and (api["stale"], api["stored"]) == (True, False)

    db.expire_all()  # read again: the GET requests wrote nothing
    assert db.scalar(select(func.count(IndicatorValue.id))) == count
    after = _stored(db, PERIOD, CITY)[VEHICLES]
    assert after.value == stored_value != 98765.0 and after.computed_at == stored_at


def test_a_period_with_nothing_stored_is_computed_for_the_page_but_not_stored(
    staff_client, db: Session
) -> None:
    client = staff_client("leader")
    count = db.scalar(select(func.count(IndicatorValue.id)))
    page = client.get(f"/console/indicators?period={TEST_PERIOD}&area={CITY}&theme=water")
    assert page.status_code == 200
    # no sample in 2010: every water figure has no value and says why
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", page.text, re.S) if "water." in r]
    assert len(rows) == len(WATER_2026H1)
    assert all('<td class="num"><span class="muted" title=' in r for r in rows)
    assert client.get(f"/api/v1/indicators/{WATER}?period={TEST_PERIOD}").json()["stored"] is False
    db.expire_all()
    assert db.scalar(select(func.count(IndicatorValue.id))) == count


# --- manual entries -----------------------------------------------------------------------------------


def test_a_manual_entry_through_the_form_is_stored_shown_and_audited(
    staff_client, db: Session
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
    db.expire_all()  # read again what the app wrote
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
    db.expire_all()  # read again what the app wrote
    revised = _audit(db, "indicator_manual_entry", entity)[-1]
    assert revised.action == "revise"
    assert revised.before == {"value": 1234.0, "source_document": document}
    assert revised.after["value"] == 1240.0 and revised.after["revision"] == 2
    explained = client.get(f"/api/v1/indicators/{VEHICLES}?period={TEST_PERIOD}&area={CITY}").json()
    assert explained["value"] == 1240.0 and explained["inputs"]["revision"] == 2


def test_a_manual_entry_without_a_number_or_a_source_is_refused_beside_the_form(
    staff_client, db: Session
) -> None:
    client = staff_client("air")
    token = csrf_of(_detail(client, VEHICLES).text)
    bad = _post(client, VEHICLES, "manual", token, value="一千", source_document="文件")
    assert bad.status_code == 422 and "数值应为数字，不是“一千”" in bad.text
    assert 'value="一千"' in bad.text  # what was typed is kept
    nosource = _post(client, VEHICLES, "manual", token, value="12", source_document="  ")
    assert nosource.status_code == 422 and "人工填报必须注明来源文件" in nosource.text
    db.expire_all()  # read again what the app wrote
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None


def test_a_computed_indicator_takes_no_manual_entry(staff_client) -> None:
    client = staff_client("admin")
    page = _detail(client, WATER)
    assert "/manual" not in page.text  # no entry form for a computed figure
    sent = _post(client, WATER, "manual", csrf_of(page.text), value="99", source_document="x")
    assert sent.status_code == 422 and "由系统计算，不能人工填报" in sent.text


def test_a_form_without_the_csrf_token_is_refused_and_nothing_is_written(
    staff_client, db: Session
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
    db.expire_all()  # read again what the app wrote
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


def test_the_api_takes_a_manual_entry_with_the_csrf_header(staff_client, db: Session) -> None:
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
    db.expire_all()  # read again what the app wrote
    [audit] = _audit(db, "indicator_manual_entry", f"{SOIL}/{TEST_PERIOD}/{CITY}")
    assert audit.actor == "admin" and audit.after["value"] == 17.0


def test_an_office_user_enters_only_their_own_domain(staff_client, db: Session) -> None:
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
    db.expire_all()  # read again what the app wrote
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


@pytest.mark.parametrize("username", ["viewer", "leader"])
def test_read_only_roles_enter_nothing(staff_client, db: Session, username: str) -> None:
    client = staff_client(username)
    page = _detail(client, VEHICLES)
    assert page.status_code == 200 and "淘汰黄标车及老旧车辆数" in page.text
    assert 'method="post"' not in page.text.split("<main", 1)[-1]
    token = csrf_of(page.text)
    manual = _post(client, VEHICLES, "manual", token, value="5", source_document="文件")
    assert manual.status_code == 403 and "角色不能填报指标数值" in manual.text
    target = _post(client, VEHICLES, "target", token, value="5", source_document="文件")
    assert target.status_code == 403
    api = client.post(
        f"/api/v1/indicators/{VEHICLES}/manual",
        json={"period": TEST_PERIOD, "value": 5, "source_document": "文件"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 403
    db.expire_all()  # read again what the app wrote
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


# --- annual targets -------------------------------------------------------------------------------


def test_a_target_through_the_form_is_stored_shown_and_audited(staff_client, db: Session) -> None:
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
    db.expire_all()  # read again what the app wrote
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
    db.expire_all()  # read again what the app wrote
    changed = _audit(db, "indicator_target", entity)[-1]
    assert changed.action == "update"
    assert changed.before["value"] == 5000.0 and changed.after["value"] == 4500.0
    listing = client.get(f"/console/indicators?period={TEST_PERIOD}&area={CITY}&theme=air")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", listing.text, re.S) if VEHICLES in r)
    assert "不低于 4500" in _text(row) and "尚差 300" in _text(row)


def test_the_api_sets_a_target_for_the_roles_that_may(staff_client, db: Session) -> None:
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
    db.expire_all()  # read again what the app wrote
    [audit] = _audit(db, "indicator_target", f"{VEHICLES}/2010/{CITY}")
    assert audit.actor == "air" and audit.after["value"] == 90.0
    shown = air.get(f"/api/v1/indicators/{VEHICLES}?period={TEST_PERIOD}&area={CITY}").json()
    assert (
        shown["target"]["value"] == 90.0
        and shown["target"]["source_document"] == "目标责任书（测试）"
    )


def test_a_target_needs_its_source_document(staff_client, db: Session) -> None:
    client = staff_client("admin")
    token = csrf_of(_detail(client, VEHICLES).text)
    sent = _post(
        client, VEHICLES, "target", token, value="5000", direction=">=", source_document=""
    )
    assert sent.status_code == 422 and "年度目标必须注明来源文件" in sent.text
    db.expire_all()  # read again what the app wrote
    assert db.scalar(select(IndicatorTarget).where(IndicatorTarget.year == 2010)) is None


def test_a_branch_user_enters_no_figures_and_sets_no_targets(staff_client, db: Session) -> None:
    # The permission table: branch users edit their area's records and plans ("edit"), never
    # manual indicator values ("enter_value") nor targets. tests/web/test_permission_table.py
    # also tries the API and the import page, for branch and grid.
    client = staff_client("branch")
    page = _detail(client, SOIL, area=BRANCH_AREA)
    token = csrf_of(page.text)
    assert 'method="post"' not in page.text.split("<main", 1)[-1]  # no forms offered
    sent = _post(
        client,
        SOIL,
        "manual",
        token,
        area_code=BRANCH_AREA,
        value="3",
        source_document="区排查台账（测试）",
    )
    assert sent.status_code == 403 and "“分局”角色不能填报指标数值" in sent.text
    target = _post(
        client, SOIL, "target", token, area_code=BRANCH_AREA, value="3", source_document="x"
    )
    assert target.status_code == 403 and "年度目标" in target.text
    db.expire_all()  # read again what the app wrote
    assert db.scalar(select(ManualEntry).where(ManualEntry.period_code == TEST_PERIOD)) is None


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
    assert "无权查看其他区域的数据" in response.text
    # no section code leaks (the page's random CSRF token may contain the letters "W0")
    assert "W0" not in re.sub(r'name="csrf[-_]token"[^>]*>', "", response.text)


def test_a_branch_user_reads_their_own_districts_values(staff_client, db: Session) -> None:
    client = staff_client("branch")
    page = client.get(f"/console/indicators?period={PERIOD}&theme=water")
    assert "清江区 · 2026年上半年" in _text(page.text)
    picker = page.text.split('<select name="area">', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="(\d+)"', picker)
    assert options == [BRANCH_AREA]
    api = client.get(f"/api/v1/indicators/{WATER}?period={PERIOD}").json()
    assert api["area_code"] == BRANCH_AREA
    # 清江区's six sections; W05 is Ⅳ, the other five Ⅰ–Ⅲ: 5 / 6 = 83.33 → 83.3 %
    assert api["inputs"]["sections"] == BRANCH_SECTIONS
    assert api["value_reported"] == "83.3" and api["inputs"]["passing"] == BRANCH_SECTIONS[1:]
