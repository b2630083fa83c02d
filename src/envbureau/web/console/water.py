"""水 (water): sections and their period classes, a section's item trends against its class
limits, classes by period, and the compliance tables behind the water indicators.

Classes come from ``water.service.evaluate_sections`` (mean of monthly means, 2011 method);
the compliance rates are the indicators themselves (``indicators_service.compute``), and their
tables list the sections each indicator counted, so a page never shows a second figure.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

import pandas as pd
import plotly.graph_objects as go
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.errors import NotFound, RuleViolation
from envbureau.core.indicators import service as indicators_service
from envbureau.core.indicators.definitions import load_catalog
from envbureau.core.periods import Period
from envbureau.core.periods import parse as parse_period
from envbureau.standards import gb3838
from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838_aggregate import period_mean_gb3838
from envbureau.standards.rounding import format_gbt8170
from envbureau.water import service as water_service
from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.water.cross_boundary import DEFAULT_RULES
from envbureau.water.elimination import LEVELS, STATUSES, elimination_status
from envbureau.water.models import SECTION_LEVELS, WATER_BODY_KINDS, Sample, Section
from envbureau.web import monitoring
from envbureau.web.charts import PLOTLY_SCRIPT, chart_html
from envbureau.web.console.indicators import (
    area_choices,
    choose,
    half_of,
    resolve_area,
    target_view,
)
from envbureau.web.deps import DbSession
from envbureau.web.pages import render
from envbureau.web.security import CurrentStaff, Staff

router = APIRouter()
TREND_ITEMS = ("do", "codmn", "cod", "bod5", "nh3n", "tp", "tn")
TREND_MONTHS = 24
RECENT_SAMPLES = 20
MAX_API_DAYS = 366
HISTORY_HALVES = 6
SOURCE_LEVELS = {"county": "县级", "city": "市级"}
STATUS_WORDS = {"consolidated": "巩固", "eliminated": "已消劣", "remaining": "尚待消劣"}
COMPLIANCE = (
    ("water.function_zone_compliance_rate", "target_class"),
    ("water.assessment_compliance_rate", "assessment_target_class"),
    ("water.drinking_source_compliance_rate", None),
)
PeriodQuery = Annotated[str | None, Query(description="时段：2026、2026H1、2026Q2、2026-03")]
AreaQuery = Annotated[str | None, Query(description="区域代码（默认：当前用户的区域）")]


# --- small helpers ------------------------------------------------------------------------------


def label(water_class: Any) -> str:
    """Ⅰ … 劣Ⅴ of a class code, ``—`` when missing."""
    if water_class is None or pd.isna(water_class):
        return "—"
    return tables.CLASS_LABELS[int(water_class) - 1]


def item_names(joined: Any) -> str:
    """``do;codmn`` → 溶解氧、高锰酸盐指数."""
    if joined is None or pd.isna(joined) or not joined:
        return ""
    return "、".join(tables.TABLE1_ITEMS.get(i, i) for i in str(joined).split(";"))


def pollutants(main: Any, multiples: Any) -> str:
    """Main pollutants with their multiples over Class Ⅲ: 五日生化需氧量（0.28）."""
    if main is None or pd.isna(main) or not main:
        return ""
    over = dict(part.split(":") for part in str(multiples).split(";") if ":" in part)
    return "、".join(
        f"{tables.TABLE1_ITEMS.get(i, i)}（{over.get(i, '')}）" for i in main.split(";")
    )


def latest_day(session: Session, area_code: str) -> date | None:
    """The Beijing day of the latest current sample of the area's sections."""
    codes = areas_service.area_and_descendant_codes(session=session, code=area_code)
    latest = session.scalar(
        select(func.max(Sample.time_utc))
        .join(Section, Section.code == Sample.section_code)
        .where(Section.area_code.in_(codes), Sample.is_current.is_(True))
    )
    return (latest + BEIJING_OFFSET).date() if latest is not None else None


def latest_half(request: Request, session: Session, area_code: str) -> Period:
    """The half-year of the area's latest sample (the current half-year without data)."""
    day = latest_day(session, area_code)
    return half_of(day or datetime.now(request.app.state.settings.tz).date())


def evaluate(session: Session, area_code: str, period: Period) -> pd.DataFrame:
    return water_service.evaluate_sections(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )


