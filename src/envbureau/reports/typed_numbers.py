"""Numbers typed into a report's prose: each number must be a figure or staff-entered text.

A template (the package's or a bureau's own) that writes a number by hand breaks the promise
that every number can be traced, so the builder looks for digits outside figures and work
records. Dates and years, the names of standards (HJ 633-2012, GB 3095-2026) and pollutant
names (PM2.5, PM10, O3, SO2, NO2) are words, not figures.
"""

from __future__ import annotations

import re

from envbureau.reports.document import Document

NOT_FIGURES = re.compile(
    r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?"  # 2026年, 2026年3月1日
    r"|\d{1,2}月(?:\d{1,2}日)?(?:[底初中]|起|前|以来)?"  # 3月1日起, 6月底
    r"|\d{4}—\d{4}年"  # （2026—2030年）
    r"|(?:GB|HJ)(?:/T)?\s?\d+(?:\.\d+)?(?:-\d{4})?"  # standards
    r"|PM2\.5|PM10|O3|SO2|NO2|CO|Ⅰ～Ⅲ"
)
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def typed_numbers(document: Document) -> list[str]:
    """Each number in plain prose (not a figure, not staff text), with a little context."""
    found = []
    texts = [document.title] + [p.lead for p in document.paragraphs]
    for paragraph in document.paragraphs:
        texts.extend(r.text for r in paragraph.runs if not (r.figure or r.record or r.missing))
    for text in texts:
        rest = NOT_FIGURES.sub(" ", text)
        for match in DIGITS.finditer(rest):
            start = max(0, match.start() - 8)
            found.append(rest[start : match.end() + 8].strip())
    return found
