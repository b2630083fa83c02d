"""GET requests never write (issue 11: 20 viewer GETs added 1,019 rows; on PostgreSQL 10
concurrent viewer GETs gave 9 × 500).

Every GET route of the console, the API and the portal is read as each demo role and as a
stranger: the row count of every table is the same afterwards, no page fails, and none carries
inline script (the Content-Security-Policy forbids it). A GET session is marked read-only
(``core.freshness``), so a page that tries to write fails here with ``WriteInReadOnlySession``
instead of passing silently. Then 10 viewers read the busiest pages at once from a real server.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau import domains
from envbureau.core.config import Settings
from envbureau.core.db import Base
from envbureau.demo.accounts import ACCOUNTS
from envbureau.web.app import create_app
from envbureau.worklog.models import WorkPlan, WorkRecord
from factories.web import csrf_of, served, sign_in

pytestmark = pytest.mark.slow  # the demo city, built once per run

CITY, PERIOD = "990100", "2026H1"
#: A value for each path parameter the routes have, from the demo city.
SAMPLES = {
    "code": None,  # per route: a station (air) or a section (water)
    "kind": "work_records",
    "indicator_id": "air.good_day_rate",
    "area": CITY,
    "period": PERIOD,
    "figure_id": "F001",
}
#: Query strings some routes need to show anything.
QUERIES = {"/api/v1/water/sections/{code}/samples": "?from=2026-06-01&to=2026-06-30"}
ROLES = ("admin", "leader", "air", "branch", "grid", "viewer")
#: ``<script>`` elements a page may have: a file of this site, or a chart's JSON data.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def get_routes() -> list[str]:
    paths = []
    for router in domains.routers():
        for route in router.routes:
            if isinstance(route, APIRoute) and "GET" in route.methods:
                paths.append(route.path)
    return sorted(set(paths))


def concrete(path: str, worklog: dict[str, int], report_file: str) -> str:
    values = dict(SAMPLES)
    values["code"] = "W01" if "/water/" in path else "9901A"
    values["name"] = report_file
    values["item_id"] = worklog["plans" if "/plans/" in path else "records"]
    filled = re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "1")), path)
    return filled + QUERIES.get(path, "")


def row_counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def report_app(demo_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The per-test app with the city's half-year report generated into this test's folder."""
    settings = demo_app.state.settings.model_copy(update={"output_dir": tmp_path / "out"})
    monkeypatch.setitem(demo_app.state._state, "settings", settings)
    client = sign_in(TestClient(demo_app), "admin")
    token = csrf_of(client.get("/console/reports").text)
    generated = client.post(
        "/console/reports/generate",
        data={"csrf_token": token, "year": "2026", "half": "1", "area": CITY},
    )
    assert generated.status_code == 200, generated.text[:500]
    return demo_app


def test_no_get_of_any_role_writes_fails_or_carries_inline_script(
    report_app, demo_session: Session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    worklog = {
        "records": demo_session.scalar(select(func.min(WorkRecord.id))),
        "plans": demo_session.scalar(select(func.min(WorkPlan.id))),
    }
    folder = tmp_path / "out" / "reports" / CITY / PERIOD
    report_file = next(p.name for p in sorted(folder.iterdir()) if p.suffix == ".md")
    paths = [concrete(p, worklog, report_file) for p in get_routes()]
    clients = {"anonymous": TestClient(report_app, raise_server_exceptions=False)}
    for role in ROLES:  # signing in writes (a session, an audit entry): before counting
        clients[role] = sign_in(TestClient(report_app, raise_server_exceptions=False), role)
    before = row_counts(demo_session)
    failed: list[tuple[str, str, int]] = []
    inline: list[tuple[str, str]] = []
    for role, client in clients.items():
        for path in paths:
            answer = client.get(path, follow_redirects=False)
            if answer.status_code >= 500:
                failed.append((role, path, answer.status_code))
            html = "text/html" in answer.headers.get("content-type", "")
            if html and (INLINE_SCRIPT.search(answer.text) or INLINE_HANDLER.search(answer.text)):
                inline.append((role, path))
    assert failed == []
    assert inline == []
    assert row_counts(demo_session) == before


def test_the_walk_reaches_the_pages_with_charts_and_reports(
    report_app, staff_client: Callable[[str], TestClient]
) -> None:  # type: ignore[no-untyped-def]
    """The walk above is not vacuous: the leader's pages answer 200 and draw charts."""
    leader = staff_client("leader")
    for path in ("/console", "/console/air/stations/9901A", "/console/water/sections/W01"):
        page = leader.get(path)
        assert page.status_code == 200, path
        assert 'type="application/json" data-plotly-for=' in page.text, path
    assert leader.get(f"/console/reports/{CITY}/{PERIOD}/figures/F001").status_code == 200


@pytest.fixture
def live_url(demo_database_url: str, tmp_path: Path) -> Iterator[str]:
    settings = Settings(
        _env_file=None,
        database_url=demo_database_url,
        secret_key="g" * 40,
        data_dir=tmp_path / "var",
        output_dir=tmp_path / "out",
    )
    app = create_app(settings)
    with served(app) as port:
        yield f"http://127.0.0.1:{port}"
    app.state.engine.dispose()


def test_ten_viewers_reading_at_once_get_no_error(live_url: str) -> None:
    pages = [
        "/console",
        "/console/air",
        "/console/water",
        "/console/indicators",
        "/api/v1/dashboard",
    ]
    start = threading.Barrier(10)

    def viewer(_n: int) -> list[int]:
        with httpx.Client(base_url=live_url, timeout=300) as client:
            token = csrf_of(client.get("/login").text)
            signed = client.post(
                "/login",
                data={
                    "username": "viewer",
                    "password": ACCOUNTS["viewer"][4],
                    "csrf_token": token,
                    "next": "/console",
                },
            )
            assert signed.status_code == 303, signed.text[:300]
            start.wait()
            return [client.get(page).status_code for page in pages]

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(viewer, range(10)))
    assert statuses == [[200] * len(pages)] * 10