def section_in_scope(session: Session, staff: Staff, code: str) -> Section:
    section = session.get(Section, code)
    if section is None:
        raise NotFound(f"未知断面“{code}”", code="section.unknown", loc=("section",))
    monitoring.check_view(session, staff, section.area_code)
    return section


def _area_names(session: Session, codes: set[str | None]) -> dict[str | None, str]:
    found = (areas_service.get(session=session, code=c) for c in codes if c)
    return {a.code: a.name for a in found if a is not None}


def _flags(section: Section) -> list[str]:
    flags = []
    if section.assessment_target_class:
        flags.append("水十条考核")
    if section.cross_boundary:
        way = "→".join(p for p in (section.upstream, section.downstream) if p)
        flags.append(f"交接断面{f'（{way}）' if way else ''}")
    if section.drinking_source:
        flags.append(f"{SOURCE_LEVELS.get(section.source_level, '')}饮用水水源地")
    if section.elimination_level:
        flags.append(f"{SECTION_LEVELS.get(section.elimination_level, '')}消劣清单")
    return flags


def section_rows(
    session: Session, sections: list[Section], classes: pd.DataFrame, warnings: pd.DataFrame
) -> list[dict[str, Any]]:
    """One line per section: its attributes, its class over the period and its warnings."""
    evaluated = classes.set_index("code") if not classes.empty else pd.DataFrame()
    warned = warnings.set_index("code")["flags"].to_dict() if not warnings.empty else {}
    names = _area_names(session, {s.area_code for s in sections})
    rows = []
    for s in sections:
        row: dict[str, Any] = {
            "code": s.code,
            "name": s.name,
            "kind": WATER_BODY_KINDS.get(s.kind, s.kind),
            "area": names.get(s.area_code, s.area_code or ""),
            "level": SECTION_LEVELS.get(s.control_level, s.control_level),
            "target": label(s.target_class),
            "assessment_target": label(s.assessment_target_class),
            "flags": _flags(s),
            "warnings": warned.get(s.code, []),
            "water_class": None,
        }
        if s.code in evaluated.index:
            e = evaluated.loc[s.code]
            row |= {
                "water_class": int(e["water_class"]),
                "class_label": e["class_label"],
                "status": e["quality_status"],
                "limiting": item_names(e["limiting_items"]),
                "main": pollutants(e["main_pollutants"], e["over_class_iii"]),
                "samples": int(e["samples"]),
                "meets_target": None
                if s.target_class is None
                else int(e["water_class"]) <= s.target_class,
            }
        rows.append(row)
    return rows


def class_counts(classes: pd.DataFrame) -> list[tuple[int, str, int]]:
    """(code, label, number of sections) for Ⅰ … 劣Ⅴ."""
    found = classes["water_class"].value_counts() if not classes.empty else pd.Series(dtype=int)
    return [(c, label(c), int(found.get(c, 0))) for c in range(1, len(tables.CLASS_LABELS) + 1)]


# --- one section: monthly values against the class limits ---------------------------------------


def limit_lines(item: str, kind: str) -> list[tuple[str, float, int]]:
    """(classes, limit, worst class code) of an item for a water body; equal limits of adjacent
    classes share one line (GB 3838-2002 表1; lakes and reservoirs have their own TP row)."""
    if item in tables.LAKE_RESERVOIR_ONLY and kind not in tables.LAKE_RESERVOIR:
        return []
    lake = tables.LAKE_RESERVOIR_LIMITS.get(item) if kind in tables.LAKE_RESERVOIR else None
    limits = lake or tables.TABLE1_LIMITS.get(item, ())
    lines: list[tuple[str, float, int]] = []
    for code, limit in enumerate(limits, start=1):
        if lines and lines[-1][1] == limit:
            lines[-1] = (f"{lines[-1][0]}、{label(code)}", limit, code)
        else:
            lines.append((label(code), limit, code))
    return lines


