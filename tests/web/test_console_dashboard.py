"""首页 (dashboard): the year's air figures against the targets with the outlook, today's AQI by
station, month-by-month charts against last year, the water sections by class and the 劣Ⅴ
ones, the alerts; the city for a leader, the district for a branch.

Expected figures come from the indicator, air and water services for the same period and area.
The tests only read the shared demo city (the dashboard stores the indicator values it
computes, as the indicator service always does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.attainment import target_outlook
from envbureau.core.db import make_engine, session_scope
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.periods import parse as parse_period
from envbureau.standards.gb3838_tables import CLASS_LABELS, TABLE1_ITEMS
from envbureau.standards.hj633_tables import CATEGORIES
from envbureau.water import service as water_service
from envbureau.web import monitoring
from envbureau.web.console import dashboard

CITY, BRANCH = "990100", "990102"
BRANCH_STATIONS = {"9901A", "9902A"}
READ_ROLES = ("admin", "leader", "air", "branch", "grid", "viewer")
PLOTLY_DIV = re.compile(r'<div id="[0-9a-f-]+" class="plotly-graph-div"')


@pytest.fixture
def session(demo_database_url: str) -> Iterator[Session]:
    with session_scope(make_engine(demo_database_url)) as s:
        yield s


@pytest.fixture
def leader_page(staff_client) -> str:  # type: ignore[no-untyped-def]
    page = staff_client("leader").get("/console")
    assert page.status_code == 200
    return page.text


def text_of(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html.split("<main", 1)[-1], flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def block(html: str, element_id: str) -> str:
    """The text of the element with ``id`` up to the end of its card, table or list."""
    rest = html.split(f'id="{element_id}"', 1)[1]
    end = min(
        i for i in (rest.find("</table>"), rest.find("</ul>"), rest.find("\n  </div>")) if i > 0
    )
    return text_of("<main>" + rest[:end])


def table_rows(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def charts_text(html: str) -> str:
    """The page with plotly's JSON escapes (``\\u5e74``, ``\\u002f``) read back as text."""
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), html)


def as_of(session: Session) -> date:
    day = monitoring.air_as_of(session)
    assert day is not None
    return day


# --- the city, as a leader sees it -----------------------------------------------------------
def test_the_year_cards_equal_the_indicator_values_targets_and_outlook(
    leader_page: str, session: Session
) -> None:
    last = as_of(session)
    period = parse_period(f"{last.year}H1") if last.month == 6 and last.day == 30 else None
    assert period is not None, "the demo data end on 30 June"
    outlook = target_outlook(session=session, area_code=CITY, year=last.year, as_of=last)
    registry = load_catalog()
    for key, indicator_id in (("good_day_rate", "air.good_day_rate"), ("pm25", "air.pm25_mean")):
        definition = registry.get(indicator_id)
        value = indicators_service.compute(
            session=session, indicator_id=indicator_id, period=period, area_code=CITY
        )
        target = indicators_service.get_target(
            session=session, indicator_id=indicator_id, year=last.year, area_code=CITY
        )
        assert value.value is not None and target is not None
        card = block(leader_page, f"card-{key}")
        assert f"{definition.name}（{period.label}）" in card
        shown = indicators_service.format_value(definition, value.value)
        assert f"{shown} {definition.unit}" in card
        words = indicators_service.DIRECTIONS[target.direction]
        assert f"年度目标：{words} {target.value:g} {definition.unit}" in card
        attained = indicators_service.target_status(target, value.value).attained
        assert ("（年初至今达到）" if attained else "（年初至今未达到）") in card
        expected = outlook[key]
        chance = f"完成可能性约 {expected['probability'] * 100:.0f}%"
        assert chance in card and "按 2023、2024、2025 年同期测算" in card
        if key == "good_day_rate":
            assert (
                f"余下 {expected['remaining_days']} 天需优良 {expected['good_days_needed']} 天"
                f"（{expected['share_needed']:.1f}%）" in card
            )
        else:
            assert f"余下 {expected['remaining_days']} 天均值需不高于 " in card
            assert f"{expected['remaining_mean_allowed']:.1f} μg/m³" in card
        assert f"目标来源：{target.source_document}" in card
        assert (
            f'href="/console/indicators/{indicator_id}?period={period.code}&amp;area={CITY}"'
            in (leader_page)
        )
    assert "评价标准：HJ 633-2012（2026年3月1日前）与 HJ 633-2026（3月1日起）" in text_of(
        leader_page
    )


