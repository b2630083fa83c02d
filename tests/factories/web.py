"""Web tests on the demo city: the app, and clients signed in as the demo accounts.

The demo city is built once per run; each test then runs inside a transaction on one
connection that is rolled back afterwards (STYLE 13): the app's request sessions and the test's
own ``demo_session`` join it through SAVEPOINTs, so what one test writes no other test sees.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from envbureau.core.config import Settings
from envbureau.core.freshness import mark_reads_only
from envbureau.demo.accounts import ACCOUNTS
from envbureau.web.app import create_app
from envbureau.web.cache import CACHE
from envbureau.web.deps import READ_METHODS, get_read_first_session, get_session

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def shared_demo_app(demo_database_url: str):  # type: ignore[no-untyped-def]
    return create_app(Settings(_env_file=None, database_url=demo_database_url, secret_key="x" * 40))


@pytest.fixture
def demo_connection(shared_demo_app) -> Iterator[Connection]:  # type: ignore[no-untyped-def]
    """One connection in a transaction that is rolled back after the test."""
    connection = shared_demo_app.state.engine.connect()
    outer = connection.begin()
    CACHE.clear()
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()
        CACHE.clear()


@pytest.fixture
def demo_session(demo_connection: Connection) -> Iterator[Session]:
    """A session of the test itself, seeing what the app wrote during the test."""
    session = Session(
        bind=demo_connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def demo_app(shared_demo_app, demo_connection: Connection):  # type: ignore[no-untyped-def]
    """The app whose every request joins the test's transaction (rolled back afterwards)."""

    def request_session(request: Request) -> Iterator[Session]:
        session = Session(
            bind=demo_connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        if request.method in READ_METHODS:
            mark_reads_only(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    overridden = (get_session, get_read_first_session)
    for dependency in overridden:
        shared_demo_app.dependency_overrides[dependency] = request_session
    try:
        yield shared_demo_app
    finally:
        for dependency in overridden:
            shared_demo_app.dependency_overrides.pop(dependency, None)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str | None = None) -> TestClient:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password or ACCOUNTS[username][4],
            "csrf_token": csrf_of(page.text),
            "next": "/console",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def anonymous(demo_app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(demo_app)


@pytest.fixture
def staff_client(demo_app) -> Callable[[str], TestClient]:  # type: ignore[no-untyped-def]
    """``staff_client("branch")``: a client signed in as that demo account."""

    def make(username: str) -> TestClient:
        return sign_in(TestClient(demo_app), username)

    return make


@pytest.fixture
def isolated_demo_app(demo_app):  # type: ignore[no-untyped-def]
    """The same per-test app under the name some modules ask for explicitly."""
    return demo_app


@contextmanager
def served(app: FastAPI) -> Iterator[int]:
    """``app`` served by uvicorn in a thread on a free port of 127.0.0.1 (its own thread pool
    runs the requests, as in production); yields the port, stops the server afterwards."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))  # the port is taken here, so no other process can race us
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
