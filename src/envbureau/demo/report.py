"""The demo's last step: the 2026 first-half work report of 示范市, written to the output folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine

from envbureau.core.db import session_scope
from envbureau.demo import CITY_CODE
from envbureau.reports.builder import build_half_year
from envbureau.reports.outputs import write_report

REPORT_YEAR, REPORT_HALF = 2026, 1


def write_demo_report(
    engine: Engine, out_dir: Path, progress: Callable[[str, int, int], None]
) -> tuple[dict[str, Path], list[str]]:
    """Write every format of the report; return the files and the report's data warnings."""
    with session_scope(engine) as session:
        progress("生成工作报告", 0, 1)
        report = build_half_year(session, year=REPORT_YEAR, half=REPORT_HALF, area_code=CITY_CODE)
        written = write_report(
            session, report, out_dir, progress=lambda step: progress(f"生成工作报告：{step}", 0, 1)
        )
        progress("生成工作报告", 1, 1)
    return written, report.book.warnings
