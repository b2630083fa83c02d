"""The water tools that work on files alone: the class of each sample, a period's evaluation.

A sample table has ``section``, ``date``, optional ``water_body`` and ``target_class``, and any
GB 3838 item (field names or Chinese headers). A value below the detection limit is written
``0.01L`` or ``<0.01`` (the limit) and enters as half the limit (``gb3838_tables.
DETECTION_LIMIT_FRACTION``), in a period mean as in a single sample. Cells are checked by the
import schema and values by ``check_values_gb3838``; every problem is reported with its file,
row and column, and nothing is computed from a file with errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from envbureau.core.errors import ErrorDetail, RuleViolation
from envbureau.core.importing.readers import read_table
from envbureau.core.importing.runner import raise_if_errors
from envbureau.core.importing.schema import Column, TableSchema, check_table
from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838 import check_values_gb3838, meets_target, water_class_gb3838
from envbureau.standards.gb3838_aggregate import period_mean_gb3838, river_status_gb3838
from envbureau.standards.rounding import round_gbt8170
from envbureau.water.readers import CNEMC_COLUMNS, read_cnemc_realtime
from envbureau.water.vocabulary import CLASS_WORDS, WATER_BODY_WORDS

# Template headers: 表1's names, except where staff write them otherwise.
_OWN = {"ph": ("pH", "pH值"), "do": ("溶解氧", "DO"), "cr6": ("六价铬", "Cr6+")}
_MORE = {"bod5": ("生化需氧量",), "nh3n": ("NH3-N",), "cod": ("CODCr",)}
#: Items of a sample table, field name -> (template header, other accepted headers).
ITEM_HEADERS: dict[str, tuple[str, ...]] = {
    item: _OWN.get(item, (name, *_MORE.get(item, ())))
    for item, name in tables.TABLE1_ITEMS.items()
    if item != "water_temp"
}
ITEMS = tuple(ITEM_HEADERS)
#: Units a header may name after an item (``氨氮(mg/L)``), lower case; any other is refused.
HEADER_UNITS = {"ph": {"无量纲", "-"}, "fecal_coliform": {"个/l", "mpn/l"}}
MG_L = {"mg/l", "毫克/升"}
VALUE = r"[<＜]?\s*[-+]?(?:\d[\d,，]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*[Ll]?"
VALUE_RULE = "应为数字（未检出写检出限加 L，如 0.01L 或 <0.01）"
DATE = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
DATE_RULE = "应为日期或时间（如 2026-04-01 或 2026-04-01 08:00）"
SAMPLE_SCHEMA = TableSchema(
    name="water_sample_file",
    label="水质样品",
    columns=(
        Column("section", "断面名称", aliases=("断面", "监测断面")),
        Column(
            "date",
            "监测时间",
            pattern=DATE,
            pattern_rule=DATE_RULE,
            aliases=("日期", "时间", "监测日期", "采样时间", "采样日期"),
        ),
        Column(
            "water_body",
            "水体类型",
            kind="choice",
            choices=WATER_BODY_WORDS,
            required=False,
            aliases=("水体",),
        ),
        Column(
            "target_class",
            "目标类别",
            kind="choice",
            choices=CLASS_WORDS,
            required=False,
            aliases=("水质目标", "水功能区目标"),
        ),
        *(
            Column(i, h[0], required=False, aliases=h[1:], pattern=VALUE, pattern_rule=VALUE_RULE)
            for i, h in ITEM_HEADERS.items()
        ),
    ),
    natural_key=(),
)
#: Columns of ``water_class_gb3838`` that the tools report.
RESULTS = ("water_class", "class_label", "quality_status", "limiting_items", "over_class_iii")


@dataclass
class SampleFile:
    """A checked sample table: its cells, typed samples (index = sheet row), every error."""

    file_name: str
    raw: pd.DataFrame
    headers: dict[str, str]
    samples: pd.DataFrame
    errors: list[ErrorDetail]


def read_samples(path: Path) -> SampleFile:
    """Read a sample table; check its cells (schema), header units and values (GB 3838)."""
    raw = read_table(path)
    checked = check_table(raw, SAMPLE_SCHEMA)
    errors, frame, name, headers = checked.errors, checked.frame, raw.file_name, checked.headers
    samples = pd.DataFrame({"section": frame["section"]}, index=frame.index)
    text = frame["date"].fillna("").astype(str)
    iso = (
        text.str.replace(r"[年/.]|月", "-", regex=True).str.replace("日", "").str.replace("T", " ")
    )
    samples["time"] = pd.to_datetime(iso, format="ISO8601", errors="coerce")
    for row in frame.index[(text != "") & samples["time"].isna() & text.str.fullmatch(DATE)]:
        loc = (name, int(row), headers["date"])
        errors.append(ErrorDetail(loc, "value.invalid", f"“监测时间”{DATE_RULE}", text[row]))
    samples["water_body"] = frame["water_body"]
    samples["target_class"] = pd.to_numeric(frame["target_class"])
    for item in (i for i in ITEMS if i in headers):
        errors += _header_unit_errors(name, headers[item], item)
        cells = frame[item].fillna("").astype(str)
        plain = cells.str.strip("<＜Ll ").str.replace(r"[,，]", "", regex=True)
        number = pd.to_numeric(plain.replace("", None), errors="coerce")
        errors += value_errors(number.dropna(), item, name, headers[item], cells)
        samples[item] = number
        samples[f"{item}_bdl"] = cells.str.match(r"[<＜]|.*[Ll]$") & number.notna()
    samples = samples.assign(_file=name, _row=samples.index)
    return SampleFile(name, raw.frame, headers, samples, errors)


def value_errors(
    values: pd.Series, item: str, file_name: str, header: str, cells: pd.Series | None = None
) -> list[ErrorDetail]:
    """The values ``check_values_gb3838`` refuses, one error each (index = sheet row).

    The engine names only the first offenders of a series, so a refused series is halved
    until each refused value stands alone; a clean series costs one call.
    """
    try:
        check_values_gb3838(values, item)
        return []
    except ValueError as exc:
        if len(values) > 1:
            half = len(values) // 2
            return [
                *value_errors(values.iloc[:half], item, file_name, header, cells),
                *value_errors(values.iloc[half:], item, file_name, header, cells),
            ]
        code, msg = _in_chinese(str(exc), ITEM_HEADERS[item][0])
        row = values.index[0]
        shown = cells[row] if cells is not None else f"{values.iloc[0]:g}"
        return [ErrorDetail((file_name, int(row), header), code, msg, value=shown)]


def _in_chinese(message: str, label: str) -> tuple[str, str]:
    """The engine's rule (see ``check_values_gb3838``) as a code and a Chinese message."""
    if "pH outside" in message:
        return "value.ph_range", "“pH”应在 0～14 之间"
    if match := re.search(r"value above (\S+) (\S+): wrong unit", message):
        limit, unit = match.groups()
        guess = "饱和度（%）或 μg/L" if label == "溶解氧" else "μg/L"
        msg = f"“{label}”大于 {limit} {unit}，不像地表水实测值：单位可能不对（应为 {unit}，是否填了{guess}的数值？）"
        return "value.unit", msg
    if "value below" in message:
        return "value.negative", f"“{label}”不能为负"
    return "value.invalid", f"“{label}”数值不合理（{message}）"


