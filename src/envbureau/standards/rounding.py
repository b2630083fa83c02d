"""Rounding of reported values by GB/T 8170-2008 数值修约规则 (rule 3.3: 四舍六入五成双).

A value is rounded from its shortest decimal representation, never from the binary float, so
``2.675`` rounds to ``2.68`` as a person writing the report would round it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal


def round_gbt8170(value: float, ndigits: int = 0) -> float:
    """Round ``value`` to ``ndigits`` decimals by GB/T 8170-2008 3.3 (round half to even).

    Parameters
    ----------
    value : float
        The value to round; NaN and infinities are returned unchanged.
    ndigits : int
        Number of decimals kept (negative for tens, hundreds …).

    Notes
    -----
    GB/T 8170-2008 3.3.1–3.3.4: a dropped part below half rounds down, above half rounds up,
    exactly half rounds to the even last kept digit. Python's ``Decimal`` with
    ``ROUND_HALF_EVEN`` on ``repr(value)`` applies exactly this rule.

    References
    ----------
    GB/T 8170-2008 数值修约规则与极限数值的表示和判定, clause 3.3.
    """
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN))


def format_gbt8170(value: float, ndigits: int = 0) -> str:
    """The rounded value as printed, with exactly ``ndigits`` decimals (``12.30``)."""
    rounded = round_gbt8170(value, ndigits)
    return f"{rounded:.{max(ndigits, 0)}f}"
