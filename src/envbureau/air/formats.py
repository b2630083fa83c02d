"""The observation files the bureau receives, parsed into one long shape for checking.

Every parser returns an ``ObservationBatch`` and the cell errors it found: one row per station-hour with ``station``,
``time`` (end of the averaging hour, tz-aware Beijing time), the six pollutants (μg/m³, CO mg/m³)
and ``where`` (the row as staff would find it in the file), plus the file's column label of each
pollutant, so that an error names file, row and column.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from envbureau.air.models import POLLUTANTS
from envbureau.air.readers import read_china_sites
from envbureau.core.errors import ErrorDetail, RuleViolation
from envbureau.core.importing.readers import parse_table
from envbureau.core.importing.schema import Column, TableSchema, check_table
from envbureau.standards.gb3095 import BEIJING_TZ

FORMATS = ("template", "china-sites", "prsa")
POLLUTANT_LABELS = {
    "so2": "SO2",
    "no2": "NO2",
    "co": "CO",
    "o3": "O3",
    "pm10": "PM10",
    "pm25": "PM2.5",
}


@dataclass
class ObservationBatch:
    file_name: str
    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=lambda: dict(POLLUTANT_LABELS))
    status: str = "provisional"


TEMPLATE_SCHEMA = TableSchema(
    name="air_observations",
    label="空气质量小时数据",
    columns=(
        Column("station", "站点编码", aliases=("监测点编码", "站点代码", "station_code")),
        Column(
            "time",
            "时间",
            kind="datetime",
            aliases=("监测时间", "time"),
            help="小时均值所属小时的结束时刻，北京时间，如 2026-06-30 14:00 表示 13:00—14:00",
        ),
        Column(
            "so2",
            "SO2",
            kind="float",
            required=False,
            minimum=0,
            unit="μg/m³",
            aliases=("二氧化硫",),
        ),
        Column(
            "no2",
            "NO2",
            kind="float",
            required=False,
            minimum=0,
            unit="μg/m³",
            aliases=("二氧化氮",),
        ),
        Column("co", "CO", kind="float", required=False, unit="mg/m³", aliases=("一氧化碳",)),
        Column("o3", "O3", kind="float", required=False, unit="μg/m³", aliases=("臭氧",)),
        Column(
            "pm10",
            "PM10",
            kind="float",
            required=False,
            minimum=0,
            unit="μg/m³",
            aliases=("可吸入颗粒物",),
        ),
        Column(
            "pm25",
            "PM2.5",
            kind="float",
            required=False,
            minimum=0,
            unit="μg/m³",
            aliases=("细颗粒物", "pm2_5"),
        ),
        Column(
            "status",
            "数据状态",
            kind="choice",
            required=False,
            choices={
                "实时": "provisional",
                "审核": "audited",
                "provisional": "provisional",
                "audited": "audited",
            },
        ),
    ),
    natural_key=("station", "time"),
)


def parse_template(data: bytes, file_name: str) -> tuple[ObservationBatch, list[ErrorDetail]]:
    """The documented template (CSV/XLSX, Chinese headers); cell errors are returned."""
    raw = parse_table(data, file_name)
    checked = check_table(raw, TEMPLATE_SCHEMA)
    frame = checked.frame.copy()
    frame["time"] = pd.to_datetime(frame["time"]).dt.tz_localize(BEIJING_TZ)
    frame["where"] = frame.index.astype(str)
    statuses = set(frame["status"].dropna())
    status = "audited" if statuses == {"audited"} else "provisional"
    labels = {p: checked.headers.get(p, POLLUTANT_LABELS[p]) for p in POLLUTANTS}
    frame = frame.dropna(subset=["time"]).reset_index(drop=True)
    return ObservationBatch(file_name, frame, labels, status), checked.errors


def parse_china_sites(data: bytes, file_name: str) -> tuple[ObservationBatch, list[ErrorDetail]]:
    """The national publishing platform's wide daily file (real-time, provisional values)."""
    suffix = ".csv.gz" if data[:2] == b"\x1f\x8b" else ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        try:
            long = read_china_sites(handle.name)
        except ValueError as exc:
            message = str(exc).replace(handle.name, file_name)
            raise RuleViolation(
                f"文件格式不符合 china_sites 格式：{message}",
                code="air.format_china_sites",
                loc=(file_name,),
            ) from exc
    frame = long[["station", "time", *POLLUTANTS]].copy()
    frame["where"] = frame["time"].dt.strftime("%Y%m%d 第%H时")
    return ObservationBatch(file_name, frame, status="provisional"), []


