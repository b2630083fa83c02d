"""Air services on stored data: which stations count, evaluations, indicators with provenance."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.importers import import_observations
from envbureau.air.models import DustEvent, Station
from envbureau.core.indicators import service as indicators_service
from envbureau.core.periods import parse

SPAN = parse("2026-02-27~2026-03-02")


@pytest.fixture
def city_stations(session: Session, city) -> list[Station]:
    """S1 national in 990102, S2 provincial in 990121, S3 national in 990102 until 28 Feb."""
    stations = [
        Station(
            code="S1", name="一号", city="测试市", area_code="990102", control_level="national"
        ),
        Station(
            code="S2", name="二号", city="测试市", area_code="990121", control_level="provincial"
        ),
        Station(
            code="S3",
            name="三号",
            city="测试市",
            area_code="990102",
            control_level="national",
            active_to=date(2026, 2, 28),
        ),
    ]
    session.add_all(stations)
    session.flush()
    return stations


def load_constant(session: Session, year: int, pm25: dict[str, float]) -> None:
    """Every hour of 27 Feb – 2 Mar of ``year`` at the given stations, PM2.5 as given."""
    hours = pd.date_range(f"{year}-02-27 01:00", f"{year}-03-03 00:00", freq="h")
    lines = ["站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5"]
    for code, value in pm25.items():
        lines += [f"{code},{h:%Y-%m-%d %H:%M},5,10,0.5,50,60,{value:g}" for h in hours]
    import_observations(
        session, data="\n".join(lines).encode(), file_name=f"{year}.csv", fmt="template", actor="t"
    )


def test_evaluation_stations_city_uses_national_district_uses_all(session, city_stations) -> None:
    first, last = SPAN.start, SPAN.end
    assert service.evaluation_stations(
        session=session, area_code="990100", first_day=first, last_day=last
    ) == ["S1", "S3"]
    assert service.evaluation_stations(
        session=session, area_code="990100", first_day=date(2026, 3, 1), last_day=last
    ) == ["S1"]
    assert service.evaluation_stations(
        session=session, area_code="990121", first_day=first, last_day=last
    ) == ["S2"]


def test_load_hourly_drops_hours_after_a_station_ended(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S3": 70})
    frame = service.load_hourly(
        session=session, stations=["S3"], first_day=SPAN.start, last_day=SPAN.end
    )
    days = (frame["time"] - pd.Timedelta(hours=1)).dt.date
    assert days.max() == date(2026, 2, 28) and len(frame) == 48
    assert str(frame["time"].dt.tz) == "Asia/Shanghai"


def test_good_day_rate_indicator_with_provenance(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S2": 30, "S3": 70})
    row = indicators_service.compute(
        session=session, indicator_id="air.good_day_rate", period=SPAN, area_code="990100"
    )
    # City = S1 (and S3 until 28 Feb): PM2.5 70 → 良 under 2012, 轻度污染 under 2026.
    assert row.value == 50.0 and row.status == "ok"
    assert row.inputs["stations"] == ["S1", "S3"]
    assert row.inputs["editions_used"] == {"2012": 2, "2026": 2}
    assert row.coverage["expected"] == 4 and row.coverage["observed"] == 4
    assert "2026" in row.edition and "2012" in row.edition
    district = indicators_service.compute(
        session=session, indicator_id="air.good_day_rate", period=SPAN, area_code="990121"
    )
    assert district.value == 100.0 and district.inputs["stations"] == ["S2"]


def test_pm25_mean_and_year_on_year_as_reported_and_on_one_edition(session, city_stations) -> None:
    load_constant(session, 2025, {"S1": 80})
    load_constant(session, 2026, {"S1": 70, "S3": 70})
    pm25 = indicators_service.compute(
        session=session, indicator_id="air.pm25_mean", period=SPAN, area_code="990100"
    )
    assert pm25.value == 70.0 and pm25.details["limit"] == 30.0  # GB 3095-2026 transition annual
    yoy = indicators_service.compute(
        session=session, indicator_id="air.pm25_yoy_pct", period=SPAN, area_code="990100"
    )
    assert yoy.value == pytest.approx(-12.5)  # (70 − 80) / 80
    rate = indicators_service.compute(
        session=session, indicator_id="air.good_day_rate_yoy_pp", period=SPAN, area_code="990100"
    )
    # 2025: PM2.5 80 → IAQI 2012 = 107 (轻度污染) every day: 0 %. 2026 as reported: 50 %.
    assert rate.value == 50.0
    assert rate.details["same_edition_2012"] == 100.0  # 2026 at 2012 rules: all 良
    assert rate.details["same_edition_2026"] == 0.0
    assert rate.details["standard_change_effect"] == 50.0


def test_short_series_is_insufficient_not_invented(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70})
    month = parse("2026-03")
    row = indicators_service.compute(
        session=session, indicator_id="air.pm25_mean", period=month, area_code="990100"
    )
    assert row.value is None and "有效天数不足" in row.reason
    assert row.coverage == {
        "expected": 31,
        "observed": 2,
        "valid": False,
        "rule": "GB 3095 表4：每月至少27个有效日（2月25个）",
    }


def test_area_without_stations_is_insufficient(session, city) -> None:
    row = indicators_service.compute(
        session=session, indicator_id="air.good_day_rate", period=SPAN, area_code="990121"
    )
    assert row.value is None and "没有空气监测站点" in row.reason


def test_rank_falls_back_to_manual_entry_with_source(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70})
    none = indicators_service.compute(
        session=session, indicator_id="air.rank", period=SPAN, area_code="990100"
    )
    assert none.value is None and "人工填报" in none.reason
    indicators_service.enter_manual(
        session=session,
        indicator_id="air.rank",
        period=SPAN,
        area_code="990100",
        value=4,
        entered_by="w",
        source_document="省厅通报",
    )
    row = indicators_service.compute(
        session=session, indicator_id="air.rank", period=SPAN, area_code="990100"
    )
    assert row.value == 4 and row.source == "manual"
    assert row.inputs["source_document"] == "省厅通报"


def test_rank_computed_among_loaded_cities(session, city_stations) -> None:
    session.add(Station(code="P1", name="邻市站", city="邻市", control_level="national"))
    session.flush()
    load_constant(session, 2026, {"S1": 70, "S3": 70, "P1": 40})
    row = indicators_service.compute(
        session=session, indicator_id="air.rank", period=SPAN, area_code="990100"
    )
    assert row.value == 2 and row.source == "computed"
    assert set(row.inputs["cities"]) == {"测试市", "邻市"}


def test_dust_event_deducted_from_pm25(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S3": 70})
    session.add(
        DustEvent(start_date=date(2026, 3, 1), end_date=date(2026, 3, 1), source_document="通报")
    )
    session.flush()
    result = service.evaluate(
        session=session, area_code="990100", first_day=SPAN.start, last_day=SPAN.end
    )
    assert result.day_counts.dust_days == 1
    assert result.statistic("pm25", "mean")["excluded_count"] == 1


def test_new_import_clears_the_sessions_evaluations(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70})
    before = service.evaluate(
        session=session, area_code="990100", first_day=SPAN.start, last_day=SPAN.end
    )
    load_constant(session, 2026, {"S1": 30})
    after = service.evaluate(
        session=session, area_code="990100", first_day=SPAN.start, last_day=SPAN.end
    )
    assert before.summary()["pm25"] == 70 and after.summary()["pm25"] == 30


def test_rank_areas_orders_districts(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S2": 30})
    ranking = service.rank_areas(
        session=session, area_code="990100", first_day=SPAN.start, last_day=SPAN.end
    )
    assert ranking["code"].tolist() == ["990121", "990102"]
    assert ranking["rank"].tolist() == [1, 2]
    stations = service.rank_areas(
        session=session, area_code="990100", first_day=SPAN.start, last_day=SPAN.end, by="station"
    )
    assert stations["code"].tolist() == ["S2", "S1"]  # S3 has no data: not ranked
