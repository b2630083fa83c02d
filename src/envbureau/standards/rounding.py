"""Rounding of reported values by GB/T 8170-2008 数值修约规则 (rule 3.3: 四舍六入五成双).

The single rounding helper of the engines: HJ 663 statistics, HJ 633-2026 input
concentrations (4.2.2, 4.2.3), indicator values. A float stands for the decimal value a person
would have written, so float noise next to a half counts as the half (see
:func:`round_gbt8170`, Assumptions).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["TIE_TOLERANCE", "format_gbt8170", "round_gbt8170"]

#: A dropped part within this distance of a half (in units of the last kept digit) is a half.
TIE_TOLERANCE = 1e-9


def round_gbt8170(
    x: float | npt.ArrayLike | pd.Series, ndigits: int = 0
) -> float | np.ndarray | pd.Series:
    """Round to ``ndigits`` decimals by GB/T 8170-2008 3.3 (四舍六入五成双), vectorised.

    Parameters
    ----------
    x : float, array_like or pandas.Series
        Values to round; NaN and infinities pass through.
    ndigits : int
        Decimals kept; negative for tens, hundreds …

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The same kind as ``x`` (a Series keeps its index and name; a scalar gives a float);
        ``-0.0`` comes back as ``0.0``.

    Notes
    -----
    With :math:`s = x \\cdot 10^{n}`: a dropped part below half rounds down, above half up,
    exactly half to the even last kept digit (3.3.1–3.3.3); a negative value is rounded as its
    absolute value (3.3.4), which round-half-to-even does by symmetry.

    **Assumptions.** The standard rounds decimal numbers; a binary float rarely holds the
    decimal value it stands for (0.35 is 0.3499…; a computed CO mean 0.85 may be
    0.8500000000000002). So :math:`s` within :data:`TIE_TOLERANCE` (1e-9) of a half is taken
    as the exact half: 0.8500000000000002 → 0.8, as the written 0.85 rounds, and 2.675 → 2.68.
    This equals ``Decimal(written).quantize(ROUND_HALF_EVEN)`` for every value written with at
    most eight decimals beyond ``ndigits`` and :math:`|s| < 10^6`. It differs from rounding
    the float's ``repr`` (0.8500000000000002 → 0.9: digits nobody wrote) and from rounding the
    binary value (``numpy.round``: 0.35 → 0.3; 2.5000000000000004 → 3) only for such noise
    next to a half, where it gives the value a person would write. A value genuinely written
    within 1e-9 of a half (0.85000000001 to one decimal) is taken as the half too.

    References
    ----------
    GB/T 8170-2008 数值修约规则与极限数值的表示和判定, 3.3.1–3.3.4; cited by HJ 663-2013
    (数据修约) and HJ 633-2026 4.2.2/4.2.3.
    """
    values = np.asarray(x, dtype=np.float64)
    scale = 10.0 ** abs(ndigits)
    scaled = values.reshape(-1)
    if ndigits > 0:
        scaled = scaled * scale
    elif ndigits < 0:
        scaled = scaled / scale
    rounded = np.rint(scaled)  # half to even on the binary value; exact away from a half
    with np.errstate(invalid="ignore"):  # inf - inf
        tie = np.abs(np.abs(scaled - rounded) - 0.5) <= TIE_TOLERANCE
    if tie.any():
        low = np.floor(scaled[tie])
        rounded[tie] = low + np.mod(low, 2)  # the even one of low and low + 1
    if ndigits > 0:
        rounded /= scale
    elif ndigits < 0:
        rounded *= scale
    rounded += 0.0  # -0.0 → 0.0
    return _like(x, rounded.reshape(values.shape))


def format_gbt8170(value: float, ndigits: int = 0) -> str:
    """The rounded value as printed, with exactly ``ndigits`` decimals (``12.30``)."""
    rounded = round_gbt8170(value, ndigits)
    return f"{rounded:.{max(ndigits, 0)}f}"


def _like(
    template: float | npt.ArrayLike | pd.Series, values: np.ndarray
) -> float | np.ndarray | pd.Series:
    """``values`` as the kind of ``template``: Series (same index and name), float or array."""
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index, name=template.name)
    if np.ndim(template) == 0 and not isinstance(template, np.ndarray):
        return float(values)
    return values
