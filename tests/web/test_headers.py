"""What every answer carries and what the framework answers before the app (issue 11):
security headers, the request-body limit (413 before the body is read), and Chinese texts for
FastAPI's and Starlette's own errors. A fresh database with one administrator; the body limit
is tried against a real uvicorn server over a socket, so nothing is buffered by a test client.
"""

from __future__ import annotations

import json
import re
import select
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from envbureau.core import migrate
from envbureau.core.accounts import service as accounts
from envbureau.core.config import Settings
from envbureau.core.db import make_engine, session_scope
from envbureau.web.app import create_app
from factories.web import served

PASSWORD = "Headers-Test-2026"
LIMIT = 1024 * 1024  # 1 MB for these tests (the setting's default is 64 MB)
HUGE = 400 * 1024 * 1024
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


@pytest.fixture
def database(fresh_database_url: str) -> str:
    """A fresh database of the suite's kind with one administrator."""
    engine = make_engine(fresh_database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        accounts.ensure_roles(session=session)
        accounts.create(session=session, username="hadmin", password=PASSWORD, role="admin")
    engine.dispose()
    return fresh_database_url


def make_settings(url: str, folder: Path, **extra: object) -> Settings:
    return Settings(
        _env_file=None,
        database_url=url,
        secret_key="h" * 40,
        data_dir=folder / "var",
        output_dir=folder / "out",
        max_request_bytes=LIMIT,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def client(database: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database, tmp_path))) as client:
        yield client


def signed_in(client: TestClient) -> TestClient:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    answer = client.post(
        "/login",
        data={"username": "hadmin", "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


# --- headers ---------------------------------------------------------------------------------
def test_every_answer_carries_the_policy_and_no_framing(client: TestClient) -> None:
    for path in ("/", "/login", "/console", "/api/v1/me", "/static/console.js", "/nowhere"):
        answer = client.get(path, follow_redirects=False)
        assert answer.headers["content-security-policy"] == CSP, path
        assert answer.headers["x-frame-options"] == "DENY", path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "same-origin", path
        assert "strict-transport-security" not in answer.headers, path


def test_staff_pages_and_api_answers_are_never_stored_public_ones_may_be(
    client: TestClient,
) -> None:
    signed_in(client)
    for path in ("/console", "/console/system", "/api/v1/me", "/login"):
        assert client.get(path).headers.get("cache-control") == "no-store", path
    for path in ("/", "/api/v1/public/air", "/static/console.js"):
        assert client.get(path).headers.get("cache-control") != "no-store", path


def test_strict_transport_security_only_behind_tls(database: str, tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(database, tmp_path, tls=True))) as client:
        answer = client.get("/")
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_the_api_docs_page_has_no_inline_script(client: TestClient) -> None:
    page = client.get("/api/v1/docs").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts == [
        (' src="/static/vendor/swagger-ui/swagger-ui-bundle.js"', ""),
        (' src="/static/swagger-init.js"', ""),
    ]
    assert 'data-openapi-url="/api/v1/openapi.json"' in page
    assert client.get("/static/swagger-init.js").status_code == 200


# --- the framework's own errors, in Chinese ----------------------------------------------------
def detail(answer: object) -> list[tuple[str, str]]:
    body = answer.json()  # type: ignore[attr-defined]
    return [(d["code"], d["msg"]) for d in body["detail"]]


def test_unknown_addresses_methods_and_bad_requests_answer_in_chinese(client: TestClient) -> None:
    assert detail(client.get("/api/v1/nowhere")) == [("http.not_found", "未找到请求的地址")]
    wrong_method = client.delete("/api/v1/public/air")
    assert wrong_method.status_code == 405
    assert detail(wrong_method) == [("http.method_not_allowed", "该地址不支持此请求方法")]
    broken = client.post(
        "/login",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n--x--\r\n",  # no name
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code == 400
    assert detail(broken) == [("http.body_invalid", "请求内容无法解析（表单或文件格式不正确）")]
    no_boundary = client.post(
        "/login", content=b"x", headers={"content-type": "multipart/form-data"}
    )
    assert detail(no_boundary) == [
        ("http.body_invalid", "请求内容无法解析（表单或文件格式不正确）")
    ]
    invalid = client.get("/api/v1/public/water?year=abc")
    assert invalid.status_code == 422
    assert detail(invalid) == [("request.int_parsing", "year：应为整数")]


# --- the request-body limit --------------------------------------------------------------------
@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[tuple[str, int]]:
    with served(create_app(make_settings(database, tmp_path))) as port:
        yield "127.0.0.1", port


def upload(address: tuple[str, int], path: str, *, chunked: bool) -> tuple[int, dict, int]:
    """POST a 400 MB multipart upload as a stranger, sending it piece by piece until the server
    answers: (status, JSON body, bytes sent). Nothing of that size is ever held in memory."""
    piece = b"x" * 65536
    head = f"POST {path} HTTP/1.1\r\nHost: test\r\n"
    head += "Content-Type: multipart/form-data; boundary=b\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {HUGE}\r\n\r\n"
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    sent = 0
    received = b""
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(head.encode() + (b"%x\r\n%s\r\n" % (len(part), part) if chunked else part))
        while sent < HUGE:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            data = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        sock.settimeout(30)
        try:
            while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    status = int(received.split(b" ", 2)[1])
    body = received.split(b"\r\n\r\n", 1)[1]
    if chunked and b"\r\n" in body and not body.startswith(b"{"):
        body = body.split(b"\r\n", 1)[1].rsplit(b"\r\n0", 1)[0]
    return status, json.loads(body[body.index(b"{") : body.rindex(b"}") + 1]), sent


@pytest.mark.parametrize("path", ["/login", "/console/imports/check"])
def test_a_400_mb_upload_with_its_length_declared_is_refused_unread(
    server: tuple[str, int], path: str
) -> None:
    status, body, sent = upload(server, path, chunked=False)
    assert status == 413
    assert body["detail"][0]["code"] == "http.too_large"
    assert body["detail"][0]["msg"] == "请求内容过大（超过1 MB），未处理"
    assert sent < 64 * 1024 * 1024  # the answer came long before the 400 MB were sent


@pytest.mark.parametrize("path", ["/login", "/console/imports/check"])
def test_a_400_mb_chunked_upload_is_cut_off_at_the_limit(
    server: tuple[str, int], path: str
) -> None:
    status, body, sent = upload(server, path, chunked=True)
    assert status == 413
    assert body["detail"][0]["code"] == "http.too_large"
    assert sent < 64 * 1024 * 1024
