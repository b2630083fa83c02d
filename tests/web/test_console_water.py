"""水 in the console: section list, section detail against the class limits, classes by period,
compliance tables, and the area scope of a branch user, through pages and ``/api/v1/water``.

Expected figures are computed here from the water service (``evaluate_sections``) and the
tables of GB 3838-2002, not read back from the pages' own builders. Nothing here writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.db import make_engine, session_scope
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.standards import gb3838_tables as tables
from envbureau.standards.rounding import format_gbt8170
from envbureau.water import service as water_service
from envbureau.water.models import Sample, Section

CITY = "990100"
BRANCH_AREA = "990102"  # 清江区, the demo branch user's district
OTHER_DISTRICT = "990103"  # 东湖区
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
LAYOUT = re.compile(r'Plotly\.newPlot\(\s*"[^"]+",\s*\[.*?\],\s*(\{.*?\}),\s*\{"displaylogo', re.S)


@pytest.fixture
def db(demo_database_url: str) -> Iterator[Session]:
    with session_scope(make_engine(demo_database_url)) as session:
        yield session


@pytest.fixture(scope="module")
def period(demo_database_url: str) -> Period:
    """The half-year of the demo's latest water sample (what the pages show by default)."""
    with session_scope(make_engine(demo_database_url)) as session:
        latest = session.scalar(
            select(func.max(Sample.time_utc)).where(Sample.is_current.is_(True))
        )
    day = (latest + timedelta(hours=8)).date()
    return parse_period(f"{day.year}H{1 if day.month <= 6 else 2}")


def _classes(db: Session, area: str, period: Period) -> pd.DataFrame:
    return water_service.evaluate_sections(
        session=db, area_code=area, first_day=period.start, last_day=period.end
    )


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _section_table(html: str) -> dict[str, str]:
    """Code → class shown in the section list (``无数据`` without data)."""
    shown = {}
    for row in ROW.findall(html):
        code = re.search(r"<td>(\w+)</td>\s*<td><a href=\"/console/water/sections/", row)
        if code:
            badge = re.search(r'<span class="wc wc-\w+">([^<]+)</span>', row)
            assert badge, row
            shown[code.group(1)] = badge.group(1)
    return shown


def _layouts(html: str) -> dict[str, dict]:
    """The plotly layouts of a page, by the item name in their title."""
    out = {}
    for match in LAYOUT.finditer(html):
        layout = json.loads(match.group(1))
        out[layout["title"]["text"].split("（")[0]] = layout
    return out


# --- section list ---------------------------------------------------------------------------------


def test_the_section_list_shows_the_classes_the_service_computes(
    staff_client, db: Session, period: Period
) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/water?period={period.code}&area={CITY}")
    assert page.status_code == 200
    classes = _classes(db, CITY, period)
    expected = {s.code: "无数据" for s in water_service.list_sections(session=db, area_code=CITY)}
    expected |= dict(zip(classes["code"], classes["class_label"], strict=True))
    assert len(expected) > 10 and _section_table(page.text) == expected

    text = _text(page.text)
    assert f"共 {len(expected)} 个断面，{len(classes)} 个本时段有监测数据" in text
    cards = re.findall(r'wc wc-(\d)">[^<]+</span> <strong>(\d+)</strong> 个', page.text)
    by_class = classes["water_class"].value_counts()
    assert [(int(c), int(n)) for c, n in cards] == [
        (c, int(by_class.get(c, 0))) for c in range(1, len(tables.CLASS_LABELS) + 1)
    ]

    # the JSON API gives the same classes for the same period and area
    api = client.get(f"/api/v1/water/sections?period={period.code}&area={CITY}").json()
    assert api["period"] == period.code and api["area_code"] == CITY
    by_code = {i["code"]: i["period_class"] for i in api["items"]}
    assert {c: (v["class_label"] if v else "无数据") for c, v in by_code.items()} == expected


def test_the_section_list_marks_the_sections_that_miss_their_target(
    staff_client, db: Session, period: Period
) -> None:
    page = staff_client("leader").get(f"/console/water?period={period.code}&area={CITY}")
    classes = _classes(db, CITY, period)
    missing = classes[
        classes["target_class"].notna() & (classes["water_class"] > classes["target_class"])
    ]
    assert len(missing) > 0
    flagged = {
        code
        for row in ROW.findall(page.text)
        if "未达标" in row
        for code in re.findall(r"<td>(W\w+)</td>", row)
    }
    assert flagged == set(missing["code"])


