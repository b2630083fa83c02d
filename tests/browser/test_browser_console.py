"""The console in a real browser: log in, the dashboard's charts drawn, an import refused and
one confirmed, the half-year report generated and downloaded as Word.

The demo city is shared by the whole run: the import writes only 2010 air hours (no other test
reads 2010) and removes them again; the report is the one the demo already wrote (2026 first
half of 示范市), written here to the live server's own output folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from docx import Document
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from envbureau.air.models import Observation
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.db import make_engine, session_scope
from envbureau.core.importing.models import ImportRecord

CITY = "990100"
AIR_FILE_NAME = "浏览器空气2010.csv"
AIR_FILE = (
    "站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5\n"
    "9901A,2010-02-01 01:00,7,28,0.5,41,58,33\n"
    "9901A,2010-02-01 02:00,8,29,0.6,39,61,34\n"
)
RECORDS_WITH_ERRORS = (
    "日期,主题,类别,标题,报告表述,数量,区划代码\n"
    "2010-03-01,治气,会议,浏览器好行,开会,,990100\n"
    "2010-02-30,治气,会议,日期错,开会,,990100\n"
    "2010-03-03,治气,会议,区划错,开会,,990999\n"
)
#: Generating the report computes every figure and renders five formats.
REPORT_TIMEOUT_MS = 120_000


def assert_all_local(requested: list[str], base: str) -> None:
    """Every network request of the page went to the live server (no CDN, no map tiles)."""
    assert requested, "the page made no request at all"
    local = urlsplit(base).netloc
    remote = [u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert [u for u in remote if urlsplit(u).netloc != local] == []


def test_login_shows_the_dashboard_with_its_charts_drawn_from_local_files_only(
    sign_in, requested: list[str], live_server: str
) -> None:
    page = sign_in("admin")
    assert page.locator(".who").inner_text().startswith("系统管理员（")
    assert page.locator("h1").inner_text() == "首页 · 示范市"
    page.wait_for_function(
        "() => document.querySelectorAll('.plotly-graph-div').length > 0 && "
        "[...document.querySelectorAll('.plotly-graph-div')]"
        ".every(d => d.querySelector('.main-svg'))"
    )
    charts = page.locator(".plotly-graph-div")
    assert page.locator(".js-plotly-plot").count() == charts.count()
    drawn = {
        s: page.locator(f"section[aria-labelledby=h-{s}] .js-plotly-plot").count()
        for s in ("months", "stations", "water")
    }
    # Good-day rate and PM2.5 month by month; the stations' map; the water sections' map.
    assert drawn == {"months": 2, "stations": 1, "water": 1}
    titles = [t or "" for t in page.locator(".js-plotly-plot .gtitle").all_text_contents()]
    assert sum("逐月，与上年同月比较" in t for t in titles) == 2, titles
    assert any(t.startswith("各站点") and t.endswith("日 AQI") for t in titles), titles

    stations = page.locator("section[aria-labelledby=h-stations]")
    rows = stations.locator("tbody tr").count()
    assert rows > 0
    assert stations.locator(".js-plotly-plot .scatterlayer path.point").count() == rows
    bars = page.locator(".js-plotly-plot .barlayer path")
    assert bars.count() > 0  # the good-day-rate chart is drawn as bars

    assert any(u.endswith("/static/vendor/plotly.min.js") for u in requested)
    assert_all_local(requested, live_server)


@contextmanager
def database(url: str) -> Iterator[Session]:
    """A committing session on the demo city, its engine disposed after (PostgreSQL drops the
    database at the end of the run)."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


@pytest.fixture
def browser_air_hours(demo_database_url: str) -> Iterator[None]:
    """Remove what the import writes (2010 air hours nobody else reads) afterwards."""
    yield
    with database(demo_database_url) as session:
        records = session.scalars(
            select(ImportRecord.id).where(ImportRecord.file_name == AIR_FILE_NAME)
        ).all()
        session.execute(delete(Observation).where(Observation.time_utc < datetime(2011, 1, 1)))
        session.execute(
            delete(AuditEntry).where(
                AuditEntry.entity_type == "import", AuditEntry.entity_id.in_(map(str, records))
            )
        )
        session.execute(delete(ImportRecord).where(ImportRecord.id.in_(records)))


