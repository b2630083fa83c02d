"""Water sections and samples: imports with row/column errors, revisions, period classes,
and the 治水 indicators with their sections as provenance."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envbureau.core.errors import ValidationFailed
from envbureau.core.importing.runner import run_import
from envbureau.core.indicators import service as indicators_service
from envbureau.core.periods import parse
from envbureau.water import service
from envbureau.water.importers import SectionImporter, import_samples
from envbureau.water.models import Sample, Section

SECTIONS = (
    "断面编码,断面名称,水体类型,区划代码,控制级别,水功能区目标,水十条考核目标,饮用水源地,水源地级别,消劣清单\n"
    "R1,一号河,河流,990102,省控,3,3,否,,\n"
    "R2,二号河,河流,990121,市控,4,,否,,市控\n"
    "K1,水库,水库,990121,国控,2,2.0,是,市级,\n"
)
HEADER = "断面编码,监测时间,pH,溶解氧,高锰酸盐指数,氨氮,总磷,汞\n"


@pytest.fixture
def sections(session: Session, city) -> None:
    run_import(
        session, SectionImporter(), data=SECTIONS.encode("gbk"), file_name="断面.csv", actor="t"
    )


def samples(session: Session, text: str, name: str = "样品.csv"):
    return import_samples(session, data=(HEADER + text).encode("gbk"), file_name=name, actor="t")


GOOD = (
    "R1,2026-01-10 10:00,7.5,6.5,3.5,0.40,0.08,0.00004L\n"  # all within Ⅱ
    "R1,2026-02-10 10:00,7.6,6.1,3.9,1.20,0.10,0.00004L\n"  # NH3-N 1.2 → Ⅳ
    "R2,2026-01-10 10:00,7.1,1.5,8.0,2.60,0.50,\n"  # DO 1.5 < 2 → 劣Ⅴ; NH3-N 2.6 > 2 → 劣Ⅴ
    "K1,2026-01-10 10:00,7.9,7.0,2.1,0.20,0.03,\n"  # TP 0.03: river Ⅱ, reservoir Ⅲ
)


def test_section_import_keeps_targets_and_lists(session: Session, sections) -> None:
    k1 = session.get(Section, "K1")
    assert (k1.kind, k1.target_class, k1.assessment_target_class) == ("reservoir", 2, 2)
    assert k1.drinking_source and k1.source_level == "city"
    assert session.get(Section, "R2").elimination_level == "city"


def test_sample_import_reads_below_detection_and_is_idempotent(session: Session, sections) -> None:
    assert samples(session, GOOD).result.created == 4
    first = session.scalars(
        select(Sample).where(Sample.section_code == "R1").order_by(Sample.time_utc)
    ).first()
    assert first.values["hg"] == 0.00004 and first.below_detection == ["hg"]
    assert first.time_utc == datetime(2026, 1, 10, 2, 0)  # 10:00 Beijing
    again = samples(session, GOOD)
    assert (again.result.created, again.result.updated) == (0, 0)
    changed = samples(
        session,
        GOOD.replace(
            "R1,2026-01-10 10:00,7.5,6.5,3.5,0.40", "R1,2026-01-10 10:00,7.5,6.5,3.5,0.45"
        ),
    )
    assert changed.result.updated == 1
    assert (
        session.scalar(select(func.count()).select_from(Sample).where(Sample.section_code == "R1"))
        == 3
    )  # the old revision is kept


def test_sample_errors_named_by_row_and_column_nothing_written(session: Session, sections) -> None:
    bad = (
        "R1,2026-01-10 10:00,7.5,-1,3.5,0.40,0.08,\n"  # row 2: negative DO
        "R9,2026-01-10 10:00,7.5,6.5,3.5,0.40,0.08,\n"  # row 3: unknown section
        "R1,2026-02-10 10:00,7.5,6.5,3.5,abc,0.08,\n"  # row 4: not a number
        "R1,2026-03-10 10:00,7.5,6.5,3.5,0.40,0.08,0.5\n"  # row 5: Hg 0.5 mg/L: unit
        "R1,2026-04-10 10:00,15,6.5,3.5,0.40,0.08,\n"
    )  # row 6: pH above 14
    with pytest.raises(ValidationFailed) as info:
        samples(session, bad, name="坏.csv")
    found = {(d.loc[1], d.loc[2], d.code) for d in info.value.details}
    assert found == {
        (2, "溶解氧", "value.negative"),
        (3, "断面编码", "water.section_unknown"),
        (4, "氨氮", "value.invalid"),
        (5, "汞", "value.unit"),
        (6, "pH", "value.unit"),
    }
    assert session.scalar(select(func.count()).select_from(Sample)) == 0


def test_period_classes_use_each_sections_limits(session: Session, sections) -> None:
    samples(session, GOOD)
    frame = service.evaluate_sections(
        session=session,
        area_code="990100",
        first_day=parse("2026H1").start,
        last_day=parse("2026H1").end,
    )
    classes = dict(zip(frame["code"], frame["water_class"], strict=True))
    # R1: mean of the monthly means, NH3-N (0.40 + 1.20) / 2 = 0.80 → Ⅲ; TP 0.09 → Ⅱ.
    assert classes == {"R1": 3, "R2": 6, "K1": 3}
    k1 = frame.set_index("code").loc["K1"]
    assert k1["limiting_items"] == "tp"  # reservoir TP limits: 0.03 > 0.025 → Ⅲ


def test_water_indicators_with_sections_as_provenance(session: Session, sections) -> None:
    samples(session, GOOD)
    h1 = parse("2026H1")

    def value(indicator: str):  # type: ignore[no-untyped-def]
        return indicators_service.compute(
            session=session, indicator_id=indicator, period=h1, area_code="990100"
        )

    share = value("water.share_class_i_iii")
    assert share.value == pytest.approx(200 / 3) and share.inputs["passing"] == ["K1", "R1"]
    assert value("water.inferior_v_sections").value == 1
    assert value("water.inferior_v_eliminated").value == 0  # R2 is still 劣Ⅴ
    zone = value("water.function_zone_compliance_rate")  # R1 Ⅲ≤3 yes; R2 劣Ⅴ>4 no; K1 Ⅲ>2 no
    assert zone.value == pytest.approx(100 / 3) and zone.coverage["expected"] == 3
    assessment = value("water.assessment_compliance_rate")  # R1 yes, K1 no
    assert assessment.value == 50.0 and assessment.inputs["sections"] == ["K1", "R1"]
    drinking = value("water.drinking_source_compliance_rate")
    assert drinking.value == 100.0 and drinking.inputs["sections"] == ["K1"]
    district = indicators_service.compute(
        session=session, indicator_id="water.share_class_i_iii", period=h1, area_code="990102"
    )
    assert district.value == 100.0 and district.inputs["sections"] == ["R1"]


def test_no_samples_is_insufficient(session: Session, sections) -> None:
    row = indicators_service.compute(
        session=session,
        indicator_id="water.share_class_i_iii",
        period=parse("2026H1"),
        area_code="990100",
    )
    assert row.value is None and "没有断面监测数据" in row.reason


def test_cross_boundary_grade_is_reported_by_its_name(session: Session, sections) -> None:
    session.get(Section, "R1").cross_boundary = True
    session.get(Section, "R2").cross_boundary = True
    samples(session, GOOD)
    h1 = parse("2026H1")
    data = indicators_service.explain(
        session=session, indicator_id="water.cross_boundary_grade", period=h1, area_code="990100"
    )
    # R1 Ⅲ meets target 3 (no base year) → 优秀; R2 劣Ⅴ two below target 4 → 不合格.
    assert data["inputs"]["grades"] == {"R1": "优秀", "R2": "不合格"}
    assert data["value"] == 4 and data["value_reported"] == "不合格"
    district = indicators_service.explain(
        session=session, indicator_id="water.cross_boundary_grade", period=h1, area_code="990102"
    )
    assert district["value_reported"] == "优秀"


def test_drift_warnings_flag_a_section_over_its_target(session: Session, sections) -> None:
    samples(session, GOOD)
    warnings = service.drift_warnings(
        session=session, area_code="990100", as_of=parse("2026-02").end
    )  # December to February
    flagged = dict(zip(warnings["code"], warnings["flags"], strict=True))
    assert flagged == {"R2": ["不达标"], "K1": ["不达标"]}  # 劣Ⅴ vs Ⅳ; Ⅲ (lake TP) vs Ⅱ
    empty = service.drift_warnings(session=session, area_code="990100", as_of=parse("2026-06").end)
    assert empty.empty  # no samples in April to June


def test_drinking_source_rate_by_population(session: Session, sections) -> None:
    session.get(Section, "K1").population_served = 300_000
    r2 = session.get(Section, "R2")
    r2.drinking_source, r2.source_level, r2.population_served = True, "county", 100_000
    samples(session, GOOD)
    row = indicators_service.compute(
        session=session,
        indicator_id="water.drinking_source_compliance_rate",
        period=parse("2026H1"),
        area_code="990100",
    )
    assert row.value == 50.0  # K1 complies, R2 (劣Ⅴ) does not
    assert row.details["population_share"] == 75.0  # 300,000 of 400,000 people
    zones = indicators_service.compute(
        session=session,
        indicator_id="water.function_zone_compliance_rate",
        period=parse("2026H1"),
        area_code="990100",
    )
    assert "population_share" not in zones.details  # a share by people only for sources


def test_cross_boundary_grade_follows_the_provinces_rule_file(
    session: Session, sections, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from envbureau.core.config import get_settings
    from envbureau.core.errors import ConfigError
    from envbureau.water.cross_boundary import GRADES

    session.get(Section, "R2").cross_boundary = True
    samples(session, GOOD)
    lenient = tmp_path / "本省交接断面考核办法.json"
    # A province that passes a section up to two classes below its target, paying 50 万元 a class.
    lenient.write_text(
        '[{"grade": "合格", "max_classes_below_target": 2, "not_worse_than_last_year": false,'
        ' "compensation_per_class": 50},'
        ' {"grade": "不合格", "max_classes_below_target": 6, "not_worse_than_last_year": false,'
        ' "compensation_per_class": 100}]',
        encoding="utf-8",
    )
    monkeypatch.setenv("ENVBUREAU_WATER_CROSS_BOUNDARY_RULES", str(lenient))
    get_settings.cache_clear()
    try:
        row = indicators_service.compute(
            session=session,
            indicator_id="water.cross_boundary_grade",
            period=parse("2026H1"),
            area_code="990100",
        )
        # R2 劣Ⅴ (6) against target Ⅳ (4): two classes below → 合格 under this table
        assert GRADES[int(row.value) - 1] == "合格"
        assert row.details["compensation_wan_yuan"] == 100.0
        assert "本省交接断面考核办法.json" in row.details["rule"]
        lenient.write_text('[{"grade": "满分"}]', encoding="utf-8")
        with pytest.raises(ConfigError, match="交接断面考核规则表无法读取"):
            indicators_service.compute(
                session=session,
                indicator_id="water.cross_boundary_grade",
                period=parse("2026H1"),
                area_code="990100",
            )
    finally:
        monkeypatch.delenv("ENVBUREAU_WATER_CROSS_BOUNDARY_RULES")
        get_settings.cache_clear()
