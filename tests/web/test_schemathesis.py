"""Generated requests for every /api/v1 operation (schemathesis over the app's own OpenAPI).

Each operation gets a bounded, derandomised set of cases (``EXAMPLES`` per operation, the same
cases on every run) through the ASGI app on the demo city, as an anonymous visitor and as the
signed-in admin (whose unsafe requests carry the session's CSRF token, so they reach the
route). Every answer must be no 5xx, a status the operation documents, its declared content
type, and a body that conforms to the documented schema. Writes are rolled back with the
test's transaction.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factories.web import csrf_of, sign_in

EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def describe(exc: BaseException) -> list[str]:
    """Each error hypothesis found, with the falsifying input it noted."""
    found = getattr(exc, "exceptions", None)
    if found:
        return [line for sub in found for line in describe(sub)]
    notes = "\n".join(getattr(exc, "__notes__", []))
    return [f"{type(exc).__name__}: {exc}\n{notes}".strip()]


def run_operations(app: Any, *, cookies: dict[str, str], headers: dict[str, str]) -> list[str]:
    """Every operation's cases; the failures, one line (or block) per operation."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # every /api/v1 operation, not a stray subset

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(cookies=cookies, headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # schemathesis' failure group names the input and the error
            failures.append(f"{label}:\n{exc}\n" + "\n".join(describe(exc)))
    return failures


def test_every_operation_as_anonymous(demo_app: Any) -> None:
    failures = run_operations(demo_app, cookies={}, headers={})
    assert not failures, "\n\n".join(failures)


def test_every_operation_as_admin(demo_app: Any) -> None:
    client = sign_in(TestClient(demo_app), "admin")
    token = csrf_of(client.get("/console").text)
    cookies = {name: value for name, value in client.cookies.items()}
    failures = run_operations(demo_app, cookies=cookies, headers={"X-CSRF-Token": token})
    assert not failures, "\n\n".join(failures)


def test_the_faults_schemathesis_found_are_answered_without_a_server_error(demo_app: Any) -> None:
    """Each answered 500 before (the last two on PostgreSQL only): a year past date()'s range, a
    NUL in a text query (PostgreSQL refuses it in text) and an id past a 32-bit key."""
    client = sign_in(TestClient(demo_app, raise_server_exceptions=False), "admin")
    for year in (10000, -1):
        assert client.get("/api/v1/air/calendar", params={"year": year}).status_code == 422
    for path in ("/api/v1/air/stations", "/api/v1/air/calendar"):
        refused = client.get(path, params={"area": "a\x00"})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["code"] == "request.nul"
    for kind in ("records", "plans"):
        assert client.get(f"/api/v1/worklog/{kind}/3296135744126").status_code == 404
        assert client.get(f"/console/worklog/{kind}/3296135744126").status_code == 404