def monthly_means(samples: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Monthly means of every item (below-detection results at half the limit) and the class
    of each month (GB 3838 single-factor on the monthly mean, the section's water body)."""
    if samples.empty:
        return pd.DataFrame()
    frame = samples.drop(columns=["section", "time"]).assign(
        month=samples["time"].dt.strftime("%Y-%m")
    )
    means = period_mean_gb3838(frame, "month")
    classes = gb3838.water_class_gb3838(means.reset_index(drop=True), water_body=kind)
    means["water_class"] = classes["water_class"].to_numpy()
    return means


def trend_chart(means: pd.DataFrame, item: str, section: Section) -> Markup:
    """An item's monthly means with its class limits as horizontal lines (the section's target
    class solid and thicker). The y axis spans the values and the limits next to them."""
    unit = tables.UNITS.get(item, "")
    values = means[item].dropna()
    lines = limit_lines(item, section.kind)
    target = _target_limit(lines, section.target_class)
    low, high = _y_range(
        values, [limit for _, limit, _ in lines], item in tables.HIGHER_IS_BETTER, target
    )
    shapes, notes = [], []
    for classes, limit, code in lines:
        if not low <= limit <= high:
            continue
        solid = target is not None and limit == target
        colour = WATER_CLASS_COLOURS[tables.CLASS_LABELS[code - 1]]
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": limit,
                "y1": limit,
                "line": {
                    "dash": "solid" if solid else "dot",
                    "color": colour,
                    "width": 2.5 if solid else 1.2,
                },
            }
        )
        notes.append(
            {"xref": "paper", "x": 0, "yref": "y", "y": limit, "text": f"{classes}类 {limit:g}",
             "showarrow": False, "xanchor": "left", "yanchor": "bottom",
             "font": {"size": 11, "color": colour}}
        )  # fmt: skip
    figure = go.Figure(
        data=[
            go.Scatter(
                x=list(means.index),
                y=means[item],
                mode="lines+markers",
                line={"color": "#1f2933"},
                hovertemplate=f"%{{x}}：%{{y}} {unit}<extra></extra>",
            )
        ],
        layout={
            "title": f"{tables.TABLE1_ITEMS[item]}（{unit}）",
            "showlegend": False,
            "shapes": shapes,
            "annotations": notes,
            "yaxis": {"title": unit, "range": [low, high]},
            "xaxis": {"type": "category"},
        },
    )
    return chart_html(figure, height=300)


def _target_limit(lines: list[tuple[str, float, int]], target_class: int | None) -> float | None:
    """The limit of the line that holds the target class (None without a target)."""
    if target_class is None:
        return None
    return next((limit for _, limit, code in lines if code >= target_class), None)


def _y_range(
    values: pd.Series, limits: list[float], higher_is_better: bool, target: float | None = None
) -> list[float]:
    """From the values to the first limit beyond them (DO: below them), with a margin; the
    target class's limit is always inside, so a clean section still shows its target line."""
    if values.empty:
        return [0.0, max(limits, default=1.0) * 1.1]
    top, bottom = float(values.max()), float(values.min())
    if higher_is_better:
        floor = max((v for v in limits if v <= bottom), default=bottom)
        floor = min(floor, target) if target is not None else floor
        return [floor * 0.85, max(top, max(limits, default=top)) * 1.08]
    ceiling = min((v for v in limits if v >= top), default=top)
    ceiling = max(ceiling, target) if target is not None else ceiling
    return [0.0, ceiling * 1.15]


def recent_samples(samples: pd.DataFrame, kind: str, items: list[str]) -> list[dict[str, Any]]:
    """The latest samples, newest first, each with its own class; 未检出 values end in L."""
    latest = samples.sort_values("time", ascending=False).head(RECENT_SAMPLES)
    if latest.empty:
        return []
    classes = gb3838.water_class_gb3838(latest.reset_index(drop=True), water_body=kind)
    rows = []
    for (_, sample), water_class in zip(latest.iterrows(), classes["water_class"], strict=True):
        cells = {}
        for item in items:
            value = sample.get(item)
            below = bool(sample.get(f"{item}_bdl", False))
            cells[item] = "" if pd.isna(value) else f"{value:g}{'L' if below else ''}"
        rows.append({"time": sample["time"], "cells": cells, "water_class": water_class})
    return rows


def present_items(samples: pd.DataFrame) -> list[str]:
    """Items with at least one value, in the order of 表1 then 表2."""
    known = [*tables.TABLE1_ITEMS, *tables.TABLE2_ITEMS]
    return [i for i in known if i in samples.columns and samples[i].notna().any()]


