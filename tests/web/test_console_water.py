"""水 in the console: section list, section detail against the class limits, classes by period,
compliance tables, and the area scope of a branch user, through pages and ``/api/v1/water``.

Every expected figure is a literal worked by hand from the demo city's water part
(``envbureau.demo.water``), never read back from the water services the pages call: the demo
draws each monthly sample of a section inside the GB 3838-2002 表1 limits of the section's level,
so a section whose level holds through a half-year is of that class over it. Nothing here writes.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from envbureau.core.periods import parse as parse_period
from envbureau.standards import gb3838_tables as tables
from envbureau.water.models import Sample

pytestmark = pytest.mark.slow  # every test here reads the demo city, built once per run

CITY = "990100"
BRANCH_AREA = "990102"  # 清江区, the demo branch user's district
OTHER_DISTRICT = "990103"  # 东湖区
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
FIGURE = re.compile(r'<script type="application/json" data-plotly-for="[^"]+">(.*?)</script>', re.S)

#: The half-year the pages open on: the demo's last samples are the automatic stations'
#: readings of 2026-06-30 (AUTOMATIC_HOURS ends 20:00), so 2026H1.
PERIOD = parse_period("2026H1")

#: Each section's class over 2026H1, from its level in ``demo.water.section_table``:
#: W01–W04 (drinking-water sources) Ⅱ; on the 劣Ⅴ list W05 and W09 left 劣Ⅴ for Ⅳ in 2025-01,
#: W06 and W08 for Ⅴ in 2026-01, and W07 stays 劣Ⅴ; W10 is Ⅲ until 2026-02 and Ⅴ from 2026-03,
#: and its four Ⅴ months carry the BOD5 mean to 6.16 mg/L (0.54 over the Ⅲ limit of 4, as the page
#: prints), past the Ⅳ limit of 6: Ⅴ; W11–W13 (cross-boundary) Ⅲ; W14–W40 keep the level the
#: demo's seeded draw gave them (seed 20260301: 2, 2, 3, 3, 3 or 4).
CLASSES = {
    "W01": "Ⅱ", "W02": "Ⅱ", "W03": "Ⅱ", "W04": "Ⅱ", "W05": "Ⅳ", "W06": "Ⅴ", "W07": "劣Ⅴ",
    "W08": "Ⅴ", "W09": "Ⅳ", "W10": "Ⅴ", "W11": "Ⅲ", "W12": "Ⅲ", "W13": "Ⅲ", "W14": "Ⅱ",
    "W15": "Ⅱ", "W16": "Ⅳ", "W17": "Ⅲ", "W18": "Ⅲ", "W19": "Ⅲ", "W20": "Ⅱ", "W21": "Ⅳ",
    "W22": "Ⅲ", "W23": "Ⅲ", "W24": "Ⅱ", "W25": "Ⅱ", "W26": "Ⅱ", "W27": "Ⅲ", "W28": "Ⅱ",
    "W29": "Ⅲ", "W30": "Ⅱ", "W31": "Ⅱ", "W32": "Ⅲ", "W33": "Ⅲ", "W34": "Ⅱ", "W35": "Ⅱ",
    "W36": "Ⅲ", "W37": "Ⅲ", "W38": "Ⅲ", "W39": "Ⅲ", "W40": "Ⅱ",
}  # fmt: skip
#: Sections per class over 2026H1, counted from CLASSES: Ⅱ 16, Ⅲ 16, Ⅳ 4, Ⅴ 3, 劣Ⅴ 1.
COUNTS = {"Ⅰ": 0, "Ⅱ": 16, "Ⅲ": 16, "Ⅳ": 4, "Ⅴ": 3, "劣Ⅴ": 1}
#: Worse than the water-function target (demo targets: W05–W09 Ⅳ, W10 Ⅲ; W14–W40 a target no
#: better than their level): W06 Ⅴ, W07 劣Ⅴ and W08 Ⅴ against Ⅳ, W10 Ⅴ against Ⅲ.
MISSING_TARGET = {"W06", "W07", "W08", "W10"}
#: The sections of the districts (demo.water: W05 and W11 in 清江区, W06 and W08 in 东湖区, and
#: the numbered ones by DISTRICTS[n % 6]: n % 6 == 0 in 清江区, n % 6 == 1 in 东湖区).
BRANCH_SECTIONS = {"W05", "W11", "W18", "W24", "W30", "W36"}
OTHER_SECTIONS = {"W06", "W08", "W19", "W25", "W31", "W37"}


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
    for match in FIGURE.finditer(html):
        layout = json.loads(match.group(1))["layout"]
        out[layout["title"]["text"].split("（")[0]] = layout
    return out


# --- section list ---------------------------------------------------------------------------------


def test_the_section_list_shows_each_sections_class(staff_client) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/water?period={PERIOD.code}&area={CITY}")
    assert page.status_code == 200
    assert _section_table(page.text) == CLASSES

    text = _text(page.text)
    assert "共 40 个断面，40 个本时段有监测数据" in text
    cards = re.findall(r'wc wc-(\d)">([^<]+)</span> <strong>(\d+)</strong> 个', page.text)
    assert [(label, int(n)) for _, label, n in cards] == list(COUNTS.items())
    assert [int(code) for code, _, _ in cards] == [1, 2, 3, 4, 5, 6]

    # the JSON API gives the same classes for the same period and area
    api = client.get(f"/api/v1/water/sections?period={PERIOD.code}&area={CITY}").json()
    assert api["period"] == "2026H1" and api["area_code"] == CITY
    by_code = {i["code"]: i["period_class"] for i in api["items"]}
    assert {c: (v["class_label"] if v else "无数据") for c, v in by_code.items()} == CLASSES
    # W05: the automatic station's 4-hourly readings of May and June (61 days × 6) beside the
    # six monthly samples
    assert by_code["W05"]["samples"] == 6 + 61 * 6 and by_code["W05"]["water_class"] == 4


def test_the_section_list_marks_the_sections_that_miss_their_target(staff_client) -> None:
    page = staff_client("leader").get(f"/console/water?period={PERIOD.code}&area={CITY}")
    flagged = {
        code
        for row in ROW.findall(page.text)
        if "未达标" in row
        for code in re.findall(r"<td>(W\w+)</td>", row)
    }
    assert flagged == MISSING_TARGET


# --- one section ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "limits"),
    [
        ("W04", tables.TABLE1_LIMITS["tp"]),  # 白云水厂取水口: a river, target Ⅲ
        ("W01", tables.LAKE_RESERVOIR_LIMITS["tp"]),  # 清溪水库坝前: a reservoir, target Ⅱ
    ],
    ids=["river", "lake-reservoir"],
)
def test_a_section_chart_draws_the_class_limits_of_its_water_body(
    staff_client, code: str, limits: tuple[float, ...]
) -> None:
    target_class = {"W04": 3, "W01": 2}[code]  # demo.water: 水功能区目标
    page = staff_client("leader").get(f"/console/water/sections/{code}")
    assert page.status_code == 200
    layout = _layouts(page.text)["总磷"]
    lines = {shape["y0"]: shape["line"]["dash"] for shape in layout["shapes"]}
    notes = [note["text"] for note in layout["annotations"]]
    assert lines and set(lines) <= set(limits)  # the water body's own TP row of 表1
    target_limit = limits[target_class - 1]
    assert lines[target_limit] == "solid"  # the target line is always drawn, and drawn solid
    assert all(dash == "dot" for limit, dash in lines.items() if limit != target_limit)
    target_label = tables.CLASS_LABELS[target_class - 1]
    assert any(n.endswith(f"{target_label}类 {target_limit:g}") for n in notes), notes
    low, high = layout["yaxis"]["range"]
    assert low <= target_limit <= high


def test_a_section_page_shows_its_period_class_and_attributes(staff_client) -> None:
    text = _text(staff_client("leader").get("/console/water/sections/W01").text)
    assert "清溪水库坝前 W01" in text
    # Ⅱ over 2026H1; 372 samples: six monthly ones and the automatic station's 4-hourly
    # readings of May and June (61 days × 6)
    assert "2026年上半年水质 Ⅱ " in text and "（372 次监测）" in text
    assert "水功能区目标 / 水十条目标 Ⅱ / Ⅱ" in text
    assert "国控" in text and "市级饮用水水源地" in text and "（服务人口 1200000 人）" in text


def test_the_samples_api_gives_the_stored_values_in_beijing_time(
    staff_client, demo_session
) -> None:
    api = (
        staff_client("leader")
        .get("/api/v1/water/sections/W01/samples?from=2026-06-30&to=2026-06-30")
        .json()
    )
    assert (api["section"], api["kind"], api["from"], api["to"]) == (
        "W01",
        "reservoir",
        "2026-06-30",
        "2026-06-30",
    )
    # 2026-06-30 at W01: the automatic station's six readings (00:00 … 20:00 Beijing) of
    # temperature, pH, DO, CODMn, NH3-N and TP; no monthly sample (those are on the 10th)
    times = [s["time"] for s in api["samples"]]
    assert times == [f"2026-06-30T{h:02d}:00:00+08:00" for h in range(0, 24, 4)]
    assert set(api["units"]) == {"water_temp", "ph", "do", "codmn", "nh3n", "tp"}
    stored = demo_session.scalars(
        select(Sample).where(
            Sample.section_code == "W01",
            Sample.time_utc == datetime(2026, 6, 29, 16, 0),  # 2026-06-30 00:00 Beijing
            Sample.is_current.is_(True),
        )
    ).one()
    assert api["samples"][0]["values"] == pytest.approx(stored.values)


def test_a_reversed_or_too_long_window_is_refused_with_a_message(staff_client) -> None:
    client = staff_client("leader")
    reversed_ = client.get("/api/v1/water/sections/W01/samples?from=2026-06-01&to=2026-05-01")
    assert reversed_.status_code == 422 and "早于开始日" in reversed_.text
    too_long = client.get("/api/v1/water/sections/W01/samples?from=2024-01-01&to=2026-01-01")
    assert too_long.status_code == 422 and "一次最多查询 366 天" in too_long.text


def test_a_section_page_without_samples_in_its_range_says_so(staff_client) -> None:
    page = staff_client("leader").get("/console/water/sections/W02?from=2030-01-01&to=2030-02-01")
    assert page.status_code == 200
    text = _text(page.text)
    assert "所选时间范围内没有监测数据" in text and "无样品" in text
    assert "2030年上半年水质 无监测数据" in text


# --- classes by period ----------------------------------------------------------------------------


def _count_cells(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]


#: Sections per class (Ⅰ … 劣Ⅴ) and in all, in the six half-years to 2026H1. Before 2025 the five
#: 劣Ⅴ-list sections (W05–W09) are 劣Ⅴ and W10 Ⅲ; in 2025 W05 and W09 are Ⅳ; 2026H1 is COUNTS.
#: The other 34 sections keep their level: Ⅱ 16, Ⅲ 16 (17 with W10), Ⅳ 2 (W16, W21).
HISTORY = {
    "2023H2": [0, 16, 17, 2, 0, 5, 40],
    "2024H1": [0, 16, 17, 2, 0, 5, 40],
    "2024H2": [0, 16, 17, 2, 0, 5, 40],
    "2025H1": [0, 16, 17, 4, 0, 3, 40],
    "2025H2": [0, 16, 17, 4, 0, 3, 40],
    "2026H1": [0, 16, 16, 4, 3, 1, 40],
}


def test_classes_by_period_count_the_sections_of_each_class(staff_client) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/water/classes?period={PERIOD.code}&area={CITY}")
    assert page.status_code == 200
    rows = ROW.findall(page.text)
    names = {code: name for code, name in re.findall(r'sections/(W\d+)">([^<]+)</a>', page.text)}
    for code, class_label in enumerate(tables.CLASS_LABELS, start=1):
        row = next(r for r in rows if f'<span class="wc wc-{code}">{class_label}</span>' in r)
        assert _count_cells(row)[0] == COUNTS[class_label]
        shown = set(re.findall(r">([^<]+)</a>", row))
        assert shown == {names[c] for c, label in CLASSES.items() if label == class_label}
    assert names["W07"] == "南河新城"  # the one 劣Ⅴ section of 2026H1

    history = {
        m.group(1): _count_cells(row)
        for row in rows
        if (m := re.search(r"/console/water/classes\?period=(\d{4}H[12])&amp;", row))
    }
    assert history == HISTORY

    api = client.get(f"/api/v1/water/classes?period={PERIOD.code}&area={CITY}").json()
    assert api["counts"] == COUNTS
    assert {s["code"]: s["class_label"] for s in api["sections"]} == CLASSES


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


#: Function zones: every section has a target; MISSING_TARGET fail: 36 of 40 = 90.0 %.
ZONES = {code: code not in MISSING_TARGET for code in CLASSES}
#: 水十条: the sections with an assessment target (demo.water: W01 Ⅱ, W05–W07 Ⅴ, W10–W13 Ⅲ, and
#: W16, W20, W24, W28, W32, W36, W40, every fourth numbered one, at its water-function target);
#: W07 (劣Ⅴ against Ⅴ) and W10 (Ⅴ against Ⅲ) fail: 13 of 15 = 86.7 %.
ASSESSED = {
    code: code not in {"W07", "W10"}
    for code in [
        "W01",
        "W05",
        "W06",
        "W07",
        "W10",
        "W11",
        "W12",
        "W13",
        "W16",
        "W20",
        "W24",
        "W28",
        "W32",
        "W36",
        "W40",
    ]
}
RATES = {"water.function_zone_compliance_rate": "90.0", "water.assessment_compliance_rate": "86.7"}


def test_the_compliance_tables_list_the_sections_each_rule_counts(staff_client) -> None:
    client = staff_client("leader")
    page = client.get(f"/console/water/compliance?period={PERIOD.code}&area={CITY}")
    assert page.status_code == 200
    expected = {
        "water.function_zone_compliance_rate": ZONES,
        "water.assessment_compliance_rate": ASSESSED,
    }
    for anchor, passed in expected.items():
        assert _compliance_block(page.text, anchor) == passed, anchor
        assert re.search(
            rf'id="{re.escape(anchor)}">[^<]*<span class="rate">{RATES[anchor]}%</span>',
            page.text,
        )
    # the county and city drinking-water sources: the reservoirs W01–W03 and the intake W04
    drinking = _compliance_block(page.text, "water.drinking_source_compliance_rate")
    assert set(drinking) == {"W01", "W02", "W03", "W04"}

    text = _text(page.text)
    assert "达标 36 个 / 共 40 个" in text and "达标 13 个 / 共 15 个" in text

    # cross-boundary: the three cross-boundary sections, graded
    block = page.text.split('<section aria-labelledby="cross">', 1)[1].split("</section>")[0]
    assert set(re.findall(r'/console/water/sections/(W\w+)"', block)) == {"W11", "W12", "W13"}

    # the API lists the same sections with the same results
    api = client.get(f"/api/v1/water/compliance?period={PERIOD.code}&area={CITY}").json()
    tables_ = {t["id"]: t for t in api["tables"]}
    for anchor, passed in expected.items():
        assert {s["code"]: s["passed"] for s in tables_[anchor]["sections"]} == passed
        assert tables_[anchor]["value_reported"] == RATES[anchor]
    assert tables_["water.function_zone_compliance_rate"]["population_share"] is None
    assert {s["code"] for s in api["cross_boundary"]["sections"]} == {"W11", "W12", "W13"}
    # the 劣Ⅴ list: W05–W09
    assert {line["code"] for line in api["elimination"]["lines"]} == {
        "W05",
        "W06",
        "W07",
        "W08",
        "W09",
    }


# --- area scope ---------------------------------------------------------------------------------------


def test_a_branch_user_sees_only_the_sections_of_their_district(staff_client) -> None:
    client = staff_client("branch")
    page = client.get("/console/water")
    assert page.status_code == 200 and "清江区" in _text(page.text)
    assert set(_section_table(page.text)) == BRANCH_SECTIONS
    api = client.get("/api/v1/water/sections").json()
    assert api["area_code"] == BRANCH_AREA and {i["code"] for i in api["items"]} == BRANCH_SECTIONS
    classes = client.get("/api/v1/water/classes").json()
    assert {s["code"] for s in classes["sections"]} == BRANCH_SECTIONS
    compliance = client.get("/api/v1/water/compliance").json()
    for table in compliance["tables"]:
        assert {s["code"] for s in table["sections"]} <= BRANCH_SECTIONS


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


def test_a_branch_user_cannot_open_another_districts_section(staff_client) -> None:
    client = staff_client("branch")
    page = client.get("/console/water/sections/W06")  # 东溪东湖桥, 东湖区
    assert page.status_code == 403 and "东溪东湖桥" not in page.text
    api = client.get("/api/v1/water/sections/W06/samples")
    assert api.status_code == 403
    assert api.json() == {
        "detail": [
            {
                "loc": [],
                "code": "auth.forbidden",
                "msg": "无权查看其他区域的数据",
                "value": None,
                "type": "auth.forbidden",
            }
        ]
    }
    # their own sections open
    assert "清江金溪闸" in client.get("/console/water/sections/W05").text


def test_an_unknown_period_falls_back_with_a_notice(staff_client) -> None:
    page = staff_client("leader").get("/console/water/classes?period=2026H3")
    assert page.status_code == 200
    assert "（已显示默认时段或区域）" in page.text and "2026年上半年" in page.text


def test_the_default_period_is_the_half_year_of_the_latest_sample(staff_client) -> None:
    page = staff_client("leader").get("/console/water")
    text = _text(page.text)
    assert "示范市 · 2026年上半年" in text
    assert "尚无水质监测数据" not in text  # the period comes from the data, not the clock


@pytest.mark.parametrize("page", ["", "/classes", "/compliance"])
def test_an_area_without_sections_says_its_period_comes_from_the_citys_data(
    staff_client, page: str
) -> None:
    """990102001, a 清江区 street, has no section: its pages open on the half-year of the day the
    city's water data reach (2026-06-30), say so, and show no class."""
    response = staff_client("leader").get(f"/console/water{page}?area=990102001")
    assert response.status_code == 200
    text = _text(response.text)
    assert (
        "该区域尚无水质监测数据：未指定时段时，按全市水质数据截至日（2026-06-30）所在的半年显示"
        in text
    )
    assert " · 2026年上半年" in text and "W0" not in text


def test_a_grid_inspector_reads_the_sections_of_its_towns_district_and_no_other(
    staff_client,
) -> None:
    """Sections sit at district level: a grid inspector of a 清江区 town reads 清江区's
    monitoring results (as on 首页 and 空气), and nothing of other districts."""
    client = staff_client("grid")
    page = client.get("/console/water")
    assert page.status_code == 200 and set(_section_table(page.text)) == BRANCH_SECTIONS
    assert client.get("/api/v1/water/sections").json()["area_code"] == BRANCH_AREA
    assert client.get("/console/water/sections/W06").status_code == 403
    assert client.get(f"/console/water?area={OTHER_DISTRICT}").status_code == 403
    assert client.get("/api/v1/water/sections/W05/samples").status_code == 200