def _header_unit_errors(file_name: str, header: str, item: str) -> list[ErrorDetail]:
    """A header that names a unit (``汞(μg/L)``) must name the unit of GB 3838 表1."""
    match = re.search(r"[(（]([^)）]*)[)）]\s*$", header)
    if match is None or re.sub(r"\s", "", match[1].lower()) in HEADER_UNITS.get(item, MG_L):
        return []
    msg = f"“{ITEM_HEADERS[item][0]}”应以 {tables.UNITS[item]} 填报，表头单位为“{match[1]}”，请换算"
    return [ErrorDetail((file_name, 1, header), "column.unit", msg)]


def read_checked(paths: list[Path]) -> list[SampleFile]:
    """Read sample tables; refuse them all if any has an error or they contradict each other."""
    files = [read_samples(path) for path in paths]
    errors = [e for f in files for e in f.errors]
    samples = pd.concat([f.samples for f in files], ignore_index=True)
    flags = [c for c in samples.columns if c.endswith("_bdl")]
    samples[flags] = samples[flags].fillna(False).astype(bool)  # an item not in every file
    errors += conflicts(samples, {f.file_name: f.headers for f in files})
    raise_if_errors(errors, "、".join(f.file_name for f in files))
    return files


def conflicts(samples: pd.DataFrame, headers: dict[str, dict[str, str]]) -> list[ErrorDetail]:
    """Samples of one section and time with different values; a section's two bodies/targets."""
    errors, items = [], [i for i in ITEMS if i in samples.columns]
    keyed = samples.dropna(subset=["section", "time"])
    doubled = keyed[keyed.duplicated(["section", "time"], keep=False)]
    for _, group in doubled.groupby(["section", "time"], sort=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            if differ := [i for i in items if not _same(first, row, i)]:
                where = "" if row["_file"] == first["_file"] else f"“{first['_file']}”"
                labels = "、".join(ITEM_HEADERS[i][0] for i in differ)
                msg = f"与{where}第 {first['_row']} 行同一断面、同一时间，但{labels}数值不同"
                loc = (row["_file"], int(row["_row"]), headers[row["_file"]][differ[0]])
                shown = "" if pd.isna(row[differ[0]]) else f"{row[differ[0]]:g}"
                errors.append(ErrorDetail(loc, "row.duplicate_sample", msg, shown))
    for field in ("water_body", "target_class"):
        first = samples.groupby("section")[field].transform("first")
        for i, row in samples[
            first.notna() & samples[field].notna() & (samples[field] != first)
        ].iterrows():
            msg = f"同一断面前后不一致（此前为“{first[i]}”）"
            loc = (row["_file"], int(row["_row"]), headers[row["_file"]][field])
            errors.append(ErrorDetail(loc, "section.inconsistent", msg, str(row[field])))
    return errors


def _same(a: pd.Series, b: pd.Series, item: str) -> bool:
    equal = (pd.isna(a[item]) and pd.isna(b[item])) or a[item] == b[item]
    return equal and a[f"{item}_bdl"] == b[f"{item}_bdl"]


def classify(file: SampleFile) -> pd.DataFrame:
    """The file's rows (plain numbers as numbers) with each sample's class and its causes."""
    s, items = file.samples, [i for i in ITEMS if i in file.samples.columns]
    values = pd.DataFrame({i: _halved(s, i) for i in items}, index=s.index)
    result = water_class_gb3838(values.assign(water_body=s["water_body"].fillna("river")))
    out = file.raw.copy()
    for item in items:
        header, plain = file.headers[item], ~s[f"{item}_bdl"] & s[item].notna()
        out[header] = out[header].astype(object).where(~plain, s[item])
    out = out.replace("", None)
    out[[*RESULTS, "tn_class"]] = result[[*RESULTS, "tn_class"]]
    if "target_class" in file.headers:
        out["meets_target"] = meets_target(result["water_class"], s["target_class"])
    return out


def _halved(samples: pd.DataFrame, item: str) -> pd.Series:
    below = samples[f"{item}_bdl"]
    return samples[item].where(~below, samples[item] * tables.DETECTION_LIMIT_FRACTION)


def read_cnemc(paths: list[Path], year: int) -> pd.DataFrame:
    """Readings of national release files as samples (water body: river).

    Only readings of running stations (站点情况 正常) count. The release repeats some
    readings of one section and time with other values: :func:`evaluate` keeps the first.
    """
    frames = []
    for path in paths:
        try:
            frame = read_cnemc_realtime(path, year=year)
        except ValueError as exc:
            msg = f"无法读取国家发布文件：{exc}"
            raise RuleViolation(msg, code="file.cnemc_invalid", loc=(path.name,)) from exc
        items = [i for i in ITEMS if i in frame.columns]
        by_line = frame.set_index("line")
        heading = {i: CNEMC_COLUMNS[i][0] for i in items}
        errors = [value_errors(by_line[i].dropna(), i, path.name, heading[i]) for i in items]
        raise_if_errors([e for found in errors for e in found], path.name)
        frame = frame[(frame["site_status"] == "正常") & frame["time"].notna()]
        flags = {f"{i}_bdl": False for i in items}
        local = frame["time"].dt.tz_localize(None)
        frames.append(frame.assign(time=local, water_body=None, target_class=float("nan"), **flags))
    return pd.concat(frames, ignore_index=True)


def evaluate(samples: pd.DataFrame, keys: list[str], first: date, last: date) -> dict[str, Any]:
    """Each section's class over the period (mean of its samples) and the summary.

    Of several samples of one section and time (checked equal in a sample table, repeated
    by the national release) the first is used; ``repeats_dropped`` counts the others.
    """
    day = samples["time"].dt.date
    in_period = samples[(day >= first) & (day <= last)]
    period = in_period.drop_duplicates([*keys, "time"])
    items = [i for i in ITEMS if i in period.columns]
    means = period_mean_gb3838(period[[*keys, *items, *(f"{i}_bdl" for i in items)]], by=keys)
    means = means.join(period.groupby(keys)[["water_body", "target_class"]].first())
    means["water_body"] = means["water_body"].fillna("river")
    classes = water_class_gb3838(means)
    met = meets_target(classes["water_class"], means["target_class"])
    bodies = means["water_body"].unique()
    body = bodies[0] if len(bodies) == 1 else "river"
    try:
        status = river_status_gb3838(classes["water_class"], means[[*items, "water_body"]], body)
    except ValueError as exc:
        msg = f"{first} 至 {last} 没有可评价的样品"
        raise RuleViolation(msg, code="water.no_samples") from exc
    table = classes[[*RESULTS, "main_pollutants", "tn_class"]].assign(
        water_body=means["water_body"],
        target_class=means["target_class"].astype("Int64"),
        meets_target=met.to_numpy(),
        n_samples=means["n_samples"],
        **{i: round_gbt8170(means[i], 6) for i in items},
        **{f"{i}_count": means[f"{i}_count"] for i in items},
    )
    judged = met.dropna().astype(bool)
    pollutants = status["main_pollutants"]
    summary = {
        "sections": int(status["n_sections"]),
        "share_class_i_iii": _percent(status["share_class_i_iii"]),
        "share_inferior_v": _percent(status["share_inferior_v"]),
        "status": status["quality_status"],
        "method": status["method"],
        "main_pollutants": None if pd.isna(pollutants) else pollutants,
        "function_zone_compliance_rate": _percent(judged.mean()) if len(judged) else None,
        "sections_with_target": len(judged),
        "samples": len(period),
        "repeats_dropped": len(in_period) - len(period),
    }
    period_ = {"from": first.isoformat(), "to": last.isoformat()}
    return {"period": period_, "by_section": table.reset_index(), "summary": summary}


def _percent(share: float) -> float:
    return float(round_gbt8170(100 * share, 1))
