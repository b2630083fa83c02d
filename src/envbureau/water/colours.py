"""The colours the surface-water classes are drawn in, on maps, charts and tables alike.

Chinese monitoring maps and bulletins draw the GB 3838 classes as Ⅰ light blue, Ⅱ blue,
Ⅲ green, Ⅳ yellow, Ⅴ orange and 劣Ⅴ red: a display convention, not a rule of the standard.
"""

from __future__ import annotations

from envbureau.standards.gb3838_tables import CLASS_LABELS

WATER_CLASS_COLOURS: dict[str, str] = dict(
    zip(
        CLASS_LABELS,
        ("#9ad9f5", "#1f78d1", "#2ca02c", "#f2d129", "#f28e1c", "#d62728"),
        strict=True,
    )
)
