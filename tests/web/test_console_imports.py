"""数据导入 in the console: check first (every error, nothing written), confirm, history, rights.

The demo city is shared by the whole run: the files here write only a 2010 hour of air data
(no other test reads 2010) and remove it again, or are refused before anything is written.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.importing.models import ImportRecord
from envbureau.worklog.models import WorkRecord
from factories.web import csrf_of

RECORD_HEADER = "日期,主题,类别,标题,报告表述,数量,区划代码\n"
AIR_FILE = "站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5\n9901A,2010-01-01 01:00,8,30,0.6,40,60,35\n9901A,2010-01-01 02:00,9,31,0.7,38,62,36\n"


@pytest.fixture
def folders(demo_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads go to this test's own folder, not the working directory."""
    settings = demo_app.state.settings.model_copy(update={"data_dir": tmp_path / "var"})
    monkeypatch.setitem(demo_app.state._state, "settings", settings)
    return tmp_path / "var" / "uploads"


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _check(client: TestClient, kind: str, name: str, content: str | bytes) -> Any:
    token = csrf_of(client.get("/console/imports").text)
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        "/console/imports/check",
        data={"csrf_token": token, "kind": kind},
        files={"file": (name, data, "text/csv")},
    )


def _confirm_form(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert {"kind", "sha256", "file_name", "csrf_token"} <= set(fields), fields
    return fields


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_bad_file_shows_every_error_with_row_and_column_and_writes_nothing(
    staff_client, folders: Path, demo_session: Session
) -> None:
    before = _count(demo_session, WorkRecord)
    bad = (
        RECORD_HEADER
        + "2010-13-40,治气,会议,日期错,开会,,990100\n"
        + "2010-03-01,治风,会议,主题错,开会,,990100\n"
        + "2010-03-02,治气,会议,花括号,开会{次数}次,,990100\n"
        + "2010-03-03,治气,会议,区划错,开会,,990999\n"
    )
    response = _check(staff_client("admin"), "work_records", "台账.csv", bad)
    assert response.status_code == 422
    text = _text(response.text)
    assert "共 4 处错误，未写入任何数据" in text
    rows = re.findall(
        r"<tr>\s*<td>台账.csv</td>\s*<td class=\"num\">(\d+)</td>\s*<td>([^<]*)</td>", response.text
    )
    assert rows == [("2", "日期"), ("3", "主题"), ("4", "报告表述"), ("5", "区划代码")]
    assert "2010-13-40" in text and "治风" in text and "990999" in text
    assert "确认导入" not in text
    assert _count(demo_session, WorkRecord) == before
    assert not folders.exists() or not any(folders.iterdir())  # nothing kept for a bad file


def test_a_good_file_is_checked_confirmed_listed_and_the_same_file_changes_nothing(
    staff_client, folders: Path, demo_session: Session
) -> None:
    client = staff_client("air")
    checked = _check(client, "air_observations", "空气2010.csv", AIR_FILE)
    assert checked.status_code == 200, _text(checked.text)
    assert "校验通过：2 行，尚未写入" in _text(checked.text)
    assert re.search(r'id="created">2<', checked.text)
    form = _confirm_form(checked.text)
    assert form["kind"] == "air_observations" and re.fullmatch(r"[0-9a-f]{64}", form["sha256"])
    assert (folders / form["sha256"]).is_file()  # the bytes stay on the server
    records_before = _count(demo_session, ImportRecord)

    done = client.post("/console/imports/confirm", data=form)
    assert done.status_code == 200 and "导入完成：2 行已写入" in _text(done.text)
    assert _count(demo_session, ImportRecord) == records_before + 1
    history = _text(client.get("/console/imports/history").text)
    assert (
        "空气2010.csv" in history and "空气质量小时数据（模板格式）" in history and "air" in history
    )

    again = _check(client, "air_observations", "空气2010.csv", AIR_FILE)
    assert re.search(r'id="created">0<', again.text) and re.search(r'id="unchanged">2<', again.text)
    assert "同一文件已于" in _text(again.text)
    repeated = client.post("/console/imports/confirm", data=_confirm_form(again.text))
    assert "文件内容与数据库一致，未作任何更改" in _text(repeated.text)
    assert _count(demo_session, ImportRecord) == records_before + 1

    listed = client.get("/api/v1/imports/history").json()
    assert listed[0]["file"] == "空气2010.csv" and listed[0]["created"] == 2


def test_the_air_office_may_not_import_water_samples(staff_client, folders: Path) -> None:
    client = staff_client("air")
    page = client.get("/console/imports")
    assert 'value="air_observations"' in page.text and 'value="water_samples"' not in page.text
    refused = _check(client, "water_samples", "水.csv", "断面编码,监测时间\nS1,2010-01-01 08:00\n")
    assert refused.status_code == 403 and "只能修改本科室业务领域的数据" in refused.text
    api = client.post(
        "/api/v1/imports/water_samples?dry_run=true",
        headers={"X-CSRF-Token": csrf_of(page.text)},
        files={"file": ("水.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert api.status_code == 403


def test_rows_outside_the_offices_domain_are_errors_naming_row_and_column(
    staff_client, folders: Path
) -> None:
    rows = (
        RECORD_HEADER
        + "2010-03-01,治气,会议,大气会,开会,,990100\n2010-03-02,治水,会议,水会,开会,,990100\n"
    )
    response = _check(staff_client("air"), "work_records", "台账.csv", rows)
    assert response.status_code == 422
    text = _text(response.text)
    assert (
        "共 1 处错误" in text
        and "台账.csv 3 主题" in text
        and "不在本科室的业务领域（治气）内" in text
    )


def test_a_branch_importing_another_districts_record_gets_a_row_and_column_error(
    staff_client, folders: Path, demo_session: Session
) -> None:
    before = _count(demo_session, WorkRecord)
    rows = (
        RECORD_HEADER
        + "2010-03-01,治气,会议,清江区会议,开会,,990102\n"
        + "2010-03-02,治气,会议,东湖区会议,开会,,990103\n"
    )
    client = staff_client("branch")
    response = _check(client, "work_records", "分局台账.csv", rows)
    assert response.status_code == 422
    text = _text(response.text)
    assert "共 1 处错误" in text and "分局台账.csv 3 区划代码 990103" in text
    assert "不在本账号所辖区域（清江区（990102）及其下级区域）内" in text
    assert _count(demo_session, WorkRecord) == before
    assert _check(client, "air_stations", "站点.csv", "a\n1\n").status_code == 403


def test_leaders_and_viewers_import_nothing(staff_client, folders: Path) -> None:
    for username in ("leader", "viewer"):
        client = staff_client(username)
        page = client.get("/console/imports")
        assert page.status_code == 200 and "不能导入数据" in _text(page.text)
        refused = _check(client, "work_records", "台账.csv", RECORD_HEADER)
        assert refused.status_code == 403 and "只能查看" in refused.text


def test_the_api_dry_run_reports_counts_and_errors_without_writing(
    staff_client, folders: Path, demo_session: Session
) -> None:
    client = staff_client("admin")
    token = csrf_of(client.get("/console/imports").text)
    before = _count(demo_session, WorkRecord)
    good = (
        RECORD_HEADER + "2010-03-01,治气,会议,接口试导入,开会{次数}次,次数=2次,990100\n"
    ).encode()
    answer = client.post(
        "/api/v1/imports/work_records?dry_run=true",
        headers={"X-CSRF-Token": token},
        files={"file": ("接口.csv", good, "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["dry_run"] is True and body["created"] == 1 and body["rows"] == 1
    bad = (RECORD_HEADER + "2010-03-01,治气,会议,接口试导入,开会,,990999\n").encode()
    refused = client.post(
        "/api/v1/imports/work_records?dry_run=true",
        headers={"X-CSRF-Token": token},
        files={"file": ("接口.csv", bad, "text/csv")},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["接口.csv", 2, "区划代码"]
    assert _count(demo_session, WorkRecord) == before
    unsigned = client.post(
        "/api/v1/imports/work_records?dry_run=true", files={"file": ("接口.csv", good, "text/csv")}
    )
    assert unsigned.status_code == 403


def test_templates_download_as_real_xlsx_with_chinese_headers(staff_client) -> None:
    client = staff_client("viewer")
    response = client.get("/console/imports/templates/work_records.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:5] == ["日期", "主题", "类别", "标题", "报告表述"]
    assert "填写说明" in workbook.sheetnames
    air = load_workbook(
        io.BytesIO(client.get("/console/imports/templates/air_observations.xlsx").content)
    )
    assert [c.value for c in air.worksheets[0][1]][:2] == ["站点编码", "时间"]
    assert client.get("/console/imports/templates/nothing.xlsx").status_code == 404


def test_forms_without_the_csrf_token_are_refused(staff_client, folders: Path) -> None:
    client = staff_client("admin")
    check = client.post(
        "/console/imports/check",
        data={"kind": "work_records"},
        files={"file": ("台账.csv", RECORD_HEADER.encode(), "text/csv")},
    )
    assert check.status_code == 403
    confirm = client.post(
        "/console/imports/confirm",
        data={"kind": "work_records", "sha256": "0" * 64, "file_name": "x.csv"},
    )
    assert confirm.status_code == 403


def test_confirm_accepts_only_the_digest_of_a_kept_upload(staff_client, folders: Path) -> None:
    client = staff_client("admin")
    token = csrf_of(client.get("/console/imports").text)
    for digest in ("../../etc/passwd", "0" * 64):
        response = client.post(
            "/console/imports/confirm",
            data={
                "csrf_token": token,
                "kind": "work_records",
                "sha256": digest,
                "file_name": "x.csv",
            },
        )
        assert response.status_code == 422
        assert "上传文件的标识无效" in response.text or "请重新上传" in response.text
