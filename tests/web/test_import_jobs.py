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
