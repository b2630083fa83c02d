"""``envbureau worklog`` end to end on a fresh database: import, list, plans, edit, template."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from envbureau.cli import app
from envbureau.core.accounts.models import AuditEntry
from envbureau.core.config import get_settings
from envbureau.core.db import make_engine, session_scope
from factories.worklog import PLAN_HEADER, PLANS, RECORD_HEADER, RECORDS

Invoke = Callable[..., Result]

AREAS = (
    "区划代码,名称,级别,上级代码\n"
    "990100,测试市,市,\n"
    "990102,甲区,区县,990100\n"
    "990121,乙县,区县,990100\n"
    "990102001,甲一镇,乡镇,990102\n"
)
UNITS = "单位代码,单位名称,类型\nEEB-AIR,大气环境科,科室\nEEB-WATER,水生态环境科,科室\n"


@pytest.fixture
def worklog_cli(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Invoke]:
    """The command on a migrated database holding 测试市's areas and two offices."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVBUREAU_DATABASE_URL", fresh_database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args))

    assert invoke("db", "upgrade").exit_code == 0
    (tmp_path / "areas.csv").write_text(AREAS, encoding="utf-8")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    assert invoke("areas", "import", "areas.csv").exit_code == 0
    assert invoke("areas", "import-units", "units.csv").exit_code == 0
    yield invoke
    get_settings.cache_clear()


def write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8-sig")
    return str(folder / name)


def test_import_then_again_changes_nothing(worklog_cli: Invoke, tmp_path: Path) -> None:
    path = write(tmp_path, "台账.csv", RECORD_HEADER + RECORDS)
    dry = worklog_cli("worklog", "import", path, "--dry-run")
    assert dry.exit_code == 0 and "试导入（未写入）" in dry.output and "新增 3" in dry.output
    assert json.loads(worklog_cli("worklog", "list", "--json").output) == []
    first = worklog_cli("worklog", "import", path)
    assert first.exit_code == 0 and "新增 3" in first.output, first.output
    second = worklog_cli("worklog", "import", path)
    assert second.exit_code == 0 and "未作任何更改" in second.output


def test_bad_file_names_row_and_column_and_exits_2(worklog_cli: Invoke, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "坏台账.csv",
        RECORD_HEADER
        + "2026-03-16,治气,专项行动,VOCs,完成{完成家数}家,完成家数=137,,990100,,\n"
        + "2026-03-17,治气,专项行动,扬尘,检查工地,,,990199,,\n",
    )
    result = worklog_cli("worklog", "import", path)
    assert result.exit_code == 2
    assert "坏台账.csv / 2 / 数量" in result.output and "quantity.no_unit" in result.output
    assert "坏台账.csv / 3 / 区划代码" in result.output and "area.unknown" in result.output
    assert "未写入任何数据" in result.output
    assert json.loads(worklog_cli("worklog", "list", "--json").output) == []


def test_list_filters_and_renders_quantities(worklog_cli: Invoke, tmp_path: Path) -> None:
    worklog_cli("worklog", "import", write(tmp_path, "台账.csv", RECORD_HEADER + RECORDS))
    rows = json.loads(worklog_cli("worklog", "list", "--theme", "治气", "--json").output)
    assert [r["title"] for r in rows] == ["大气方案", "VOCs整治"]
    assert rows[1]["rendered"] == "完成VOCs整治企业137家、涉及9个行业"
    assert rows[1]["quantities"][0] == {"name": "完成家数", "value": 137, "unit": "家"}
    district = json.loads(
        worklog_cli(
            "worklog", "list", "--area", "990102", "--from", "2026-04-01", "--to", "2026-04-30",
            "--json",
        ).output
    )  # fmt: skip
    assert [r["title"] for r in district] == ["水源保护"]
    table = worklog_cli("worklog", "list", "--to", "2026-01-31")
    assert table.exit_code == 0 and "大气方案" in table.output and "共 1 条" in table.output
    bad = worklog_cli("worklog", "list", "--from", "1月1日")
    assert bad.exit_code == 2 and "--from 应为日期" in bad.output


def test_plans_listed_in_report_order(worklog_cli: Invoke, tmp_path: Path) -> None:
    path = write(tmp_path, "安排.csv", PLAN_HEADER + PLANS)
    assert worklog_cli("worklog", "import", path, "--plans").exit_code == 0
    rows = json.loads(worklog_cli("worklog", "plans", "--year", "2026", "--json").output)
    assert [(r["theme"], r["title"], r["indicator_id"]) for r in rows] == [
        ("quality", "臭氧防控", "air.good_day_rate"),
        ("publicity", "宣传三进", None),
    ]
    assert rows[1]["rendered"] == "组织宣传活动40场" and rows[0]["deadline"] == "2026-10-31"
    assert worklog_cli("worklog", "plans", "--year", "2025", "--json").output.strip() == "[]"


def test_edit_changes_one_field_and_is_audited(
    worklog_cli: Invoke, tmp_path: Path, fresh_database_url: str
) -> None:
    worklog_cli("worklog", "import", write(tmp_path, "台账.csv", RECORD_HEADER + RECORDS))
    rows = json.loads(worklog_cli("worklog", "list", "--theme", "air", "--json").output)
    ident = str(next(r["id"] for r in rows if r["title"] == "VOCs整治"))
    result = worklog_cli(
        "worklog", "edit", ident, "--field", "数量", "--value", "完成家数=140家; 行业数=9个",
        "--reason", "按月报更正", "--user", "李科长",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "已修改工作台账" in result.output and "数量" in result.output
    assert "完成VOCs整治企业140家" in result.output
    with session_scope(make_engine(fresh_database_url)) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "update").order_by(AuditEntry.id)
        ).all()[-1]
        assert (entry.actor, entry.reason, entry.entity_type) == (
            "李科长",
            "按月报更正",
            "work_record",
        )
        assert entry.before["quantities"][0]["value"] == 137
    refused = worklog_cli(
        "worklog", "edit", ident, "--field", "text", "--value", "完成{家数}家", "--reason", "r"
    )
    assert refused.exit_code == 2
    assert f"工作台账 {ident} / 报告表述" in refused.output
    missing = worklog_cli(
        "worklog", "edit", "9999", "--field", "标题", "--value", "x", "--reason", "r"
    )
    assert missing.exit_code == 2 and "worklog.record_unknown" in missing.output


def test_templates_have_chinese_headers(worklog_cli: Invoke, tmp_path: Path) -> None:
    for args, header in (([], RECORD_HEADER), (["--plans"], PLAN_HEADER)):
        out = tmp_path / f"模板{len(args)}.xlsx"
        result = worklog_cli("worklog", "template", str(out), *args)
        assert result.exit_code == 0 and "已生成模板" in result.output
        book = load_workbook(out)
        assert [c.value for c in book.worksheets[0][1]] == header.strip().split(",")
        assert book.sheetnames[1] == "填写说明"
