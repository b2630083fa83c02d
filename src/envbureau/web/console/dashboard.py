"""首页 (dashboard): the year's air figures of the user's area against its targets, the
stations' latest day, month-by-month charts against last year, the water sections by class,
and the alerts (targets at risk, stations with missing data, sections drifting worse).

"Today" is the latest observation in the database, not the wall clock. The page's figures are
indicator values (stored with their provenance, so each can be explained) and are kept per
process under the data version (``web.monitoring``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air.attainment import PM25_ID, RATE_ID, target_outlook
from envbureau.air.models import Observation
from envbureau.core.areas.boundaries import Outline, outlines_for
from envbureau.core.areas.models import Area
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.indicators.models import IndicatorValue
from envbureau.core.periods import Period, parse
from envbureau.water import service as water_service
from envbureau.web import monitoring
from envbureau.web.charts import PLOTLY_SCRIPT
from envbureau.web.deps import DbSession
from envbureau.web.monitoring_charts import monthly_chart, places_map
from envbureau.web.pages import render
from envbureau.web.security import CurrentStaff, Staff

router = APIRouter()

RISK_PROBABILITY = 0.5  # below: the target is at risk (the bureau's screening, not a rule)
WATCH_PROBABILITY = 0.8  # below: worth watching


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, staff: CurrentStaff, session: DbSession) -> HTMLResponse:
    context = figures_of(request, session, staff)
    return render(
        request, staff, "staff/dashboard.html", {**context, "plotly_script": PLOTLY_SCRIPT}
    )


@router.get(
    "/api/v1/dashboard",
    tags=["首页"],
    summary="首页数字：年度目标与完成形势、当日空气质量、断面类别、提醒",
)
def api_dashboard(request: Request, staff: CurrentStaff, session: DbSession) -> dict[str, Any]:
    context = figures_of(request, session, staff)
    return {key: context[key] for key in API_KEYS if key in context} | {
        "stations": [
            {k: s[k] for k in ("code", "name", "area_code", "latest", "recent_invalid_days")}
            for s in context.get("stations", [])
        ],
        "sections": [{k: s.get(k) for k in SECTION_KEYS} for s in context.get("sections", [])],
    }


API_KEYS = (
    "area", "as_of", "water_as_of", "ytd_label", "cards", "city_day", "month_tables",
    "water_span", "class_counts", "alerts",
)  # fmt: skip
SECTION_KEYS = (
    "code", "name", "area_code", "target", "class_label", "limiting_items", "over_class_iii",
    "meets_target",
)  # fmt: skip


def figures_of(request: Request, session: Session, staff: Staff) -> dict[str, Any]:
    """The dashboard of the user's area (the city, or a branch's district), cached by data
    version: the page and the API show the same figures."""
    area = monitoring.home_area(session, staff)
    if area is None:
        return {"area": None}
    tile_url = request.app.state.settings.map_tile_url
    key = ("dashboard", area.code, tile_url, monitoring.data_version(session))
    return monitoring.CACHE.get_or_build(key, lambda: build(session, area, tile_url))


def indicator_value(
    session: Session, indicator_id: str, period: Period, area_code: str, since: datetime | None
) -> IndicatorValue:
    """The stored value when computed after the latest observation arrived, else computed now
    (and stored, with its provenance)."""
    row = session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.period_code == period.code,
            IndicatorValue.area_code == area_code,
        )
    )
    if row is not None and since is not None and row.computed_at >= since:
        return row
    return indicators_service.compute(
        session=session, indicator_id=indicator_id, period=period, area_code=area_code
    )


def build(session: Session, area: Area, tile_url: str | None) -> dict[str, Any]:
    as_of = monitoring.air_as_of(session)
    water_day = monitoring.water_as_of(session)
    outlines = outlines_for(session, area.code)
    out: dict[str, Any] = {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "as_of": as_of,
        "water_as_of": water_day,
        "alerts": [],
    }
    if as_of is not None:
        since = session.scalar(select(func.max(Observation.created_at)))
        out |= air_cards(session, area.code, as_of, since)
        out |= air_months(session, area.code, as_of, since, out["cards"])
        out |= stations(session, area.code, as_of, tile_url, outlines)
        out["alerts"] += target_alerts(out["cards"]) + station_alerts(out["stations"])
    if water_day is not None:
        out |= water(session, area.code, water_day, tile_url, outlines)
        out["alerts"] += out.pop("water_alerts")
    return out


def air_cards(
    session: Session, area_code: str, as_of: date, since: datetime | None
) -> dict[str, Any]:
    registry = load_catalog()
    period = monitoring.ytd_period(as_of)
    targets = {
        i: indicators_service.get_target(
            session=session, indicator_id=i, year=as_of.year, area_code=area_code
        )
        for i in (RATE_ID, PM25_ID)
    }
    outlook = (
        target_outlook(session=session, area_code=area_code, year=as_of.year, as_of=as_of)
        if any(targets.values())
        else {}
    )
    cards = {}
    for indicator_id, key in ((RATE_ID, "good_day_rate"), (PM25_ID, "pm25")):
        definition = registry.get(indicator_id)
        row = indicator_value(session, indicator_id, period, area_code, since)
        target = targets[indicator_id]
        status = (
            indicators_service.target_status(target, row.value)
            if target is not None and row.value is not None
            else None
        )
        cards[key] = {
            "id": indicator_id,
            "name": definition.name,
            "unit": definition.unit,
            "value": row.value,
            "shown": indicators_service.format_value(definition, row.value),
            "reason": row.reason,
            "edition": row.edition,
            "coverage": row.coverage,
            "period": period.label,
            "period_code": period.code,
            "target": None
            if target is None
            else {
                "value": target.value,
                "words": indicators_service.DIRECTIONS[target.direction],
                "source_document": target.source_document,
                "attained_so_far": status.attained if status else None,
            },
            "outlook": outlook.get(key),
        }
    return {"cards": cards, "ytd_label": period.label}


def air_months(
    session: Session, area_code: str, as_of: date, since: datetime | None, cards: dict[str, Any]
) -> dict[str, Any]:
    charts, tables = {}, {}
    for key, bars in (("good_day_rate", True), ("pm25", False)):
        card = cards[key]
        series: dict[str, dict[int, float | None]] = {}
        for year, last_month in ((as_of.year, as_of.month), (as_of.year - 1, 12)):
            series[f"{year}年"] = {
                month: indicator_value(
                    session, card["id"], parse(f"{year}-{month:02d}"), area_code, since
                ).value
                for month in range(1, last_month + 1)
            }
        target = card["target"]["value"] if card["target"] else None
        charts[key] = monthly_chart(
            title=f"{card['name']}（逐月，与上年同月比较）",
            unit=card["unit"],
            series=series,
            target=target,
            bars=bars,
        )
        tables[key] = series
    return {"month_charts": charts, "month_tables": tables}


def stations(
    session: Session,
    area_code: str,
    as_of: date,
    tile_url: str | None,
    outlines: Sequence[Outline] = (),
) -> dict[str, Any]:
    rows = monitoring.station_snapshots(
        session, monitoring.stations_in_view(session, None, area_code), as_of
    )
    rows = [dict(r) for r in rows if r["active"]]  # copies: the snapshots are shared (cache)
    for row in rows:
        latest = row["latest"] or {}
        row["colour"] = latest.get("colour", monitoring.NO_DATA_COLOUR)
        row["label"] = f"AQI {latest['aqi']} {latest['category']}" if latest.get("aqi") else ""
    return {
        "stations": rows,
        "station_map": places_map(
            rows,
            title=f"各站点 {as_of:%Y-%m-%d} 日 AQI",
            label="label",
            tile_url=tile_url,
            outlines=outlines,
        ),
        "city_day": monitoring.area_day(session, area_code, as_of),
    }


def water(
    session: Session,
    area_code: str,
    water_day: date,
    tile_url: str | None,
    outlines: Sequence[Outline] = (),
) -> dict[str, Any]:
    first = date(water_day.year, 1, 1)
    sections = monitoring.section_classes(session, area_code, first, water_day)
    evaluated = [s for s in sections if s["class_label"]]
    counts = {
        label: sum(1 for s in evaluated if s["class_label"] == label)
        for label in monitoring.WATER_CLASS_COLOURS
    }
    drift = water_service.drift_warnings(session=session, area_code=area_code, as_of=water_day)
    alerts = []
    if not drift.empty:  # worse than target or than last year first, then "near the limit"
        drift = drift.assign(mild=drift["flags"].map(lambda f: f == ["接近超标"]))
        drift = drift.sort_values(["mild", "code"])
    for _, row in drift.iterrows():
        near = monitoring.item_names(";".join(row["near_limit_items"]))
        target = monitoring.class_label(row["target_class"])
        alerts.append(
            {
                "kind": "水质预警",
                "text": f"{row['name']}：近3个月 {row['class_label']} 类（目标 {target} 类），"
                + "、".join(row["flags"])
                + (f"（{near}接近目标类别限值）" if near else ""),
            }
        )
    return {
        "water_span": f"{first:%Y年%-m月%-d日}至{water_day:%Y年%-m月%-d日}",
        "sections": sections,
        "class_counts": counts,
        "class_colours": monitoring.WATER_CLASS_COLOURS,
        "inferior_v": [s for s in evaluated if s["class_label"] == "劣Ⅴ"],
        "unplaced_sections": sum(1 for s in sections if s["lon"] is None or s["lat"] is None),
        "water_map": places_map(
            evaluated,
            title="断面水质类别（年初至今）",
            label="class_label",
            tile_url=tile_url,
            outlines=outlines,
        ),
        "water_alerts": alerts,
    }


def target_alerts(cards: dict[str, Any]) -> list[dict[str, str]]:
    alerts = []
    for card in cards.values():
        outlook = card["outlook"]
        if not outlook or outlook.get("probability") is None:
            continue
        probability = outlook["probability"]
        out_of_reach = outlook.get("share_needed", 0) > 100 or (
            outlook.get("remaining_mean_allowed", 1) < 0
        )
        if out_of_reach or probability < RISK_PROBABILITY:
            level = "目标存在风险"
        elif probability < WATCH_PROBABILITY:
            level = "目标需关注"
        else:
            continue
        alerts.append(
            {
                "kind": level,
                "text": f"{card['name']}年度目标{card['target']['words']}"
                f"{card['target']['value']:g}{card['unit']}：按往年同期测算，"
                f"完成可能性约 {probability:.0%}",
            }
        )
    return alerts


def station_alerts(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "kind": "数据缺失",
            "text": f"{r['name']}（{r['area_name']}）：近{monitoring.RECENT_DAYS}日中"
            f"有 {r['recent_invalid_days']} 日数据不完整，当日 AQI 无法全部计算",
        }
        for r in rows
        if r["recent_invalid_days"]
    ]