def test_today_is_the_latest_day_with_each_station_aqi_on_the_map(
    leader_page: str, session: Session
) -> None:
    last = as_of(session)
    text = text_of(leader_page)
    assert f"空气数据截至 {last:%Y年%-m月%-d日}" in text and "不是系统当天" in text
    city = air_service.evaluate(session=session, area_code=CITY, first_day=last, last_day=last)
    assert city is not None
    day = city.city_daily.iloc[0]
    assert f"AQI {int(day['aqi'])} {CATEGORIES[int(day['level']) - 1]}" in block(
        leader_page, "card-today"
    )
    rows = table_rows(leader_page, "stations-today")
    active = [
        s
        for s in air_service.list_stations(session=session, area_code=CITY)
        if s.active_to is None or s.active_to >= last
    ]
    assert [r[0] for r in rows] == [s.name for s in active]
    for station, row in zip(active, rows, strict=True):
        evaluation = air_service.evaluate_stations(
            session=session, stations=[station.code], first_day=last, last_day=last
        )
        assert evaluation is not None
        found = evaluation.city_daily.iloc[0]
        assert row[2:4] == [str(int(found["aqi"])), CATEGORIES[int(found["level"]) - 1]]
    assert f"各站点 {last:%Y-%m-%d} 日 AQI" in charts_text(leader_page)  # the map's title
    assert "南山中学" not in [r[0] for r in rows]  # retired in 2024


def test_the_charts_are_drawn_offline(leader_page: str) -> None:
    # the stations' map, the two month-by-month charts and the sections' map
    assert len(PLOTLY_DIV.findall(leader_page)) == 4
    assert leader_page.count("Plotly.newPlot(") == 4
    assert '<script src="/static/vendor/plotly.min.js"></script>' in leader_page
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", leader_page) == []
    charts = charts_text(leader_page)
    assert "环境空气质量优良天数比例（逐月，与上年同月比较）" in charts
    assert "年度目标 95%" in charts and "年度目标 26μg/m³" in charts  # the target lines
    assert "断面水质类别（年初至今）" in charts


@pytest.mark.parametrize(
    ("key", "indicator_id", "months"),
    [
        ("good_day_rate", "air.good_day_rate", ("2026-03", "2025-03", "2025-12")),
        ("pm25", "air.pm25_mean", ("2026-01", "2026-06", "2025-01")),
    ],
)
def test_the_month_tables_equal_the_monthly_indicator_values(
    leader_page: str, session: Session, key: str, indicator_id: str, months: tuple[str, ...]
) -> None:
    rows = {r[0]: r[1:] for r in table_rows(leader_page, f"months-{key}")}
    assert set(rows) == {"2026年", "2025年"}
    assert rows["2026年"][6:] == ["—"] * 6  # no data after June yet
    for code in months:
        value = indicators_service.compute(
            session=session, indicator_id=indicator_id, period=parse_period(code), area_code=CITY
        ).value
        assert value is not None
        year, month = code.split("-")
        assert rows[f"{year}年"][int(month) - 1] == f"{value:.1f}"


def test_the_water_sections_by_class_and_the_inferior_v_ones(
    leader_page: str, session: Session
) -> None:
    water_day = monitoring.water_as_of(session)
    assert water_day is not None
    frame = water_service.evaluate_sections(
        session=session, area_code=CITY, first_day=date(water_day.year, 1, 1), last_day=water_day
    )
    counts = block(leader_page, "class-counts")
    for label in CLASS_LABELS:
        assert f"{label}类 {int((frame['class_label'] == label).sum())} 个" in counts
    worst = frame[frame["class_label"] == "劣Ⅴ"]
    assert len(worst) >= 1, "the demo city has a 劣Ⅴ section"
    rows = table_rows(leader_page, "inferior-v")
    assert [r[0] for r in rows] == list(worst["name"])
    for row, (_, section) in zip(rows, worst.iterrows(), strict=True):
        items = [TABLE1_ITEMS[i] for i in str(section["limiting_items"]).split(";")]
        assert row[3] == "、".join(items)
        over = str(section["over_class_iii"]).split(";")
        assert row[4].count("倍）") == len(over)
    assert len(table_rows(leader_page, "sections")) == len(
        water_service.list_sections(session=session, area_code=CITY)
    )


def test_the_alerts_name_the_sections_drifting_worse(leader_page: str, session: Session) -> None:
    water_day = monitoring.water_as_of(session)
    assert water_day is not None
    drift = water_service.drift_warnings(session=session, area_code=CITY, as_of=water_day)
    alerts = re.findall(r'<li class="alert">(.*?)</li>', leader_page, flags=re.S)
    water = [re.sub(r"<[^>]+>", "", a) for a in alerts if "水质预警" in a]
    assert len(water) == len(drift) > 0
    for _, row in drift.iterrows():
        assert any(
            a.startswith(f"水质预警 {row['name']}：近3个月 {row['class_label']} 类") for a in water
        )
    worse = drift[drift["flags"].map(lambda f: "变差" in f)]
    assert any("变差" in a for a in water) == (not worse.empty)


