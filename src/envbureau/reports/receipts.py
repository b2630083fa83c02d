"""``figures.json``: the receipt of every number a report printed, and what it was built from.

``envbureau report explain`` and the web console read it back to show where a figure came from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from envbureau import __version__
from envbureau.core.clock import local_now
from envbureau.core.config import get_settings
from envbureau.reports.builder import Report

FIGURES_FILE = "figures.json"


def write_figures(report: Report, path: Path) -> Path:
    payload: dict[str, Any] = {
        "report": {
            "title": report.document.title,
            "kind": "half_year",
            "period": report.period.code,
            "period_label": report.period.label,
            "area_code": report.area_code,
            "template": report.template,
            "generated_at": local_now(get_settings().tz).isoformat(timespec="seconds"),
            "envbureau_version": __version__,
            "warnings": report.book.warnings,
        },
        "figures": [f.as_dict() for f in report.book.figures],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), "utf-8")
    return path


def read_figures(folder: Path) -> dict[str, Any]:
    path = folder / FIGURES_FILE if folder.is_dir() else folder
    return json.loads(path.read_text("utf-8"))