# Station names of the Beijing multi-site research files and their national codes
# (../shared/data/beijing-multisite/README.md, from the national network's site list).
PRSA_STATIONS = {
    "Wanshouxigong": "1001A",
    "Dingling": "1002A",
    "Dongsi": "1003A",
    "Tiantan": "1004A",
    "Nongzhanguan": "1005A",
    "Guanyuan": "1006A",
    "Wanliu": "1007A",
    "Shunyi": "1008A",
    "Huairou": "1009A",
    "Changping": "1010A",
    "Aotizhongxin": "1011A",
    "Gucheng": "1012A",
}
PRSA_COLUMNS = {"SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3", "PM10": "pm10", "PM2.5": "pm25"}


def parse_prsa(data: bytes, file_name: str) -> tuple[ObservationBatch, list[ErrorDetail]]:
    """The Beijing multi-site research format (UCI PRSA_Data_*): CO there is in μg/m³.

    The format declares CO in μg/m³, so it is divided by 1000 here by that declaration, not by
    guessing. ``hour`` is read as the end of the averaging hour, as the national platform
    publishes it.
    """
    if data[:2] == b"\x1f\x8b":
        import gzip

        data = gzip.decompress(data)
    try:
        raw = pd.read_csv(io.BytesIO(data), na_values=["NA"])
    except (pd.errors.ParserError, ValueError) as exc:
        raise RuleViolation(
            f"无法读取文件：{exc}", code="file.unreadable", loc=(file_name,)
        ) from exc
    needed = {"year", "month", "day", "hour", "station", *PRSA_COLUMNS}
    missing = sorted(needed - set(raw.columns))
    if missing:
        raise RuleViolation(
            f"缺少列：{'、'.join(missing)}", code="column.missing", loc=(file_name, 1)
        )
    unknown = sorted(set(raw["station"].dropna()) - set(PRSA_STATIONS))
    if unknown:
        raise RuleViolation(
            f"未知站点名称：{'、'.join(map(str, unknown))}",
            code="air.station_unknown",
            loc=(file_name, "station"),
        )
    time = pd.to_datetime(raw[["year", "month", "day", "hour"]], errors="coerce")
    frame = pd.DataFrame(
        {"station": raw["station"].map(PRSA_STATIONS), "time": time.dt.tz_localize(BEIJING_TZ)}
    )
    for column, pollutant in PRSA_COLUMNS.items():
        frame[pollutant] = pd.to_numeric(raw[column], errors="coerce")
    frame["co"] = frame["co"] / 1000.0
    frame["where"] = (np.arange(len(raw)) + 2).astype(str)
    labels = dict(PRSA_COLUMNS.items())
    batch = ObservationBatch(
        file_name,
        frame.dropna(subset=["time"]),
        {v: k for k, v in labels.items()},
        status="provisional",
    )
    return batch, []


def read_observation_file(path: Path, fmt: str) -> tuple[bytes, str]:
    if fmt not in FORMATS:
        raise RuleViolation(
            f"未知格式“{fmt}”（可用：{'、'.join(FORMATS)}）",
            code="air.format_unknown",
            loc=("format",),
        )
    if not path.is_file():
        raise RuleViolation("文件不存在", code="file.not_found", loc=(str(path),))
    return path.read_bytes(), path.name


PARSERS_BY_FORMAT = {
    "template": parse_template,
    "china-sites": parse_china_sites,
    "prsa": parse_prsa,
}
