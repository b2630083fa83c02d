"""The air file tools from the command line: `air aqi` and `air evaluate` need no database."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from envbureau.cli import app

runner = CliRunner()


def test_air_aqi_daily_table_per_edition(tmp_path: Path) -> None:
    source = tmp_path / "daily.csv"
    source.write_text(
        "date,station,so2_24h,no2_24h,co_24h,pm10_24h,pm25_24h,o3_8h_max,o3_1h_max\n"
        "2026-02-28,A,5,10,0.5,60,70,50,60\n2026-03-01,A,5,10,0.5,60,70,50,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["air", "aqi", str(source), "--kind", "daily", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["aqi"].tolist() == [94, 110]  # PM2.5 70: HJ 633-2012 vs HJ 633-2026
    assert table["category"].tolist() == ["良", "轻度污染"]
    assert table["primary_pollutants"].tolist() == ["PM2.5", "PM2.5"]
    assert table["edition"].tolist() == [2012, 2026]
    assert {"iaqi_pm25_24h", "iaqi_o3_8h", "station"} <= set(table.columns)


def test_air_aqi_bad_cell_named_with_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "daily.csv"
    source.write_text("date,pm25_24h\n2026-02-28,-3\n2026-13-01,30\n", encoding="utf-8")
    result = runner.invoke(app, ["air", "aqi", str(source), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "daily.csv / 2 / pm25_24h" in result.output
    assert "daily.csv / 3 / date" in result.output


def test_air_evaluate_template_json(tmp_path: Path) -> None:
    hours = pd.date_range("2026-02-27 01:00", "2026-03-03 00:00", freq="h")
    source = tmp_path / "hours.csv"
    rows = [f"{s},{h:%Y-%m-%d %H:%M},5,10,0.5,50,60,70" for s in ("A", "B") for h in hours]
    source.write_text("站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5\n" + "\n".join(rows), encoding="gbk")
    result = runner.invoke(
        app,
        ["air", "evaluate", str(source), "--from", "2026-02-27", "--to", "2026-03-02", "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["good_day_rate"] == 50.0 and data["pm25"] == 70.0
    assert data["days_by_category"] == {
        "优": 0,
        "良": 2,
        "轻度污染": 2,
        "中度污染": 0,
        "重度污染": 0,
        "严重污染": 0,
    }
    assert data["coverage"]["valid_station_days"] == 8 and data["stations"] == ["A", "B"]


def test_air_evaluate_group_by_needs_sites(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "air",
            "evaluate",
            str(tmp_path / "x.csv"),
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--group-by",
            "city",
        ],
    )
    assert result.exit_code == 2 and "--sites" in result.output


@pytest.mark.real_data
def test_air_evaluate_seven_cities_2019_ranked(shared_dir: Path) -> None:
    folder = shared_dir / "data/china-sites"
    result = runner.invoke(
        app,
        [
            "air",
            "evaluate",
            str(folder / "china_sites_2019_7cities.csv.gz"),
            "--format",
            "china-sites",
            "--from",
            "2019-01-01",
            "--to",
            "2019-12-31",
            "--sites",
            str(folder / "site_list.csv"),
            "--group-by",
            "city",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    cities = {r["city"]: r for r in json.loads(result.output)}
    assert len(cities) == 7
    ranks = [r["rank"] for r in sorted(cities.values(), key=lambda r: r["composite_index"])]
    assert ranks == sorted(ranks) and ranks[0] == 1
    # Beijing's published 2019 annual PM2.5 was 42 μg/m³ (北京市2019年生态环境状况公报); the
    # national platform's real-time data, evaluated here, give the same figure.
    assert cities["北京"]["pm25"] == 42
    assert cities["石家庄"]["composite_index"] > cities["上海"]["composite_index"]


@pytest.mark.real_data
def test_air_aqi_china_sites_matches_published(shared_dir: Path, tmp_path: Path) -> None:
    day = shared_dir / "data/china-sites/national-2019-01/china_sites_20190115.csv.gz"
    out = tmp_path / "aqi.csv"
    result = runner.invoke(
        app, ["air", "aqi", str(day), "--format", "china-sites", "--kind", "hourly", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig").dropna(subset=["published_aqi"])
    assert (table["aqi"] == table["published_aqi"]).mean() >= 0.999
