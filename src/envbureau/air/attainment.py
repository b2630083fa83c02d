"""Where the year's air targets stand: year-to-date figures, what the rest of the year needs,
and the chance of meeting them (the report's "力争…" sentences and the dashboard's alerts)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.outlook import good_day_rate_outlook, mean_outlook
from envbureau.core.indicators import service as indicators_service

RATE_ID, PM25_ID = "air.good_day_rate", "air.pm25_mean"
PAST_YEARS = 3


def _remaining_span(year: int, as_of: date, of_year: int) -> tuple[date, date]:
    first = as_of.replace(year=of_year) + timedelta(days=1)
    return first, date(of_year, 12, 31)


def target_outlook(*, session: Session, area_code: str, year: int, as_of: date) -> dict[str, Any]:
    """The outlook of each air target of ``year`` that has been set for ``area_code``."""
    targets = {
        i: indicators_service.get_target(
            session=session, indicator_id=i, year=year, area_code=area_code
        )
        for i in (RATE_ID, PM25_ID)
    }
    ytd = service.evaluate(
        session=session, area_code=area_code, first_day=date(year, 1, 1), last_day=as_of
    )
    out: dict[str, Any] = {"year": year, "as_of": as_of.isoformat(), "area_code": area_code}
    if ytd is None:
        out["reason"] = "该区域没有空气监测站点数据"
        return out
    remaining = (date(year, 12, 31) - as_of).days
    past = {}
    for y in range(year - PAST_YEARS, year):
        first, last = _remaining_span(year, as_of, y)
        result = service.evaluate(
            session=session, area_code=area_code, first_day=first, last_day=last
        )
        if result is not None and result.city_daily["aqi"].notna().any():
            past[y] = result
    ytd_aqi = pd.Series(ytd.city_daily["aqi"].to_numpy(dtype=float))
    rate_target, pm25_target = targets[RATE_ID], targets[PM25_ID]
    if rate_target is not None:
        rate = good_day_rate_outlook(
            ytd_aqi,
            remaining,
            rate_target.value,
            {y: pd.Series(r.city_daily["aqi"].to_numpy(dtype=float)) for y, r in past.items()},
        )
        out["good_day_rate"] = {**asdict(rate), "source_document": rate_target.source_document}
    if pm25_target is not None:
        pm25 = mean_outlook(
            ytd.daily_without_dust("pm25_24h"),
            remaining,
            pm25_target.value,
            {y: r.daily_without_dust("pm25_24h") for y, r in past.items()},
        )
        out["pm25"] = {**asdict(pm25), "source_document": pm25_target.source_document}
    return out
