"""空气 in the console: stations with coverage, a station's charts, the AQI calendar, the
evaluation of a period with its editions and year on year, the ranking, and who may see what.

Expected figures come from the air service (the same engine the pages call) or, for the
calendar, from the raw hourly rows and the HJ 633 breakpoint table computed here by hand.
The tests only read the shared demo city.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import POLLUTANTS, Observation, Station, invalid_bit
from envbureau.core.db import make_engine, session_scope
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.service import format_value
from envbureau.standards import hj663_period
from envbureau.standards.hj633_tables import (
    BREAKPOINTS_2012,
    CATEGORIES,
    COLOURS_RGB_HEX,
    IAQI_STEPS,
)
from envbureau.web import monitoring

CITY, BRANCH, OTHER = "990100", "990102", "990103"
BRANCH_STATIONS = {"9901A", "9902A"}
OTHER_STATION = "9903A"
READ_ROLES = ("admin", "leader", "air", "branch", "grid", "viewer")
PLOTLY_DIV = re.compile(r'<div id="([0-9a-f-]+)" class="plotly-graph-div"')


@pytest.fixture
def session(demo_database_url: str) -> Iterator[Session]:
    with session_scope(make_engine(demo_database_url)) as s:
        yield s


@pytest.fixture
def leader(staff_client) -> TestClient:  # type: ignore[no-untyped-def]
    return staff_client("leader")


@pytest.fixture
def branch(staff_client) -> TestClient:  # type: ignore[no-untyped-def]
    return staff_client("branch")


def text_of(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The cells' text of each body row of ``<table id=table_id>``."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def assert_offline_charts(html: str, count: int) -> None:
    """``count`` plotly charts with data, the library served by the app, nothing external."""
    assert len(PLOTLY_DIV.findall(html)) == count
    assert '<script src="/static/vendor/plotly.min.js"></script>' in html
    assert html.count("Plotly.newPlot(") == count
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html) == []


def as_of(session: Session) -> date:
    day = monitoring.air_as_of(session)
    assert day is not None
    return day


# --- stations --------------------------------------------------------------------------------
def test_the_station_list_shows_each_station_with_its_latest_aqi_and_month_coverage(
    leader: TestClient, session: Session
) -> None:
    last = as_of(session)
    page = leader.get("/console/air")
    assert page.status_code == 200
    assert f"空气数据截至 {last:%Y年%-m月%-d日}" in text_of(page.text)
    rows = {r[1]: r for r in table_rows(page.text, "stations")}
    every = {s.code: s for s in session.scalars(select(Station))}
    assert set(rows) == set(every)
    retired = [s for s in every.values() if s.active_to and s.active_to < last]
    assert retired, "the demo city has a retired station"
    for station in retired:
        assert rows[station.code][-1] == f"已停用（{station.active_to}起）"

    month_start = last.replace(day=1)
    for code in ("9901A", "9903A"):
        evaluation = air_service.evaluate_stations(
            session=session, stations=[code], first_day=month_start, last_day=last
        )
        assert evaluation is not None
        daily = evaluation.city_daily
        latest = daily[daily["date"].dt.date == last].iloc[0]
        level = int(latest["level"])
        assert rows[code][4] == f"{int(latest['aqi'])} {CATEGORIES[level - 1]}"
        assert rows[code][2] == {BRANCH: "清江区", OTHER: "东湖区"}[every[code].area_code]
        days = (last - month_start).days + 1
        assert rows[code][5] == f"{int(daily['aqi'].notna().sum())}/{days}"
        hourly = air_service.load_hourly(
            session=session, stations=[code], first_day=month_start, last_day=last
        )
        complete = int(hourly[list(POLLUTANTS)].notna().all(axis=1).sum())
        assert rows[code][6].startswith(f"{complete}/{24 * days}")
        assert f'<a href="/console/air/stations/{code}">' in page.text

    api = leader.get("/api/v1/air/stations").json()
    assert api["as_of"] == last.isoformat() and api["area_code"] == CITY
    for item in api["items"]:
        row = rows[item["code"]]
        if item["coverage"]:
            assert row[5] == f"{item['coverage']['valid_days']}/{item['coverage']['expected_days']}"
        if item["latest"] and item["latest"]["aqi"] is not None:
            assert row[4] == f"{item['latest']['aqi']} {item['latest']['category']}"


def hours_with_value(session: Session, code: str, first: date, last: date) -> dict[str, int]:
    """Hourly values not flagged invalid, counted from the stored rows (hour-ending, UTC)."""
    start = datetime.combine(first, time(1)) - timedelta(hours=8)
    end = datetime.combine(last + timedelta(days=1), time(0)) - timedelta(hours=8)
    rows = session.execute(
        select(Observation.invalid_flags, *(getattr(Observation, p) for p in POLLUTANTS)).where(
            Observation.station_code == code,
            Observation.is_current.is_(True),
            Observation.time_utc >= start,
            Observation.time_utc <= end,
        )
    ).all()
    counts = dict.fromkeys(POLLUTANTS, 0)
    for flags, *values in rows:
        for pollutant, value in zip(POLLUTANTS, values, strict=True):
            if value is not None and not (flags or 0) & invalid_bit(pollutant):
                counts[pollutant] += 1
    return counts


def test_a_station_page_has_its_hourly_and_daily_charts_and_its_coverage(
    leader: TestClient, session: Session
) -> None:
    last = as_of(session)
    page = leader.get("/console/air/stations/9901A")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "市监测站（9901A）" in text and "清江区" in text
    assert_offline_charts(page.text, 2)
    titles = ("最近7日小时浓度", f"{last.year}年{last.month}月逐日 AQI")
    assert all(json.dumps(t)[1:-1] in page.text for t in titles)  # as plotly's JSON writes them

    month_start = last.replace(day=1)
    days = (last - month_start).days + 1
    counted = hours_with_value(session, "9901A", month_start, last)
    coverage = dict(table_rows(page.text, "coverage"))
    labels = {"so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3", "pm10": "PM10", "pm25": "PM2.5"}
    for pollutant, label in labels.items():
        assert coverage[f"{label} 小时值"] == f"{counted[pollutant]}/{24 * days}"
    evaluation = air_service.evaluate_stations(
        session=session, stations=["9901A"], first_day=month_start, last_day=last
    )
    assert evaluation is not None
    valid = int(evaluation.city_daily["aqi"].notna().sum())
    assert coverage["有效日（AQI 可计算）"] == f"{valid}/{days}"

    api = leader.get("/api/v1/air/stations/9901A").json()
    assert api["period"] == f"{last:%Y-%m}" and api["area_code"] == BRANCH
    assert api["coverage"]["by_pollutant"] == counted
    assert api["coverage"]["valid_days"] == valid and api["coverage"]["expected_days"] == days
    assert [d["date"] for d in api["days"]][-1] == last.isoformat()


def test_a_retired_station_counts_coverage_only_while_it_ran(
    leader: TestClient, session: Session
) -> None:
    station = session.get(Station, "9905A")
    assert station is not None and station.active_to is not None
    page = leader.get("/console/air/stations/9905A")
    coverage = dict(table_rows(page.text, "coverage"))
    month = station.active_to.replace(day=1)
    days = (station.active_to - month).days + 1
    assert f"{month.year}年{month.month}月逐日空气质量" in text_of(page.text)
    assert coverage["有效日（AQI 可计算）"].endswith(f"/{days}")

    later = leader.get("/console/air/stations/9905A?month=2026-03")
    assert later.status_code == 200 and "2026年3月不在站点运行期内或尚无数据" in text_of(later.text)
    assert dict(table_rows(later.text, "coverage"))["PM2.5 小时值"] == "0/0"
    api = leader.get("/api/v1/air/stations/9905A?month=2026-03").json()
    assert api["coverage"]["expected_days"] == 0 and api["days"] == []


# --- calendar --------------------------------------------------------------------------------
def iaqi(value: float, pollutant: str, period: str) -> float:
    """Linear interpolation in HJ 633-2012 表1, written out here."""
    points = BREAKPOINTS_2012[(pollutant, period)]
    for i in range(1, len(points)):
        if value <= points[i]:
            low, high = points[i - 1], points[i]
            return IAQI_STEPS[i - 1] + (IAQI_STEPS[i] - IAQI_STEPS[i - 1]) * (value - low) / (
                high - low
            )
    return IAQI_STEPS[len(points) - 1]


def hand_computed_days(session: Session, year: int, month: int) -> dict[date, tuple[int, float]]:
    """Days of a pre-2026-03 month whose city AQI is clear by hand: the national stations'
    24-hour means (at least 20 valid hours), their mean, the largest IAQI; kept only where ozone
    cannot decide (even its highest hour stays below) and the AQI is not near a category
    boundary (so rounding cannot move it). Returns day → (category level, AQI)."""
    first = date(year, month, 1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    stations = session.scalars(
        select(Station.code).where(
            Station.control_level == "national",
            or_(Station.active_from.is_(None), Station.active_from <= first),
            or_(Station.active_to.is_(None), Station.active_to >= last),
        )
    ).all()
    start = datetime.combine(first, time(1)) - timedelta(hours=8)
    end = datetime.combine(last + timedelta(days=1), time(0)) - timedelta(hours=8)
    rows = session.execute(
        select(
            Observation.station_code,
            Observation.time_utc,
            Observation.invalid_flags,
            *(getattr(Observation, p) for p in POLLUTANTS),
        ).where(
            Observation.station_code.in_(stations),
            Observation.is_current.is_(True),
            Observation.time_utc >= start,
            Observation.time_utc <= end,
        )
    ).all()
    frame = pd.DataFrame(rows, columns=["station", "time_utc", "flags", *POLLUTANTS])
    for p in POLLUTANTS:
        frame[p] = frame[p].astype(float)
        frame.loc[(frame["flags"].fillna(0).astype(int) & invalid_bit(p)) != 0, p] = math.nan
    frame["day"] = (pd.to_datetime(frame["time_utc"]) + pd.Timedelta(hours=7)).dt.date
    out = {}
    bounds = (50, 100, 150, 200, 300)
    for day, hours in frame.groupby("day"):
        means = {}
        for p in ("so2", "no2", "co", "pm10", "pm25"):
            per_station = hours.groupby("station")[p].agg(["mean", "count"])
            valid = per_station[per_station["count"] >= 20]["mean"]
            if valid.empty:
                break
            means[p] = float(valid.mean())
        else:
            value = max(iaqi(means[p], p, "24h") for p in means)
            ozone_top = float(hours["o3"].max())
            ozone = max(iaqi(ozone_top, "o3", "1h"), iaqi(ozone_top, "o3", "8h"))
            aqi = math.ceil(value)
            if ozone < value - 3 and min(abs(aqi - b) for b in bounds) >= 3 and aqi > 3:
                level = 1 + sum(aqi > b for b in bounds)
                out[day] = (level, aqi)
    return out


def test_the_calendar_colours_a_day_by_the_category_of_its_aqi(
    leader: TestClient, session: Session
) -> None:
    days = hand_computed_days(session, 2026, 1)
    assert len(days) >= 5, "enough January days are clear by hand"
    page = leader.get("/console/air/calendar?year=2026")
    assert page.status_code == 200
    assert "示范市 2026年逐日空气质量" in text_of(page.text)
    for day, (level, aqi) in days.items():
        cell = re.search(
            rf'<td class="day lvl-(\d)" data-date="{day}" data-category="([^"]+)" '
            rf'style="background:([^"]+)" title="[^"]* AQI (\d+) ',
            page.text,
        )
        assert cell, day
        assert int(cell.group(1)) == level and cell.group(2) == CATEGORIES[level - 1]
        assert cell.group(3) == COLOURS_RGB_HEX[level - 1]
        assert abs(int(cell.group(4)) - aqi) <= 2
    last = as_of(session)
    after = last + timedelta(days=1)
    if after.year == 2026:
        assert f'<td class="day future" data-date="{after}"' in page.text

    api = leader.get("/api/v1/air/calendar?year=2026").json()
    by_date = {d["date"]: d for d in api["days"]}
    for day, (level, _) in days.items():
        assert by_date[day.isoformat()]["colour"] == COLOURS_RGB_HEX[level - 1]
    shown = re.findall(r'<td class="day lvl-\d" data-date="([\d-]+)"', page.text)
    assert sorted(shown) == sorted(d for d, v in by_date.items() if v["aqi"] is not None)


# --- evaluation ------------------------------------------------------------------------------
def test_the_evaluation_shows_the_editions_and_the_year_on_year_change(
    leader: TestClient, session: Session
) -> None:
    page = leader.get("/console/air/evaluate?period=2026H1&area=990100")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "示范市 2026年上半年（同比：2025年上半年）" in text
    both = "HJ 633-2012（2026年3月1日前）与 HJ 633-2026（3月1日起）"
    assert f"本期评价标准 {both}（按日：HJ 633-2012 59 天，HJ 633-2026 122 天）" in text
    assert "上年同期评价标准 HJ 633-2012（按日：HJ 633-2012 181 天）" in text
    assert "参与评价站点 9901A、9902A、9903A、9906A、9911A" in text  # the city's 国控 stations

    now = air_service.evaluate(
        session=session, area_code=CITY, first_day=date(2026, 1, 1), last_day=date(2026, 6, 30)
    )
    base = air_service.evaluate(
        session=session, area_code=CITY, first_day=date(2025, 1, 1), last_day=date(2025, 6, 30)
    )
    same = air_service.evaluate(
        session=session,
        area_code=CITY,
        first_day=date(2025, 1, 1),
        last_day=date(2025, 6, 30),
        edition="2026",
    )
    now_2026 = air_service.evaluate(
        session=session,
        area_code=CITY,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        edition="2026",
    )
    assert now and base and same and now_2026
    registry = load_catalog()
    rows = {r[0]: r for r in table_rows(page.text, "evaluation")}
    s_now, s_base = now.summary(), base.summary()
    pm25 = rows["PM2.5 平均浓度（μg/m³）"]
    assert pm25[1] == format_value(registry.get("air.pm25_mean"), s_now["pm25"])
    assert pm25[2] == format_value(registry.get("air.pm25_mean"), s_base["pm25"])
    change = hj663_period.change_year_on_year(s_now["pm25"], s_base["pm25"], quantity="pm25")
    assert pm25[3] == f"{change:+.1f} %"
    same_change = hj663_period.change_year_on_year(
        now_2026.summary()["pm25"], same.summary()["pm25"], quantity="pm25"
    )
    assert pm25[4] == f"{same_change:+.1f} %"
    rate = rows["环境空气质量优良天数比例（%）"]
    rate_change = hj663_period.change_year_on_year(
        s_now["good_day_rate"], s_base["good_day_rate"], quantity="rate"
    )
    assert rate[3] == f"{rate_change:+.1f} 个百分点"
    days = {r[0]: r for r in table_rows(page.text, "day-counts")}
    for category in CATEGORIES:
        assert days[category][1:] == [
            str(s_now["days_by_category"][category]),
            str(s_base["days_by_category"][category]),
        ]

    api = leader.get("/api/v1/air/evaluate?period=2026H1").json()["evaluation"]
    assert api["edition"] == both and api["base_edition"] == "HJ 633-2012"
    assert api["editions_used"] == {"2012": 59, "2026": 122}
    by_key = {r["key"]: r for r in api["rows"]}
    assert by_key["pm25"]["current"] == s_now["pm25"]
    assert by_key["pm25"]["change"]["auto"] == pytest.approx(change)


def test_a_period_under_one_edition_names_it_and_a_bad_period_is_explained(
    leader: TestClient,
) -> None:
    page = leader.get("/console/air/evaluate?period=2026-04")
    assert "本期评价标准 HJ 633-2026（按日：HJ 633-2026 30 天）" in text_of(page.text)
    assert "上年同期评价标准 HJ 633-2012（按日：HJ 633-2012 30 天）" in text_of(page.text)
    bad = leader.get("/console/air/evaluate?period=2026H3")
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert leader.get("/api/v1/air/evaluate?period=2026H3").status_code == 422


# --- ranking ---------------------------------------------------------------------------------
def test_the_district_ranking_follows_the_service(leader: TestClient, session: Session) -> None:
    page = leader.get("/console/air/ranking?period=2026H1")
    assert page.status_code == 200
    rows = table_rows(page.text, "ranking")
    frame = air_service.rank_areas(
        session=session, area_code=CITY, first_day=date(2026, 1, 1), last_day=date(2026, 6, 30)
    )
    assert [r[1] for r in rows] == list(frame["name"])
    assert [r[0] for r in rows] == [str(int(r)) for r in frame["rank"]]
    indicator = load_catalog().get("air.composite_index")
    assert [r[2] for r in rows] == [format_value(indicator, v) for v in frame["composite_index"]]
    assert "各区县排名" in text_of(page.text) and "HJ 633-2012（2026年3月1日前）" in page.text

    api = leader.get("/api/v1/air/ranking?period=2026H1").json()
    assert api["by"] == "district" and [r["code"] for r in api["rows"]] == list(frame["code"])
    stations = leader.get("/api/v1/air/ranking?period=2026H1&by=station").json()
    assert {r["code"] for r in stations["rows"]} >= BRANCH_STATIONS | {OTHER_STATION}
    odd = leader.get("/api/v1/air/ranking?period=2026H1&by=nonsense").json()
    assert odd["by"] == "district"


# --- who may see what ------------------------------------------------------------------------
def test_a_branch_user_sees_only_the_district_stations_and_ranking(
    branch: TestClient, session: Session
) -> None:
    page = branch.get("/console/air")
    assert page.status_code == 200 and "空气 · 监测站点（清江区）" in text_of(page.text)
    assert {r[1] for r in table_rows(page.text, "stations")} == BRANCH_STATIONS
    assert OTHER_STATION not in page.text and "东湖" not in text_of(page.text)
    api = branch.get("/api/v1/air/stations").json()
    assert {i["code"] for i in api["items"]} == BRANCH_STATIONS

    ranking = branch.get("/console/air/ranking?period=2026H1")
    assert "清江区下没有区县，按站点排名" in text_of(ranking.text)
    rows = table_rows(ranking.text, "ranking")
    frame = air_service.rank_areas(
        session=session,
        area_code=BRANCH,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        by="station",
    )
    assert [r[1] for r in rows] == list(frame["name"]) and len(rows) == len(BRANCH_STATIONS)
    ranked = branch.get("/api/v1/air/ranking?period=2026H1").json()
    assert ranked["by"] == "station" and {r["code"] for r in ranked["rows"]} == BRANCH_STATIONS

    evaluation = branch.get("/console/air/evaluate?period=2026H1")
    assert "清江区 2026年上半年" in text_of(evaluation.text)
    assert set(
        branch.get("/api/v1/air/evaluate?period=2026H1").json()["evaluation"]["stations"]
    ) == (BRANCH_STATIONS)


@pytest.mark.parametrize(
    "path",
    [
        f"/console/air?area={OTHER}",
        f"/console/air?area={CITY}",
        f"/console/air/stations/{OTHER_STATION}",
        f"/console/air/calendar?area={OTHER}",
        f"/console/air/evaluate?area={OTHER}&period=2026H1",
        f"/console/air/ranking?area={CITY}&period=2026H1",
        f"/api/v1/air/stations?area={OTHER}",
        f"/api/v1/air/stations/{OTHER_STATION}",
        f"/api/v1/air/calendar?area={OTHER}",
        f"/api/v1/air/evaluate?area={OTHER}&period=2026H1",
        f"/api/v1/air/ranking?area={CITY}&period=2026H1",
    ],
)
def test_a_branch_user_is_refused_another_district(branch: TestClient, path: str) -> None:
    response = branch.get(path)
    assert response.status_code == 403
    assert "无权查看其他区域的数据" in response.text
    assert "东湖新区" not in response.text


@pytest.mark.parametrize("role", READ_ROLES)
def test_every_staff_role_reads_the_air_pages(staff_client, role: str) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(role)
    stations = client.get("/console/air")
    assert stations.status_code == 200 and "9901A" in stations.text
    station = client.get("/console/air/stations/9901A")
    assert station.status_code == 200 and "市监测站（9901A）" in text_of(station.text)
    calendar = client.get("/console/air/calendar")
    assert calendar.status_code == 200 and 'class="day lvl-' in calendar.text
    evaluation = client.get("/console/air/evaluate")
    assert evaluation.status_code == 200 and 'id="evaluation"' in evaluation.text
    ranking = client.get("/console/air/ranking")
    assert ranking.status_code == 200 and 'id="ranking"' in ranking.text
    assert "9901A" in {i["code"] for i in client.get("/api/v1/air/stations").json()["items"]}


def test_the_air_api_refuses_strangers(anonymous: TestClient) -> None:
    for path in ("/api/v1/air/stations", "/api/v1/air/stations/9901A", "/api/v1/air/ranking"):
        response = anonymous.get(path)
        assert response.status_code == 401 and response.json() == {"detail": "请先登录"}
