"""The API contract: one error body for every failure, statuses from one table, and the API's
documentation page served with no request leaving this server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from envbureau.core.config import Settings
from envbureau.core.errors import Conflict, NotFound, RuleViolation
from envbureau.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = create_app(
        Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_key="k" * 40)
    )

    def conflict() -> None:
        raise Conflict("站点代码重复", code="station.duplicate", loc=("station",))

    def missing() -> None:
        raise NotFound("未知站点“X1”", code="air.station_unknown", loc=("station",))

    def broken(year: int) -> None:
        raise RuleViolation(f"{year} 年没有数据", code="period.no_data", loc=("query", "year"))

    app.add_api_route("/api/v1/test/conflict", conflict, methods=["POST"])
    app.add_api_route("/api/v1/test/missing", missing)
    app.add_api_route("/api/v1/test/broken", broken)
    return TestClient(app)


def test_conflict_is_409_with_the_error_body(client: TestClient) -> None:
    response = client.post("/api/v1/test/conflict")
    assert response.status_code == 409
    assert response.json() == {
        "detail": [
            {
                "loc": ["station"],
                "code": "station.duplicate",
                "msg": "站点代码重复",
                "value": None,
                "type": "station.duplicate",
            }
        ]
    }


def test_not_found_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/test/missing")
    assert response.status_code == 404
    assert response.json()["detail"][0]["code"] == "air.station_unknown"


def test_a_broken_rule_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/test/broken", params={"year": 2010})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["query", "year"],
            "code": "period.no_data",
            "msg": "2010 年没有数据",
            "value": None,
            "type": "period.no_data",
        }
    ]


def test_a_request_that_does_not_parse_is_422_in_chinese(client: TestClient) -> None:
    response = client.get("/api/v1/test/broken", params={"year": "二〇一〇"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["query", "year"],
            "code": "request.int_parsing",
            "msg": "year：应为整数",
            "value": "二〇一〇",
            "type": "request.int_parsing",
        }
    ]


def test_a_missing_parameter_is_422_in_chinese(client: TestClient) -> None:
    detail = client.get("/api/v1/test/broken").json()["detail"]
    assert [(d["loc"], d["code"], d["msg"]) for d in detail] == [
        (["query", "year"], "request.missing", "year：缺少必填项")
    ]


def test_an_unknown_address_and_method_use_the_same_body(client: TestClient) -> None:
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert unknown.json()["detail"][0]["code"] == "http.not_found"
    assert unknown.json()["detail"][0]["msg"] == "未找到请求的地址"
    wrong_method = client.delete("/api/v1/test/missing")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["detail"][0]["code"] == "http.method_not_allowed"


def test_signing_in_is_401_and_not_allowed_is_403(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"][0]["code"] == "auth.login_required"
    assert response.json()["detail"][0]["msg"] == "请先登录"


def test_openapi_documents_the_error_body(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["components"]["schemas"]["ErrorBody"]
    assert body["properties"]["detail"]["items"] == {"$ref": "#/components/schemas/ErrorItem"}
    responses = spec["paths"]["/api/v1/me"]["get"]["responses"]
    for status in ("401", "403", "404", "409"):
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}, status


def test_the_docs_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert not re.search(r"https?://", page.text)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(assets) == [
        "/static/swagger-init.js",  # starts Swagger UI: the page has no inline script (CSP)
        "/static/vendor/swagger-ui/favicon-32x32.png",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ]
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 500, asset
    assert client.get("/static/vendor/swagger-ui/index.html").status_code == 404


def test_every_api_route_declares_its_response_model(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operations = [
        (method.upper(), path, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if not path.startswith("/api/v1/test/")  # this module's own routes that raise
    ]
    assert len(operations) >= 20
    untyped = []
    for method, path, operation in operations:
        ok = {k: v for k, v in operation["responses"].items() if k.startswith("2")}
        schemas = [
            r.get("content", {}).get("application/json", {}).get("schema") for r in ok.values()
        ]
        if not schemas or any(not schema for schema in schemas):
            untyped.append(f"{method} {path}")
    assert untyped == []