# --- one section ------------------------------------------------------------------------------------


def _a_section(db: Session, kinds: set[str], period: Period) -> Section:
    """A section of that water body with a target class and phosphorus data in the period."""
    classes = _classes(db, CITY, period).set_index("code")
    for section in water_service.list_sections(session=db, area_code=CITY):
        has_tp = section.code in classes.index and pd.notna(classes.at[section.code, "tp"])
        if section.kind in kinds and section.target_class and has_tp:
            return section
    raise AssertionError(f"the demo city has no {kinds} section with a target and TP data")


@pytest.mark.parametrize(
    ("kinds", "limits"),
    [
        ({"river"}, tables.TABLE1_LIMITS["tp"]),
        (set(tables.LAKE_RESERVOIR), tables.LAKE_RESERVOIR_LIMITS["tp"]),
    ],
    ids=["river", "lake-reservoir"],
)
def test_a_section_chart_draws_the_class_limits_of_its_water_body(
    staff_client, db: Session, period: Period, kinds: set[str], limits: tuple[float, ...]
) -> None:
    section = _a_section(db, kinds, period)
    page = staff_client("leader").get(f"/console/water/sections/{section.code}")
    assert page.status_code == 200
    layout = _layouts(page.text)["总磷"]
    lines = {shape["y0"]: shape["line"]["dash"] for shape in layout["shapes"]}
    notes = [note["text"] for note in layout["annotations"]]
    assert lines and set(lines) <= set(limits)  # the water body's own TP row of 表1
    target_limit = limits[section.target_class - 1]
    assert lines[target_limit] == "solid"  # the target line is always drawn, and drawn solid
    assert all(dash == "dot" for limit, dash in lines.items() if limit != target_limit)
    target_label = tables.CLASS_LABELS[section.target_class - 1]
    assert any(n.endswith(f"{target_label}类 {target_limit:g}") for n in notes), notes
    low, high = layout["yaxis"]["range"]
    assert low <= target_limit <= high


def test_a_section_page_shows_its_period_class_and_attributes(
    staff_client, db: Session, period: Period
) -> None:
    classes = _classes(db, CITY, period).set_index("code")
    code = classes.index[0]
    section = db.get(Section, code)
    text = _text(staff_client("leader").get(f"/console/water/sections/{code}").text)
    assert f"{section.name} {code}" in text
    assert f"{period.label}水质 {classes.at[code, 'class_label']} " in text
    assert f"（{int(classes.at[code, 'samples'])} 次监测）" in text
    target = tables.CLASS_LABELS[section.target_class - 1] if section.target_class else "—"
    assert f"水功能区目标 / 水十条目标 {target} /" in text


def test_the_samples_api_gives_the_stored_values_in_beijing_time(
    staff_client, db: Session, period: Period
) -> None:
    code = _classes(db, CITY, period)["code"].iloc[0]
    day = period.end
    api = (
        staff_client("leader")
        .get(f"/api/v1/water/sections/{code}/samples?from={day}&to={day}")
        .json()
    )
    stored = water_service.load_samples(session=db, sections=[code], first_day=day, last_day=day)
    assert len(api["samples"]) == len(stored) > 0
    first = stored.sort_values("time").iloc[0]
    assert api["samples"][0]["time"] == first["time"].isoformat() + "+08:00"
    values = {i: float(first[i]) for i in api["units"] if pd.notna(first.get(i))}
    assert values and api["samples"][0]["values"] == pytest.approx(values)


def test_a_reversed_or_too_long_window_is_refused_with_a_message(staff_client) -> None:
    client = staff_client("leader")
    reversed_ = client.get("/api/v1/water/sections/W01/samples?from=2026-06-01&to=2026-05-01")
    assert reversed_.status_code == 422 and "早于开始日" in reversed_.text
    too_long = client.get("/api/v1/water/sections/W01/samples?from=2024-01-01&to=2026-01-01")
    assert too_long.status_code == 422 and "一次最多查询 366 天" in too_long.text


# --- classes by period ----------------------------------------------------------------------------


def _count_cells(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]


