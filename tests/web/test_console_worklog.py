"""工作台账 in the console: the demo's records with their 报告表述, audited edits through the
form, and who may see or change what (branch: its district only; the air office: 治气 only).

Each test runs in a transaction rolled back afterwards (``demo_app``, ``demo_session``): the
records edited here are dated 2011, made inside that transaction by the ``records_of_2011``
fixture, so what one test writes no other sees.
Expected figures are worked by hand from the demo's tables (``envbureau.demo.worklog``).
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.demo.worklog import RECORDS
from envbureau.worklog import service
from envbureau.worklog.models import WorkPlan, WorkRecord
from factories.web import csrf_of

pytestmark = pytest.mark.slow  # every test here reads the demo city

VOCS = "推进9个重点行业挥发性有机物（VOCs）污染整治，完成VOCs整治企业137家"
#: 2026 H1 clauses of the demo, one per theme, the braces replaced by hand with the quantities
#: of the same row of ``envbureau.demo.worklog.RECORDS`` (a value prints as written: 18.6, 137).
CLAUSES = {
    "清溪水库一级保护区隔离防护工程": "完成清溪水库饮用水水源一级保护区隔离防护设施建设，"
    "新建隔离围网18.6公里，设置界标和警示标志72块",
    "重点行业VOCs污染整治": VOCS,
    "危险废物规范化环境管理专项检查": "开展危险废物规范化环境管理专项检查，"
    "检查产生和经营单位253家，督促整改问题311个",
    "小五金塑料加工特色行业整治提升": "开展小五金、塑料制品加工等特色行业整治提升，"
    "完成整治214家，关停淘汰37家",
    "农村生活污水治理设施提标改造": "推进农村生活污水治理设施提标改造，已完工29个项目",
    "生态环境分区管控成果应用培训": "举办生态环境分区管控成果应用培训班，"
    "培训区县和部门业务骨干120人",
    "春季环境执法专项行动": "开展春季环境执法专项行动，出动执法人员4260人次，检查企业1835家次",
    "政务新媒体信息发布": "“示范生态环境”微信公众号和政务微博发布信息486条",
}


def _plain(html: str) -> str:
    """The page's main text with tags dropped (a clause's marked figures read as printed)."""
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))


def _key(record: WorkRecord) -> str:
    return f"{record.date.isoformat()}/{record.theme}/{record.title}"


@pytest.fixture
def records_of_2011(demo_session: Session) -> dict[str, int]:
    """Four 2011 records: 清江区 (air), 东湖区 (water), the city's air and water."""
    made = {
        "branch": ("2011-03-01", "air", "990102", "清江区巡查"),
        "east": ("2011-03-02", "water", "990103", "东湖区巡查"),
        "city_air": ("2011-03-03", "air", "990100", "全市大气巡查"),
        "city_water": ("2011-03-04", "water", "990100", "全市水巡查"),
    }
    ids: dict[str, int] = {}
    for name, (day, theme, area, title) in made.items():
        record = WorkRecord(
            date=date.fromisoformat(day),
            theme=theme,
            kind="campaign",
            title=title,
            text="检查企业{检查家数}家",
            quantities=[{"name": "检查家数", "value": 23, "unit": "家"}],
            area_code=area,
            attachments=[],
            created_by="test",
            updated_by="test",
        )
        demo_session.add(record)
        demo_session.flush()
        ids[name] = record.id
    return ids


def _record(session: Session, record_id: int) -> dict[str, Any]:
    session.expire_all()  # read again what the app wrote
    r = session.get(WorkRecord, record_id)
    assert r is not None
    return {
        "theme": r.theme,
        "area_code": r.area_code,
        "quantities": r.quantities,
        "text": service.render_text(r.text, r.quantities),
        "title": r.title,
        "key": _key(r),
    }