def section_latest_day(session: Session, code: str) -> date:
    """The Beijing day of the section's latest current sample (today without samples)."""
    latest = session.scalar(
        select(func.max(Sample.time_utc)).where(
            Sample.section_code == code, Sample.is_current.is_(True)
        )
    )
    return (latest + BEIJING_OFFSET).date() if latest is not None else date.today()


def _window(first: date, last: date, max_days: int | None = None) -> tuple[date, date]:
    if last < first:
        raise RuleViolation(f"结束日 {last} 早于开始日 {first}", code="period.reversed")
    if max_days is not None and (last - first).days >= max_days:
        raise RuleViolation(f"一次最多查询 {max_days} 天", code="range.too_long")
    return first, last


def revision_count(session: Session, code: str) -> int:
    """How many stored samples of the section are corrections (revision 2 and later)."""
    return (
        session.scalar(
            select(func.count(Sample.id)).where(Sample.section_code == code, Sample.revision > 1)
        )
        or 0
    )


# --- compliance: the indicators and the sections they counted -----------------------------------


def compliance_tables(
    session: Session, period: Period, area_code: str, sections: dict[str, Section]
) -> list[dict[str, Any]]:
    """Function zones, 水十条 and drinking-water sources: each indicator's value, target and
    the sections it counted with their class, target and result."""
    registry = load_catalog()
    names = _area_names(session, {s.area_code for s in sections.values()})
    out = []
    for indicator_id, target_column in COMPLIANCE:
        definition = registry.get(indicator_id)
        value = indicators_service.compute(
            session=session, indicator_id=indicator_id, period=period, area_code=area_code
        )
        passing = set(value.inputs.get("passing", []))
        classes = value.inputs.get("classes", {})
        lines = []
        for code in value.inputs.get("sections", []):
            s = sections[code]
            lines.append(
                {
                    "code": code,
                    "name": s.name,
                    "area": names.get(s.area_code, ""),
                    "class_label": classes.get(code, "—"),
                    "target": label(getattr(s, target_column)) if target_column else "",
                    "source_level": SOURCE_LEVELS.get(s.source_level, ""),
                    "population": s.population_served,
                    "passed": code in passing,
                }
            )
        # Only a drinking-water table weighs by population served (the others count sections).
        share = value.details.get("population_share") if target_column is None else None
        out.append(
            {
                "id": indicator_id,
                "definition": definition,
                "value": value,
                "reported": indicators_service.format_value(definition, value.value),
                "target": _target(session, definition, period, area_code, value.value),
                "population_share": None if share is None else format_gbt8170(share, 1),
                "lines": lines,
            }
        )
    return out


def _target(
    session: Session, definition: Any, period: Period, area_code: str, value: float | None
) -> dict[str, Any] | None:
    target = indicators_service.get_target(
        session=session, indicator_id=definition.id, year=period.year, area_code=area_code
    )
    return target_view(definition, target, value)


def cross_boundary_table(
    session: Session, period: Period, area_code: str, sections: dict[str, Section]
) -> dict[str, Any]:
    """The area's grade, each cross-boundary section's grade with the classes it was graded on,
    and the rule table the grade follows (``water.cross_boundary.DEFAULT_RULES``)."""
    definition = load_catalog().get("water.cross_boundary_grade")
    value = indicators_service.compute(
        session=session, indicator_id=definition.id, period=period, area_code=area_code
    )
    codes = value.inputs.get("sections", [])
    before = evaluate(session, area_code, period.same_period_last_year()) if codes else None
    last = {} if before is None or before.empty else before.set_index("code")["water_class"]
    names = _area_names(session, {sections[c].area_code for c in codes})
    lines = [
        {
            "code": code,
            "name": sections[code].name,
            "area": names.get(sections[code].area_code, ""),
            "way": "→".join(p for p in (sections[code].upstream, sections[code].downstream) if p),
            "target": label(sections[code].target_class),
            "class_label": value.inputs["classes"].get(code, "—"),
            "last_year": label(last.get(code)),
            "grade": value.inputs["grades"].get(code, "—"),
        }
        for code in codes
    ]
    return {
        "definition": definition,
        "value": value,
        "reported": indicators_service.format_value(definition, value.value),
        "lines": lines,
        "rule": value.details.get("rule", ""),
        "rules": DEFAULT_RULES,
        "compensation": value.details.get("compensation_wan_yuan"),
    }