def _upload(page, kind: str, name: str, content: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/console/imports")
    page.select_option("select[name=kind]", kind)
    page.set_input_files(
        "input[name=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}],
    )
    page.get_by_role("button", name="校验文件").click()
    _wait_for_job(page)


def _wait_for_job(page) -> None:  # type: ignore[no-untyped-def]
    """Checking and importing run as background jobs: the job page polls its status
    (static/import-job.js) and reloads with the result once the job has finished."""
    page.wait_for_load_state()
    page.wait_for_function(
        "() => !document.getElementById('import-job')", timeout=120_000, polling=500
    )
    page.wait_for_load_state()


def _air_hours_of_2010(url: str) -> int:
    with database(url) as session:
        query = select(func.count()).where(Observation.time_utc < datetime(2011, 1, 1))
        return session.scalar(query) or 0


def test_a_file_with_errors_shows_them_and_a_good_file_is_imported(
    sign_in,
    requested: list[str],
    live_server: str,
    demo_database_url: str,
    browser_air_hours: None,
) -> None:
    page = sign_in("admin")
    _upload(page, "work_records", "浏览器台账.csv", RECORDS_WITH_ERRORS)
    assert page.locator("h1").inner_text() == "工作台账：浏览器台账.csv"
    alert = page.get_by_role("alert").inner_text()
    assert alert.startswith("校验未通过：共 2 处错误，未写入任何数据")
    cells = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()[:4]]
        for row in page.locator("table.errors tbody tr").all()
    ]
    assert cells == [
        ["浏览器台账.csv", "3", "日期", "2010-02-30"],
        ["浏览器台账.csv", "4", "区划代码", "990999"],
    ]
    assert page.get_by_role("button", name="确认导入").count() == 0

    assert _air_hours_of_2010(demo_database_url) == 0
    _upload(page, "air_observations", AIR_FILE_NAME, AIR_FILE)
    assert page.get_by_role("status").inner_text().startswith("校验通过：2 行，尚未写入")
    assert page.locator("#created").inner_text() == "2"
    assert _air_hours_of_2010(demo_database_url) == 0  # checking writes nothing
    page.get_by_role("button", name="确认导入").click()
    _wait_for_job(page)
    done = page.get_by_role("status").inner_text()
    assert re.fullmatch(r"导入完成：2 行已写入（导入记录 \d+）。", done), done
    assert _air_hours_of_2010(demo_database_url) == 2

    page.goto("/console/imports/history")
    assert AIR_FILE_NAME in page.locator("main").inner_text()
    assert_all_local(requested, live_server)


@pytest.fixture
def report_audit(demo_database_url: str) -> Iterator[None]:
    """Remove the audit entries the generation writes (other tests count audit entries)."""
    with database(demo_database_url) as session:
        last = session.scalar(select(func.max(AuditEntry.id))) or 0
    yield
    with database(demo_database_url) as session:
        session.execute(
            delete(AuditEntry).where(AuditEntry.id > last, AuditEntry.entity_type == "report")
        )


def test_the_half_year_report_is_generated_and_downloaded_as_word(
    sign_in,
    requested: list[str],
    live_server: str,
    server_folders: Path,
    tmp_path: Path,
    report_audit: None,
) -> None:
    page = sign_in("admin")
    page.goto("/console/reports")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=half]", "1")
    page.select_option("select[name=area]", CITY)
    # The click waits for the page it posts to: the whole generation.
    page.get_by_role("button", name="生成").click(timeout=REPORT_TIMEOUT_MS)
    status = page.get_by_role("status").inner_text()
    figures = page.locator("table.figures tbody tr").count()
    assert figures > 0 and status == f"报告已生成：{figures} 个数字，均可追溯。"
    assert "2026年上半年" in page.locator("main").inner_text()

    word = page.locator("ul.downloads a", has_text="Word（")
    with page.expect_download() as info:
        word.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    on_server = server_folders / "out" / "reports" / CITY / "2026H1" / download.suggested_filename
    assert saved.read_bytes() == on_server.read_bytes()
    assert saved.read_bytes()[:2] == b"PK"  # a zip, as every .docx

    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "示范市" in text and "2026年上半年" in text
    assert re.search(r"[\u4e00-\u9fff]{20}", text)  # running Chinese prose, not only a title
    assert_all_local(requested, live_server)


def test_the_api_documentation_renders_from_local_files_only(
    page, requested: list[str], live_server: str
) -> None:
    """Swagger UI (served from the installed swagger-ui-py) draws the OpenAPI 3.1 document."""
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_text_contents()
    assert "/api/v1/me" in [p.replace("\u200b", "") for p in paths]
    assert page.get_by_text("Unable to render this definition").count() == 0
    assert any(u.endswith("/api/v1/openapi.json") for u in requested)
    assert_all_local(requested, live_server)
