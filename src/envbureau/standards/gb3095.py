"""GB 3095 环境空气质量标准: concentration limits and data-validity minima, 2012 and 2026 editions.

Implements the tables of GB 3095-2012 (with its 2018 amendment) and GB 3095-2026 (approved
2026-02-12, in force 2026-03-01, replacing GB 3095-2012). The 2026 edition has two phases
(clause 4.4): the *transition-stage* limits (过渡阶段浓度限值) from 2026-03-01 to 2030-12-31 and the
*final* limits (浓度限值) from 2031-01-01.

Tables are module constants keyed by ``(pollutant, averaging)``; each value is a pair
``(grade I, grade II)``. Pollutant keys: ``so2, no2, co, o3, pm10, pm25`` (Table 1) and
``tsp, nox, pb, bap`` (Table 2). Averaging keys: ``"annual"`` (年平均), ``"quarterly"`` (季平均,
Pb only), ``"24h"`` (24 小时平均; called 日平均 in the 2026 edition), ``"8h"`` (O3 日最大 8 小时平均)
and ``"1h"`` (1 小时平均). Units are μg/m³ except CO in mg/m³ (:data:`UNITS`).

The selection functions (:func:`limits_gb3095`, :func:`limit_by_date_gb3095`) pick the edition
by the Beijing-time date of the value being evaluated (``edition="auto"``: before 2026-03-01 →
2012), or take a forced edition so that base years can be recomputed like-for-like (同口径).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

Edition = Literal["2012", "2026", "auto"]
Stage = Literal["auto", "transition", "final"]
Grade = Literal[1, 2]

BEIJING_TZ = "Asia/Shanghai"

# GB 3095-2026 clause 4.4 and the MEE announcement: in force 2026-03-01 (GB 3095-2012 abolished
# the same day); transition-stage limits to 2030-12-31, final limits from 2031-01-01.
GB3095_2026_IN_FORCE = dt.date(2026, 3, 1)
GB3095_2026_FINAL_FROM = dt.date(2031, 1, 1)

POLLUTANTS_BASIC = ("so2", "no2", "co", "o3", "pm10", "pm25")
POLLUTANTS_OTHER = ("tsp", "nox", "pb", "bap")

# Units of every limit and of the concentrations compared with them (GB 3095-2012 Table 1/2;
# GB 3095-2026 Table 1/2): CO in mg/m³, everything else in μg/m³.
UNITS: Mapping[str, str] = MappingProxyType(
    {p: ("mg/m³" if p == "co" else "μg/m³") for p in POLLUTANTS_BASIC + POLLUTANTS_OTHER}
)

_Table = Mapping[tuple[str, str], tuple[float, float]]

# GB 3095-2012 Table 1 (环境空气污染物基本项目浓度限值), (grade I, grade II).
GB3095_2012_TABLE1: _Table = MappingProxyType(
    {
        ("so2", "annual"): (20, 60),
        ("so2", "24h"): (50, 150),
        ("so2", "1h"): (150, 500),
        ("no2", "annual"): (40, 40),
        ("no2", "24h"): (80, 80),
        ("no2", "1h"): (200, 200),
        ("co", "24h"): (4, 4),  # mg/m³
        ("co", "1h"): (10, 10),  # mg/m³
        ("o3", "8h"): (100, 160),  # 日最大 8 小时平均
        ("o3", "1h"): (160, 200),
        ("pm10", "annual"): (40, 70),
        ("pm10", "24h"): (50, 150),
        ("pm25", "annual"): (15, 35),
        ("pm25", "24h"): (35, 75),
    }
)

# GB 3095-2012 Table 2 (环境空气污染物其他项目浓度限值), (grade I, grade II).
GB3095_2012_TABLE2: _Table = MappingProxyType(
    {
        ("tsp", "annual"): (80, 200),
        ("tsp", "24h"): (120, 300),
        ("nox", "annual"): (50, 50),
        ("nox", "24h"): (100, 100),
        ("nox", "1h"): (250, 250),
        ("pb", "annual"): (0.5, 0.5),
        ("pb", "quarterly"): (1, 1),
        ("bap", "annual"): (0.001, 0.001),
        ("bap", "24h"): (0.0025, 0.0025),
    }
)

# GB 3095-2026 Table 1, transition-stage limits (过渡阶段浓度限值), 2026-03-01 … 2030-12-31.
# Only the grade II particulate limits differ from 2012 (PM10 60/120, PM2.5 30/60).
GB3095_2026_TABLE1_TRANSITION: _Table = MappingProxyType(
    {
        **GB3095_2012_TABLE1,
        ("pm10", "annual"): (40, 60),
        ("pm10", "24h"): (50, 120),
        ("pm25", "annual"): (15, 30),
        ("pm25", "24h"): (35, 60),
    }
)

# GB 3095-2026 Table 1, final limits (浓度限值), from 2031-01-01.
GB3095_2026_TABLE1_FINAL: _Table = MappingProxyType(
    {
        ("so2", "annual"): (20, 20),
        ("so2", "24h"): (50, 50),
        ("so2", "1h"): (150, 150),
        ("no2", "annual"): (30, 30),
        ("no2", "24h"): (50, 50),
        ("no2", "1h"): (200, 200),
        ("co", "24h"): (4, 4),  # mg/m³
        ("co", "1h"): (10, 10),  # mg/m³
        ("o3", "8h"): (100, 160),
        ("o3", "1h"): (160, 200),
        ("pm10", "annual"): (20, 50),
        ("pm10", "24h"): (50, 100),
        ("pm25", "annual"): (10, 25),
        ("pm25", "24h"): (25, 50),
    }
)

# GB 3095-2026 Table 2 (other items), final values. NOx annual/daily tightened to 40/70.
GB3095_2026_TABLE2_FINAL: _Table = MappingProxyType(
    {
        **GB3095_2012_TABLE2,
        ("nox", "annual"): (40, 40),
        ("nox", "24h"): (70, 70),
    }
)

# GB 3095-2026 Table 2 footnotes a and b: until 2030-12-31 NOx annual 50 and daily 100 apply.
GB3095_2026_TABLE2_TRANSITION: _Table = MappingProxyType(
    {
        **GB3095_2026_TABLE2_FINAL,
        ("nox", "annual"): (50, 50),
        ("nox", "24h"): (100, 100),
    }
)


@dataclass(frozen=True)
class ValidityRules:
    """Minimum data for a valid statistic (GB 3095 Table 4, plus the HJ 663 O3 window rule).

    Attributes
    ----------
    min_minutes_hourly : int
        Minutes of sampling for a valid 1-hour mean (SO2, NO2, CO, O3, NOx) [min].
    min_hours_daily : int
        Valid hourly values for a 24-hour (daily) mean of SO2, NO2, CO, PM10, PM2.5, NOx [h].
    hours_per_8h_window : int
        Length of the O3 8-hour moving window [h].
    min_hours_8h : int
        Valid hourly values in each 8-hour window for a valid O3 8-hour mean [h].
    o3_8h_first_window_hour, o3_8h_last_window_hour : int
        Hour-ending labels of the first and last 8-hour windows entering the O3 daily maximum
        8-hour mean (08:00 … 24:00, i.e. 17 windows).
    min_windows_o3_daily_max_8h : int
        Valid 8-hour means needed among those windows for a valid daily maximum.
    o3_daily_max_8h_valid_if_exceeds : bool
        Whether a daily maximum from fewer windows is still valid when it exceeds the limit.
    min_days_annual : int
        Valid daily values in a calendar year for an annual statistic [d].
    min_days_month, min_days_february : int
        Valid daily values in each month (February) for an annual statistic [d].
    """

    edition: str
    min_minutes_hourly: int
    min_hours_daily: int
    hours_per_8h_window: int
    min_hours_8h: int
    o3_8h_first_window_hour: int
    o3_8h_last_window_hour: int
    min_windows_o3_daily_max_8h: int
    o3_daily_max_8h_valid_if_exceeds: bool
    min_days_annual: int
    min_days_month: int
    min_days_february: int

    @property
    def o3_8h_windows_per_day(self) -> int:
        """Number of candidate 8-hour windows of the O3 daily maximum (17)."""
        return self.o3_8h_last_window_hour - self.o3_8h_first_window_hour + 1


# GB 3095-2012 Table 4 (污染物浓度数据有效性的最低要求); the O3 window count and the
# "still valid if it exceeds" rule are HJ 663-2013 (O3 日最大 8 小时平均 statistics).
VALIDITY_GB3095_2012 = ValidityRules(
    edition="2012",
    min_minutes_hourly=45,
    min_hours_daily=20,
    hours_per_8h_window=8,
    min_hours_8h=6,
    o3_8h_first_window_hour=8,
    o3_8h_last_window_hour=24,
    min_windows_o3_daily_max_8h=14,
    o3_daily_max_8h_valid_if_exceeds=True,
    min_days_annual=324,
    min_days_month=27,
    min_days_february=25,
)

# GB 3095-2026 Table 4: read as identical to 2012 (single source); HJ 663-2026 6.1.2 keeps the
# 14-window rule with the "valid if it exceeds" exception (single source).
VALIDITY_GB3095_2026 = ValidityRules(
    edition="2026",
    min_minutes_hourly=45,
    min_hours_daily=20,
    hours_per_8h_window=8,
    min_hours_8h=6,
    o3_8h_first_window_hour=8,
    o3_8h_last_window_hour=24,
    min_windows_o3_daily_max_8h=14,
    o3_daily_max_8h_valid_if_exceeds=True,
    min_days_annual=324,
    min_days_month=27,
    min_days_february=25,
)


@dataclass(frozen=True)
class LimitSet:
    """The GB 3095 limits of one edition, stage and grade.

    Attributes
    ----------
    edition : {"2012", "2026"}
    stage : {"2012", "transition", "final"}
    grade : {1, 2}
    limits : Mapping[tuple[str, str], float]
        ``(pollutant, averaging) -> limit`` [μg/m³; CO mg/m³].
    validity : ValidityRules
    """

    edition: str
    stage: str
    grade: int
    limits: Mapping[tuple[str, str], float]
    validity: ValidityRules

    @property
    def label(self) -> str:
        """Human-readable label, e.g. ``"GB 3095-2026 过渡阶段 二级"``."""
        stage = {"2012": "", "transition": " 过渡阶段", "final": ""}[self.stage]
        return f"GB 3095-{self.edition}{stage} {'一级' if self.grade == 1 else '二级'}"

    def limit(self, pollutant: str, averaging: str) -> float:
        """The limit of ``pollutant`` for ``averaging`` [μg/m³; CO mg/m³]."""
        try:
            return self.limits[(pollutant, averaging)]
        except KeyError:
            raise KeyError(
                f"GB 3095-{self.edition} has no limit for {pollutant!r} / {averaging!r}"
            ) from None


def _to_beijing_date(when: dt.date | dt.datetime | pd.Timestamp | str) -> dt.date:
    stamp = pd.Timestamp(when)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(BEIJING_TZ)
    return stamp.date()


def _check_grade(grade: int) -> None:
    if grade not in (1, 2):
        raise ValueError(f"grade must be 1 (一级) or 2 (二级), got {grade!r}")


def _regime(day: dt.date, edition: str, stage: str) -> tuple[str, str]:
    """(edition, stage) that applies on ``day`` for the requested edition/stage."""
    if edition not in ("2012", "2026", "auto"):
        raise ValueError(f"edition must be '2012', '2026' or 'auto', got {edition!r}")
    if stage not in ("auto", "transition", "final"):
        raise ValueError(f"stage must be 'auto', 'transition' or 'final', got {stage!r}")
    if edition == "2012" or (edition == "auto" and day < GB3095_2026_IN_FORCE):
        return "2012", "2012"
    if stage == "auto":
        stage = "final" if day >= GB3095_2026_FINAL_FROM else "transition"
    return "2026", stage


_TABLES: Mapping[tuple[str, str], tuple[_Table, _Table]] = MappingProxyType(
    {
        ("2012", "2012"): (GB3095_2012_TABLE1, GB3095_2012_TABLE2),
        ("2026", "transition"): (GB3095_2026_TABLE1_TRANSITION, GB3095_2026_TABLE2_TRANSITION),
        ("2026", "final"): (GB3095_2026_TABLE1_FINAL, GB3095_2026_TABLE2_FINAL),
    }
)


def _limit_set(edition: str, stage: str, grade: int) -> LimitSet:
    table1, table2 = _TABLES[(edition, stage)]
    column = grade - 1
    limits = {key: float(pair[column]) for key, pair in {**table1, **table2}.items()}
    validity = VALIDITY_GB3095_2012 if edition == "2012" else VALIDITY_GB3095_2026
    return LimitSet(edition, stage, grade, MappingProxyType(limits), validity)


def edition_gb3095(when: dt.date | dt.datetime | pd.Timestamp | str) -> str:
    """The GB 3095 edition in force on ``when`` (Beijing date): ``"2012"`` or ``"2026"``.

    References
    ----------
    GB 3095-2026, implementation clause: in force 2026-03-01, replacing GB 3095-2012.
    """
    return _regime(_to_beijing_date(when), "auto", "auto")[0]


def limits_gb3095(
    when: dt.date | dt.datetime | pd.Timestamp | str,
    *,
    edition: Edition = "auto",
    grade: Grade = 2,
    stage: Stage = "auto",
) -> LimitSet:
    """Select the GB 3095 limits that apply on a date.

    Parameters
    ----------
    when : date, datetime, Timestamp or ISO string
        The day evaluated. A tz-aware value is converted to Beijing time; a naive one is taken
        as Beijing time. For a period statistic pass the period's last day.
    edition : {"auto", "2012", "2026"}
        ``"auto"``: GB 3095-2012 before 2026-03-01, GB 3095-2026 from then on. A forced
        edition recomputes any date under that edition (同口径 comparisons).
    grade : {1, 2}
        一级 (class-1 zones) or 二级 (class-2 zones; city evaluation and ranking use grade II).
    stage : {"auto", "transition", "final"}
        For GB 3095-2026 only: ``"auto"`` picks the transition stage up to 2030-12-31 and the
        final limits from 2031-01-01; ``"transition"``/``"final"`` force a stage.

    Returns
    -------
    LimitSet
        Limits [μg/m³; CO mg/m³] with the edition's validity rules.

    Raises
    ------
    ValueError
        Unknown edition, stage or grade.

    Notes
    -----
    **Assumptions.** A forced ``edition="2026"`` on a date before 2026-03-01 uses the transition
    stage, which is how the MEE recomputed 2025 like-for-like (facts file §4). The Table 2 NOx
    transition values (footnotes a, b) follow the same stage.

    References
    ----------
    GB 3095-2012 Table 1, Table 2, Table 4. GB 3095-2026 clause 4.2, 4.4, Table 1 (transition
    and final columns), Table 2 with footnotes a/b, Table 4.
    """
    _check_grade(grade)
    edition_used, stage_used = _regime(_to_beijing_date(when), edition, stage)
    return _limit_set(edition_used, stage_used, grade)


def limit_by_date_gb3095(
    dates: pd.Series | pd.DatetimeIndex | np.ndarray,
    pollutant: str,
    averaging: str,
    *,
    edition: Edition = "auto",
    grade: Grade = 2,
    stage: Stage = "auto",
) -> np.ndarray:
    """The limit of one pollutant/averaging time for each date, vectorised.

    Parameters
    ----------
    dates : array-like of datetime64
        Beijing-time days (naive) or tz-aware timestamps.
    pollutant, averaging : str
        Keys of the GB 3095 tables (see the module docstring).
    edition, grade, stage
        As in :func:`limits_gb3095`.

    Returns
    -------
    numpy.ndarray of float
        The limit per date [μg/m³; CO mg/m³]; NaN where a date is NaT.

    References
    ----------
    GB 3095-2012 Table 1/2; GB 3095-2026 clause 4.4, Table 1/2.
    """
    _check_grade(grade)
    stamps = pd.DatetimeIndex(pd.to_datetime(dates))
    if stamps.tz is not None:
        stamps = stamps.tz_convert(BEIJING_TZ).tz_localize(None)
    days = stamps.normalize()
    out = np.full(len(days), np.nan)
    in_force = pd.Timestamp(GB3095_2026_IN_FORCE)
    final_from = pd.Timestamp(GB3095_2026_FINAL_FROM)
    boundaries = {
        dt.date(2000, 1, 1): days < in_force,
        GB3095_2026_IN_FORCE: (days >= in_force) & (days < final_from),
        GB3095_2026_FINAL_FROM: days >= final_from,
    }
    for representative, mask in boundaries.items():
        if mask.any():
            limit_set = limits_gb3095(representative, edition=edition, grade=grade, stage=stage)
            out[np.asarray(mask)] = limit_set.limit(pollutant, averaging)
    return out


def validity_rules_gb3095(
    when: dt.date | dt.datetime | pd.Timestamp | str, *, edition: Edition = "auto"
) -> ValidityRules:
    """The data-validity minima (GB 3095 Table 4) of the edition that applies on ``when``.

    References
    ----------
    GB 3095-2012 Table 4; GB 3095-2026 Table 4; HJ 663-2013 / HJ 663-2026 6.1.2 (O3 windows).
    """
    edition_used, _ = _regime(_to_beijing_date(when), edition, "auto")
    return VALIDITY_GB3095_2012 if edition_used == "2012" else VALIDITY_GB3095_2026


def monthly_minimum_days_gb3095(months: np.ndarray, rules: ValidityRules) -> np.ndarray:
    """Minimum valid daily values for each calendar month number (1–12) [d].

    ≥ ``min_days_month`` (27) per month, ≥ ``min_days_february`` (25) in February.

    References
    ----------
    GB 3095-2012 / GB 3095-2026 Table 4, annual-mean row.
    """
    months = np.asarray(months)
    return np.where(months == 2, rules.min_days_february, rules.min_days_month)
