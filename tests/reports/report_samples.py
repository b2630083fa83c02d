"""A small report built by hand for the renderer tests: every paragraph kind and one chart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from envbureau.reports import charts
from envbureau.reports.document import Chart, Document, Paragraph, Run

TITLE = "示范市生态环境局2026年上半年工作进展情况"
HEADING = "一、上半年工作进展情况"
LEAD = "（一）狠抓“治气”工作。"
SENTENCE = "上半年，全市环境空气质量优良天数比例为"
FIGURE = "85.3%"
MISSING = "【数据不足：PM2.5同比】"
CLOSING = "各项工作取得积极进展。"
ISSUER = "示范市生态环境局"
ISSUED_ON = date(2026, 7, 10)
CAPTION = "图1 各月优良天数比例"


def good_day_chart(folder: Path) -> Path:
    """The monthly good-day rate chart, March missing."""
    this_year = pd.Series([80.6, 75.0, np.nan, 88.2, 90.1, 85.0], index=range(1, 7))
    last_year = pd.Series(np.linspace(70, 90, 12), index=range(1, 13))
    path = folder / "good_day_rate.png"
    charts.monthly_comparison(
        this_year, last_year, title="各月优良天数比例", unit="%", path=path, target=85
    )
    return path


def sample_document(folder: Path) -> Document:
    """Title, a first-level heading, a paragraph with a lead, a figure and a missing figure."""
    return Document(
        title=TITLE,
        paragraphs=[
            Paragraph((Run("今年以来，我局积极践行绿色发展理念，聚焦短板，坚持治管并重。"),)),
            Paragraph((Run(HEADING),), style="heading1"),
            Paragraph(
                (
                    Run(SENTENCE),
                    Run(FIGURE, figure="air.good_day_rate"),
                    Run("，PM2.5平均浓度同比"),
                    Run(MISSING, missing=True),
                    Run("。" + CLOSING),
                ),
                lead=LEAD,
            ),
        ],
        issuer=ISSUER,
        issued_on=ISSUED_ON,
        charts=[Chart(good_day_chart(folder), CAPTION)],
    )
