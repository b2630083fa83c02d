"""City ranking by the comprehensive index (环境空气质量综合指数) of 城市环境空气质量排名技术规定.

Implements 城市环境空气质量排名技术规定 (环办〔2014〕64号, revised 环办监测〔2018〕19号), a rule of
the Ministry's monitoring department and not part of HJ 663: the six single indices and the
comprehensive index from the period statistics of :mod:`.hj663_period`, and the ranking of
cities by it (ascending, equal values tied). Pure numpy/pandas, no I/O.

Assumptions
-----------
* **Comprehensive index limits**: the GB 3095-2012 grade II values the ranking rule was written
  with, also after 2026-03-01 (comparable year on year); ``limits_edition`` switches.
* **Dust** days are deducted from PM10/PM2.5, and hence from the index, by the period
  statistics (:func:`.hj663_period.period_statistics_hj663`, ``deduct_dust=True``).
* **Rounding** as in :mod:`.hj663`: concentrations at their reported precision, indices to two
  decimals by GB/T 8170.

References
----------
城市环境空气质量排名技术规定 (环办监测〔2018〕19号); GB 3095-2012 / GB 3095-2026 Table 1;
GB/T 8170-2008 3.3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from envbureau.standards.gb3095 import Edition, limits_gb3095
from envbureau.standards.hj663 import (
    Rounding,
    _check_concentrations,
    _check_rounding,
    _round_reported,
)
from envbureau.standards.rounding import round_gbt8170

__all__ = [
    "RANKING_RULE_STATISTICS",
    "composite_index_inputs",
    "composite_index_ranking_rule",
    "rank_by_composite_index",
]

#: None as a 0-d object array: what np.where makes of a bare None (numpy's stubs refuse one).
_NONE = np.array(None, dtype=object)

# 城市环境空气质量排名技术规定 (环办监测〔2018〕19号): the statistic entering each single index
# and the GB 3095 averaging time of its denominator (annual limits; CO 24-h; O3 8-h).
RANKING_RULE_STATISTICS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "so2": ("mean", "annual"),
        "no2": ("mean", "annual"),
        "pm10": ("mean", "annual"),
        "pm25": ("mean", "annual"),
        "co": ("p95", "24h"),
        "o3": ("p90", "8h"),
    }
)


def composite_index_inputs(statistics: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """The six concentrations of the comprehensive index from period statistics.

    Parameters
    ----------
    statistics : pandas.DataFrame
        The result of :func:`.hj663_period.period_statistics_hj663` (with dust deducted as
        wanted).
    by : str, optional
        The group column used there.

    Returns
    -------
    pandas.DataFrame
        One row per group (index ``by``; a single row otherwise): ``so2, no2, pm10, pm25``
        (period means) [μg/m³], ``co`` (P95) [mg/m³], ``o3`` (P90 of daily max 8-h) [μg/m³]
        and ``valid`` (all six statistics valid).

    References
    ----------
    环办监测〔2018〕19号 (城市环境空气质量排名技术规定).
    """
    pollutants = list(RANKING_RULE_STATISTICS)
    wanted = {(p, statistic) for p, (statistic, _) in RANKING_RULE_STATISTICS.items()}
    pairs = zip(statistics["pollutant"], statistics["statistic"], strict=True)
    rows = statistics[[pair in wanted for pair in pairs]]
    table = pd.DataFrame(
        {
            "group": rows[by].to_numpy() if by else np.zeros(len(rows), dtype=np.int64),
            "pollutant": rows["pollutant"].to_numpy(),
            "value": rows["value"].to_numpy(dtype=np.float64),
            "valid": rows["valid"].to_numpy(dtype=bool),
        }
    )
    result = table.pivot(index="group", columns="pollutant", values="value")
    result = result.reindex(columns=pollutants)
    grouped = table.groupby("group")
    result["valid"] = grouped["valid"].all() & (grouped["pollutant"].nunique() == len(pollutants))
    result.columns.name = None
    result.index.name = by
    return result if by else result.reset_index(drop=True)


def composite_index_ranking_rule(
    concentrations: pd.DataFrame | pd.Series | Mapping[str, float],
    *,
    limits_edition: Edition = "2012",
    when: dt.date | str | pd.Timestamp | None = None,
    weights: Mapping[str, float] | None = None,
    rounding: Rounding = "reported",
) -> pd.DataFrame:
    """Single indices and the comprehensive index (环境空气质量综合指数).

    Parameters
    ----------
    concentrations : DataFrame (one row per city/station), Series or mapping
        ``so2, no2, pm10, pm25`` period means [μg/m³], ``co`` P95 of daily means [mg/m³],
        ``o3`` P90 of daily max 8-h means [μg/m³]; an optional ``valid`` column passes through.
    limits_edition : {"2012", "2026", "auto"}
        Denominators: ``"2012"`` (default) the GB 3095-2012 grade II limits of the ranking rule
        as written; ``"2026"``/``"auto"`` the GB 3095 grade II limits in force on ``when``.
    when : date, optional
        Period end; needed unless ``limits_edition="2012"``.
    weights : mapping, optional
        Weight of each single index in the sum (default 1 for all: the verified unweighted
        rule). Weighted variants (PM2.5 × 3, NO2 × 2, O3 × 2) are unverified.
    rounding : {"reported", "none"}
        ``"reported"``: concentrations rounded to their reported precision first; single
        indices and the index reported to two decimals by GB/T 8170.

    Returns
    -------
    pandas.DataFrame
        Same index as the input: ``i_so2 … i_o3`` (single indices), ``composite_index``,
        ``max_index_pollutant`` (largest single index; ties joined by ``;``), ``limits``, and
        ``valid`` when given. NaN when a concentration is missing.

    Notes
    -----
    :math:`I_i = C_i / S_i`, :math:`I_{sum} = \\sum_i w_i I_i` over SO2, NO2, PM10, PM2.5 (S =
    annual limit 60, 40, 70, 35 μg/m³), CO (S = 24-h limit 4 mg/m³) and O3 (S = 8-h limit
    160 μg/m³). Larger is worse. **Assumptions.** The index is the rounded sum of the
    unrounded single indices (so it may differ by 0.01 from the sum of the printed ones); the
    ranking rule predates GB 3095-2026, so the default keeps its 2012 denominators.

    References
    ----------
    城市环境空气质量排名技术规定 (环办〔2014〕64号, revised 环办监测〔2018〕19号); GB 3095 Table 1.
    """
    _check_rounding(rounding)
    if isinstance(concentrations, pd.DataFrame):
        frame = concentrations
    else:
        frame = pd.DataFrame([dict(concentrations)])
    pollutants = list(RANKING_RULE_STATISTICS)
    missing = [p for p in pollutants if p not in frame.columns]
    if missing:
        raise ValueError(f"concentrations lack {missing}")
    if limits_edition != "2012" and when is None:
        raise ValueError("limits_edition other than '2012' needs the period end `when`")
    limit_set = limits_gb3095(when or "2012-12-31", edition=limits_edition, grade=2)
    weights = {p: 1.0 for p in pollutants} | dict(weights or {})
    values = frame[pollutants].to_numpy(dtype=np.float64)
    _check_concentrations(values, tuple(pollutants))
    result = pd.DataFrame(index=frame.index)
    total = np.zeros(len(frame))
    indices = np.empty_like(values)
    for j, pollutant in enumerate(pollutants):
        conc = _round_reported(values[:, j], pollutant, rounding)
        limit = limit_set.limit(pollutant, RANKING_RULE_STATISTICS[pollutant][1])
        indices[:, j] = conc / limit
        total = total + weights[pollutant] * indices[:, j]
        result[f"i_{pollutant}"] = _round_reported(indices[:, j], "single_index", rounding)
    result["composite_index"] = _round_reported(total, "composite_index", rounding)
    is_max = indices == np.max(np.where(np.isnan(indices), -np.inf, indices), axis=1)[:, None]
    labels = np.full(len(frame), "", dtype=object)
    for j, pollutant in enumerate(pollutants):
        name = pollutant.upper().replace("PM25", "PM2.5")
        joined = np.where(labels == "", name, labels + ";" + name)
        labels = np.where(is_max[:, j], joined, labels)
    result["max_index_pollutant"] = np.where(np.isnan(total), _NONE, labels)
    result["limits"] = limit_set.label
    if "valid" in frame.columns:
        result["valid"] = frame["valid"].to_numpy()
    return result


def rank_by_composite_index(composite: pd.Series, *, ndigits: int | None = 2) -> pd.Series:
    """Rank cities by comprehensive index, ascending (1 = best), ties sharing a rank (并列).

    Parameters
    ----------
    composite : pandas.Series
        Comprehensive index per city.
    ndigits : int or None
        Compare the values as reported (GB/T 8170 to ``ndigits`` decimals, default 2);
        None compares the values as given.

    Returns
    -------
    pandas.Series of Int64
        Rank per city; tied cities share the smallest rank and the next rank is skipped
        (1, 2, 2, 4); NA where the index is missing.

    References
    ----------
    环办监测〔2018〕19号 (ranking ascending by comprehensive index; equal values tied).
    """
    values = composite.astype(np.float64)
    if ndigits is not None:
        values = round_gbt8170(values, ndigits)
    return values.rank(method="min", ascending=True).astype("Int64")
