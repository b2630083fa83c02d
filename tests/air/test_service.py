"""Air services on stored data: which stations count, evaluations, indicators with provenance,
and the results the air pages show (evaluation table, calendar, a station's month, ranking)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from envbureau.air import service
from envbureau.air.aqi_calendar import year_calendar
from envbureau.air.evaluation_table import evaluation_table
from envbureau.air.importers import import_observations
from envbureau.air.models import DustEvent, Station
from envbureau.air.ranking_table import ranking_table
from envbureau.air.snapshots import list_snapshots
from envbureau.air.station_month import station_month
from envbureau.air.year_on_year import change_of
from envbureau.core.clock import local_today
from envbureau.core.indicators import service as indicators_service
from envbureau.core.periods import parse

SPAN = parse("2026-02-27~2026-03-02")
BEIJING = ZoneInfo("Asia/Shanghai")


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


# --- what the air pages show ----------------------------------------------------------------
def test_the_evaluation_table_shows_the_year_on_year_of_the_indicators(
    session, city_stations
) -> None:
    """One road for a figure: the page's changes are the ``air.*_yoy`` indicators' values."""
    load_constant(session, 2025, {"S1": 80})
    load_constant(session, 2026, {"S1": 70, "S3": 70})
    table = evaluation_table(session=session, area_code="990100", period=SPAN)
    assert table is not None and table.base.code == "2025-02-27~2025-03-02"
    rows = {row.key: row for row in table.rows}
    # PM2.5 (70 − 80) / 80 = −12.5 % whatever the edition.
    assert (rows["pm25"].current_shown, rows["pm25"].base_shown) == ("70", "80")
    assert rows["pm25"].change == {"auto": -12.5, "2026": -12.5, "2012": -12.5}
    # 2026: 良 on 27–28 Feb (HJ 633-2012, IAQI 94), 轻度污染 from 1 Mar (HJ 633-2026, IAQI
    # 109): 50 %; 2025: PM2.5 80 is 轻度污染 either way: 0 %. All on 2012: 100 against 0.
    assert rows["good_day_rate"].change == {"auto": 50.0, "2026": 0.0, "2012": 100.0}
    assert rows["good_day_rate"].change_unit == "个百分点" and rows["pm25"].change_unit == "%"
    for key, indicator_id in (
        ("pm25", "air.pm25_yoy_pct"),
        ("good_day_rate", "air.good_day_rate_yoy_pp"),
    ):
        value = indicators_service.compute(
            session=session, indicator_id=indicator_id, period=SPAN, area_code="990100"
        ).value
        assert value == rows[key].change["auto"]
    assert [(d.category, d.current, d.base) for d in table.days][:3] == [
        ("优", 0, 0),
        ("良", 2, 0),
        ("轻度污染", 2, 4),
    ]


def test_without_last_year_the_table_has_no_change(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70})
    table = evaluation_table(session=session, area_code="990100", period=SPAN)
    assert table is not None and table.base_summary is None and table.base_editions_used == {}
    pm25 = next(row for row in table.rows if row.key == "pm25")
    assert pm25.base is None and pm25.base_shown == "—"
    assert pm25.change == {"auto": None, "2026": None, "2012": None}
    assert {d.base for d in table.days} == {None}
    assert evaluation_table(session=session, area_code="990100", period=parse("2019")) is None


def test_change_of_needs_both_figures_and_a_base_above_zero() -> None:
    assert change_of(95.58, 96.13, "rate") == -0.5  # from the reported 95.6 and 96.1
    assert change_of(None, 27.0, "pm25") is None
    assert change_of(5.0, 0.0, "pm25") is None  # a percent change of nothing
    assert change_of(2.0, 0.0, "days") == 2.0


def test_the_calendar_marks_days_with_and_without_an_aqi(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S3": 70})
    shown = year_calendar(session=session, area_code="990100", year=None, tz=BEIJING)
    assert (shown.year, shown.last_day, shown.year_from_clock) == (2026, date(2026, 3, 2), False)
    cells = {c.date: c for m in shown.months for week in m.weeks for c in week if c}
    assert len(cells) == 365 and len(shown.days) == 61  # 1 January to 2 March
    assert cells[date(2026, 2, 27)].figures.category == "良"
    assert cells[date(2026, 3, 1)].figures.category == "轻度污染"
    assert cells[date(2026, 2, 26)].state == "no-data" and cells[date(2026, 3, 3)].state == "future"


def test_the_calendar_of_a_database_without_air_data_takes_the_bureaus_year(session, city) -> None:
    shown = year_calendar(session=session, area_code="990100", year=None, tz=BEIJING)
    assert shown.year == local_today(BEIJING).year and shown.year_from_clock
    cells = [c for m in shown.months for week in m.weeks for c in week if c]
    assert shown.days == () and {c.state for c in cells} == {"future"}


def test_a_station_month_runs_to_its_last_day_with_data(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S3": 70})
    s1, _, s3 = city_stations
    found = station_month(session=session, station=s1, month=None, hours=True)
    assert (found.last_day, found.month.code) == (date(2026, 3, 2), "2026-03")
    assert [d.date for d in found.days] == [date(2026, 3, 1), date(2026, 3, 2)]
    assert found.coverage.expected_days == 2 and found.coverage.valid_days == 2
    assert found.coverage.by_pollutant == dict.fromkeys(
        ("so2", "no2", "co", "o3", "pm10", "pm25"), 48
    )
    assert found.hours.first_day == date(2026, 2, 24) and found.hours.count == 96  # 27 Feb on
    assert (found.previous_month, found.next_month) == ("2026-02", None)
    ended = station_month(session=session, station=s3, month=None)
    assert ended.month.code == "2026-02" and ended.hours is None  # its last month
    assert ended.coverage.expected_days == 28 and ended.coverage.valid_days == 2
    assert ended.next_month is None and ended.station.area_name == "甲区"


def test_the_station_list_keeps_to_the_visible_areas(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S2": 30})
    everything = list_snapshots(session=session, area_code="990100")
    assert everything.as_of == date(2026, 3, 2)
    assert [s.code for s in everything.items] == ["S1", "S2", "S3"]
    assert [
        s.code
        for s in list_snapshots(session=session, area_code="990100", visible={"990121"}).items
    ] == ["S2"]
    s1 = everything.items[0]
    assert s1.latest.category == "轻度污染" and s1.coverage.valid_days == 2
    assert not everything.items[2].active and everything.items[2].latest is None


def test_a_district_without_districts_is_ranked_by_station(session, city_stations) -> None:
    load_constant(session, 2026, {"S1": 70, "S2": 30})
    table = ranking_table(session=session, area_code="990102", period=SPAN, by="district")
    assert (table.by, table.has_districts) == ("station", False)
    city = ranking_table(session=session, area_code="990100", period=SPAN, by="nonsense")
    assert city.by == "district" and [r.code for r in city.rows] == ["990121", "990102"]
    assert [r.rank for r in city.rows] == [1, 2]
