"""劣Ⅴ elimination progress per level, lake/reservoir trophic state, and the national release
imported into the database."""

from __future__ import annotations

import gzip

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.errors import ValidationFailed
from envbureau.core.importing.runner import run_import
from envbureau.core.indicators import service as indicators_service
from envbureau.core.periods import parse
from envbureau.standards.gb3838_tli import tli_gb3838
from envbureau.water.importers import SectionImporter, import_samples
from envbureau.water.models import Sample, Section
from envbureau.water.release_import import import_release
from envbureau.water.trophic import trophic_states

SECTIONS = (
    "断面编码,断面名称,水体类型,区划代码,控制级别,消劣清单\n"
    "P1,省控甲,河流,990102,省控,省控\n"  # left 劣Ⅴ in 2025: to be held
    "P2,省控乙,河流,990102,省控,省控\n"  # due in 2026, eliminated
    "P3,省控丙,河流,990121,省控,省控\n"  # due in 2026, still 劣Ⅴ
    "C1,市控甲,河流,990121,市控,市控\n"  # due (no 2025 data), eliminated
    "K1,一号水库,水库,990121,市控,\n"
)
HEADER = "断面编码,监测时间,溶解氧,氨氮,总磷,总氮,高锰酸盐指数,叶绿素a,透明度\n"
SAMPLES = (
    "P1,2025-06-10 10:00,6.0,1.2,0.2,,,,\n"  # 2025 Ⅳ
    "P2,2025-06-10 10:00,6.0,2.5,0.2,,,,\n"  # 2025 劣Ⅴ (NH3-N > 2)
    "P3,2025-06-10 10:00,6.0,2.5,0.2,,,,\n"
    "P1,2026-03-10 10:00,6.0,1.2,0.2,,,,\n"
    "P2,2026-03-10 10:00,6.0,1.8,0.2,,,,\n"  # Ⅴ
    "P3,2026-03-10 10:00,6.0,2.2,0.2,,,,\n"  # 劣Ⅴ
    "C1,2026-03-10 10:00,6.0,0.9,0.2,,,,\n"  # Ⅲ
    # K1: chla 10 mg/m³, TP 0.05, TN 1.0, SD 1.0 m, CODMn 4 — two months, means of the months.
    "K1,2026-03-10 10:00,7.0,0.3,0.04,0.8,3.0,8.0,1.2\n"
    "K1,2026-04-10 10:00,7.0,0.3,0.06,1.2,5.0,12.0,0.8\n"
)


@pytest.fixture
def loaded(session: Session, city) -> None:
    run_import(session, SectionImporter(), data=SECTIONS.encode(), file_name="断面.csv", actor="t")
    import_samples(session, data=(HEADER + SAMPLES).encode(), file_name="样品.csv", actor="t")


def value(session: Session, indicator: str):  # type: ignore[no-untyped-def]
    return indicators_service.compute(
        session=session, indicator_id=indicator, period=parse("2026H1"), area_code="990100"
    )


def test_elimination_progress_by_level(session: Session, loaded) -> None:
    counts = {
        f"{status}_{level}": value(session, f"water.inferior_v_{status}_{level}").value
        for status in ("consolidated", "due", "eliminated", "remaining")
        for level in ("provincial", "city")
    }
    assert counts == {
        "consolidated_provincial": 1,
        "consolidated_city": 0,
        "due_provincial": 2,
        "due_city": 1,
        "eliminated_provincial": 1,
        "eliminated_city": 1,
        "remaining_provincial": 1,
        "remaining_city": 0,
    }
    total = value(session, "water.inferior_v_eliminated")
    assert total.value == 2 and sorted(total.inputs["sections"]) == ["C1", "P2"]
    assert total.inputs["last_year_classes"]["P1"] == "Ⅳ"


def test_elimination_without_listed_sections_is_insufficient(session: Session, city) -> None:
    row = value(session, "water.inferior_v_due_city")
    assert row.value is None and "消劣清单" in row.reason


def test_trophic_state_from_monthly_means(session: Session, loaded) -> None:
    frame = trophic_states(
        session=session,
        area_code="990100",
        first_day=parse("2026H1").start,
        last_day=parse("2026H1").end,
    ).set_index("code")
    assert list(frame.index) == ["K1"]  # rivers have no trophic state
    expected = tli_gb3838([10.0], [0.05], [1.0], [1.0], [4.0])
    assert frame.at["K1", "tli"] == pytest.approx(expected["tli"].iloc[0])
    assert frame.at["K1", "trophic_state"] == expected["trophic_state"].iloc[0]
    assert frame.at["K1", "missing"] == []


def test_trophic_state_names_missing_parameters(session: Session, city) -> None:
    run_import(session, SectionImporter(), data=SECTIONS.encode(), file_name="断面.csv", actor="t")
    import_samples(
        session,
        data=(HEADER + "K1,2026-03-10 10:00,7.0,0.3,0.04,0.8,3.0,8.0,\n").encode(),
        file_name="样品.csv",
        actor="t",
    )
    frame = trophic_states(
        session=session,
        area_code="990100",
        first_day=parse("2026H1").start,
        last_day=parse("2026H1").end,
    )
    assert frame.loc[0, "missing"] == ["sd"] and frame["tli"].isna().all()


def test_secchi_depth_in_centimetres_is_refused(session: Session, loaded) -> None:
    with pytest.raises(ValidationFailed) as info:
        import_samples(
            session,
            data=(HEADER + "K1,2026-05-10 10:00,7.0,0.3,0.04,0.8,3.0,8.0,120\n").encode(),
            file_name="透明度.csv",
            actor="t",
        )
    (detail,) = info.value.details
    assert detail.loc == ("透明度.csv", 2, "透明度") and detail.code == "value.unit"