def elimination_tables(session: Session, period: Period, area_code: str) -> dict[str, Any]:
    """劣Ⅴ elimination progress per control level, with the eliminated-count targets."""
    frame = elimination_status(
        session=session, area_code=area_code, first_day=period.start, last_day=period.end
    )
    registry = load_catalog()
    levels = []
    for level, word in LEVELS.items():
        part = frame[frame["level"] == level]
        definition = registry.get(f"water.inferior_v_eliminated_{level}")
        eliminated = int(part["eliminated"].sum()) if len(part) else 0
        levels.append(
            {
                "word": word,
                "listed": len(part),
                "counts": {s: int(part[s].sum()) if len(part) else 0 for s in STATUSES},
                "target": _target(session, definition, period, area_code, float(eliminated)),
            }
        )
    lines = [
        {
            "code": row["code"],
            "name": row["name"],
            "level": LEVELS.get(row["level"], row["level"]),
            "last_year": label(row.get("last_year_class")),
            "now": label(row.get("water_class")),
            "status": next(w for s, w in STATUS_WORDS.items() if row[s]),
        }
        for _, row in frame.iterrows()
    ]
    return {"levels": levels, "lines": lines}


# --- pages --------------------------------------------------------------------------------------


@router.get("/console/water", response_class=HTMLResponse, include_in_schema=False)
def sections_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    chosen, chosen_area, notice = choose(
        request, session, staff, period, area, latest_half, monitoring_data=True
    )
    sections = water_service.list_sections(session=session, area_code=chosen_area.code)
    classes = evaluate(session, chosen_area.code, chosen)
    as_of = min(chosen.end, latest_day(session, chosen_area.code) or chosen.end)
    warnings = water_service.drift_warnings(
        session=session, area_code=chosen_area.code, as_of=as_of
    )
    return render(
        request,
        staff,
        "staff/water_sections.html",
        {
            "rows": section_rows(session, sections, classes, warnings),
            "counts": class_counts(classes),
            "evaluated": len(classes),
            "as_of": as_of,
            **_page(session, staff, chosen, chosen_area, notice),
        },
    )


def _page(session: Session, staff: Staff, period: Period, area: Any, notice: str | None) -> dict:
    return {
        "period": period,
        "area": area,
        "areas": area_choices(session, staff, monitoring_data=True),
        "notice": notice,
        "plotly": PLOTLY_SCRIPT,
    }


@router.get("/console/water/sections/{code}", response_class=HTMLResponse, include_in_schema=False)
def section_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    code: str,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> HTMLResponse:
    section = section_in_scope(session, staff, code)
    last = last or section_latest_day(session, code)
    months_back = pd.DateOffset(months=TREND_MONTHS - 1)
    first, last = _window(first or (pd.Timestamp(last).replace(day=1) - months_back).date(), last)
    samples = water_service.load_samples(
        session=session, sections=[code], first_day=first, last_day=last
    )
    means = monthly_means(samples, section.kind)
    items = present_items(samples) if not samples.empty else []
    trend = [i for i in TREND_ITEMS if i in items and limit_lines(i, section.kind)]
    period = half_of(last)
    classes = evaluate(session, section.area_code or "", period) if section.area_code else None
    mine = classes[classes["code"] == code] if classes is not None and not classes.empty else None
    return render(
        request,
        staff,
        "staff/water_section.html",
        {
            "s": section,
            "row": section_rows(
                session, [section], mine if mine is not None else pd.DataFrame(), pd.DataFrame()
            )[0],
            "period": period,
            "first": first,
            "last": last,
            "charts": [trend_chart(means, item, section) for item in trend],
            "months": [
                {"month": m, "cells": {i: means.at[m, i] for i in trend}, "water_class": c}
                for m, c in zip(means.index, means.get("water_class", []), strict=False)
            ],
            "trend": trend,
            "items": items,
            "recent": recent_samples(samples, section.kind, items),
            "revisions": revision_count(session, code),
            "names": tables.TABLE1_ITEMS | tables.TABLE2_ITEMS,
            "units": tables.UNITS,
            "label": label,
            "plotly": PLOTLY_SCRIPT,
        },
    )


