"""报告 in the console: the half-year report generated from the page (for each test, into the
test's own temporary folder), downloaded as Word, PDF and HTML, each figure traced to its
provenance; file names that try to leave the folder and users outside the report's area are
refused.

Each test runs in a transaction rolled back afterwards (``demo_app``, ``demo_session``): the
audit entry a generation writes is seen by no other test.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from envbureau.core.accounts.models import AuditEntry
from factories.web import csrf_of, sign_in

pytestmark = pytest.mark.slow  # every test here reads the demo city's report

CITY, PERIOD = "990100", "2026H1"
BASE = f"/console/reports/{CITY}/{PERIOD}"
VOCS = "完成VOCs整治企业137家"
#: The demo city's 2026 H1 good-day rate, worked from the days the receipt counts: 优 34 + 良 139
#: = 173 good days of 181 valid ones (1 January to 30 June: 31+28+31+30+31+30, every day valid),
#: 173 / 181 = 95.58 %, printed at one decimal (GB/T 8170): 95.6.
GOOD_DAYS = {"优": 34, "良": 139, "轻度污染": 6, "中度污染": 0, "重度污染": 0, "严重污染": 2}
GOOD_DAY_RATE = "95.6"


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def output_dir(demo_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Reports go to this test's own folder, not the working directory."""
    folder = tmp_path / "out"
    folder.mkdir()
    settings = demo_app.state.settings.model_copy(update={"output_dir": folder})
    monkeypatch.setitem(demo_app.state._state, "settings", settings)
    return folder


@pytest.fixture
def generated(demo_app, output_dir: Path) -> dict[str, Any]:
    """The city's 2026 first-half report, generated from the page by the admin."""
    client = sign_in(TestClient(demo_app), "admin")
    token = csrf_of(client.get("/console/reports").text)
    page = client.post(
        "/console/reports/generate",
        data={"csrf_token": token, "year": "2026", "half": "1", "area": CITY},
    )
    folder = output_dir / "reports" / CITY / PERIOD
    return {
        "page": page,
        "folder": folder,
        "receipts": json.loads((folder / "figures.json").read_text("utf-8")),
    }


def _figure(receipts: dict[str, Any], **match: Any) -> dict[str, Any]:
    return next(f for f in receipts["figures"] if all(f.get(k) == v for k, v in match.items()))


def test_generating_shows_the_report_with_its_files_and_figures(
    generated: dict[str, Any], demo_session: Session
) -> None:
    page, receipts = generated["page"], generated["receipts"]
    assert page.status_code == 200, _text(page.text)[:2000]
    text = _text(page.text)
    figures = receipts["figures"]
    assert f"报告已生成：{len(figures)} 个数字，均可追溯" in text
    assert receipts["report"]["title"] in text and "2026年上半年" in text
    assert len(figures) > 20
    names = sorted(p.name for p in generated["folder"].iterdir() if p.is_file())
    title = receipts["report"]["title"]
    assert names == sorted(
        [*(f"{title}{s}" for s in (".docx", ".pdf", ".html", ".md")), "figures.json"]
    )
    for name in names:
        assert f"{BASE}/files/{quote(name)}" in page.text
    assert f'href="{BASE}/view"' in page.text

    # The good-day rate printed is the one worked by hand from the days counted (GOOD_DAYS).
    good = _figure(receipts, kind="indicator", indicator_id="air.good_day_rate", period=PERIOD)
    assert good["inputs"]["days_by_category"] == GOOD_DAYS
    assert good["coverage"]["expected"] == good["coverage"]["observed"] == 181
    assert good["printed"] == GOOD_DAY_RATE
    assert re.search(
        rf'<a href="{BASE}/figures/{good["id"]}">{good["id"]}</a></td>\s*<td>{good["name"]}</td>\s*'
        rf'<td class="num">{re.escape(GOOD_DAY_RATE)} %</td>',
        page.text,
    )

    entry = (
        demo_session.query(AuditEntry)
        .filter_by(entity_type="report", entity_id=f"{CITY}/{PERIOD}", actor="admin")
        .one()
    )
    assert entry.action == "generate" and entry.after["figures"] == len(figures)


def test_the_report_list_shows_the_generated_report(
    staff_client, generated: dict[str, Any]
) -> None:
    page = staff_client("leader").get("/console/reports")
    title = generated["receipts"]["report"]["title"]
    assert f'<a href="{BASE}">{title}</a>' in page.text
    assert "生成报告" not in _text(page.text)  # leaders read, they do not generate