RELEASE = (
    "省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),"
    "浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),"
    "藻密度(cells/L),站点情况\n"
)


def release_line(section: str, time: str, nh3n: str = "0.30", province: str = "浙江省") -> str:
    return f"{province},长江流域,{section},{time},Ⅱ,18.2,7.6,8.1,300,5,2.1,{nh3n},0.05,*,*,*,正常\n"


def test_release_in_its_own_format_needs_the_year(session: Session, loaded) -> None:
    text = RELEASE + release_line("省控甲", "04-01 00:00") + release_line("省控甲", "04-01 04:00")
    text += release_line("别处断面", "04-01 00:00")  # another section of the release
    data = gzip.compress(text.encode())
    with pytest.raises(ValidationFailed) as info:
        import_release(session, data=data, file_name="release.csv.gz", actor="t")
    assert info.value.details[0].code == "release.year_missing"
    done = import_release(session, data=data, file_name="release.csv.gz", actor="t", year=2021)
    assert (done.outcome.result.created, done.skipped_rows) == (2, 1)


def test_release_import_with_dates_is_idempotent_and_registers_on_request(
    session: Session, loaded
) -> None:
    header = "province,basin,section,monitor_time,datetime,water_class,water_temp_C,pH,DO_mg_L,"
    header += "conductivity_uS_cm,turbidity_NTU,CODMn_mg_L,NH3N_mg_L,TP_mg_L,TN_mg_L,chla_mg_L,"
    header += "algae_density_cells_L,site_status\n"

    def line(section: str, hour: str, nh3n: str = "0.3") -> str:
        return (
            f"浙江省,长江流域,{section},04-01 {hour},2021-04-01T{hour},Ⅱ,18,7.6,8.1,300,5,"
            f"2.1,{nh3n},0.05,*,*,*,正常\n"
        )

    text = header + line("省控甲", "00:00") + line("省控甲", "04:00") + line("别处断面", "00:00")
    text += line("省控甲", "04:00")  # exact repeat: kept once
    done = import_release(session, data=text.encode(), file_name="r.csv", actor="t")
    assert (done.outcome.result.created, done.skipped_rows, done.matched_sections) == (2, 1, 1)
    sample = session.scalar(
        select(Sample).where(Sample.section_code == "P1").order_by(Sample.time_utc)
    )
    assert sample.values == {
        "water_temp": 18.0,
        "ph": 7.6,
        "do": 8.1,
        "codmn": 2.1,
        "nh3n": 0.3,
        "tp": 0.05,
    }
    again = import_release(session, data=text.encode(), file_name="r.csv", actor="t")
    assert again.outcome.result.created == 0 and not again.outcome.changed

    registered = import_release(
        session, data=text.encode(), file_name="r.csv", actor="t", register=True
    )
    section = session.scalar(select(Section).where(Section.name == "别处断面"))
    assert registered.registered == 1 and section.control_level == "national"
    assert (
        session.scalar(
            select(func.count()).select_from(Sample).where(Sample.section_code == section.code)
        )
        == 1
    )


def test_release_conflicting_readings_are_refused_whole(session: Session, loaded) -> None:
    header = "province,basin,section,monitor_time,datetime,water_class,water_temp_C,pH,DO_mg_L,"
    header += "conductivity_uS_cm,turbidity_NTU,CODMn_mg_L,NH3N_mg_L,TP_mg_L,TN_mg_L,chla_mg_L,"
    header += "algae_density_cells_L,site_status\n"
    rows = [
        "浙江省,长江流域,省控甲,04-01 00:00,2021-04-01T00:00,Ⅱ,18,7.6,8.1,300,5,2.1,0.3,0.05,*,*,*,正常",
        "浙江省,长江流域,省控甲,04-01 00:00,2021-04-01T00:00,Ⅱ,18,7.6,8.1,300,5,2.1,0.9,0.05,*,*,*,正常",
    ]
    before = session.scalar(select(func.count()).select_from(Sample))
    with pytest.raises(ValidationFailed) as info:
        import_release(
            session, data=(header + "\n".join(rows) + "\n").encode(), file_name="r.csv", actor="t"
        )
    assert {(d.loc[1], d.code) for d in info.value.details} == {
        (2, "water.duplicate_sample"),
        (3, "water.duplicate_sample"),
    }
    assert session.scalar(select(func.count()).select_from(Sample)) == before


@pytest.mark.real_data
def test_real_release_imports_a_provinces_sections(session: Session, city, shared_dir) -> None:
    path = shared_dir / "data/water/cnemc_realtime_202104_by_section.csv.gz"
    kwargs = {"data": path.read_bytes(), "file_name": path.name, "actor": "t"}
    with pytest.raises(ValidationFailed) as info:
        import_release(session, **kwargs, province="浙江省", register=True)
    # The release holds two different stations named 汪家埠 (太湖流域): their readings at the
    # same hours disagree, so the file is refused unless those readings are left out.
    assert all(d.code == "water.duplicate_sample" for d in info.value.details)
    assert any("汪家埠" in d.msg for d in info.value.details)
    assert session.scalar(select(func.count()).select_from(Section)) == 0
    done = import_release(session, **kwargs, province="浙江省", register=True, skip_conflicts=True)
    assert done.registered == 102 and done.outcome.result.created > 1000
    # Measured: 173 readings of same-named stations disagree (of the province's 102 names).
    assert done.skipped_rows == 0 and done.conflicting_rows == 173