@router.get("/console/water/classes", response_class=HTMLResponse, include_in_schema=False)
def classes_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    chosen, chosen_area, notice = choose(
        request, session, staff, period, area, latest_half, monitoring_data=True
    )
    sections = water_service.list_sections(session=session, area_code=chosen_area.code)
    classes = evaluate(session, chosen_area.code, chosen)
    evaluated = classes.set_index("code") if not classes.empty else pd.DataFrame()
    groups = [
        (
            code,
            name,
            count,
            [
                s
                for s in sections
                if s.code in evaluated.index and int(evaluated.at[s.code, "water_class"]) == code
            ],
        )
        for code, name, count in class_counts(classes)
    ]
    missing = [s for s in sections if s.code not in evaluated.index]
    history = class_history(session, chosen_area.code, chosen)
    return render(
        request,
        staff,
        "staff/water_classes.html",
        {
            "groups": groups,
            "missing": missing,
            "evaluated": len(classes),
            "history": history,
            "chart": history_chart(history) if history else None,
            **_page(session, staff, chosen, chosen_area, notice),
        },
    )


def class_history(session: Session, area_code: str, period: Period) -> list[dict[str, Any]]:
    """Counts of sections by class in each of the six half-years up to the period's end."""
    end = half_of(period.end)
    halves = [end]
    while len(halves) < HISTORY_HALVES:
        halves.insert(0, half_of(halves[0].start - timedelta(days=1)))
    history = []
    for half in halves:
        classes = evaluate(session, area_code, half)
        if not classes.empty:
            counts = class_counts(classes)
            history.append({"period": half, "counts": counts, "total": len(classes)})
    return history


def history_chart(history: list[dict[str, Any]]) -> Markup:
    figure = go.Figure()
    for index, class_label in enumerate(tables.CLASS_LABELS):
        figure.add_bar(
            x=[h["period"].label for h in history],
            y=[h["counts"][index][2] for h in history],
            name=f"{class_label}类",
            marker_color=WATER_CLASS_COLOURS[class_label],
        )
    figure.update_layout(barmode="stack", title="各类别断面数", yaxis_title="断面数（个）")
    return chart_html(figure, height=320)