def test_classes_by_period_count_what_the_service_computes(
    staff_client, db: Session, period: Period
) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/water/classes?period={period.code}&area={CITY}")
    assert page.status_code == 200
    rows = ROW.findall(page.text)
    classes = _classes(db, CITY, period)
    counts = classes["class_label"].value_counts()
    for code, class_label in enumerate(tables.CLASS_LABELS, start=1):
        row = next(r for r in rows if f'<span class="wc wc-{code}">{class_label}</span>' in r)
        assert _count_cells(row)[0] == int(counts.get(class_label, 0))
        names = set(re.findall(r">([^<]+)</a>", row))
        assert names == set(classes.loc[classes["class_label"] == class_label, "name"])

    # the last six half-years, each counted like the service counts it
    halves = [period]
    while len(halves) < 6:
        before = halves[0].start - timedelta(days=1)
        halves.insert(0, parse_period(f"{before.year}H{1 if before.month <= 6 else 2}"))
    history = {
        m.group(1): _count_cells(row)
        for row in rows
        if (m := re.search(r"/console/water/classes\?period=(\d{4}H[12])&amp;", row))
    }
    assert len(history) >= 2
    for half in halves:
        frame = _classes(db, CITY, half)
        if frame.empty:
            assert half.code not in history
            continue
        by_class = frame["water_class"].value_counts()
        expected = [int(by_class.get(c, 0)) for c in range(1, 7)] + [len(frame)]
        assert history[half.code] == expected, half.code

    api = client.get(f"/api/v1/water/classes?period={period.code}&area={CITY}").json()
    assert api["counts"] == {c: int(counts.get(c, 0)) for c in tables.CLASS_LABELS}
    assert {s["code"]: s["class_label"] for s in api["sections"]} == dict(
        zip(classes["code"], classes["class_label"], strict=True)
    )


# --- compliance -------------------------------------------------------------------------------------


def _compliance_block(html: str, anchor: str) -> dict[str, bool]:
    """Code → passed of the sections listed under one compliance heading."""
    block = html.split(f'<section aria-labelledby="{anchor}">', 1)[1].split("</section>", 1)[0]
    out = {}
    for row in ROW.findall(block):
        code = re.search(r'<span class="muted">(W\w+)</span>', row)
        if code:
            out[code.group(1)] = "不达标" not in row
    return out


def test_the_compliance_tables_list_the_sections_each_rule_counts(
    staff_client, db: Session, period: Period
) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/water/compliance?period={period.code}&area={CITY}")
    assert page.status_code == 200
    frame = _classes(db, CITY, period)
    zones = frame[frame["target_class"].notna()]
    assessed = frame[frame["assessment_target_class"].notna()]
    sources = frame[frame["drinking_source"] & frame["source_level"].isin(["county", "city"])]
    expected = {
        "water.function_zone_compliance_rate": dict(
            zip(zones["code"], zones["water_class"] <= zones["target_class"], strict=True)
        ),
        "water.assessment_compliance_rate": dict(
            zip(
                assessed["code"],
                assessed["water_class"] <= assessed["assessment_target_class"],
                strict=True,
            )
        ),
    }
    for anchor, passed in expected.items():
        shown = _compliance_block(page.text, anchor)
        assert shown == passed, anchor
        rate = format_gbt8170(100 * sum(passed.values()) / len(passed), 1)
        assert re.search(
            rf'id="{re.escape(anchor)}">[^<]*<span class="rate">{rate}%</span>', page.text
        )
    drinking = _compliance_block(page.text, "water.drinking_source_compliance_rate")
    assert set(drinking) == set(sources["code"]) and drinking

    text = _text(page.text)
    zone_passed = sum(expected["water.function_zone_compliance_rate"].values())
    assert f"达标 {zone_passed} 个 / 共 {len(zones)} 个" in text

    # cross-boundary: every cross-boundary section with data, graded
    cross = frame[frame["cross_boundary"]]
    block = page.text.split('<section aria-labelledby="cross">', 1)[1].split("</section>")[0]
    assert set(re.findall(r'/console/water/sections/(W\w+)"', block)) == set(cross["code"])

    # the API lists the same sections with the same results
    api = client.get(f"/api/v1/water/compliance?period={period.code}&area={CITY}").json()
    tables_ = {t["id"]: t for t in api["tables"]}
    for anchor, passed in expected.items():
        assert {s["code"]: s["passed"] for s in tables_[anchor]["sections"]} == passed
    assert tables_["water.function_zone_compliance_rate"]["population_share"] is None
    assert {s["code"] for s in api["cross_boundary"]["sections"]} == set(cross["code"])
    listed = water_service.list_sections(session=db, area_code=CITY)
    assert {line["code"] for line in api["elimination"]["lines"]} == {
        s.code for s in listed if s.elimination_level
    }


