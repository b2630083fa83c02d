"""The public portal on the demo city: current air quality with health advice, water classes by
month, disclosed indicators — the same figures in the page and the JSON API; nothing internal,
nothing external.

The expected figures are literals worked from the demo city (示范市, data to the hour ending 24:00
on 30 June 2026), as each test says: the real-time AQI by hand from the hour's concentrations
(HJ 633-2026 表3, formula (1): IAQI = (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo)·(C − BP_Lo) + IAQI_Lo,
rounded up), the water classes as the demo's sections are built (each around one class).
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.air.realtime import so2_moving_24h
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.demo.accounts import ACCOUNTS
from envbureau.standards import hj633, hj633_tables

slow = pytest.mark.slow  # builds (once per run) and reads the demo city


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _table(page: str, css_class: str) -> list[list[str]]:
    """The body rows of ``<table class="css_class">`` as lists of cell texts."""
    match = re.search(rf'<table class="{css_class}">(.*?)</table>', page, re.S)
    assert match, f"no table {css_class!r}"
    body = match.group(1).split("<tbody>", 1)[1]
    return [
        [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# --- air ---------------------------------------------------------------------------------------
GOOD = "各类人群可正常活动"  # HJ 633-2026 表1, level 1
FAIR = "极少数异常敏感人群应减少户外活动"  # level 2
#: Each active station in the hour ending 24:00 on 30 June 2026 (HJ 633-2026, 实时报): name,
#: district, AQI, level, category, primary pollutant, the 1-h means SO2, NO2, CO, O3, PM10,
#: PM2.5 as reported (μg/m³, CO mg/m³), advice. PM10 and PM2.5 go into the daily columns of
#: 表3 (PM10 50 → 50, 120 → 100; PM2.5 35 → 50, 60 → 100); every other IAQI is lower. E.g.
#: 市监测站: PM10 63 → 50 + (63 − 50)·50/70 = 59.3 → 60, PM2.5 35 → 50: AQI 60, 良, PM10;
#: 开发区: PM10 60 → 57.1 → 58, PM2.5 37 → 50 + 2·50/25 = 54: AQI 58, PM10;
#: 东湖新区: PM10 39 → 39, PM2.5 23 → 32.9 → 33: AQI 39, 优, no primary pollutant (≤ 50).
STATIONS = [
    ["市监测站", "清江区", "60", "二级", "良", "PM10", "10", "25", "0.6", "20", "63", "35", FAIR],
    ["清江公园", "清江区", "46", "一级", "优", "—", "8", "19", "0.6", "18", "46", "27", GOOD],
    ["东湖新区", "东湖区", "39", "一级", "优", "—", "6", "16", "0.5", "17", "39", "23", GOOD],
    ["开发区", "东湖区", "58", "二级", "良", "PM10", "10", "26", "0.6", "20", "60", "37", FAIR],
    ["南山森林公园", "南山区", "40", "一级", "优", "—", "7", "18", "0.7", "21", "40", "26", GOOD],
    ["临川县城", "临川县", "55", "二级", "良", "PM10", "9", "23", "0.6", "19", "57", "33", FAIR],
    ["青溪县城", "青溪县", "60", "二级", "良", "PM10", "10", "26", "0.7", "21", "64", "36", FAIR],
    ["白云工业园", "白云市", "52", "二级", "良", "PM10", "9", "23", "0.6", "18", "52", "32", FAIR],
    ["白云城区", "白云市", "56", "二级", "良", "PM10", "9", "23", "0.6", "20", "58", "33", FAIR],
    ["南山新城", "南山区", "47", "一级", "优", "—", "7", "19", "0.6", "18", "47", "26", GOOD],
]


@slow
def test_each_station_shows_the_aqi_of_the_latest_hour_with_its_category_and_advice(
    anonymous: TestClient,
) -> None:
    page = anonymous.get("/")
    assert page.status_code == 200
    assert "数据时段： 2026年6月30日 23:00—24:00 （北京时间" in _text(page.text)
    assert "最新有监测数据的小时，非实时数据" in page.text
    assert _table(page.text, "stations") == STATIONS


@slow
def test_city_value_comes_from_mean_concentrations_with_its_health_texts(
    anonymous: TestClient,
) -> None:
    # the five evaluation stations (市监测站, 清江公园, 东湖新区, 南山森林公园, 南山新城):
    # PM10 (63 + 46 + 39 + 40 + 47) / 5 = 47 → IAQI 47; PM2.5 (35 + 27 + 23 + 26 + 26) / 5 =
    # 27.4 → 27 → 27·50/35 = 38.6 → 39; AQI 47, 优 — not the mean of their AQIs (46.4)
    page = anonymous.get("/").text
    block = _text(page.split('<div class="city-aqi"', 1)[1].split("</div>", 1)[0])
    assert "示范市（全市）" in block
    assert "空气质量指数（AQI） 47 ，一级， 优 （绿色）" in block
    assert "对健康影响情况 空气质量令人满意，基本无空气污染" in block
    assert f"建议采取的措施 {GOOD}" in block
    assert "由 5 个城市评价点位（本小时 5 个有数据）" in block


@slow
def test_level_table_is_the_standard_table_with_colour_names(anonymous: TestClient) -> None:
    air = anonymous.get("/api/v1/public/air").json()
    assert air["edition"] == "2026"  # the hour is after 1 March 2026
    rows = _table(anonymous.get("/").text, "levels")
    assert [r[0] for r in rows] == [
        "0～50",
        "51～100",
        "101～150",
        "151～200",
        "201～300",
        "大于300",
    ]
    assert [r[1] for r in rows] == ["一级", "二级", "三级", "四级", "五级", "六级"]
    assert [r[2] for r in rows] == ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]
    assert [r[3] for r in rows] == ["绿色", "黄色", "橙色", "红色", "紫色", "褐红色"]
    assert [r[5] for r in rows][:2] == [GOOD, FAIR]
    assert [r[5] for r in rows] == list(hj633_tables.HEALTH_ADVICE["2026"])
    assert [level["health_effect"] for level in air["levels"]] == list(
        hj633_tables.HEALTH_EFFECTS["2026"]
    )
    assert [level["colour"] for level in air["levels"]] == list(hj633_tables.COLOURS_RGB_HEX)


@slow
def test_air_api_agrees_with_the_page(anonymous: TestClient) -> None:
    air = anonymous.get("/api/v1/public/air").json()
    assert air["hour_end"] == "2026-07-01T00:00"  # 24:00 on 30 June, Beijing time
    assert air["hour_label"] == "2026年6月30日 23:00—24:00"
    assert air["standard"] == "HJ 633-2026"
    assert {k: air["city"][k] for k in ("code", "aqi", "category", "health_advice")} == {
        "code": "990100",
        "aqi": 47,
        "category": "优",
        "health_advice": GOOD,
    }
    assert air["city"]["stations"] == ["9901A", "9902A", "9903A", "9906A", "9911A"]
    assert air["city"]["concentrations"] == {
        "so2": "8",  # (10 + 8 + 6 + 7 + 7) / 5 = 7.6 → 8
        "no2": "19",
        "co": "0.6",
        "o3": "19",
        "pm10": "47",
        "pm25": "27",
    }
    assert air["stations"][0] == {
        "code": "9901A",
        "name": "市监测站",
        "area_code": "990102",
        "area_name": "清江区",
        "aqi": 60,
        "edition": "2026",
        "level": 2,
        "level_name": "二级",
        "category": "良",
        "colour": "#FFFF00",
        "colour_name": "黄色",
        "health_effect": "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
        "health_advice": FAIR,
        "primary_pollutants": "PM10",
        "concentrations": {
            "so2": "10",
            "no2": "25",
            "co": "0.6",
            "o3": "20",
            "pm10": "63",
            "pm25": "35",
        },
    }
    by_name = {row[0]: row for row in STATIONS}
    assert [s["name"] for s in air["stations"]] == list(by_name)
    for station in air["stations"]:
        row = by_name[station["name"]]
        assert row[2:6] == [
            str(station["aqi"]),
            station["level_name"],
            station["category"],
            station["primary_pollutants"] or "—",
        ]
        assert row[6:12] == [
            station["concentrations"][p] for p in ("so2", "no2", "co", "o3", "pm10", "pm25")
        ]


# --- water -------------------------------------------------------------------------------------
#: Each section's class in each month of 2026 (January to June, the last sample 30 June), as
#: ``demo.water`` builds them: every sample is drawn between the GB 3838-2002 表1 limits of the
#: section's level, so a month's class is that level. Of the 劣Ⅴ elimination list, 清江金溪闸
#: and 桃源溪下游 left it in 2025 (Ⅳ), 东溪东湖桥 and 金沙港出海口 from January 2026 (Ⅴ),
#: 南河新城 does not; 白云河工业园 relapses from Ⅲ to Ⅴ in March 2026.
CLASSES_2026 = {
    "W01": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 清溪水库坝前
    "W02": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 清溪水库库心
    "W03": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 桃源水库
    "W04": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 白云水厂取水口
    "W05": "Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ",  # 清江金溪闸
    "W06": "Ⅴ Ⅴ Ⅴ Ⅴ Ⅴ Ⅴ",  # 东溪东湖桥
    "W07": "劣Ⅴ 劣Ⅴ 劣Ⅴ 劣Ⅴ 劣Ⅴ 劣Ⅴ",  # 南河新城
    "W08": "Ⅴ Ⅴ Ⅴ Ⅴ Ⅴ Ⅴ",  # 金沙港出海口
    "W09": "Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ",  # 桃源溪下游
    "W10": "Ⅲ Ⅲ Ⅴ Ⅴ Ⅴ Ⅴ",  # 白云河工业园
    "W11": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 清江入境
    "W12": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 临川江出境
    "W13": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 青溪出境
    "W14": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 金沙港14号断面
    "W15": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 桃源溪15号断面
    "W16": "Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ",  # 清江16号断面
    "W17": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 东溪17号断面
    "W18": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 南河18号断面
    "W19": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 临川江19号断面
    "W20": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 青溪20号断面
    "W21": "Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ Ⅳ",  # 白云河21号断面
    "W22": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 金沙港22号断面
    "W23": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 桃源溪23号断面
    "W24": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 清江24号断面
    "W25": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 东溪25号断面
    "W26": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 南河26号断面
    "W27": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 临川江27号断面
    "W28": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 青溪28号断面
    "W29": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 白云河29号断面
    "W30": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 金沙港30号断面
    "W31": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 桃源溪31号断面
    "W32": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 清江32号断面
    "W33": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 东溪33号断面
    "W34": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 南河34号断面
    "W35": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 临川江35号断面
    "W36": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 青溪36号断面
    "W37": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 白云河37号断面
    "W38": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 金沙港38号断面
    "W39": "Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ Ⅲ",  # 桃源溪39号断面
    "W40": "Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ Ⅱ",  # 清江40号断面
}
#: 2025 (all twelve months): each section at one level, its 2026 one but for these three.
CHANGED_IN_2026 = {"W06": "劣Ⅴ", "W08": "劣Ⅴ", "W10": "Ⅲ"}


def _classes(year: int | None) -> dict[str, list[str]]:
    if year == 2025:
        return {
            code: [CHANGED_IN_2026.get(code, months.split()[-1])] * 12
            for code, months in CLASSES_2026.items()
        }
    return {code: months.split() for code, months in CLASSES_2026.items()}


@slow
@pytest.mark.parametrize("year", [None, 2025])
def test_water_class_per_section_and_month(anonymous: TestClient, year: int | None) -> None:
    query = "" if year is None else f"?year={year}"
    data = anonymous.get(f"/api/v1/public/water{query}").json()
    assert data["as_of"] == "2026-06-30"  # the latest sample
    assert data["years"] == [2026, 2025, 2024, 2023]
    shown = year or 2026  # the default: the year of the latest sample, not the wall clock
    assert data["year"] == shown
    last_month = 6 if shown == 2026 else 12
    assert data["months"] == [f"{shown}-{m:02d}" for m in range(1, last_month + 1)]
    expected = _classes(year)
    assert [s["code"] for s in data["sections"]] == list(expected)
    page = anonymous.get(f"/{query}").text
    rows = {row[0]: row for row in _table(page, "water")}
    assert f"各断面 {shown} 年逐月水质类别" in page
    for section in data["sections"]:
        want = expected[section["code"]]
        assert list(section["months"].values()) == want, section["code"]
        assert rows[section["name"]][3:] == [f"{label}类" for label in want]
    assert rows["南河新城"][:3] == ["南河新城", "南山区", "Ⅳ类"]  # name, district, target


@slow
def test_water_year_out_of_range_is_refused(anonymous: TestClient) -> None:
    response = anonymous.get("/api/v1/public/water?year=1800")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "year"]


# --- nothing internal, nothing external -------------------------------------------------------
STAFF_WORDS = ("审计", "登录", "密码", "用户名", "工作台账", "台账", "备注", "录入人", "操作人")


@slow
def test_no_staff_text_user_names_or_unpublished_indicators(
    anonymous: TestClient, demo_session: Session
) -> None:
    page = anonymous.get("/").text
    visible = _text(page)
    dumps = [
        json.dumps(anonymous.get(path).json(), ensure_ascii=False)
        for path in ("/api/v1/public/air", "/api/v1/public/water", "/api/v1/public/indicators")
    ]
    for word in STAFF_WORDS:
        assert word not in visible and all(word not in d for d in dumps), word
    for username, (_role, display_name, *_rest) in ACCOUNTS.items():
        assert display_name not in visible and all(display_name not in d for d in dumps)
        assert not re.search(rf"\b{username}\b", visible), username
        assert all(f'"{username}"' not in d for d in dumps), username
    assert "/console" not in page and "/login" not in page
    for key in ("inputs", "details", "source_document", "entered_by", "set_by", "note"):
        assert all(f'"{key}"' not in d for d in dumps), key

    catalog = load_catalog().all()
    public_names = [d.name for d in catalog if d.public]
    stored = set(demo_session.scalars(select(IndicatorValue.indicator_id)))
    hidden = [d.name for d in catalog if not d.public and d.id in stored]
    assert "实行承诺备案制的建设项目数" in hidden  # the demo stores unpublished values
    for name in hidden:
        if not any(name in shown for shown in public_names):
            assert name not in visible and all(name not in d for d in dumps), name
    listed = {v["name"] for v in anonymous.get("/api/v1/public/indicators").json()}
    assert listed and listed <= set(public_names)
    assert all(name in visible for name in listed)


@slow
def test_page_uses_only_local_assets_and_accessible_tables(anonymous: TestClient) -> None:
    page = anonymous.get("/").text
    assert '<html lang="zh-CN">' in page
    assert not re.search(r"https?://", page)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert "/static/portal.css" in assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        assert anonymous.get(asset).status_code == 200, asset
    tables = re.findall(r"<table[^>]*>(.*?)</table>", page, re.S)
    assert len(tables) >= 5
    for table in tables:
        assert "<caption>" in table and '<th scope="col">' in table
    # every colour swatch is hidden from screen readers and followed by the category in words
    for after in re.findall(r'class="swatch"[^>]*></span>([^<]*)', page):
        assert after.strip(), "a colour swatch without its text"
    assert 'aria-hidden="true"' in page


@slow
def test_openapi_lists_the_public_air_and_water_api(anonymous: TestClient) -> None:
    paths = anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/public/air"]["get"]["tags"] == ["公开信息"]
    assert {"/api/v1/public/water", "/api/v1/public/indicators"} <= set(paths)


def test_the_so2_24_hour_mean_needs_20_valid_hours_and_scores_so2_above_800() -> None:
    end = datetime(2025, 1, 10, 12)
    hours = pd.date_range(end=end, periods=30, freq="h")
    full = pd.DataFrame({"station": "A", "time": hours, "so2": 100.0})
    full.loc[full["time"] == end, "so2"] = 900.0
    sparse = full.assign(station="B")
    sparse.loc[sparse.index[-24:-5], "so2"] = float("nan")  # 5 of the 24 hours left
    means = so2_moving_24h(pd.concat([full, sparse]), end)
    assert means["A"] == (23 * 100 + 900) / 24  # the 24 hours ending at ``end`` only
    assert pd.isna(means["B"])
    clean = {"no2": 10.0, "co": 0.3, "o3": 20.0, "pm10": 10.0, "pm25": 5.0}
    hour = pd.DataFrame({"time": [end], "so2": [900.0], "so2_24h": [means["A"]], **clean})
    report = hj633.hourly_aqi(hour, edition="2012")
    # 24-h SO2 of 133.3 μg/m³ lies between 50 (IAQI 50) and 150 (IAQI 100) of 表1
    assert report.loc[0, "aqi"] == report.loc[0, "iaqi_so2_24h"] == 92
