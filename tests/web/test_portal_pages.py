"""The public portal on the demo city: current air quality with health advice, water classes by
month, disclosed indicators — the same figures in the page and the JSON API, computed here
independently from the database and the standards' engines; nothing internal, nothing external.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.air import service as air_service
from envbureau.air.models import POLLUTANTS, Observation, Station, invalid_bit
from envbureau.core.areas import service as areas_service
from envbureau.core.db import make_engine, session_scope
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.demo.accounts import ACCOUNTS
from envbureau.standards import hj633, hj633_tables
from envbureau.standards.rounding import round_gbt8170
from envbureau.water import service as water_service
from envbureau.web.portal_air import so2_moving_24h

BEIJING = timedelta(hours=8)


@pytest.fixture
def db(demo_database_url: str) -> Iterator[Session]:
    with session_scope(make_engine(demo_database_url)) as session:
        yield session


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


# --- expected figures, computed from the database and the HJ 633 engine ----------------------
def _latest_hour_rows(db: Session) -> tuple[pd.Timestamp, pd.DataFrame]:
    """The latest observed hour (hour-ending, Beijing) and each station's valid 1-h values."""
    latest = db.scalar(
        select(Observation.time_utc)
        .where(Observation.is_current.is_(True))
        .order_by(Observation.time_utc.desc())
        .limit(1)
    )
    current = db.scalars(
        select(Observation).where(Observation.time_utc == latest, Observation.is_current.is_(True))
    ).all()
    records = []
    for row in current:
        record = {"station": row.station_code}
        for p in POLLUTANTS:
            value = getattr(row, p)
            flagged = row.invalid_flags & invalid_bit(p)
            record[p] = np.nan if value is None or flagged else float(value)
        records.append(record)
    frame = pd.DataFrame(records)
    end = pd.Timestamp(latest + BEIJING)
    frame["time"] = end
    return end, frame


def _expected(report: pd.Series) -> dict[str, object]:
    level = int(report["level"])
    edition = str(report["edition"])
    return {
        "aqi": int(report["aqi"]),
        "category": hj633_tables.CATEGORIES[level - 1],
        "health_effect": hj633_tables.HEALTH_EFFECTS[edition][level - 1],
        "health_advice": hj633_tables.HEALTH_ADVICE[edition][level - 1],
        "edition": edition,
    }


def expected_stations(db: Session) -> tuple[pd.Timestamp, dict[str, dict[str, object]]]:
    end, frame = _latest_hour_rows(db)
    reports = hj633.hourly_aqi(frame, edition="auto")
    return end, {frame.loc[i, "station"]: _expected(reports.loc[i]) for i in frame.index}


def expected_city(db: Session) -> dict[str, object]:
    """Mean of the evaluation stations' valid values (GB/T 8170 to reported precision), then
    the AQI of the means (HJ 663 城市尺度): never the mean of station AQIs."""
    end, frame = _latest_hour_rows(db)
    city = areas_service.list_root(session=db)[0]
    day = (end - pd.Timedelta(hours=1)).date()
    national = air_service.evaluation_stations(
        session=db, area_code=city.code, first_day=day, last_day=day
    )
    used = frame[frame["station"].isin(national)]
    means = {p: round_gbt8170(used[p].mean(), 1 if p == "co" else 0) for p in POLLUTANTS}
    report = hj633.hourly_aqi(pd.DataFrame([{"time": end, **means}]), edition="auto")
    return _expected(report.iloc[0]) | {"name": city.name}


# --- air ---------------------------------------------------------------------------------------
def test_each_station_shows_the_aqi_of_the_latest_hour_with_its_category_and_advice(
    anonymous: TestClient, db: Session
) -> None:
    end, expected = expected_stations(db)
    assert expected, "the demo city has observations"
    page = anonymous.get("/")
    assert page.status_code == 200
    start = end - pd.Timedelta(hours=1)
    label = (
        f"{start.year}年{start.month}月{start.day}日 {start.hour:02d}:00—{start.hour + 1:02d}:00"
    )
    assert f"数据时段： {label} （北京时间" in _text(page.text)
    assert "最新有监测数据的小时，非实时数据" in page.text

    names = {s.code: s.name for s in db.scalars(select(Station))}
    rows = {row[0]: row for row in _table(page.text, "stations")}
    for code, figures in expected.items():
        row = rows[names[code]]
        assert row[2] == str(figures["aqi"]), (code, row)
        assert row[4] == figures["category"]
        assert row[-1] == figures["health_advice"]
    categories = {f["category"] for f in expected.values()}
    assert len(rows) == len(expected) and categories <= set(hj633_tables.CATEGORIES)


def test_city_value_comes_from_mean_concentrations_with_its_health_texts(
    anonymous: TestClient, db: Session
) -> None:
    city = expected_city(db)
    page = anonymous.get("/").text
    block = _text(page.split('<div class="city-aqi"', 1)[1].split("</div>", 1)[0])
    assert f"{city['name']}（全市）" in block
    assert f"空气质量指数（AQI） {city['aqi']} ，" in block
    assert str(city["category"]) in block
    assert f"对健康影响情况 {city['health_effect']}" in block
    assert f"建议采取的措施 {city['health_advice']}" in block


