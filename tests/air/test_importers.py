"""Observation imports: rules with file/row/column, atomicity, idempotence, revisions."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.air.importers import StationImporter, import_observations
from envbureau.air.models import Observation
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.errors import RuleViolation, ValidationFailed
from envbureau.core.importing.runner import import_file
from envbureau.core.periods import parse

HEADER = "站点编码,时间,SO2,NO2,CO,O3,PM10,PM2.5\n"
GOOD = HEADER + "1001A,2026-03-01 01:00,8,30,0.6,50,70,40\n1002A,2026-03-01 01:00,9,31,0.7,52,,41\n"


def load(session: Session, text: str, name: str = "obs.csv", **kwargs):
    return import_observations(
        session, data=text.encode("gbk"), file_name=name, fmt="template", actor="tester", **kwargs
    )


def observation_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Observation))


def test_template_import_stores_utc_hour_ending(session: Session, stations) -> None:
    outcome, warnings = load(session, GOOD)
    assert outcome.result.created == 2 and warnings == []
    row = session.scalars(select(Observation).where(Observation.station_code == "1001A")).one()
    assert row.time_utc == datetime(2026, 2, 28, 17, 0)  # 01:00 Beijing = 17:00 UTC the day before
    assert (row.so2, row.co, row.pm25, row.revision, row.is_current) == (8, 0.6, 40, 1, True)
    missing = session.scalars(select(Observation).where(Observation.station_code == "1002A")).one()
    assert missing.pm10 is None


def test_same_file_twice_changes_nothing(session: Session, stations) -> None:
    load(session, GOOD)
    before = observation_count(session)
    outcome, _ = load(session, GOOD)
    assert (outcome.result.created, outcome.result.updated, outcome.result.unchanged) == (0, 0, 2)
    assert observation_count(session) == before


def test_corrected_value_becomes_new_revision_and_old_is_kept(session: Session, stations) -> None:
    load(session, GOOD)
    outcome, _ = load(
        session,
        GOOD.replace("1001A,2026-03-01 01:00,8,", "1001A,2026-03-01 01:00,9,"),
        name="更正.csv",
    )
    assert (outcome.result.created, outcome.result.updated) == (0, 1)
    rows = session.scalars(
        select(Observation)
        .where(Observation.station_code == "1001A")
        .order_by(Observation.revision)
    ).all()
    assert [(r.so2, r.revision, r.is_current) for r in rows] == [(8, 1, False), (9, 2, True)]
    assert rows[1].reason == "导入 更正.csv"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "air_observation")
    ).one()
    assert entry.before["so2"] == 8 and entry.after["so2"] == 9


def test_bad_values_reported_with_row_and_column_nothing_written(
    session: Session, stations
) -> None:
    bad = HEADER + (
        "1001A,2026-03-01 01:00,-3,30,0.6,50,70,40\n"  # row 2: negative SO2
        "1009Z,2026-03-01 01:00,8,30,0.6,50,70,40\n"  # row 3: unknown station
        "1002A,2026-03-01 01:00,8,30,0.6,50,70,40\n"
        "1002A,2026-03-01 01:00,8,30,0.6,50,70,41\n"  # row 5: same hour, other value
        "1001A,2026-03-01 02:00,8,30,0.6,9999,70,40\n"  # row 6: implausible O3
        "1001A,2026-13-01 03:00,8,30,0.6,50,70,40\n"  # row 7: bad time
    )
    with pytest.raises(ValidationFailed) as info:
        load(session, bad, name="坏.csv")
    found = {(d.loc[1], d.code) for d in info.value.details}
    assert {
        ("2", "value.negative"),
        ("3", "air.station_unknown"),
        ("5", "row.duplicate_conflict"),
        ("6", "value.implausible"),
        (7, "value.invalid"),
    } <= found
    negative = next(d for d in info.value.details if d.code == "value.negative")
    assert negative.loc == ("坏.csv", "2", "1001A/SO2") and negative.value == "-3"
    assert observation_count(session) == 0


def test_co_in_micrograms_is_an_error_not_a_conversion(session: Session, stations) -> None:
    text = HEADER + "".join(
        f"1001A,2026-03-01 {h:02d}:00,8,30,{600 + h},50,70,40\n" for h in range(1, 6)
    )
    with pytest.raises(ValidationFailed) as info:
        load(session, text)
    assert [d.code for d in info.value.details] == ["co.unit"]
    assert "μg/m³" in info.value.details[0].msg


def test_pm25_above_pm10_imported_but_flagged(session: Session, stations) -> None:
    outcome, warnings = load(session, HEADER + "1001A,2026-03-01 01:00,8,30,0.6,50,70,90\n")
    assert outcome.result.created == 1
    assert [(w.code, w.loc[2], w.value) for w in warnings] == [
        ("pm25.above_pm10", "1001A/PM2.5", "90>70")
    ]


def test_hours_outside_the_period_refused(session: Session, stations) -> None:
    text = (
        HEADER
        + "1001A,2026-03-01 00:00,8,30,0.6,50,70,40\n1001A,2026-03-01 01:00,8,30,0.6,50,70,40\n"
    )
    with pytest.raises(ValidationFailed) as info:
        load(session, text, period=parse("2026-03"))
    # Hour-ending 00:00 on 1 March is the last hour of 28 February.
    assert [(d.loc[1], d.code) for d in info.value.details] == [("2", "time.outside_period")]


def test_dry_run_writes_nothing(session: Session, stations) -> None:
    outcome, _ = load(session, GOOD, dry_run=True)
    assert outcome.result.created == 2 and observation_count(session) == 0


def test_china_sites_import_limited_to_stations(session: Session, stations, tmp_path) -> None:
    text = (
        "date,hour,type,1001A,1002A,9999A\n"
        "20190101,0,AQI,50,60,70\n20190101,0,PM2.5,30,40,50\n20190101,0,CO,0.5,0.6,0.7\n"
    )
    data = gzip.compress(text.encode())
    outcome, _ = import_observations(
        session,
        data=data,
        file_name="china_sites_20190101.csv.gz",
        fmt="china-sites",
        actor="t",
        stations={"1001A", "1002A"},
    )
    assert outcome.result.created == 2
    with pytest.raises(ValidationFailed) as info:
        import_observations(session, data=data, file_name="c.csv.gz", fmt="china-sites", actor="t")
    assert [(d.code, d.value) for d in info.value.details] == [("air.station_unknown", "9999A")]


def test_china_sites_malformed_file_is_a_clear_error(session: Session, stations) -> None:
    with pytest.raises(RuleViolation, match="china_sites") as info:
        import_observations(
            session,
            data=b"date,hour,kind,1001A\n1,2,3,4\n",
            file_name="x.csv",
            fmt="china-sites",
            actor="t",
        )
    assert info.value.details[0].loc == ("x.csv",)


@pytest.mark.real_data
def test_real_files_import_stations_and_beijing_hours(session: Session, shared_dir: Path) -> None:
    sites = shared_dir / "data/china-sites/site_list.csv"
    assert import_file(session, StationImporter(), sites, actor="t").result.created == 1600
    day = shared_dir / "data/china-sites/national-2019-01/china_sites_20190101.csv.gz"
    beijing = {f"10{i:02d}A" for i in range(1, 13)}
    outcome, _ = import_observations(
        session,
        data=day.read_bytes(),
        file_name=day.name,
        fmt="china-sites",
        actor="t",
        stations=beijing,
    )
    wide = pd.read_csv(day, dtype={"date": str})
    published = wide.melt(id_vars=["date", "hour", "type"], value_vars=sorted(beijing)).dropna()
    assert outcome.result.created == len(published.groupby(["variable", "hour"]))
    prsa = shared_dir / "data/beijing-multisite/PRSA_Data_Dongsi_20130301-20170228.csv.gz"
    outcome, _ = import_observations(
        session, data=prsa.read_bytes(), file_name=prsa.name, fmt="prsa", actor="t"
    )
    assert outcome.result.created == 35064
    co = session.scalar(
        select(func.avg(Observation.co)).where(
            Observation.station_code == "1003A", Observation.time_utc < datetime(2017, 3, 1)
        )
    )
    assert 0.5 < co < 3.0  # mg/m³ after the declared conversion
