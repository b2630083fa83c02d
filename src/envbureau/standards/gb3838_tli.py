"""Trophic state of lakes and reservoirs: the comprehensive trophic level index TLI(Σ).

Implements CNEMC's 《湖泊（水库）富营养化评价方法及分级技术规定》 (2004), which
《地表水环境质量评价办法（试行）》 (环办〔2011〕22号) adopts for the trophic state
(营养状态) of lakes and reservoirs, reported apart from their GB 3838-2002 class. The
coefficients, weights and grades are in :mod:`envbureau.standards.gb3838_tables`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838 import check_values_gb3838

__all__ = ["tli_gb3838", "tli_weights", "trophic_state_gb3838"]


def tli_weights() -> dict[str, float]:
    """Weights W_j = r_ij² / Σ r_ij² of the five parameters (chlorophyll a the base).

    References
    ----------
    CNEMC 2004 regulation, formula for W_j; r_ij of Jin Xiangcan et al.
    """
    squares = {name: r * r for name, r in tables.TLI_CORRELATIONS.items()}
    total = sum(squares.values())
    return {name: square / total for name, square in squares.items()}


def tli_gb3838(
    chla: npt.ArrayLike | pd.Series,
    tp: npt.ArrayLike | pd.Series,
    tn: npt.ArrayLike | pd.Series,
    sd: npt.ArrayLike | pd.Series,
    codmn: npt.ArrayLike | pd.Series,
) -> pd.DataFrame:
    """Comprehensive trophic level index TLI(Σ) of a lake or reservoir, and its grade.

    Parameters
    ----------
    chla : array_like or pandas.Series
        Chlorophyll a [mg/m³ = μg/L] (not mg/L: multiply a mg/L value by 1000 first).
    tp : array_like or pandas.Series
        Total phosphorus [mg/L].
    tn : array_like or pandas.Series
        Total nitrogen [mg/L].
    sd : array_like or pandas.Series
        Secchi depth (透明度) [m].
    codmn : array_like or pandas.Series
        Permanganate index [mg/L].

    Returns
    -------
    pandas.DataFrame
        One row per input position (index of ``chla`` when it is a Series): ``tli_chla``,
        ``tli_tp``, ``tli_tn``, ``tli_sd``, ``tli_codmn`` (TLI(j)), ``tli`` (TLI(Σ)) and
        ``trophic_state`` (贫营养, 中营养, 轻度富营养, 中度富营养, 重度富营养). NaN / None
        where an input is missing.

    Raises
    ------
    ValueError
        A value that is not positive (ln is undefined), or a magnitude that shows a wrong
        unit: TP/TN/CODMn as in :func:`~envbureau.standards.gb3838.check_values_gb3838`,
        chlorophyll a below 0.05 mg/m³, Secchi depth above 50 m.

    Notes
    -----
    .. math:: TLI(\\Sigma) = \\sum_j W_j \\, TLI(j), \\qquad
              W_j = r_{ij}^2 \\Big/ \\sum_j r_{ij}^2

    with :math:`r_{ij}` the correlation of parameter :math:`j` with chlorophyll a (1, 0.84,
    0.82, −0.83, 0.83 for chl a, TP, TN, SD, CODMn) and, ln the natural logarithm:

    * TLI(chl a) = 10 (2.5 + 1.086 ln chl a)
    * TLI(TP) = 10 (9.436 + 1.624 ln TP)
    * TLI(TN) = 10 (5.453 + 1.694 ln TN)
    * TLI(SD) = 10 (5.118 − 1.94 ln SD)
    * TLI(CODMn) = 10 (0.109 + 2.661 ln CODMn)

    Grades: TLI < 30 贫营养; 30 ≤ TLI ≤ 50 中营养; 50 < TLI ≤ 60 轻度富营养;
    60 < TLI ≤ 70 中度富营养; TLI > 70 重度富营养.

    **Assumptions**: the weights are computed exactly from :math:`r_{ij}` (the published
    4-decimal weights are rounded); all five parameters are required — a missing one gives
    no TLI(Σ), the weights are not renormalised; results are not rounded; the grade
    boundaries' inclusivity follows one copy of the regulation (facts sheet §3.6).

    References
    ----------
    CNEMC 《湖泊（水库）富营养化评价方法及分级技术规定》 (2004): TLI(Σ), W_j, TLI(j)
    formulae and 营养状态分级; adopted by 环办〔2011〕22号.
    """
    index = chla.index if isinstance(chla, pd.Series) else None
    inputs = {"chla": chla, "tp": tp, "tn": tn, "sd": sd, "codmn": codmn}
    values = {name: _checked(name, value) for name, value in inputs.items()}
    n = {x.size for x in values.values()}
    if len(n) != 1:
        raise ValueError(f"TLI inputs must have one length each, got lengths {sorted(n)}")
    weights = tli_weights()
    out = pd.DataFrame(index=index if index is not None else pd.RangeIndex(n.pop()))
    total = 0.0
    for name, x in values.items():
        a, b = tables.TLI_COEFFICIENTS[name]
        with np.errstate(invalid="ignore"):
            out[f"tli_{name}"] = 10.0 * (a + b * np.log(x))
        total = total + weights[name] * out[f"tli_{name}"].to_numpy()
    out["tli"] = total
    out["trophic_state"] = trophic_state_gb3838(out["tli"].to_numpy())
    return out


def _checked(name: str, value: npt.ArrayLike | pd.Series) -> np.ndarray:
    if name in ("tp", "tn", "codmn"):
        x = check_values_gb3838(value, name)
    else:
        series = value if isinstance(value, pd.Series) else pd.Series(np.atleast_1d(value))
        x = pd.to_numeric(series, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    if (x <= 0).any():
        raise ValueError(f"TLI {name}: values must be positive (ln), got {x[x <= 0][0]!r}")
    if name == "chla" and (x < tables.TLI_CHLA_MIN_MGM3).any():
        raise ValueError(
            f"TLI chla: {x[x < tables.TLI_CHLA_MIN_MGM3][0]!r} is below {tables.TLI_CHLA_MIN_MGM3} mg/m³: "
            "given in mg/L? chlorophyll a is expected in mg/m³ (= μg/L)"
        )
    if name == "sd" and (x > tables.TLI_SD_MAX_M).any():
        raise ValueError(
            f"TLI sd: {x[x > tables.TLI_SD_MAX_M][0]!r} m is deeper than {tables.TLI_SD_MAX_M} m: cm?"
        )
    return x


def trophic_state_gb3838(tli: npt.ArrayLike) -> np.ndarray:
    """Trophic state (营养状态) of TLI(Σ) values: 贫营养 … 重度富营养; None where NaN.

    Parameters
    ----------
    tli : array_like
        TLI(Σ) values [0–100 scale].

    Returns
    -------
    numpy.ndarray of object
        贫营养 (TLI < 30), 中营养 (30 ≤ TLI ≤ 50), 轻度富营养 (50 < TLI ≤ 60), 中度富营养
        (60 < TLI ≤ 70), 重度富营养 (TLI > 70).

    References
    ----------
    CNEMC 2004 regulation, 营养状态分级 (boundary inclusivity: facts sheet §3.6).
    """
    x = np.atleast_1d(np.asarray(tli, dtype=np.float64))
    state = np.full(x.shape, None, dtype=object)
    open_ = ~np.isnan(x)
    for upper, inclusive, word in tables.TLI_GRADES:
        here = open_ & ((x <= upper) if inclusive else (x < upper))
        state[here] = word
        open_ &= ~here
    return state