def test_level_table_is_the_standard_table_with_colour_names(anonymous: TestClient) -> None:
    air = anonymous.get("/api/v1/public/air").json()
    edition = air["edition"]
    rows = _table(anonymous.get("/").text, "levels")
    assert [r[0] for r in rows] == [
        "0～50",
        "51～100",
        "101～150",
        "151～200",
        "201～300",
        "大于300",
    ]
    assert [r[2] for r in rows] == list(hj633_tables.CATEGORIES)
    assert [r[3] for r in rows] == list(hj633_tables.COLOUR_NAMES)  # colour also named in text
    assert [r[5] for r in rows] == list(hj633_tables.HEALTH_ADVICE[edition])
    assert [level["health_effect"] for level in air["levels"]] == list(
        hj633_tables.HEALTH_EFFECTS[edition]
    )


def test_air_api_agrees_with_the_page_and_the_engine(anonymous: TestClient, db: Session) -> None:
    end, expected = expected_stations(db)
    air = anonymous.get("/api/v1/public/air").json()
    assert air["hour_end"] == end.isoformat(timespec="minutes")
    assert air["standard"] == f"HJ 633-{air['edition']}"
    by_code = {s["code"]: s for s in air["stations"]}
    for code, figures in expected.items():
        got = by_code[code]
        assert {k: got[k] for k in figures} == figures
    city = expected_city(db)
    assert {k: air["city"][k] for k in ("aqi", "category", "health_advice")} == {
        k: city[k] for k in ("aqi", "category", "health_advice")
    }
    rows = {row[0]: row for row in _table(anonymous.get("/").text, "stations")}
    for station in air["stations"]:
        assert rows[station["name"]][2] == (str(station["aqi"]) if station["aqi"] else "—")
        assert rows[station["name"]][6:12] == [
            station["concentrations"][p] or "—" for p in POLLUTANTS
        ]


# --- water -------------------------------------------------------------------------------------
def _month_classes(db: Session, area_code: str, year: int, month: int, as_of: date):
    first = date(year, month, 1)
    last = min((pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date(), as_of)
    frame = water_service.evaluate_sections(
        session=db, area_code=area_code, first_day=first, last_day=last
    )
    return dict(zip(frame["code"], frame["class_label"], strict=True))


@pytest.mark.parametrize("year", [None, 2025])
def test_water_class_per_section_and_month_equals_the_water_service(
    anonymous: TestClient, db: Session, year: int | None
) -> None:
    query = "" if year is None else f"?year={year}"
    data = anonymous.get(f"/api/v1/public/water{query}").json()
    city = areas_service.list_root(session=db)[0]
    as_of = date.fromisoformat(data["as_of"])
    year = year or as_of.year
    assert data["year"] == year
    last_month = as_of.month if as_of.year == year else 12
    assert data["months"] == [f"{year}-{m:02d}" for m in range(1, last_month + 1)]
    sections = water_service.list_sections(session=db, area_code=city.code)
    assert [s["code"] for s in data["sections"]] == [s.code for s in sections]

    page = anonymous.get(f"/{query}").text
    rows = {row[0]: row for row in _table(page, "water")}
    assert f"各断面 {year} 年逐月水质类别" in page
    seen = set()
    for m in range(1, last_month + 1):
        classes = _month_classes(db, city.code, year, m, as_of)
        for section in data["sections"]:
            want = classes.get(section["code"])
            assert section["months"][f"{year}-{m:02d}"] == want, (section["code"], m)
            assert rows[section["name"]][2 + m] == (f"{want}类" if want else "—")
            seen.add(want)
    assert {"Ⅱ", "Ⅲ", "劣Ⅴ"} <= seen  # the demo has clean and 劣Ⅴ sections


def test_water_year_out_of_range_is_refused(anonymous: TestClient) -> None:
    response = anonymous.get("/api/v1/public/water?year=1800")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "year"]


# --- nothing internal, nothing external -------------------------------------------------------
STAFF_WORDS = ("审计", "登录", "密码", "用户名", "工作台账", "台账", "备注", "录入人", "操作人")


def test_no_staff_text_user_names_or_unpublished_indicators(
    anonymous: TestClient, db: Session
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
    stored = set(db.scalars(select(IndicatorValue.indicator_id)))
    hidden = [d.name for d in catalog if not d.public and d.id in stored]
    assert "实行承诺备案制的建设项目数" in hidden  # the demo stores unpublished values
    for name in hidden:
        if not any(name in shown for shown in public_names):
            assert name not in visible and all(name not in d for d in dumps), name
    listed = {v["name"] for v in anonymous.get("/api/v1/public/indicators").json()}
    assert listed and listed <= set(public_names)
    assert all(name in visible for name in listed)


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
