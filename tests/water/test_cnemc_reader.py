"""read_cnemc_realtime: the national surface-water automatic-station release into one row per reading."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from envbureau.water.readers import read_cnemc_realtime

RELEASE_HEADER = (
    "省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),"
    "浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),"
    "藻密度(cells/L),站点情况"
)
#: Rows as the release prints them (抚仙湖心 and 七效港西桥, April 2021), with the markers.
RELEASE_ROWS = [
    "云南省,珠江流域,抚仙湖心,04-01 08:00,Ⅰ,15.7,8.53,7.58,330.2,7.8,1.22,0.025,0.008,0.10,"
    "0.003,2656108,正常",
    "上海市,长江流域,七效港西桥,*,*,--,--,--,--,--,--,--,--,--,*,*,维护",
    "上海市,长江流域,七效港西桥,04-01 20:00,Ⅳ,17.2,7.91,8.01,872.3,61.0,6.19,0.099,0.055,1.49,"
    "*,*,正常",
    "上海市,长江流域,七效港西桥,04-02 00:00,劣Ⅴ,17.0,9.20,8.00,870.0,60.0,6.00,0.100,--,--,*,*,正常",
]
SHARED_HEADER = (
    "province,basin,section,monitor_time,datetime,water_class,water_temp_C,pH,DO_mg_L,"
    "conductivity_uS_cm,turbidity_NTU,CODMn_mg_L,NH3N_mg_L,TP_mg_L,TN_mg_L,chla_mg_L,"
    "algae_density_cells_L,site_status"
)
SHARED_ROWS = [
    "上海市,长江流域,七效港西桥,04-01 12:00,2021-04-01T12:00,Ⅲ,17.3,7.99,8.64,861.9,67.3,5.81,"
    "0.097,0.065,1.67,*,*,正常",
    "上海市,长江流域,七效港西桥,*,,-,--,--,--,--,--,--,--,--,--,*,*,维护",
]


def write(tmp_path: Path, header: str, rows: list[str], name: str = "release.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def release_file(tmp_path: Path) -> Path:
    return write(tmp_path, RELEASE_HEADER, RELEASE_ROWS)


def test_read_cnemc_realtime_release_headings(release_file: Path) -> None:
    got = read_cnemc_realtime(release_file, year=2021)
    assert list(got["line"]) == [2, 3, 4, 5]
    assert list(got["section"]) == ["抚仙湖心", "七效港西桥", "七效港西桥", "七效港西桥"]
    assert got["published_class"].dtype == "Int64"
    assert got["published_class"].tolist()[0] == 1
    assert pd.isna(got["published_class"].iloc[1])  # '*' under maintenance
    assert got["published_class"].tolist()[2:] == [4, 6]
    first = got.iloc[0]
    assert (first["water_temp"], first["ph"], first["do"]) == (15.7, 8.53, 7.58)
    assert (first["codmn"], first["nh3n"], first["tp"], first["tn"]) == (1.22, 0.025, 0.008, 0.1)
    assert (first["chla_mg_l"], first["algae_density_cells_l"]) == (0.003, 2656108)
    assert (first["conductivity_us_cm"], first["turbidity_ntu"]) == (330.2, 7.8)
    assert got.loc[1, ["ph", "do", "tp", "chla_mg_l"]].isna().all()  # '--' and '*'
    assert np.isnan(got.loc[3, "tp"]) and got.loc[3, "ph"] == 9.2
    times = list(got["time"])
    assert times[0] == pd.Timestamp("2021-04-01 08:00", tz="Asia/Shanghai")
    assert pd.isna(times[1])  # no time for the '*' row
    assert list(got["site_status"]) == ["正常", "维护", "正常", "正常"]
    assert got["city"].isna().all() and got["river"].isna().all()


def test_read_cnemc_realtime_without_year_has_no_time(release_file: Path) -> None:
    got = read_cnemc_realtime(release_file)
    assert got["time"].isna().all()
    assert got["monitor_time"].iloc[0] == "04-01 08:00"


def test_read_cnemc_realtime_shared_file_headings(tmp_path: Path) -> None:
    got = read_cnemc_realtime(write(tmp_path, SHARED_HEADER, SHARED_ROWS))
    assert got["time"].iloc[0] == pd.Timestamp("2021-04-01 12:00", tz="Asia/Shanghai")
    assert pd.isna(got["time"].iloc[1])
    assert got["published_class"].iloc[0] == 3 and pd.isna(got["published_class"].iloc[1])
    assert got.loc[0, "tn"] == 1.67 and np.isnan(got.loc[0, "chla_mg_l"])


def test_read_cnemc_realtime_gzip_gives_the_same_table(release_file: Path, tmp_path: Path) -> None:
    packed = tmp_path / "release.csv.gz"
    packed.write_bytes(gzip.compress(release_file.read_bytes()))
    pd.testing.assert_frame_equal(read_cnemc_realtime(packed), read_cnemc_realtime(release_file))


def test_read_cnemc_realtime_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, RELEASE_HEADER, [RELEASE_ROWS[0], "", RELEASE_ROWS[2]])
    assert list(read_cnemc_realtime(path)["line"]) == [2, 4]


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (RELEASE_HEADER, [RELEASE_ROWS[0], RELEASE_ROWS[2][:40]], r"line 3 has \d+"),
        (RELEASE_HEADER, [RELEASE_ROWS[0].replace(",Ⅰ,", ",III,")], "line 2: 'III'"),
        (RELEASE_HEADER, [RELEASE_ROWS[0].replace(",0.008,", ",0.0o8,")], "总磷|tp"),
        (RELEASE_HEADER, [RELEASE_ROWS[0].replace("04-01 08:00", "4/1 8:00")], "MM-DD HH:MM"),
        (RELEASE_HEADER.replace("溶解氧(mg/L)", "溶解氧(μg/L)"), RELEASE_ROWS, "unit 'μg/L'"),
        (RELEASE_HEADER.replace("总磷", "总磷酸盐"), RELEASE_ROWS, "unknown heading '总磷酸盐"),
        (
            RELEASE_HEADER.replace(",站点情况", ""),
            [r[: r.rfind(",")] for r in RELEASE_ROWS],
            "站点情况",
        ),
        (SHARED_HEADER, [SHARED_ROWS[0].replace("2021-04-01T12:00", "2021-04-31T12:00")], "line 2"),
    ],
)
def test_read_cnemc_realtime_malformed_files(tmp_path: Path, header, rows, message) -> None:
    path = write(tmp_path, header, rows)
    with pytest.raises(ValueError, match=message) as error:
        read_cnemc_realtime(path)
    assert str(path) in str(error.value)


def test_read_cnemc_realtime_names_line_and_column(tmp_path: Path) -> None:
    rows = [RELEASE_ROWS[0], RELEASE_ROWS[2].replace(",0.099,", ",n.d.,")]
    with pytest.raises(ValueError, match=r"column nh3n: not a number: line 3: 'n.d.'"):
        read_cnemc_realtime(write(tmp_path, RELEASE_HEADER, rows))


def test_read_cnemc_realtime_damaged_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(RELEASE_HEADER.encode() * 20)[:40])
    with pytest.raises(ValueError, match="damaged gzip"):
        read_cnemc_realtime(broken)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(RELEASE_HEADER.encode("gbk") + b"\n")
    with pytest.raises(ValueError, match="not UTF-8"):
        read_cnemc_realtime(latin)


@pytest.mark.real_data
def test_read_cnemc_realtime_shared_files(shared_dir: Path) -> None:
    """Counts of shared/data/water/README.md: rows, markers and the published classes."""
    folder = shared_dir / "data/water"
    by_section = read_cnemc_realtime(folder / "cnemc_realtime_202104_by_section.csv.gz")
    assert len(by_section) == 41_911
    counts = by_section["published_class"].value_counts().sort_index()
    assert counts.tolist() == [4470, 17359, 10495, 4560, 1024, 1074]  # Ⅰ … 劣Ⅴ
    assert by_section["published_class"].isna().sum() == 2927 + 2  # '*' and '-'
    assert by_section["time"].isna().sum() == 790
    daily = read_cnemc_realtime(folder / "cnemc_realtime_daily_202005_202104.csv.gz")
    assert len(daily) == 35_946
    assert daily["published_class"].isna().sum() == 12_117 + 77
    assert daily["value_notes"].str.count("极值过滤").sum() == 2_861
    assert daily["tp_raw"].notna().sum() == 35_946 - 15_144
    assert set(daily["site_status"]) == {"正常", "维护", "停站"}
