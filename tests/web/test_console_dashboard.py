"""首页 (dashboard): the year's air figures against the targets with the outlook, today's AQI by
station, month-by-month charts against last year, the water sections by class and the 劣Ⅴ
ones, the alerts; the city for a leader, the district for a branch.

The expected figures are literals worked from the demo city (示范市, data to 30 June 2026); each
test says how. Counts of days come from the demo's daily AQI (HJ 633 日报) of the evaluation
stations (the city: its five national-control stations 9901A, 9902A, 9903A, 9906A, 9911A; 清江区:
9901A and 9902A); where a figure rests on a long computation (a mean of 179 days, a seeded
bootstrap) the literal pins the value the demo gives, the engines' own tests check the method.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from envbureau.air.snapshots import StationSnapshot
from envbureau.overview import alerts
from envbureau.overview.results import AirCard, Alert, CardTarget

CITY, BRANCH = "990100", "990102"
READ_ROLES = ("admin", "leader", "air", "branch", "grid", "viewer")
PLOTLY_DIV = re.compile(r'<div id="[0-9a-f-]+" class="plotly-graph-div"')
SOURCE = "《示范市2026年大气污染防治实施方案》年度目标"  # the demo's target book
slow = pytest.mark.slow  # builds (once per run) and reads the demo city


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


# --- the city, as a leader sees it -----------------------------------------------------------
@slow
def test_the_year_cards_show_the_indicator_values_targets_and_outlook(leader_page: str) -> None:
    # 2026-01-01 … 06-30 (2026H1, 181 days, every one valid): 优 34 + 良 139 = 173 good days;
    # 173 / 181 = 95.58 % → 95.6 (0.1 %, GB/T 8170) ≥ target 95 → met so far. The rest of the
    # year has 184 days (1 July – 31 December); the year needs ⌈95 % × (181 + 184)⌉ = ⌈346.75⌉
    # = 347 good days, so 347 − 173 = 174 more: 174 / 184 = 94.6 % of the remaining days.
    rate = block(leader_page, "card-good_day_rate")
    assert "环境空气质量优良天数比例（2026年上半年）" in rate
    assert "95.6 %" in rate and "年度目标：不低于 95 %" in rate and "（年初至今达到）" in rate
    assert "余下 184 天需优良 174 天（94.6%）" in rate
    assert "按 2023、2024、2025 年同期测算，完成可能性约 100%" in rate
    assert f"目标来源：{SOURCE}" in rate
    assert "评价标准：HJ 633-2012（2026年3月1日前）与 HJ 633-2026（3月1日起）" in rate
    # PM2.5: the mean of the 179 daily city means that are not dust days (2 in March) is
    # 4418 / 179 = 24.68 → 25 μg/m³ (whole μg/m³) ≤ target 26. For the year to stay at 26 the
    # remaining 184 days may average (26 × (179 + 184) − 4418) / 184 = 5020 / 184 = 27.3.
    pm25 = block(leader_page, "card-pm25")
    assert "PM2.5 平均浓度（2026年上半年）" in pm25
    assert "25 μg/m³" in pm25 and "年度目标：不高于 26 μg/m³" in pm25
    assert "（年初至今达到）" in pm25
    assert "余下 184 天均值需不高于 27.3 μg/m³" in pm25
    assert "按 2023、2024、2025 年同期测算，完成可能性约 99%" in pm25  # seeded bootstrap
    assert f"目标来源：{SOURCE}" in pm25 and "评价标准：GB 3095-2026 过渡阶段 二级" in pm25
    for indicator_id in ("air.good_day_rate", "air.pm25_mean"):
        link = f'href="/console/indicators/{indicator_id}?period=2026H1&amp;area={CITY}"'
        assert link in leader_page


# Each active station's daily AQI of 30 June 2026 (HJ 633-2026 日报): name, district, AQI,
# category, primary pollutant ("—" at AQI 50 or below). 南山中学 was retired in 2024.
STATIONS_TODAY = [
    ["市监测站", "清江区", "48", "优", "—"],
    ["清江公园", "清江区", "65", "良", "O3"],
    ["东湖新区", "东湖区", "51", "良", "O3"],
    ["开发区", "东湖区", "72", "良", "O3"],
    ["南山森林公园", "南山区", "50", "优", "—"],
    ["临川县城", "临川县", "49", "优", "—"],
    ["青溪县城", "青溪县", "50", "优", "—"],
    ["白云工业园", "白云市", "48", "优", "—"],
    ["白云城区", "白云市", "51", "良", "O3"],
    ["南山新城", "南山区", "42", "优", "—"],
]


@slow
def test_today_is_the_latest_day_with_each_station_aqi_on_the_map(leader_page: str) -> None:
    text = text_of(leader_page)
    # the demo's last observation is the hour ending 24:00 on 30 June (Beijing time)
    assert "空气数据截至 2026年6月30日" in text and "不是系统当天" in text
    assert "水质数据截至 2026年6月30日" in text
    # the city's day from its five national-control stations: AQI 50, 优 (HJ 633-2026 日报)
    assert "AQI 50 优" in block(leader_page, "card-today")
    assert "示范市 6月30日 空气质量" in block(leader_page, "card-today")
    assert table_rows(leader_page, "stations-today") == STATIONS_TODAY
    assert "各站点 2026-06-30 日 AQI" in charts_text(leader_page)  # the map's title
    # the map's hover texts: "name（district）：AQI n category"
    assert "市监测站（清江区）：AQI 48 优" in charts_text(leader_page)


@slow
def test_the_charts_are_drawn_offline(leader_page: str) -> None:
    # the stations' map, the two month-by-month charts and the sections' map
    assert len(PLOTLY_DIV.findall(leader_page)) == 4
    assert leader_page.count('<script type="application/json" data-plotly-for=') == 4
    assert '<script src="/static/vendor/plotly.min.js"></script>' in leader_page
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", leader_page) == []
    charts = charts_text(leader_page)
    assert "环境空气质量优良天数比例（逐月，与上年同月比较）" in charts
    assert "年度目标 95%" in charts and "年度目标 26μg/m³" in charts  # the target lines
    assert "断面水质类别（年初至今）" in charts


@slow
def test_the_month_tables_show_the_monthly_indicator_values(leader_page: str) -> None:
    # good days / valid days of each month at the five national-control stations:
    # 2026: 31/31, 28/28, 28/31 = 90.3, 30/30, 30/31 = 96.8, 26/30 = 86.7;
    # 2025: 29/31 = 93.5, 26/28 = 92.9, 29/31 = 93.5, 30/30, 31/31, 29/30 = 96.7, 31/31,
    #       30/31 = 96.8, then four full months.
    assert table_rows(leader_page, "months-good_day_rate") == [
        _row("2026年", "100.0 100.0 90.3 100.0 96.8 86.7 — — — — — —"),
        _row("2025年", "93.5 92.9 93.5 100.0 100.0 96.7 100.0 96.8 100.0 100.0 100.0 100.0"),
    ]
    # the monthly PM2.5 means of the demo (whole μg/m³), winter high, summer low; no data
    # after June 2026 yet
    assert table_rows(leader_page, "months-pm25") == [
        _row("2026年", "38.0 30.0 28.0 24.0 16.0 11.0 — — — — — —"),
        _row("2025年", "41.0 40.0 30.0 23.0 17.0 13.0 12.0 12.0 18.0 21.0 28.0 30.0"),
    ]


def _row(label: str, cells: str) -> list[str]:
    return [label, *cells.split()]


@slow
def test_the_water_sections_by_class_and_the_inferior_v_ones(leader_page: str) -> None:
    # the demo's 40 sections, classed on their 2026 means (1 January – 30 June, GB 3838-2002):
    # 16 + 16 + 4 + 3 + 1 = 40, all sampled
    counts = block(leader_page, "class-counts")
    assert "Ⅰ类 0 个 Ⅱ类 16 个 Ⅲ类 16 个 Ⅳ类 4 个 Ⅴ类 3 个 劣Ⅴ类 1 个" in counts
    assert "40 个有监测" in block(leader_page, "card-water")
    # 南河新城 (target Ⅳ) is the demo's 劣Ⅴ section: every item but the pH and the metals
    # sets its class, and five items exceed Ⅲ, BOD5 most (2.31 times the Ⅲ limit)
    assert table_rows(leader_page, "inferior-v") == [
        [
            "南河新城",
            "南山区",
            "Ⅳ类",
            "溶解氧、高锰酸盐指数、化学需氧量、五日生化需氧量、氨氮、总磷",
            "五日生化需氧量（2.31倍）、高锰酸盐指数（2.29倍）、总磷（2.13倍）、氨氮（1.76倍）"
            "、化学需氧量（1.74倍）",
        ]
    ]
    assert len(table_rows(leader_page, "sections")) == 40


#: The water alerts of the city on 30 June 2026 (water.warnings: the last 3 months against
#: the target and the 3 months before): worse or over the target first, by section code,
#: then those only near a limit.
WATER_ALERTS = [
    "东溪东湖桥：近3个月 Ⅴ 类（目标 Ⅳ 类），不达标",
    "南河新城：近3个月 劣Ⅴ 类（目标 Ⅳ 类），不达标",
    "金沙港出海口：近3个月 Ⅴ 类（目标 Ⅳ 类），不达标",
    "白云河工业园：近3个月 Ⅴ 类（目标 Ⅲ 类），变差、不达标",
    "桃源水库：近3个月 Ⅱ 类（目标 Ⅱ 类），接近超标（溶解氧接近目标类别限值）",
    "桃源溪下游：近3个月 Ⅳ 类（目标 Ⅳ 类），接近超标（总磷接近目标类别限值）",
    "临川江出境：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（五日生化需氧量接近目标类别限值）",
    "青溪出境：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（溶解氧接近目标类别限值）",
    "南河18号断面：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（溶解氧接近目标类别限值）",
    "临川江19号断面：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（五日生化需氧量接近目标类别限值）",
    "金沙港22号断面：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（溶解氧接近目标类别限值）",
    "桃源溪23号断面：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（高锰酸盐指数接近目标类别限值）",
    "青溪28号断面：近3个月 Ⅱ 类（目标 Ⅱ 类），接近超标（溶解氧接近目标类别限值）",
    "清江32号断面：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（溶解氧接近目标类别限值）",
    "东溪33号断面：近3个月 Ⅲ 类（目标 Ⅲ 类），接近超标（化学需氧量、五日生化需氧量接近目标类别限值）",
]


@slow
def test_the_alerts_name_the_sections_drifting_worse(leader_page: str) -> None:
    # both targets are likely (100 %, 99 %) and no station missed a day: water alerts only
    page_alerts = re.findall(r'<li class="alert"><strong>(.*?)</strong> (.*?)</li>', leader_page)
    assert page_alerts == [("水质预警", text) for text in WATER_ALERTS]


@slow
def test_the_api_gives_the_figures_the_page_shows(staff_client, leader_page: str) -> None:  # type: ignore[no-untyped-def]
    figures = staff_client("leader").get("/api/v1/dashboard").json()
    assert figures["area"] == {"code": CITY, "name": "示范市", "level": "city"}
    assert (figures["as_of"], figures["water_as_of"]) == ("2026-06-30", "2026-06-30")
    assert figures["ytd_label"] == "2026年上半年"
    assert figures["water_span"] == "2026年1月1日至2026年6月30日"
    rate, pm25 = figures["cards"]["good_day_rate"], figures["cards"]["pm25"]
    assert rate["value"] == pytest.approx(173 / 181 * 100) and rate["shown"] == "95.6"
    assert rate["target"] == {
        "value": 95.0,
        "words": "不低于",
        "source_document": SOURCE,
        "attained_so_far": True,
    }
    assert rate["outlook"]["remaining_days"] == 184 and rate["outlook"]["good_days_needed"] == 174
    assert pm25["value"] == 25.0 and pm25["unit"] == "μg/m³"
    assert pm25["outlook"]["remaining_mean_allowed"] == pytest.approx(5020 / 184)
    assert pm25["coverage"]["observed"] == 179 and pm25["coverage"]["expected"] == 181
    for key, card in figures["cards"].items():
        assert f"{card['shown']} {card['unit']}" in block(leader_page, f"card-{key}")
    assert figures["month_tables"]["good_day_rate"]["2026年"]["3"] == pytest.approx(28 / 31 * 100)
    assert figures["month_tables"]["pm25"]["2025年"]["12"] == 30.0
    assert {k: figures["city_day"][k] for k in ("date", "aqi", "category", "level")} == {
        "date": "2026-06-30",
        "aqi": 50,
        "category": "优",
        "level": 1,
    }
    assert figures["city_day"]["stations"] == ["9901A", "9902A", "9903A", "9906A", "9911A"]
    assert figures["class_counts"] == {"Ⅰ": 0, "Ⅱ": 16, "Ⅲ": 16, "Ⅳ": 4, "Ⅴ": 3, "劣Ⅴ": 1}
    page_alerts = re.findall(r'<li class="alert"><strong>(.*?)</strong> (.*?)</li>', leader_page)
    assert [(a["kind"], a["text"]) for a in figures["alerts"]] == page_alerts
    assert [s["name"] for s in figures["stations"]] == [r[0] for r in STATIONS_TODAY]
    assert [s["latest"]["aqi"] for s in figures["stations"]] == [int(r[2]) for r in STATIONS_TODAY]
    assert figures["stations"][0] == {
        "code": "9901A",
        "name": "市监测站",
        "area_code": BRANCH,
        "latest": {
            "date": "2026-06-30",
            "aqi": 48,
            "level": 1,
            "category": "优",
            "colour": "#00E400",
            "primary_pollutants": "",
            "edition": "2026",
            "health_effect": "空气质量令人满意，基本无空气污染",
            "health_advice": "各类人群可正常活动",
            "pm25": 26.0,
        },
        "recent_invalid_days": 0,
    }
    nanhe = next(s for s in figures["sections"] if s["name"] == "南河新城")
    assert (nanhe["class_label"], nanhe["target"], nanhe["meets_target"]) == ("劣Ⅴ", "Ⅳ", False)
    assert len(figures["sections"]) == 40


# --- alerts of targets and stations (the screening rules, on made-up figures) ----------------
def _card(probability: float, share_needed: float = 90.0) -> AirCard:
    return AirCard(
        key="good_day_rate",
        id="air.good_day_rate",
        name="环境空气质量优良天数比例",
        unit="%",
        value=94.0,
        shown="94.0",
        reason="",
        edition=None,
        coverage=None,
        period="2026年上半年",
        period_code="2026H1",
        target=CardTarget(95.0, "不低于", "责任书", attained_so_far=False),
        outlook={"probability": probability, "share_needed": share_needed},
    )


def test_a_target_unlikely_to_be_met_is_flagged_at_risk_and_a_likely_one_is_not() -> None:
    found = alerts.target_alerts([_card(0.3), _card(0.7), _card(0.95), _card(0.95, 101)])
    assert [a.kind for a in found] == ["目标存在风险", "目标需关注", "目标存在风险"]
    assert found[0].text == (
        "环境空气质量优良天数比例年度目标不低于95%：按往年同期测算，完成可能性约 30%"
    )


def _station(name: str, area_name: str, invalid_days: int) -> StationSnapshot:
    return StationSnapshot(
        code=name,
        name=name,
        area_code=None,
        area_name=area_name,
        control_level="国控",
        lon=None,
        lat=None,
        active_from=None,
        active_to=None,
        active=True,
        recent_invalid_days=invalid_days,
    )


def test_a_station_with_incomplete_recent_days_is_flagged() -> None:
    stations = [_station("甲站", "清江区", 2), _station("乙站", "东湖区", 0)]
    assert alerts.station_alerts(stations) == [
        Alert("数据缺失", "甲站（清江区）：近3日中有 2 日数据不完整，当日 AQI 无法全部计算")
    ]


# --- a district, and every role ---------------------------------------------------------------
#: 清江区's sections (codes and names as the demo's section register has them).
BRANCH_SECTIONS = {
    "W05": "清江金溪闸",
    "W11": "清江入境",
    "W18": "南河18号断面",
    "W24": "清江24号断面",
    "W30": "金沙港30号断面",
    "W36": "青溪36号断面",
}


@slow
def test_a_branch_user_sees_the_district_only(staff_client, leader_page: str) -> None:  # type: ignore[no-untyped-def]
    client = staff_client("branch")
    page = client.get("/console").text
    assert "首页 · 清江区" in page
    assert table_rows(page, "stations-today") == STATIONS_TODAY[:2]
    for name in ("东湖新区", "开发区", "南山森林公园", "白云城区"):
        assert name not in page
    assert {r[0] for r in table_rows(page, "sections")} == set(BRANCH_SECTIONS.values())
    others = {r[0] for r in table_rows(leader_page, "sections")} - set(BRANCH_SECTIONS.values())
    assert len(others) == 34
    for name in others:
        assert f"<td>{name}</td>" not in page
    # 清江区 on its two stations: 优 21 + 良 146 = 167 of 181 days → 92.3 %; PM2.5 27 μg/m³;
    # the city's targets are not the district's
    assert "92.3 %" in block(page, "card-good_day_rate")
    assert "本区域未设定2026年目标。" in block(page, "card-pm25")
    assert re.findall(r'<li class="alert"><strong>(.*?)</strong> (.*?)</li>', page) == [
        ("水质预警", WATER_ALERTS[8])  # 南河18号断面, the district's one
    ]

    figures = client.get("/api/v1/dashboard").json()
    assert figures["area"] == {"code": BRANCH, "name": "清江区", "level": "district"}
    assert figures["cards"]["pm25"]["value"] == 27.0
    assert figures["cards"]["good_day_rate"]["value"] == pytest.approx(167 / 181 * 100)
    assert {s["code"] for s in figures["stations"]} == {"9901A", "9902A"}
    assert {s["code"] for s in figures["sections"]} == set(BRANCH_SECTIONS)


@slow
@pytest.mark.parametrize("role", READ_ROLES)
def test_every_staff_role_reads_the_dashboard(staff_client, role: str) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(role)
    page = client.get("/console")
    assert page.status_code == 200 and 'id="card-pm25"' in page.text
    assert "PM2.5 平均浓度" in page.text and "各站点当日空气质量" in page.text
    assert client.get("/api/v1/dashboard").json()["cards"]["pm25"]["unit"] == "μg/m³"


@slow
def test_the_dashboard_api_refuses_strangers(anonymous: TestClient) -> None:
    response = anonymous.get("/api/v1/dashboard")
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


@slow
def test_the_maps_draw_the_districts_own_outlines(staff_client, leader_page: str) -> None:  # type: ignore[no-untyped-def]
    charts = charts_text(leader_page)
    for name in ("清江区", "东湖区", "南山区", "临川县", "青溪县", "白云市"):
        # one name label per map (stations and sections), each beside its outline
        assert charts.count(f'"text":["{name}"]') == 2, name
    branch = charts_text(staff_client("branch").get("/console").text)
    assert branch.count('"text":["清江区"]') == 2 and '"text":["东湖区"]' not in branch
