"""The public portal shows disclosed indicator values and nothing else."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from envbureau.core.config import Settings
from envbureau.core.indicators.models import IndicatorValue
from envbureau.web.app import create_app
from envbureau.web.deps import get_session


def _client(session: Session) -> TestClient:
    app = create_app(Settings(_env_file=None, secret_key="k" * 40), engine=session.get_bind())
    app.dependency_overrides[get_session] = lambda: session
    return TestClient(app)


def _value(indicator_id: str, value: float | None) -> IndicatorValue:
    return IndicatorValue(
        indicator_id=indicator_id,
        period_code="2026H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        area_code="990100",
        value=value,
        status="ok" if value is not None else "insufficient",
        reason="" if value is not None else "尚未录入",
        unit="件",
        source="manual",
        inputs={},
    )


def test_portal_lists_public_values_only(session: Session, city) -> None:
    session.add_all(
        [
            _value("enforcement.cases_filed", 327.0),
            _value("reform.commitment_filing_projects", 186.0),
        ]
    )
    session.flush()
    page = _client(session).get("/")
    assert page.status_code == 200
    assert "测试市生态环境局" in page.text
    assert "立案查处环境违法案件数" in page.text and "327 件" in page.text
    assert "承诺备案制" not in page.text  # not a disclosed indicator


def test_public_api_returns_reported_values(session: Session, city) -> None:
    session.add(_value("enforcement.criminal_detentions", None))
    session.flush()
    data = _client(session).get("/api/v1/public/indicators").json()
    assert data == [
        {
            "indicator_id": "enforcement.criminal_detentions",
            "name": "刑事拘留人数",
            "theme": "执法监管",
            "unit": "人",
            "area_code": "990100",
            "area_name": "测试市",
            "period": "2026H1",
            "value": None,
            "value_reported": "—",
            "status": "insufficient",
            "reason": "尚未录入",
        }
    ]


def test_healthz_and_openapi(session: Session) -> None:
    client = _client(session)
    assert client.get("/healthz").json() == {"status": "ok"}
    assert "/api/v1/public/indicators" in client.get("/api/v1/openapi.json").json()["paths"]