@router.get("/console/water/compliance", response_class=HTMLResponse, include_in_schema=False)
def compliance_page(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> HTMLResponse:
    chosen, chosen_area, notice = choose(
        request, session, staff, period, area, latest_half, monitoring_data=True
    )
    sections = {
        s.code: s for s in water_service.list_sections(session=session, area_code=chosen_area.code)
    }
    return render(
        request,
        staff,
        "staff/water_compliance.html",
        {
            "tables": compliance_tables(session, chosen, chosen_area.code, sections),
            "cross": cross_boundary_table(session, chosen, chosen_area.code, sections),
            "elimination": elimination_tables(session, chosen, chosen_area.code),
            "status_words": STATUS_WORDS | {"due": "拟消劣"},
            **_page(session, staff, chosen, chosen_area, notice),
        },
    )


# --- JSON API -----------------------------------------------------------------------------------


def _api_period(request: Request, session: Session, period: str | None, area_code: str) -> Period:
    return parse_period(period) if period else latest_half(request, session, area_code)


def _classes_json(classes: pd.DataFrame) -> dict[str, dict[str, Any]]:
    out = {}
    for _, e in classes.iterrows():
        out[e["code"]] = {
            "water_class": int(e["water_class"]),
            "class_label": e["class_label"],
            "quality_status": e["quality_status"],
            "limiting_items": str(e["limiting_items"]).split(";") if e["limiting_items"] else [],
            "main_pollutants": []
            if pd.isna(e["main_pollutants"]) or not e["main_pollutants"]
            else str(e["main_pollutants"]).split(";"),
            "samples": int(e["samples"]),
        }
    return out


@router.get("/api/v1/water/sections", tags=["水环境"], summary="断面及其时段水质类别")
def api_sections(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> dict[str, Any]:
    chosen_area = resolve_area(session, staff, area, monitoring_data=True)
    chosen = _api_period(request, session, period, chosen_area.code)
    classes = _classes_json(evaluate(session, chosen_area.code, chosen))
    items = []
    for s in water_service.list_sections(session=session, area_code=chosen_area.code):
        attributes = {c: getattr(s, c) for c in water_service.SECTION_COLUMNS}
        items.append(attributes | {"lon": s.lon, "lat": s.lat, "period_class": classes.get(s.code)})
    return {"period": chosen.code, "area_code": chosen_area.code, "items": items}


@router.get(
    "/api/v1/water/sections/{code}/samples", tags=["水环境"], summary="断面的监测样品（北京时间）"
)
def api_samples(
    session: DbSession,
    staff: CurrentStaff,
    code: str,
    first: Annotated[date | None, Query(alias="from", description="开始日（含）")] = None,
    last: Annotated[date | None, Query(alias="to", description="结束日（含）")] = None,
) -> dict[str, Any]:
    section = section_in_scope(session, staff, code)
    last = last or section_latest_day(session, code)
    first, last = _window(first or last - timedelta(days=30), last, MAX_API_DAYS)
    samples = water_service.load_samples(
        session=session, sections=[code], first_day=first, last_day=last
    )
    items = present_items(samples) if not samples.empty else []
    out = []
    for _, row in samples.sort_values("time").iterrows() if not samples.empty else []:
        out.append(
            {
                "time": row["time"].isoformat() + "+08:00",
                "values": {i: float(row[i]) for i in items if pd.notna(row[i])},
                "below_detection": [i for i in items if bool(row.get(f"{i}_bdl", False))],
            }
        )
    return {
        "section": code,
        "kind": section.kind,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "units": {i: tables.UNITS[i] for i in items},
        "samples": out,
    }


@router.get("/api/v1/water/classes", tags=["水环境"], summary="时段各断面水质类别及分类统计")
def api_classes(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> dict[str, Any]:
    chosen_area = resolve_area(session, staff, area, monitoring_data=True)
    chosen = _api_period(request, session, period, chosen_area.code)
    classes = evaluate(session, chosen_area.code, chosen)
    names = dict(zip(classes["code"], classes["name"], strict=True)) if not classes.empty else {}
    return {
        "period": chosen.code,
        "area_code": chosen_area.code,
        "counts": {name: count for _, name, count in class_counts(classes)},
        "sections": [
            {"code": code, "name": names[code], **values}
            for code, values in _classes_json(classes).items()
        ],
    }


def _indicator_json(definition: Any, value: Any, reported: str, target: Any) -> dict[str, Any]:
    """An indicator of a compliance table as the API gives it: value as stored and reported."""
    return {
        "id": definition.id,
        "name": definition.name,
        "unit": definition.unit,
        "value": value.value,
        "value_reported": reported,
        "reason": value.reason,
        "target": target,
    }


@router.get(
    "/api/v1/water/compliance",
    tags=["水环境"],
    summary="达标考核：功能区、水十条、饮用水水源地、交接断面、消劣进展",
)
def api_compliance(
    request: Request,
    session: DbSession,
    staff: CurrentStaff,
    period: PeriodQuery = None,
    area: AreaQuery = None,
) -> dict[str, Any]:
    """The tables of the compliance page: each indicator with the sections it counted."""
    chosen_area = resolve_area(session, staff, area, monitoring_data=True)
    chosen = _api_period(request, session, period, chosen_area.code)
    sections = {
        s.code: s for s in water_service.list_sections(session=session, area_code=chosen_area.code)
    }
    cross = cross_boundary_table(session, chosen, chosen_area.code, sections)
    return {
        "period": chosen.code,
        "area_code": chosen_area.code,
        "tables": [
            _indicator_json(t["definition"], t["value"], t["reported"], t["target"])
            | {"population_share": t["population_share"], "sections": t["lines"]}
            for t in compliance_tables(session, chosen, chosen_area.code, sections)
        ],
        "cross_boundary": _indicator_json(
            cross["definition"], cross["value"], cross["reported"], None
        )
        | {
            "rule": cross["rule"],
            "compensation_wan_yuan": cross["compensation"],
            "sections": cross["lines"],
        },
        "elimination": elimination_tables(session, chosen, chosen_area.code),
    }