def test_the_api_gives_the_figures_the_page_shows(staff_client, leader_page: str) -> None:  # type: ignore[no-untyped-def]
    figures = staff_client("leader").get("/api/v1/dashboard").json()
    assert figures["area"] == {"code": CITY, "name": "示范市", "level": "city"}
    for key, card in figures["cards"].items():
        assert f"{card['shown']} {card['unit']}" in block(leader_page, f"card-{key}")
    assert f"AQI {figures['city_day']['aqi']} {figures['city_day']['category']}" in block(
        leader_page, "card-today"
    )
    page_alerts = re.findall(r'<li class="alert"><strong>(.*?)</strong> (.*?)</li>', leader_page)
    assert [(a["kind"], a["text"]) for a in figures["alerts"]] == page_alerts
    rows = table_rows(leader_page, "stations-today")
    assert [s["name"] for s in figures["stations"]] == [r[0] for r in rows]


# --- alerts of targets and stations (the screening rules, on made-up figures) ----------------
def test_a_target_unlikely_to_be_met_is_flagged_at_risk_and_a_likely_one_is_not() -> None:
    def card(probability: float, share_needed: float = 90.0) -> dict[str, object]:
        return {
            "name": "环境空气质量优良天数比例",
            "unit": "%",
            "target": {"value": 95.0, "words": "不低于"},
            "outlook": {"probability": probability, "share_needed": share_needed},
        }

    alerts = dashboard.target_alerts(
        {"a": card(0.3), "b": card(0.7), "c": card(0.95), "d": card(0.95, share_needed=101)}
    )
    assert [a["kind"] for a in alerts] == ["目标存在风险", "目标需关注", "目标存在风险"]
    assert alerts[0]["text"] == (
        "环境空气质量优良天数比例年度目标不低于95%：按往年同期测算，完成可能性约 30%"
    )


def test_a_station_with_incomplete_recent_days_is_flagged() -> None:
    rows = [
        {"name": "甲站", "area_name": "清江区", "recent_invalid_days": 2},
        {"name": "乙站", "area_name": "东湖区", "recent_invalid_days": 0},
    ]
    assert dashboard.station_alerts(rows) == [
        {
            "kind": "数据缺失",
            "text": "甲站（清江区）：近3日中有 2 日数据不完整，当日 AQI 无法全部计算",
        }
    ]


# --- a district, and every role ---------------------------------------------------------------
def test_a_branch_user_sees_the_district_only(staff_client, session: Session) -> None:  # type: ignore[no-untyped-def]
    client = staff_client("branch")
    page = client.get("/console").text
    assert "首页 · 清江区" in page
    rows = table_rows(page, "stations-today")
    assert {r[0] for r in rows} == {"市监测站", "清江公园"}
    for name in ("东湖新区", "开发区", "南山森林公园", "白云城区"):
        assert name not in page
    sections = {s.name for s in water_service.list_sections(session=session, area_code=BRANCH)}
    assert {r[0] for r in table_rows(page, "sections")} == sections
    others = {s.name for s in water_service.list_sections(session=session, area_code=CITY)}
    for name in others - sections:
        assert f"<td>{name}</td>" not in page

    last = as_of(session)
    value = indicators_service.compute(
        session=session,
        indicator_id="air.pm25_mean",
        period=parse_period(f"{last.year}H1"),
        area_code=BRANCH,
    )
    figures = client.get("/api/v1/dashboard").json()
    assert figures["area"]["code"] == BRANCH
    assert figures["cards"]["pm25"]["value"] == value.value
    assert {s["code"] for s in figures["stations"]} == BRANCH_STATIONS
    assert {s["code"] for s in figures["sections"]} == {
        s.code for s in water_service.list_sections(session=session, area_code=BRANCH)
    }


@pytest.mark.parametrize("role", READ_ROLES)
def test_every_staff_role_reads_the_dashboard(staff_client, role: str) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(role)
    page = client.get("/console")
    assert page.status_code == 200 and 'id="card-pm25"' in page.text
    assert "PM2.5 平均浓度" in page.text and "各站点当日空气质量" in page.text
    assert client.get("/api/v1/dashboard").json()["cards"]["pm25"]["unit"] == "μg/m³"


def test_the_dashboard_api_refuses_strangers(anonymous: TestClient) -> None:
    response = anonymous.get("/api/v1/dashboard")
    assert response.status_code == 401 and response.json() == {"detail": "请先登录"}


def test_the_maps_draw_the_districts_own_outlines(staff_client, leader_page: str) -> None:  # type: ignore[no-untyped-def]
    charts = charts_text(leader_page)
    for name in ("清江区", "东湖区", "南山区", "临川县", "青溪县", "白云市"):
        # one name label per map (stations and sections), each beside its outline
        assert charts.count(f'"text":["{name}"]') == 2, name
    branch = charts_text(staff_client("branch").get("/console").text)
    assert branch.count('"text":["清江区"]') == 2 and '"text":["东湖区"]' not in branch
