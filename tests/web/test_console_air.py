"""空气 in the console: stations with coverage, a station's charts, the AQI calendar, the
evaluation of a period with its editions and year on year, the ranking, and who may see what.

Expected figures are worked by hand from the demo city's stored hours (demo/air.py; its last
hour ends 2026-07-01 00:00 Beijing time, so the data reach 30 June 2026) and written as
literals, each with how it was worked; the calendar's days and the hour counts are computed
here from the raw rows and the HJ 633 breakpoint table, never by the air service. The tests
only read the shared demo city (built once per run, hence ``slow``).
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

from envbureau.air.models import POLLUTANTS, Observation, Station, invalid_bit
from envbureau.air.snapshots import air_as_of
from envbureau.standards.hj633_tables import (
    BREAKPOINTS_2012,
    CATEGORIES,
    COLOURS_RGB_HEX,
    IAQI_STEPS,
)

pytestmark = pytest.mark.slow  # every test reads the demo city, built once per run

AS_OF = date(2026, 6, 30)  # the day of the demo's last hour (ending 2026-07-01 00:00)
CITY, BRANCH, OTHER = "990100", "990102", "990103"
BRANCH_STATIONS = {"9901A", "9902A"}
OTHER_STATION = "9903A"
READ_ROLES = ("admin", "leader", "air", "branch", "grid", "viewer")
PLOTLY_DIV = re.compile(r'<div id="([0-9a-f-]+)" class="plotly-graph-div"')


@pytest.fixture
def session(demo_session: Session) -> Iterator[Session]:
    yield demo_session


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
    assert html.count('<script type="application/json" data-plotly-for=') == count  # charts.js
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html) == []


# --- stations --------------------------------------------------------------------------------
def test_the_station_list_shows_each_station_with_its_latest_aqi_and_month_coverage(
    leader: TestClient, session: Session
) -> None:
    assert air_as_of(session) == AS_OF
    page = leader.get("/console/air")
    assert page.status_code == 200
    assert "空气数据截至 2026年6月30日" in text_of(page.text)
    rows = {r[1]: r for r in table_rows(page.text, "stations")}
    every = {s.code: s for s in session.scalars(select(Station))}
    assert set(rows) == set(every)
    retired = [s for s in every.values() if s.active_to and s.active_to < AS_OF]
    assert retired, "the demo city has a retired station"
    for station in retired:
        assert rows[station.code][-1] == f"已停用（{station.active_to}起）"

    # 30 June 2026 by HJ 633-2026 表3, from the stored hours of each station: 24-h means
    # (≥ 20 valid hours) and the daily max 8-h O3 moving mean, each IAQI by interpolation.
    # 9901A: SO2 8, NO2 22, CO 0.6, PM10 46, PM2.5 26, O3-8h 96 → IAQI 8, 27.5, 15, 46, 37.1, 48
    #        → AQI 48, 优.
    # 9903A: SO2 6, NO2 17, CO 0.5, PM10 33, PM2.5 19, O3-8h 101 → O3 IAQI 50 + 50 × 1/60 = 50.8
    #        → AQI 51, 良.
    # June to the 30th: every day has ≥ 20 valid hours of every pollutant (30/30 valid days);
    # of the 720 hours, 699 (9901A) and 702 (9903A) have all six pollutants unflagged.
    assert rows["9901A"][4:7] == ["48 优", "30/30", "699/720 （97%）"]
    assert rows["9903A"][4:7] == ["51 良", "30/30", "702/720 （98%）"]
    assert rows["9901A"][2] == "清江区" and rows["9903A"][2] == "东湖区"
    for code in ("9901A", "9903A"):
        assert f'<a href="/console/air/stations/{code}">' in page.text

    api = leader.get("/api/v1/air/stations").json()
    assert api["as_of"] == "2026-06-30" and api["area_code"] == CITY
    for item in api["items"]:
        row = rows[item["code"]]
        if item["coverage"]:
            assert row[5] == f"{item['coverage']['valid_days']}/{item['coverage']['expected_days']}"
        if item["latest"] and item["latest"]["aqi"] is not None:
            assert row[4] == f"{item['latest']['aqi']} {item['latest']['category']}"
    first = next(i for i in api["items"] if i["code"] == "9901A")
    assert first["latest"]["aqi"] == 48 and first["coverage"]["complete_hours"] == 699


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
    page = leader.get("/console/air/stations/9901A")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "市监测站（9901A）" in text and "清江区" in text
    assert_offline_charts(page.text, 2)
    titles = ("最近7日小时浓度（06-24至06-30）", "2026年6月逐日 AQI")
    assert all(json.dumps(t)[1:-1] in page.text for t in titles)  # as plotly's JSON writes them

    days = 30  # 1 to 30 June 2026
    counted = hours_with_value(session, "9901A", date(2026, 6, 1), AS_OF)
    assert set(counted.values()) == {699}  # the hours missing in June are missing for all six
    coverage = dict(table_rows(page.text, "coverage"))
    labels = {"so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3", "pm10": "PM10", "pm25": "PM2.5"}
    for pollutant, label in labels.items():
        assert coverage[f"{label} 小时值"] == f"{counted[pollutant]}/{24 * days}"
    # Every June day has ≥ 20 valid hours of each pollutant (21 of the 720 hours are missing,
    # no more than 4 on any day), so every day's AQI can be computed: 30/30.
    assert coverage["有效日（AQI 可计算）"] == "30/30"

    api = leader.get("/api/v1/air/stations/9901A").json()
    assert api["period"] == "2026-06" and api["area_code"] == BRANCH
    assert api["coverage"]["by_pollutant"] == counted
    assert api["coverage"]["valid_days"] == 30 and api["coverage"]["expected_days"] == days
    assert [d["date"] for d in api["days"]][-1] == "2026-06-30"
    assert api["days"][-1]["aqi"] == 48  # as on the station list


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
    assert '<td class="day future" data-date="2026-07-01"' in page.text
    assert '<td class="day lvl-1" data-date="2026-06-30"' in page.text  # the city's AQI: 优

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

    # The city's national stations; each period's figures as reported (HJ 663, GB/T 8170).
    # PM2.5: mean of the daily city means (national stations with ≥ 20 valid hours), dust days
    # (18–19 Mar 2026, 27–28 Mar 2025) left out: 179 days each, 24.68 → 25 and 27.20 → 27 μg/m³;
    # change (25 − 27) / 27 = −7.4 %, the same on either edition (the means do not depend on it).
    # Good days: 34 优 + 139 良 = 173 of 181 → 95.6 %; 2025H1 41 + 133 = 174 of 181 → 96.1 %;
    # change −0.5 points. On HJ 633-2026 for both (94.5 against 93.9 %): +0.6 points.
    # Composite index (GB 3095-2012 grade-II denominators): 7/60 + 18/40 + 43/70 + 25/35 +
    # 0.9/4 + 139/160 = 2.99; 2025H1 7/60 + 19/40 + 47/70 + 27/35 + 0.9/4 + 131/160 = 3.08;
    # change −2.9 %. The two 严重污染 days are the dust days (AQI 344 and 459, PM10).
    rows = {r[0]: r for r in table_rows(page.text, "evaluation")}
    assert rows["PM2.5 平均浓度（μg/m³）"][1:] == ["25", "27", "-7.4 %", "-7.4 %", "-7.4 %"]
    assert rows["环境空气质量优良天数比例（%）"][1:] == [
        "95.6",
        "96.1",
        "-0.5 个百分点",
        "+0.6 个百分点",
        "-0.5 个百分点",
    ]
    assert rows["环境空气质量综合指数"][1:] == ["2.99", "3.08", "-2.9 %", "-2.9 %", "-2.9 %"]
    assert rows["重度及以上污染天数（天）"][1:] == ["2", "0", "+2 天", "+2 天", "+2 天"]
    days = {r[0]: r[1:] for r in table_rows(page.text, "day-counts")}
    assert days == {
        "优": ["34", "41"],
        "良": ["139", "133"],
        "轻度污染": ["6", "6"],
        "中度污染": ["0", "1"],
        "重度污染": ["0", "0"],
        "严重污染": ["2", "0"],
    }

    api = leader.get("/api/v1/air/evaluate?period=2026H1").json()["evaluation"]
    assert api["edition"] == both and api["base_edition"] == "HJ 633-2012"
    assert api["editions_used"] == {"2012": 59, "2026": 122}
    by_key = {r["key"]: r for r in api["rows"]}
    assert by_key["pm25"]["current"] == 25.0 and by_key["pm25"]["base"] == 27.0
    assert by_key["pm25"]["change"] == {"auto": -7.4, "2026": -7.4, "2012": -7.4}
    assert by_key["good_day_rate"]["same_edition_values"]["2026"] == [94.5, 93.9]


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
def test_the_district_ranking_orders_the_districts_by_composite_index(
    leader: TestClient,
) -> None:
    page = leader.get("/console/air/ranking?period=2026H1")
    assert page.status_code == 200
    rows = table_rows(page.text, "ranking")
    # Composite index of 2026H1 (环办监测〔2018〕19号, GB 3095-2012 grade-II denominators) from
    # each district's reported SO2, NO2, PM10, PM2.5 means, CO P95 and O3-8h P90:
    # 南山区 7/60 + 17/40 + 38/70 + 22/35 + 1.0/4 + 136/160 = 2.81
    # 青溪县 7/60 + 19/40 + 44/70 + 25/35 + 0.9/4 + 146/160 = 3.07
    # 东湖区 8/60 + 20/40 + 44/70 + 27/35 + 0.9/4 + 156/160 = 3.23
    # 清江区 8/60 + 20/40 + 48/70 + 27/35 + 1.0/4 + 147/160 = 3.26
    # 白云市 8/60 + 21/40 + 47/70 + 28/35 + 1.0/4 + 146/160 = 3.29
    # 临川县 8/60 + 21/40 + 50/70 + 28/35 + 0.9/4 + 146/160 = 3.31
    assert [r[:3] for r in rows] == [
        ["1", "南山区", "2.81"],
        ["2", "青溪县", "3.07"],
        ["3", "东湖区", "3.23"],
        ["4", "清江区", "3.26"],
        ["5", "白云市", "3.29"],
        ["6", "临川县", "3.31"],
    ]
    assert "各区县排名" in text_of(page.text) and "HJ 633-2012（2026年3月1日前）" in page.text

    api = leader.get("/api/v1/air/ranking?period=2026H1").json()
    codes = ["990104", "990122", "990103", "990102", "990181", "990121"]
    assert api["by"] == "district" and [r["code"] for r in api["rows"]] == codes
    stations = leader.get("/api/v1/air/ranking?period=2026H1&by=station").json()
    assert {r["code"] for r in stations["rows"]} >= BRANCH_STATIONS | {OTHER_STATION}
    odd = leader.get("/api/v1/air/ranking?period=2026H1&by=nonsense").json()
    assert odd["by"] == "district"


# --- who may see what ------------------------------------------------------------------------
def test_a_branch_user_sees_only_the_district_stations_and_ranking(branch: TestClient) -> None:
    page = branch.get("/console/air")
    assert page.status_code == 200 and "空气 · 监测站点（清江区）" in text_of(page.text)
    assert {r[1] for r in table_rows(page.text, "stations")} == BRANCH_STATIONS
    assert OTHER_STATION not in page.text and "东湖" not in text_of(page.text)
    api = branch.get("/api/v1/air/stations").json()
    assert {i["code"] for i in api["items"]} == BRANCH_STATIONS

    ranking = branch.get("/console/air/ranking?period=2026H1")
    assert "清江区下没有区县，按站点排名" in text_of(ranking.text)
    # 清江区's two stations by composite index (reported statistics, as for the districts):
    # 9901A 8/60 + 21/40 + 50/70 + 28/35 + 0.9/4 + 132/160 = 3.22,
    # 9902A 8/60 + 20/40 + 45/70 + 26/35 + 0.9/4 + 168/160 = 3.29.
    rows = table_rows(ranking.text, "ranking")
    assert [r[:3] for r in rows] == [["1", "市监测站", "3.22"], ["2", "清江公园", "3.29"]]
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
        assert response.status_code == 401
        assert response.json() == {
            "detail": [
                {
                    "loc": [],
                    "code": "auth.login_required",
                    "msg": "请先登录",
                    "value": None,
                    "type": "auth.login_required",
                }
            ]
        }
