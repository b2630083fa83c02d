"""Web tests on the demo city: the app, and clients signed in as the demo accounts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from envbureau.core.config import Settings
from envbureau.demo.accounts import ACCOUNTS
from envbureau.web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def demo_app(demo_database_url: str):  # type: ignore[no-untyped-def]
    return create_app(Settings(_env_file=None, database_url=demo_database_url, secret_key="x" * 40))


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