def test_the_word_file_opens_and_holds_the_figures(staff_client, generated: dict[str, Any]) -> None:
    client = staff_client("leader")
    title = generated["receipts"]["report"]["title"]
    response = client.get(f"{BASE}/files/{quote(title + '.docx')}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert title in body and VOCS in body
    assert f"{GOOD_DAY_RATE}%" in body


def test_the_pdf_and_html_files_download(staff_client, generated: dict[str, Any]) -> None:
    client = staff_client("leader")
    title = generated["receipts"]["report"]["title"]
    pdf = client.get(f"{BASE}/files/{quote(title + '.pdf')}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    html = client.get(f"{BASE}/files/{quote(title + '.html')}")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert title in html.text and VOCS in re.sub(r"<[^>]+>", "", html.text)
    receipts = client.get(f"{BASE}/files/figures.json").json()
    assert receipts == generated["receipts"]


def test_the_console_view_links_each_figure_to_its_provenance(
    staff_client, generated: dict[str, Any]
) -> None:
    page = staff_client("leader").get(f"{BASE}/view")
    assert page.status_code == 200 and f'<a href="{BASE}">返回报告</a>' in page.text
    for figure in generated["receipts"]["figures"][:10]:
        assert f'href="{BASE}/figures/{figure["id"]}"' in page.text, figure["id"]
    assert 'href="#F001"' not in page.text


def test_a_figure_page_shows_its_provenance(staff_client, generated: dict[str, Any]) -> None:
    client = staff_client("leader")
    good = _figure(generated["receipts"], kind="indicator", indicator_id="air.good_day_rate")
    page = client.get(f"{BASE}/figures/{good['id']}")
    assert page.status_code == 200
    text = _text(page.text)
    assert f"{good['id']} {good['name']}" in text and good["printed"] in text
    assert "air.good_day_rate" in text
    assert f"{good['period_label']} {good['period']}" in text
    assert f"{good['area_name']} {good['area_code']}" in text and "示范市" in text
    assert "指标定义" in text and "输入" in text and good["inputs"]
    for key in good["inputs"]:
        assert f"&#34;{key}&#34;:" in page.text, key
    assert f" {GOOD_DAY_RATE} %" in text and "2026年上半年 2026H1" in text
    assert f"重算结果 {GOOD_DAY_RATE}，与报告一致" in text

    vocs = _figure(generated["receipts"], kind="record_quantity", name="完成家数")
    record = client.get(f"{BASE}/figures/{vocs['id'].lower()}")
    assert vocs["printed"] == "137" and vocs["record_id"].startswith("WR")
    link = f"/console/worklog/records/{vocs['record_id'][2:]}"
    assert f'<a href="{link}">{vocs["record_id"]}</a>' in record.text
    assert "重算结果 137，与报告一致" in _text(record.text)
    assert "重点行业VOCs污染整治" in client.get(link).text

    assert client.get(f"{BASE}/figures/F99999").status_code == 404
    assert client.get(f"{BASE}/figures/xyz").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/files/..%2F..%2F..%2Fetc%2Fpasswd",
        f"{BASE}/files/..%2Ffigures.json",
        f"{BASE}/files/%2E%2E",
        f"{BASE}/files/charts",
        f"{BASE}/files/good_day_rate.png",
        "/console/reports/..%2F..%2F/2026H1/files/figures.json",
        f"/console/reports/{CITY}/..%2F{PERIOD}/files/figures.json",
        f"/console/reports/{CITY}/2026H2/files/figures.json",
        "/console/reports/990100%2F..%2F990100/2026H1/view",
    ],
)
def test_file_names_that_leave_the_folder_are_refused(
    staff_client, generated: dict[str, Any], path: str
) -> None:
    response = staff_client("admin").get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and '"figures"' not in response.text


def test_a_branch_user_cannot_generate_or_read_the_city_report(
    staff_client, generated: dict[str, Any], output_dir: Path
) -> None:
    client = staff_client("branch")
    title = generated["receipts"]["report"]["title"]
    page = client.get("/console/reports")
    assert page.status_code == 200
    assert f'value="{CITY}"' not in page.text and 'value="990102"' in page.text
    assert title not in page.text
    for path in (
        BASE,
        f"{BASE}/view",
        f"{BASE}/files/{quote(title + '.docx')}",
        f"{BASE}/figures/F001",
    ):
        refused = client.get(path)
        assert refused.status_code == 403 and "无权查看其他区域的数据" in refused.text, path
    before = (output_dir / "reports" / CITY / PERIOD / "figures.json").stat().st_mtime_ns
    generate = client.post(
        "/console/reports/generate",
        data={"csrf_token": csrf_of(page.text), "year": "2026", "half": "1", "area": CITY},
    )
    assert generate.status_code == 403 and "无权查看其他区域的数据" in generate.text
    assert (output_dir / "reports" / CITY / PERIOD / "figures.json").stat().st_mtime_ns == before
    assert sorted(p.name for p in (output_dir / "reports").iterdir()) == [CITY]


@pytest.mark.parametrize("username", ["leader", "viewer", "grid"])
def test_roles_that_only_read_cannot_generate(
    staff_client, generated: dict[str, Any], output_dir: Path, username: str
) -> None:
    client = staff_client(username)
    token = csrf_of(client.get("/console").text)
    refused = client.post(
        "/console/reports/generate",
        data={"csrf_token": token, "year": "2026", "half": "2", "area": "990102"},
    )
    assert refused.status_code == 403 and "角色不能生成报告" in refused.text
    assert not (output_dir / "reports" / "990102").exists()


def test_generating_without_the_token_is_refused(staff_client, output_dir: Path) -> None:
    refused = staff_client("admin").post(
        "/console/reports/generate", data={"year": "2026", "half": "2", "area": "990103"}
    )
    assert refused.status_code == 403 and "安全令牌（CSRF）" in refused.text
    assert not (output_dir / "reports" / "990103").exists()
