"""Words staff write in water sheets for a class and a water body, and what they mean."""

from __future__ import annotations

from envbureau.standards import gb3838_tables as tables

#: Class cells: 1–6 (also as Excel saves a number, "3.0"), Ⅰ…劣Ⅴ with or without 类, and the
#: ASCII Roman numerals people type for them.
CLASS_WORDS: dict[str, str] = (
    {str(code): str(code) for code in range(1, 7)}
    | {f"{code}.0": str(code) for code in range(1, 7)}
    | {w: str(c) for c, label in enumerate(tables.CLASS_LABELS, 1) for w in (label, f"{label}类")}
    | {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "劣V": "6"}
)
#: Water-body cells: the engines' field values and the Chinese words (湖库 counts as a lake:
#: lakes and reservoirs share GB 3838's TP/TN limits).
WATER_BODY_WORDS: dict[str, str] = {b: b for b in tables.WATER_BODIES} | {
    "河流": "river",
    "湖泊": "lake",
    "湖库": "lake",
    "水库": "reservoir",
}
