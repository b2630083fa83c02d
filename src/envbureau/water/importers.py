"""Importing sections (with their targets and lists) and water samples from the bureau's sheets.

Sample values may be written as staff write them: ``0.01L`` or ``<0.01`` for a result below
the detection limit (未检出, the value is the limit), empty for not monitored.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from envbureau.core.accounts import audit
from envbureau.core.areas.importers import unknown_area_errors
from envbureau.core.clock import utc_now
from envbureau.core.db import BEIJING_OFFSET
from envbureau.core.errors import ErrorDetail
from envbureau.core.importing.readers import parse_table
from envbureau.core.importing.runner import (
    ApplyResult,
    ImportOutcome,
    Progress,
    apply_atomically,
    previewing,
    raise_if_errors,
    session_progress,
    upsert_rows,
)
from envbureau.core.importing.schema import Column, TableSchema, check_table
from envbureau.standards import gb3838_tables as tables
from envbureau.water.models import Sample, Section
from envbureau.water.vocabulary import CLASS_WORDS, WATER_BODY_WORDS

LEVEL_WORDS = {
    "国控": "national",
    "省控": "provincial",
    "市控": "city",
    "县控": "county",
    "national": "national",
    "provincial": "provincial",
    "city": "city",
    "county": "county",
}

SECTION_SCHEMA = TableSchema(
    name="water_sections",
    label="水质监测断面",
    columns=(
        Column("code", "断面编码", aliases=("断面代码",)),
        Column("name", "断面名称"),
        Column("kind", "水体类型", kind="choice", choices=WATER_BODY_WORDS, required=False),
        Column("area_code", "区划代码", required=False, aliases=("所在区县代码",)),
        Column("lon", "经度", kind="float", required=False, minimum=73, maximum=136),
        Column("lat", "纬度", kind="float", required=False, minimum=3, maximum=54),
        Column("control_level", "控制级别", kind="choice", choices=LEVEL_WORDS, required=False),
        Column(
            "target_class",
            "水功能区目标",
            kind="choice",
            choices=CLASS_WORDS,
            required=False,
            aliases=("目标类别", "水质目标"),
        ),
        Column(
            "assessment_target_class",
            "水十条考核目标",
            kind="choice",
            choices=CLASS_WORDS,
            required=False,
        ),
        Column("cross_boundary", "交接断面", kind="bool", required=False),
        Column("upstream", "上游区域", required=False),
        Column("downstream", "下游区域", required=False),
        Column("drinking_source", "饮用水源地", kind="bool", required=False),
        Column(
            "source_level",
            "水源地级别",
            kind="choice",
            required=False,
            choices={"县级": "county", "市级": "city", "county": "county", "city": "city"},
        ),
        Column("population_served", "服务人口", kind="int", required=False, minimum=0),
        Column(
            "elimination_level",
            "消劣清单",
            kind="choice",
            required=False,
            choices={
                "省控": "provincial",
                "市控": "city",
                "provincial": "provincial",
                "city": "city",
            },
        ),
        Column(
            "elimination_baseline_year",
            "消劣基准年",
            kind="int",
            required=False,
            minimum=2000,
            maximum=2100,
        ),
    ),
    natural_key=("code",),
)


def _class(text: str | None) -> int | None:
    return int(text) if text else None


class SectionImporter:
    kind = "water_sections"
    schema = SECTION_SCHEMA
    #: a dry run only reads (``runner.PREVIEW``: ``upsert_rows`` counts without writing)
    previews = True

    def check(
        self, session: Session, records: list[dict[str, Any]], file_name: str
    ) -> list[ErrorDetail]:
        return unknown_area_errors(session, records, file_name)

    def apply(
        self, session: Session, records: list[dict[str, Any]], *, actor: str, progress: Progress
    ) -> ApplyResult:
        rows = [
            {
                **r,
                "kind": r["kind"] or "river",
                "control_level": r["control_level"] or "city",
                "target_class": _class(r["target_class"]),
                "assessment_target_class": _class(r["assessment_target_class"]),
                "cross_boundary": bool(r["cross_boundary"]),
                "drinking_source": bool(r["drinking_source"]),
                **{
                    k: r[k] or ""
                    for k in ("upstream", "downstream", "source_level", "elimination_level")
                },
            }
            for r in records
        ]
        return upsert_rows(
            session,
            Section,
            rows,
            key=("code",),
            entity_type="water_section",
            actor=actor,
            progress=progress,
        )


#: Lake/reservoir trophic-state parameters beside 表1's items (TLI, see water.trophic):
#: chlorophyll a in mg/m³ (μg/L) and Secchi depth in m.
TLI_ITEMS = {"chla": "叶绿素a", "sd": "透明度"}
TLI_UNITS = {"chla": "mg/m³", "sd": "m"}
TLI_UNIT_MAX = {"chla": 2000.0, "sd": tables.TLI_SD_MAX_M}
ITEMS = (*tables.TABLE1_ITEMS, *TLI_ITEMS)
NAMES = tables.TABLE1_ITEMS | TLI_ITEMS
UNITS = tables.UNITS | TLI_UNITS
UNIT_MAX = tables.UNIT_CHECK_MAX | TLI_UNIT_MAX
# Headers that must not fold into another item's: "铬（六价）" would read as "铬" (total Cr).
HEADER_NAMES = {"cr6": "六价铬"}
SAMPLE_SCHEMA = TableSchema(
    name="water_samples",
    label="水质监测数据",
    columns=(
        Column("section", "断面编码", aliases=("断面代码", "section")),
        Column("time", "监测时间", kind="datetime", aliases=("采样时间", "time")),
        *(
            Column(
                item,
                HEADER_NAMES.get(item, name),
                required=False,
                aliases=(item,),
                help="mg/L（pH 无量纲，水温 ℃，粪大肠菌群 个/L）；未检出写 0.01L 或 <0.01",
            )
            for item, name in tables.TABLE1_ITEMS.items()
        ),
        Column(
            "chla",
            "叶绿素a",
            required=False,
            aliases=("chla", "叶绿素α"),
            help="mg/m³（湖库营养状态评价）",
        ),
        Column("sd", "透明度", required=False, aliases=("sd",), help="m（湖库营养状态评价）"),
    ),
    natural_key=("section", "time"),
)


def _parse_values(
    frame: pd.DataFrame, file_name: str, headers: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[ErrorDetail]]:
    """Numbers and below-detection flags of the item cells; errors with row and column."""
    values, flags, errors = pd.DataFrame(index=frame.index), pd.DataFrame(index=frame.index), []
    for item in ITEMS:
        text = frame[item].fillna("").astype(str).str.strip()
        bdl = text.str.upper().str.endswith("L") | text.str.startswith(("<", "＜"))
        number = pd.to_numeric(
            text.str.rstrip("Ll").str.lstrip("<＜").str.strip().replace("", None), errors="coerce"
        )
        bad = (text != "") & number.isna()
        rules = [
            (bad, "value.invalid", "应为数字（未检出写 0.01L）"),
            (number < 0, "value.negative", "浓度不能为负"),
            (
                number > UNIT_MAX.get(item, np.inf),
                "value.unit",
                f"数值过大，单位可能不对（{UNITS.get(item, '')}）",
            ),
            (number < tables.UNIT_CHECK_MIN.get(item, -np.inf), "value.unit", "数值过小"),
        ]
        for mask, code, msg in rules:
            errors += [
                ErrorDetail(
                    (file_name, int(row), headers.get(item, item)),
                    code,
                    f"“{NAMES[item]}”{msg}",
                    value=text[row],
                )
                for row in frame.index[mask.fillna(False).to_numpy()]
            ]
        values[item], flags[item] = number, bdl & number.notna()
    return values, flags, errors


def import_samples(
    session: Session, *, data: bytes, file_name: str, actor: str, dry_run: bool = False
) -> ImportOutcome:
    """Check a sample sheet against every rule, then write it atomically by (section, time)."""
    raw = parse_table(data, file_name)
    checked = check_table(raw, SAMPLE_SCHEMA)
    errors = list(checked.errors)
    values, flags, value_errors = _parse_values(checked.frame, file_name, checked.headers)
    errors += value_errors
    known = set(session.scalars(select(Section.code)))
    frame = checked.frame
    for row in frame.index[~frame["section"].isin(known) & frame["section"].notna()]:
        errors.append(
            ErrorDetail(
                (file_name, int(row), checked.headers.get("section", "断面编码")),
                "water.section_unknown",
                "断面未登记，请先导入断面",
                value=str(frame.at[row, "section"]),
            )
        )
    raise_if_errors(errors, file_name)
    rows = []
    for row in frame.index:
        present = values.loc[row].dropna()
        rows.append(
            {
                "section": frame.at[row, "section"],
                "time": frame.at[row, "time"],
                "values": {k: float(v) for k, v in present.items()},
                "bdl": sorted(k for k in present.index if flags.at[row, k]),
            }
        )
    return apply_atomically(
        session,
        kind="water_samples",
        data=data,
        file_name=file_name,
        rows=len(rows),
        actor=actor,
        dry_run=dry_run,
        previews=True,
        apply=lambda: apply_samples(session, rows, file_name, actor),
    )


def apply_samples(
    session: Session, rows: list[dict[str, Any]], file_name: str, actor: str
) -> ApplyResult:
    result = ApplyResult()
    now = utc_now()
    preview = previewing(session)  # a dry run: counted from the current rows, nothing written
    progress = session_progress(session)
    for done, r in enumerate(rows, start=1):
        if done % 1000 == 0:
            progress(done, len(rows))
        time_utc = pd.Timestamp(r["time"]).to_pydatetime() - BEIJING_OFFSET
        current = session.scalar(
            select(Sample).where(
                Sample.section_code == r["section"],
                Sample.time_utc == time_utc,
                Sample.is_current.is_(True),
            )
        )
        if (
            current is not None
            and current.values == r["values"]
            and sorted(current.below_detection) == r["bdl"]
        ):
            result.unchanged += 1
            continue
        if preview:
            result.created += current is None
            result.updated += current is not None
            continue
        sample = Sample(
            section_code=r["section"],
            time_utc=time_utc,
            values=r["values"],
            below_detection=r["bdl"],
            source=file_name,
            created_by=actor,
            created_at=now,
            reason=f"导入 {file_name}",
            revision=1 if current is None else current.revision + 1,
        )
        if current is None:
            result.created += 1
        else:
            current.is_current = False
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="revise",
                entity_type="water_sample",
                entity_id=f"{r['section']}/{time_utc:%Y-%m-%dT%H:%MZ}",
                before=current.values,
                after=r["values"],
                reason=sample.reason,
            )
            result.updated += 1
        session.add(sample)
    session.flush()
    return result
