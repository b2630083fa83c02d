"""The import page's jobs (issue 11): the form starts a job and redirects to its page, which
polls a JSON status with a static script (no inline script) until it shows the result."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from envbureau.core.importing import jobs
from envbureau.core.importing.models import ImportJob
from factories.web import csrf_of

AIR_FILE = "站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5\n9901A,2010-01-01 01:00,8,30,0.6,40,60,35\n"


@pytest.fixture
def folders(demo_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings = demo_app.state.settings.model_copy(update={"data_dir": tmp_path / "var"})
    monkeypatch.setitem(demo_app.state._state, "settings", settings)
    return tmp_path / "var" / "uploads"


def _queued(session: Session, actor: str) -> int:
    job = ImportJob(
        kind="air_observations",
        content_sha256="0" * 64,
        file_name="空气.csv",
        actor=actor,
        dry_run=True,
        status="running",
        done=0,
        total=0,
        owner=jobs.owner(),  # this process, alive: the job is still running
    )
    session.add(job)
    session.flush()
    return job.id


def test_checking_starts_a_job_and_redirects_to_its_result(
    staff_client, folders: Path, demo_session: Session
) -> None:
    client = staff_client("air")
    token = csrf_of(client.get("/console/imports").text)
    started = client.post(
        "/console/imports/check",
        data={"csrf_token": token, "kind": "air_observations"},
        files={"file": ("空气.csv", AIR_FILE.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert started.status_code == 303
    match = re.fullmatch(r"/console/imports/jobs/(\d+)", started.headers["location"])
    assert match
    job = demo_session.get(ImportJob, int(match.group(1)))
    assert job is not None and (job.status, job.actor, job.dry_run) == ("done", "air", True)
    assert job.result is not None and job.result["outcome"]["created"] == 1
    page = client.get(started.headers["location"])
    assert page.status_code == 200 and "校验通过：1 行，尚未写入" in page.text


def test_a_running_job_shows_progress_polled_by_a_static_script(
    staff_client, demo_session: Session
) -> None:
    job_id = _queued(demo_session, "air")
    client = staff_client("air")
    page = client.get(f"/console/imports/jobs/{job_id}")
    assert page.status_code == 200
    assert '<script src="/static/import-job.js" defer></script>' in page.text
    scripts = re.findall(r"<script\b([^>]*)>", page.text)
    assert scripts and all("src=" in attrs for attrs in scripts)  # no inline script
    assert not re.search(r"\son[a-z]+=", page.text)  # no inline event handler
    assert f'data-status-url="/console/imports/jobs/{job_id}/status"' in page.text
    status = client.get(f"/console/imports/jobs/{job_id}/status")
    assert status.json() == {"id": job_id, "status": "running", "done": 0, "total": 0}
    assert status.headers["cache-control"] == "no-store"
    script = client.get("/static/import-job.js")
    assert script.status_code == 200 and "data-status-url" in script.text


def test_another_users_job_is_not_found(staff_client, demo_session: Session) -> None:
    job_id = _queued(demo_session, "air")
    client = staff_client("admin")
    assert client.get(f"/console/imports/jobs/{job_id}").status_code == 404
    assert client.get(f"/console/imports/jobs/{job_id}/status").status_code == 404


def test_on_a_real_server_the_job_runs_on_a_worker_thread_and_the_page_polls_it(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """No joined transaction here: the job runs on the pool, after the request has committed."""
    import time

    from fastapi.testclient import TestClient

    from envbureau.core import migrate
    from envbureau.core.accounts import service as accounts
    from envbureau.core.areas.models import Area
    from envbureau.core.config import Settings
    from envbureau.core.db import make_engine, session_scope
    from envbureau.web.app import create_app
    from factories.web import sign_in

    engine = make_engine(fresh_database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        accounts.ensure_roles(session=session)
        accounts.create(session=session, username="admin", password="job-admin-2026", role="admin")
    settings = Settings(
        _env_file=None, database_url=fresh_database_url, secret_key="k" * 40, data_dir=tmp_path
    )
    client = sign_in(TestClient(create_app(settings)), "admin", "job-admin-2026")

    def run(path: str, data: dict[str, str], **files: tuple[str, bytes, str]) -> str:
        answer = client.post(path, data=data, files=files or None, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        location = answer.headers["location"]
        for _ in range(200):  # the worker thread finishes in well under a second
            if client.get(f"{location}/status").json()["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        return client.get(location).text

    token = csrf_of(client.get("/console/imports").text)
    areas = "区划代码,名称,级别,类型,上级代码\n990100,示范市,市,地级市,\n".encode()
    checked = run(
        "/console/imports/check",
        {"csrf_token": token, "kind": "areas"},
        file=("区划.csv", areas, "text/csv"),
    )
    assert "校验通过：1 行，尚未写入" in checked
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', checked))
    done = run("/console/imports/confirm", form)
    assert "导入完成：1 行已写入" in done
    with session_scope(engine, write=False) as session:
        assert session.get(Area, "990100") is not None

    # the API checks in its own unit of work too, after ending the request's transaction
    more = areas + "990102,清江区,区县,区,990100\n".encode()
    api = client.post(
        "/api/v1/imports/areas?dry_run=true",
        headers={"X-CSRF-Token": token},
        files={"file": ("区划2.csv", more, "text/csv")},
    )
    assert api.status_code == 200, api.text
    assert (api.json()["created"], api.json()["unchanged"]) == (1, 1)
    bad = client.post(
        "/api/v1/imports/areas",
        headers={"X-CSRF-Token": token},
        files={"file": ("区划3.csv", more.replace(b"990102,", b"99010X,"), "text/csv")},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["区划3.csv", 3, "区划代码"]
    with session_scope(engine, write=False) as session:
        assert session.get(Area, "990102") is None
    engine.dispose()