def _edit(
    client: TestClient, record_id: int, field: str, value: str, reason: str = "核对原始台账"
) -> Any:
    page = client.get(f"/console/worklog/records/{record_id}")
    token = csrf_of(page.text) if page.status_code == 200 else csrf_of(client.get("/console").text)
    return client.post(
        f"/console/worklog/records/{record_id}/edit",
        data={"csrf_token": token, "field": field, "value": value, "reason": reason},
        follow_redirects=False,
    )


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_the_demo_records_with_their_report_text(staff_client) -> None:
    client = staff_client("admin")
    page = client.get("/console/worklog?period=2026H1")
    assert page.status_code == 200
    text = _plain(page.text)
    assert "工作台账 · 2026年上半年" in text
    # 35 records: the 34 rows of the demo's RECORDS (治水 5, 治气 5, 治土 4, 行业整治 4,
    # 生态文明建设 4, 制度改革 4, 执法监管 4, 宣传 4) and 乡镇环保办建设, added by the demo part;
    # 28 plans for 2026 H2 (quality 8, beautiful 5, reform 5, enforcement 6, publicity 4).
    records, plans = 35, 28
    assert f"工作台账（{records} 条）" in text
    assert f"2026年下半年工作安排（{plans} 项）" in text
    for row in RECORDS:
        assert row[3] in text, row[3]
    assert "乡镇环保办建设" in text and "上半年新设环保办" in text
    for title, clause in CLAUSES.items():
        assert clause in text, title
    assert '<mark class="qty" title="完成家数：137家">137</mark>' in page.text
    assert "印发年度水污染防治工作实施方案" in text and "巩固已消劣断面水质" in text

    # Filtering by theme keeps only that theme's records (and the plans of its domain).
    air = _plain(client.get("/console/worklog?period=2026H1&theme=air").text)
    assert "工作台账（5 条）" in air and VOCS in air and "清江东溪入河排污口排查整治" not in air
    assert "夏秋季臭氧污染防控" in air and "巩固已消劣断面水质" not in air

    listed = client.get("/api/v1/worklog?period=2026H1").json()
    assert listed["period"] == "2026H1" and listed["plans_period"] == "2026H2"
    assert len(listed["records"]) == records and len(listed["plans"]) == plans
    vocs = next(r for r in listed["records"] if r["title"] == "重点行业VOCs污染整治")
    assert vocs["text"] == VOCS and vocs["theme_name"] == "治气" and vocs["date"] == "2026-03-16"
    assert {"name": "完成家数", "value": 137, "unit": "家"} in vocs["quantities"]
    detail = client.get(vocs["url"])
    assert VOCS in _plain(detail.text) and "完成家数=137家" in detail.text


def test_a_bad_period_is_reported_and_the_latest_half_year_shown(staff_client) -> None:
    page = staff_client("admin").get("/console/worklog?period=2026H3")
    assert page.status_code == 200
    text = _plain(page.text)
    assert 'role="alert"' in page.text and "工作台账 · 2026年上半年" in text
    api = staff_client("admin").get("/api/v1/worklog?period=2026H3")
    assert api.status_code == 422


