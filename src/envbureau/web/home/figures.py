"""The dashboard's figures through the page cache (``web.cache``): the page and the API show
the same result, computed once per area and data version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from envbureau.overview import service as overview_service
from envbureau.overview.results import Overview
from envbureau.web.cache import cached


def overview(session: Session, area_code: str) -> Overview:
    return cached(
        session,
        ("overview", area_code),
        lambda: overview_service.overview(session=session, area_code=area_code),
    )
