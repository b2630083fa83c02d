"""read_china_sites: the national platform's wide daily files into one row per station-hour."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from envbureau.air.readers import CHINA_SITES_TYPES, read_china_sites

TYPES = list(CHINA_SITES_TYPES)


def china_sites_text(rows: dict[tuple[str, int, str], list[str]], stations: list[str]) -> str:
    lines = [",".join(["date", "hour", "type", *stations])]
    lines += [",".join([d, str(h), t, *cells]) for (d, h, t), cells in rows.items()]
    return "\n".join(lines) + "\n"


def small_file_rows() -> dict[tuple[str, int, str], list[str]]:
    """Two hours, three stations (the third never publishes), every type."""
    rows = {}
    for hour in (0, 1):
        for k, kind in enumerate(TYPES):
            value = f"{k + 10 * hour}" if kind != "CO" else f"0.{k + hour}"
            rows[("20190101", hour, kind)] = [value, "" if kind == "AQI" else value, ""]
    return rows


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "china_sites_20190101.csv"
    path.write_text(china_sites_text(small_file_rows(), ["1001A", "1002A", "1003A"]))
    return path


def test_read_china_sites_long_table(small_file: Path) -> None:
    long = read_china_sites(small_file)
    assert list(long.columns) == ["time", "station", *CHINA_SITES_TYPES.values()]
    assert len(long) == 4  # 2 hours × 2 stations; 1003A has no value at all
    assert list(long["station"]) == ["1001A", "1002A", "1001A", "1002A"]
    times = pd.to_datetime(["2019-01-01 00:00", "2019-01-01 01:00"]).tz_localize("Asia/Shanghai")
    assert list(long["time"]) == [times[0], times[0], times[1], times[1]]
    first = long.iloc[0]
    assert first["published_aqi"] == 0 and first["pm25"] == TYPES.index("PM2.5")
    assert first["co"] == pytest.approx(0.1 * TYPES.index("CO"))
    assert first["o3_8h_max_24h"] == TYPES.index("O3_8h_24h")
    assert long["published_aqi"].dtype == "Int64"
    assert pd.isna(long["published_aqi"].iloc[1])


def test_read_china_sites_gzip_gives_the_same_table(small_file: Path, tmp_path: Path) -> None:
    packed = tmp_path / "china_sites_20190101.csv.gz"
    packed.write_bytes(gzip.compress(small_file.read_bytes()))
    pd.testing.assert_frame_equal(read_china_sites(packed), read_china_sites(small_file))


def test_read_china_sites_missing_type_row_leaves_nan(tmp_path: Path) -> None:
    rows = small_file_rows()
    del rows[("20190101", 1, "PM10")]
    path = tmp_path / "f.csv"
    path.write_text(china_sites_text(rows, ["1001A", "1002A", "1003A"]))
    long = read_china_sites(path)
    assert long["pm10"].isna().tolist() == [False, False, True, True]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda text: text.replace("date,hour,type", "day,hour,type"), "header must start"),
        (lambda text: text.replace(",1002A,", ",1001A,"), "repeated station codes"),
        (
            lambda text: (
                text.replace("20190101,1,PM10,", "20190101,1,PM10,", 1) + "20190101,1,PM10\n"
            ),
            "wrong number of fields",
        ),
        (lambda text: text.replace("20190101,1,PM10,", "20190101,1,PM100,"), "unknown 'type'"),
        (lambda text: text.replace("20190101,1,PM10,", "20190101,24,PM10,"), "'hour' must be"),
        (lambda text: text.replace("20190101,1,PM10,", "20191301,1,PM10,"), "'date' must be"),
        (
            lambda text: text.replace("20190101,1,PM10,", "20190101,0,PM10,"),
            r"repeated \(date, hour",
        ),
        (lambda text: text.replace("20190101,1,SO2,11", "20190101,1,SO2,x11"), "not a number"),
        (lambda text: text.replace("20190101,1,SO2,11", "20190101,1,SO2,-11"), "negative"),
    ],
)
def test_read_china_sites_malformed_file_names_file_and_fault(
    tmp_path: Path, mutate, message: str
) -> None:
    path = tmp_path / "china_sites_20190101.csv"
    path.write_text(mutate(china_sites_text(small_file_rows(), ["1001A", "1002A", "1003A"])))
    with pytest.raises(ValueError, match=message) as raised:
        read_china_sites(path)
    assert str(path) in str(raised.value)


def test_read_china_sites_truncated_row_is_refused_with_its_line(tmp_path: Path) -> None:
    text = china_sites_text(small_file_rows(), ["1001A", "1002A", "1003A"]).splitlines()
    text[5] = ",".join(text[5].split(",")[:4])  # cut off like the source's 20190220 AQI row
    path = tmp_path / "f.csv"
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match="line 6 has 4"):
        read_china_sites(path)


def test_read_china_sites_damaged_gzip(tmp_path: Path) -> None:
    path = tmp_path / "f.csv.gz"
    path.write_bytes(gzip.compress(b"date,hour,type,1001A\n")[:-6])
    with pytest.raises(ValueError, match="damaged gzip"):
        read_china_sites(path)


@pytest.mark.real_data
def test_read_china_sites_real_national_file(shared_dir: Path) -> None:
    """One national day file: 24 hours × 1,605 station columns × 15 types (README)."""
    path = shared_dir / "data/china-sites/national-2019-01/china_sites_20190101.csv.gz"
    long = read_china_sites(path)
    assert long["time"].nunique() == 24
    assert long["station"].nunique() <= 1605
    first = long[(long["station"] == "1001A")].iloc[0]  # values of the file's first rows
    assert (first["published_aqi"], first["pm25"], first["pm25_24h"], first["co"]) == (
        73,
        53,
        44,
        1.2,
    )
    assert np.isclose(long["co"].max(), long["co"].max().round(1))