def test_anonymous_is_sent_to_login_and_the_api_says_401(anonymous: TestClient) -> None:
    page = anonymous.get("/console/worklog", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert anonymous.get("/api/v1/worklog").status_code == 401
    assert anonymous.get("/api/v1/worklog/records/1").status_code == 401


# --- editing ---------------------------------------------------------------------------------


def test_an_edit_through_the_form_changes_the_record_and_is_audited(
    staff_client, records_of_2011: dict[str, int], demo_session: Session
) -> None:
    client = staff_client("admin")
    record_id = records_of_2011["city_air"]
    before = _record(demo_session, record_id)
    assert before["text"] == "检查企业23家"

    done = _edit(client, record_id, "quantities", "检查家数=31家", reason="核对原始台账后更正")
    assert done.status_code == 303
    assert done.headers["location"] == f"/console/worklog/records/{record_id}?saved=1"
    after = _record(demo_session, record_id)
    assert after["quantities"] == [{"name": "检查家数", "value": 31, "unit": "家"}]

    page = client.get(done.headers["location"])
    text = _plain(page.text)
    assert "已保存，修改已记入审计日志" in text and "检查企业31家" in text
    history = html.unescape(page.text.split("修改记录", 1)[1])
    assert "admin" in history and "核对原始台账后更正" in history and "update" in history
    assert '"value": 23' in history and '"value": 31' in history

    audit = client.get(
        "/console/system/audit", params={"entity_type": "work_record", "actor": "admin"}
    )
    row = next(r for r in html.unescape(audit.text).split("<tr>") if before["key"] in r)
    assert "核对原始台账后更正" in row and '"value": 23' in row and '"value": 31' in row
    assert "<td>admin</td>" in row and "<td>update</td>" in row

    # A new title gives the item a new key in the log: its page still shows the whole history.
    renamed = _edit(client, record_id, "title", f"更正后{before['title']}", reason="标题更正")
    assert renamed.status_code == 303
    history = html.unescape(client.get(renamed.headers["location"]).text.split("修改记录", 1)[1])
    assert "标题更正" in history and f'"title": "更正后{before["title"]}"' in history
    assert "核对原始台账后更正" in history and '"value": 23' in history
    assert history.index("标题更正") < history.index("核对原始台账后更正")  # newest first


def test_a_form_without_the_token_is_refused_and_changes_nothing(
    staff_client, records_of_2011: dict[str, int], demo_session: Session
) -> None:
    client = staff_client("admin")
    record_id = records_of_2011["city_water"]
    before = _record(demo_session, record_id)
    for token in ({}, {"csrf_token": "not-the-token"}):
        refused = client.post(
            f"/console/worklog/records/{record_id}/edit",
            data={"field": "text", "value": "改写的表述", "reason": "无令牌", **token},
            follow_redirects=False,
        )
        assert refused.status_code == 403
        assert "安全令牌（CSRF）" in refused.text
    assert _record(demo_session, record_id) == before


def test_an_invalid_value_shows_the_rule_and_changes_nothing(
    staff_client, records_of_2011: dict[str, int], demo_session: Session
) -> None:
    client = staff_client("admin")
    record_id = records_of_2011["city_water"]
    before = _record(demo_session, record_id)
    bad = _edit(client, record_id, "text", "检查企业{未知数量}家")
    assert bad.status_code == 422
    assert "修改未通过校验，未保存" in _plain(bad.text) and "未知数量" in bad.text
    no_reason = _edit(client, record_id, "text", "检查企业{检查家数}家（复核）", reason=" ")
    assert no_reason.status_code == 422 and "修改须写明原因" in no_reason.text
    assert _record(demo_session, record_id) == before


# --- who may see and change what -------------------------------------------------------------


def test_a_branch_user_sees_only_its_district(
    staff_client, records_of_2011: dict[str, int], demo_session: Session
) -> None:
    client = staff_client("branch")
    own, east = (
        _record(demo_session, records_of_2011["branch"]),
        _record(demo_session, records_of_2011["east"]),
    )
    city = _record(demo_session, records_of_2011["city_air"])
    text = _plain(client.get("/console/worklog?period=2011H1").text)
    assert "工作台账（1 条）" in text and own["title"] in text
    assert east["title"] not in text and city["title"] not in text
    assert "只列出本账号所辖区域（990102 及下级区域）的事项" in text

    # The 2026 demo records are the city's and other districts': none is 清江区's.
    demo = _plain(client.get("/console/worklog?period=2026H1").text)
    assert "该时段没有工作台账" in demo and "重点行业VOCs污染整治" not in demo

    for other in ("east", "city_air"):
        page = client.get(f"/console/worklog/records/{records_of_2011[other]}")
        assert page.status_code == 403 and "无权查看其他区域的数据" in page.text
        api = client.get(f"/api/v1/worklog/records/{records_of_2011[other]}")
        assert api.status_code == 403 and api.json()["detail"] == [
            {
                "loc": [],
                "code": "auth.forbidden",
                "msg": "无权查看其他区域的数据",
                "value": None,
                "type": "auth.forbidden",
            }
        ]
    assert client.get("/console/worklog?area=990103").status_code == 403
    assert client.get("/api/v1/worklog?area=990103").status_code == 403
    listed = client.get("/api/v1/worklog?period=2011H1").json()
    assert [r["title"] for r in listed["records"]] == [own["title"]]
    assert listed["area_code"] == "990102"

    city_plan = demo_session.scalar(select(WorkPlan.id).where(WorkPlan.area_code == "990100"))
    assert client.get(f"/console/worklog/plans/{city_plan}").status_code == 403
    assert client.get(f"/api/v1/worklog/plans/{city_plan}").status_code == 403

    mine = client.get(f"/api/v1/worklog/records/{records_of_2011['branch']}").json()
    # The fixture's clause 检查企业{检查家数}家 with 检查家数=23家.
    assert mine["text"] == "检查企业23家" and mine["area_code"] == "990102"
    assert mine["id"] == f"WR{records_of_2011['branch']}" and mine["date"] == "2011-03-01"
    assert mine["quantities"] == [{"name": "检查家数", "value": 23, "unit": "家"}]


def test_a_branch_user_edits_its_own_records_but_not_another_districts(
    staff_client, records_of_2011: dict[str, int], demo_session: Session
) -> None:
    client = staff_client("branch")
    east_id, own_id = records_of_2011["east"], records_of_2011["branch"]
    east = _record(demo_session, east_id)
    refused = _edit(client, east_id, "text", "检查企业{检查家数}家（分局改）")
    assert refused.status_code == 403 and "无权查看其他区域的数据" in refused.text
    assert _record(demo_session, east_id) == east

    own = _record(demo_session, own_id)
    moved = _edit(client, own_id, "area_code", "990103", reason="移到东湖区")
    assert moved.status_code == 403
    assert _record(demo_session, own_id) == own  # the change was rolled back

    done = _edit(client, own_id, "text", "巡查检查企业{检查家数}家", reason="补全表述")
    assert done.status_code == 303
    assert _record(demo_session, own_id)["text"] == "巡查检查企业23家"


def test_the_air_office_edits_only_air_items(
    staff_client, records_of_2011: dict[str, int], demo_session: Session
) -> None:
    client = staff_client("air")
    air_id, water_id = records_of_2011["city_air"], records_of_2011["city_water"]
    assert "保存修改" in client.get(f"/console/worklog/records/{air_id}").text
    water_page = client.get(f"/console/worklog/records/{water_id}")
    assert water_page.status_code == 200 and "保存修改" not in water_page.text

    water = _record(demo_session, water_id)
    refused = _edit(client, water_id, "text", "检查企业{检查家数}家（大气科改）")
    assert refused.status_code == 403 and "只能修改本科室业务领域的数据" in refused.text
    assert _record(demo_session, water_id) == water

    air = _record(demo_session, air_id)
    to_water = _edit(client, air_id, "theme", "治水", reason="改主题")
    assert to_water.status_code == 403
    assert _record(demo_session, air_id) == air

    done = _edit(client, air_id, "text", "专项检查企业{检查家数}家", reason="大气科补充")
    assert done.status_code == 303
    assert _record(demo_session, air_id)["text"].startswith("专项检查企业")

    # Plans: one serving an air indicator is the office's, a water one is not.
    ozone = demo_session.scalar(select(WorkPlan.id).where(WorkPlan.title == "夏秋季臭氧污染防控"))
    water_plan = demo_session.scalar(
        select(WorkPlan.id).where(WorkPlan.title == "巩固已消劣断面水质")
    )
    assert "保存修改" in client.get(f"/console/worklog/plans/{ozone}").text
    assert "保存修改" not in client.get(f"/console/worklog/plans/{water_plan}").text


@pytest.mark.parametrize("username", ["leader", "viewer"])
def test_read_only_roles_see_items_but_cannot_edit(
    staff_client, records_of_2011: dict[str, int], demo_session: Session, username: str
) -> None:
    client = staff_client(username)
    record_id = records_of_2011["city_air"]
    page = client.get(f"/console/worklog/records/{record_id}")
    assert page.status_code == 200 and "保存修改" not in page.text
    before = _record(demo_session, record_id)
    refused = _edit(client, record_id, "text", "只读用户改{检查家数}")
    assert refused.status_code == 403 and "角色只能查看" in refused.text
    assert _record(demo_session, record_id) == before


@pytest.fixture
def ozone_plan(demo_session: Session) -> int:
    """The demo's 夏秋季臭氧污染防控 plan (its edits are rolled back with the test)."""
    return demo_session.scalars(
        select(WorkPlan.id).where(WorkPlan.title == "夏秋季臭氧污染防控")
    ).one()


def test_the_air_office_edits_an_air_plan_and_not_a_water_plan(
    staff_client, ozone_plan: int, demo_session: Session
) -> None:
    client = staff_client("air")
    page = client.get(f"/console/worklog/plans/{ozone_plan}")
    assert "工作安排 WP" in _plain(page.text) and "2026-10-31" in page.text
    done = client.post(
        f"/console/worklog/plans/{ozone_plan}/edit",
        data={
            "csrf_token": csrf_of(page.text),
            "field": "deadline",
            "value": "2026-10-15",
            "reason": "提前完成",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    shown = client.get(done.headers["location"])
    history = html.unescape(shown.text.split("修改记录", 1)[1])
    assert '"deadline": "2026-10-31"' in history and '"deadline": "2026-10-15"' in history
    assert "提前完成" in history and "<td>air</td>" in history
    assert client.get(f"/api/v1/worklog/plans/{ozone_plan}").json()["deadline"] == "2026-10-15"

    water = demo_session.scalars(
        select(WorkPlan).where(WorkPlan.title == "巩固已消劣断面水质")
    ).one()
    water_id, water_deadline = water.id, water.deadline
    refused = client.post(
        f"/console/worklog/plans/{water_id}/edit",
        data={
            "csrf_token": csrf_of(page.text),
            "field": "deadline",
            "value": "2026-10-15",
            "reason": "越权",
        },
        follow_redirects=False,
    )
    assert refused.status_code == 403 and "只能修改本科室业务领域的数据" in refused.text
    demo_session.expire_all()  # read again what the app wrote
    assert demo_session.get(WorkPlan, water_id).deadline == water_deadline  # type: ignore[union-attr]
