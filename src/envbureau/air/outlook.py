"""Target attainment outlook (目标完成形势): what the rest of the year needs, and how likely
the year's targets are met, from year-to-date values and the seasonal pattern of past years.

Pure: daily city values in, an outlook out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

BOOTSTRAP_SAMPLES = 2000
BLOCK_DAYS = 7  # weather lasts for days: resample weeks, not single days
SEED = 20260301


@dataclass(frozen=True)
class RateOutlook:
    target: float  # [%]
    ytd_good_days: int
    ytd_valid_days: int
    remaining_days: int
    good_days_needed: int  # in the remaining days, assuming every remaining day is valid
    share_needed: float  # of the remaining days [%]; > 100 means out of reach
    probability: float | None  # [0, 1]; None without past years' data
    past_years: list[int]


@dataclass(frozen=True)
class MeanOutlook:
    target: float  # [μg/m³]
    ytd_mean: float
    ytd_days: int
    remaining_days: int
    remaining_mean_allowed: float  # the mean the rest of the year must not exceed
    probability: float | None
    past_years: list[int]


def good_day_rate_outlook(
    ytd_aqi: pd.Series,
    remaining_days: int,
    target_pct: float,
    past_remaining_aqi: dict[int, pd.Series],
) -> RateOutlook:
    """Good days still needed for the annual good-day rate, and the chance of reaching it.

    Notes
    -----
    Annual rate :math:`R = (g_{ytd} + g_{rest}) / (n_{ytd} + n_{rest})`; the target needs
    :math:`g_{rest} \\ge \\lceil T (n_{ytd} + n_{rest}) / 100 \\rceil - g_{ytd}`.
    **Assumptions.** Every remaining day is taken as valid. The probability resamples
    7-day blocks of the same calendar span of past years (``past_remaining_aqi``) and counts
    the share of resampled years that reach the target; it carries the past years' climate,
    not the year's trend.
    """
    valid = ytd_aqi.dropna()
    good = int((valid <= 100).sum())
    total = len(valid) + remaining_days
    needed = max(0, math.ceil(target_pct * total / 100 - 1e-9) - good)
    share = (
        100.0 * needed / remaining_days if remaining_days else (0.0 if needed == 0 else math.inf)
    )
    pooled = [s.dropna().to_numpy() <= 100 for s in past_remaining_aqi.values() if len(s.dropna())]
    probability = None
    if pooled and remaining_days:
        draws = _block_bootstrap([p.astype(float) for p in pooled], remaining_days)
        probability = float(np.mean(draws * remaining_days >= needed - 1e-9))
    elif not remaining_days:
        probability = float(needed == 0)
    return RateOutlook(
        target_pct,
        good,
        len(valid),
        remaining_days,
        needed,
        share,
        probability,
        sorted(past_remaining_aqi),
    )


def mean_outlook(
    ytd_values: pd.Series,
    remaining_days: int,
    target: float,
    past_remaining_values: dict[int, pd.Series],
) -> MeanOutlook:
    """The mean concentration the rest of the year must keep under for the annual target.

    Notes
    -----
    Annual mean :math:`\\bar C = (\\sum C_{ytd} + n_{rest} \\bar C_{rest}) / (n_{ytd} + n_{rest})`
    ≤ T gives :math:`\\bar C_{rest} \\le (T (n_{ytd} + n_{rest}) - \\sum C_{ytd}) / n_{rest}`.
    **Assumptions.** The target is compared with the unrounded mean (a reported value equal to
    the target needs the raw mean at or below it); every remaining day is taken as valid;
    probability as for :func:`good_day_rate_outlook`.
    """
    valid = ytd_values.dropna()
    total = len(valid) + remaining_days
    allowed = ((target * total - valid.sum()) / remaining_days) if remaining_days else math.nan
    pooled = [
        s.dropna().to_numpy(dtype=float) for s in past_remaining_values.values() if len(s.dropna())
    ]
    probability = None
    if pooled and remaining_days:
        draws = _block_bootstrap(pooled, remaining_days)
        probability = float(np.mean(draws <= allowed + 1e-9))
    elif not remaining_days:
        probability = float(valid.mean() <= target + 1e-9)
    return MeanOutlook(
        target,
        float(valid.mean()) if len(valid) else math.nan,
        len(valid),
        remaining_days,
        float(allowed),
        probability,
        sorted(past_remaining_values),
    )


def _block_bootstrap(series: list[np.ndarray], length: int) -> np.ndarray:
    """Means of ``BOOTSTRAP_SAMPLES`` resampled spans of ``length`` days built from blocks."""
    rng = np.random.default_rng(SEED)
    blocks = [s[i : i + BLOCK_DAYS] for s in series for i in range(0, len(s), BLOCK_DAYS)]
    blocks = [b for b in blocks if len(b)]
    per_sample = math.ceil(length / BLOCK_DAYS)
    picks = rng.integers(0, len(blocks), size=(BOOTSTRAP_SAMPLES, per_sample))
    sums = np.zeros(BOOTSTRAP_SAMPLES)
    counts = np.zeros(BOOTSTRAP_SAMPLES)
    block_sums = np.array([b.sum() for b in blocks])
    block_lengths = np.array([len(b) for b in blocks])
    sums += block_sums[picks].sum(axis=1)
    counts += block_lengths[picks].sum(axis=1)
    return sums / counts