# --- area scope ---------------------------------------------------------------------------------------


def test_a_branch_user_sees_only_the_sections_of_their_district(
    staff_client, db: Session, period: Period
) -> None:
    client = staff_client("branch")
    own = {s.code for s in water_service.list_sections(session=db, area_code=BRANCH_AREA)}
    other = {s.code for s in water_service.list_sections(session=db, area_code=OTHER_DISTRICT)}
    assert own and other
    page = client.get("/console/water")
    assert page.status_code == 200 and "清江区" in _text(page.text)
    assert set(_section_table(page.text)) == own
    api = client.get("/api/v1/water/sections").json()
    assert api["area_code"] == BRANCH_AREA and {i["code"] for i in api["items"]} == own
    classes = client.get("/api/v1/water/classes").json()
    assert {s["code"] for s in classes["sections"]} <= own
    compliance = client.get("/api/v1/water/compliance").json()
    for table in compliance["tables"]:
        assert {s["code"] for s in table["sections"]} <= own


@pytest.mark.parametrize(
    "path",
    [
        f"/console/water?area={OTHER_DISTRICT}",
        f"/console/water/classes?area={OTHER_DISTRICT}",
        f"/console/water/compliance?area={OTHER_DISTRICT}",
        f"/console/water?area={CITY}",
        f"/api/v1/water/sections?area={OTHER_DISTRICT}",
        f"/api/v1/water/classes?area={OTHER_DISTRICT}",
        f"/api/v1/water/compliance?area={CITY}",
    ],
)
def test_a_branch_user_cannot_read_another_districts_water_data(staff_client, path: str) -> None:
    response = staff_client("branch").get(path)
    assert response.status_code == 403
    assert "无权查看其他区域的数据" in response.text
    # no section code leaks (the page's random CSRF token may contain the letters "W0")
    assert "W0" not in re.sub(r'name="csrf[-_]token"[^>]*>', "", response.text)


def test_a_branch_user_cannot_open_another_districts_section(staff_client, db: Session) -> None:
    section = water_service.list_sections(session=db, area_code=OTHER_DISTRICT)[0]
    client = staff_client("branch")
    page = client.get(f"/console/water/sections/{section.code}")
    assert page.status_code == 403 and section.name not in page.text
    api = client.get(f"/api/v1/water/sections/{section.code}/samples")
    assert api.status_code == 403 and api.json() == {"detail": "无权查看其他区域的数据"}
    # their own sections open
    own = water_service.list_sections(session=db, area_code=BRANCH_AREA)[0]
    assert own.name in client.get(f"/console/water/sections/{own.code}").text


def test_an_unknown_period_falls_back_with_a_notice(staff_client, period: Period) -> None:
    page = staff_client("leader").get("/console/water/classes?period=2026H3")
    assert page.status_code == 200
    assert "（已显示默认时段或区域）" in page.text and period.label in page.text


def test_the_default_period_is_the_half_year_of_the_latest_sample(
    staff_client, period: Period
) -> None:
    page = staff_client("leader").get("/console/water")
    assert f"示范市 · {period.label}" in _text(page.text)


def test_a_grid_inspector_reads_the_sections_of_its_towns_district_and_no_other(
    staff_client, db: Session
) -> None:
    """Sections sit at district level: a grid inspector of a 清江区 town reads 清江区's
    monitoring results (as on 首页 and 空气), and nothing of other districts."""
    client = staff_client("grid")
    own = {s.code for s in water_service.list_sections(session=db, area_code=BRANCH_AREA)}
    page = client.get("/console/water")
    assert page.status_code == 200 and set(_section_table(page.text)) == own
    assert client.get("/api/v1/water/sections").json()["area_code"] == BRANCH_AREA
    other = water_service.list_sections(session=db, area_code=OTHER_DISTRICT)[0]
    assert client.get(f"/console/water/sections/{other.code}").status_code == 403
    assert client.get(f"/console/water?area={OTHER_DISTRICT}").status_code == 403
    mine = sorted(own)[0]
    assert client.get(f"/api/v1/water/sections/{mine}/samples").status_code == 200
