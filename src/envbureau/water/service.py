"""Water services: sections in scope, their samples, and their classes over a period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.areas import service as areas_service
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.errors import NotFound
from envbureau.standards import gb3838
from envbureau.standards.gb3838_aggregate import period_mean_gb3838
from envbureau.water.models import Sample, Section
from envbureau.water.warnings import BASE_MONTHS, RECENT_MONTHS, drift_flags, near_limit_items

SECTION_COLUMNS = (
    "code",
    "name",
    "kind",
    "area_code",
    "control_level",
    "target_class",
    "assessment_target_class",
    "cross_boundary",
    "drinking_source",
    "source_level",
    "population_served",
    "elimination_level",
    "elimination_baseline_year",
)


def get_section_or_raise(*, session: Session, code: str) -> Section:
    """The section of that code, or ``NotFound``."""
    section = session.get(Section, code)
    if section is None:
        raise NotFound(f"未知断面“{code}”", code="section.unknown", loc=("section",))
    return section


def list_sections(*, session: Session, area_code: str) -> list[Section]:
    """Sections of an area and of the areas below it."""
    codes = areas_service.area_and_descendant_codes(session=session, code=area_code)
    return list(
        session.scalars(select(Section).where(Section.area_code.in_(codes)).order_by(Section.code))
    )


def load_samples(
    *, session: Session, sections: list[str], first_day: date, last_day: date
) -> pd.DataFrame:
    """Current samples: ``section``, ``time`` (Beijing, naive), items, ``<item>_bdl``."""
    start = datetime.combine(first_day, time()) - BEIJING_OFFSET
    end = datetime.combine(last_day + timedelta(days=1), time()) - BEIJING_OFFSET
    rows = session.execute(
        select(Sample.section_code, Sample.time_utc, Sample.values, Sample.below_detection).where(
            Sample.is_current.is_(True),
            Sample.section_code.in_(sections),
            Sample.time_utc >= start,
            Sample.time_utc < end,
        )
    ).all()
    records = []
    for section, time_utc, values, bdl in rows:
        record = {"section": section, "time": time_utc + BEIJING_OFFSET, **values}
        record.update({f"{item}_bdl": True for item in bdl})
        records.append(record)
    frame = pd.DataFrame(records)
    for column in [c for c in frame.columns if c.endswith("_bdl")]:
        frame[column] = frame[column].fillna(False).astype(bool)
    return frame


def evaluate_sections(
    *, session: Session, area_code: str, first_day: date, last_day: date
) -> pd.DataFrame:
    """Each section's class over the period: the mean of its monthly means (the 2011 method's
    annual value for monthly sampling), classed with the section's own water-body limits.

    One row per section with samples: the section's attributes, ``samples``, the item means,
    ``water_class``, ``class_label``, ``quality_status``, ``limiting_items``, ``main_pollutants``.
    """
    sections = list_sections(session=session, area_code=area_code)
    if not sections:
        return pd.DataFrame()
    samples = load_samples(
        session=session, sections=[s.code for s in sections], first_day=first_day, last_day=last_day
    )
    if samples.empty:
        return pd.DataFrame()
    samples["month"] = samples["time"].dt.strftime("%Y-%m")
    means = period_mean_gb3838(samples.drop(columns="time"), "section", month="month")
    info = pd.DataFrame([{c: getattr(s, c) for c in SECTION_COLUMNS} for s in sections])
    info = info.set_index("code")
    means["water_body"] = info.loc[means.index, "kind"].to_numpy()
    classes = gb3838.water_class_gb3838(means.reset_index(drop=True))
    classes.index = means.index
    out = (
        info.loc[means.index]
        .join(means.drop(columns="water_body"))
        .join(
            classes[
                [
                    "water_class",
                    "class_label",
                    "quality_status",
                    "limiting_items",
                    "main_pollutants",
                    "over_class_iii",
                ]
            ]
        )
    )
    out["samples"] = means["n_samples"]
    out.index.name = "code"
    return out.reset_index()


def drift_warnings(*, session: Session, area_code: str, as_of: date) -> pd.DataFrame:
    """Sections flagged by the early-warning screen as of a day (see ``water.warnings``)."""
    recent_start = (pd.Timestamp(as_of) - pd.DateOffset(months=RECENT_MONTHS)).date() + timedelta(
        days=1
    )
    base_start = (pd.Timestamp(recent_start) - pd.DateOffset(months=BASE_MONTHS)).date()
    recent = evaluate_sections(
        session=session, area_code=area_code, first_day=recent_start, last_day=as_of
    )
    if recent.empty:
        return pd.DataFrame()
    base = evaluate_sections(
        session=session,
        area_code=area_code,
        first_day=base_start,
        last_day=recent_start - timedelta(days=1),
    )
    base_class = base.set_index("code")["water_class"] if not base.empty else pd.Series(dtype=int)
    rows = []
    for _, section in recent.iterrows():
        target = None if pd.isna(section["target_class"]) else int(section["target_class"])
        near = near_limit_items(section, target, section["kind"]) if target else []
        before = base_class.get(section["code"])
        flags = drift_flags(
            int(section["water_class"]),
            None if before is None or pd.isna(before) else int(before),
            target,
            near,
        )
        if flags:
            rows.append(
                {
                    "code": section["code"],
                    "name": section["name"],
                    "class_label": section["class_label"],
                    "target_class": target,
                    "flags": flags,
                    "near_limit_items": near,
                    "limiting_items": section["limiting_items"],
                }
            )
    return pd.DataFrame(rows)


def data_version(session: Session) -> tuple[str, ...]:
    """Changes whenever samples (new revisions included) or sections change."""
    parts: list[str] = []
    for statement in (
        select(func.max(Sample.id), func.max(Sample.created_at)),
        select(select(func.count(Section.code)).scalar_subquery()),
    ):
        parts += [str(v) for v in session.execute(statement).one()]
    return tuple(parts)
