"""HJ 633 air quality index (AQI): sub-indices, AQI, level, category, primary pollutants.

Implements HJ 633-2012 《环境空气质量指数（AQI）技术规定（试行）》 and HJ 633-2026
《环境空气质量指数（AQI）技术规定》 (in force from 2026-03-01), for the daily report (日报) and
the real-time hourly report (实时报). The numbers of the standards are in
:mod:`envbureau.standards.hj633_tables`; this module holds the algorithms only. Everything is
vectorised over whole columns: numpy in, numpy out for :func:`iaqi` and the level lookups,
pandas DataFrame in and out for :func:`daily_aqi` and :func:`hourly_aqi`.

Assumptions
-----------
Decisions taken where the standards are silent or the facts sheets leave a question open:

* **Ceiling (取整).** HJ 633-2026 4.2.6 rounds every result up to an integer (向上进位取整).
  HJ 633-2012 as available states no rule; its practice is the same ceiling, and the national
  platform's published hourly AQI of 2019 is reproduced by ceiling, not by rounding (tests/air/
  test_hj633_real_data.py). Both editions: IAQI = ceil(formula (1)), AQI = max of the integer
  IAQIs. Concentrations on the reporting grid (whole μg/m³, CO in 0.1 mg/m³) get the IAQI of
  a table of formula (1) worked in integer arithmetic, so the ceiling is exact; a CO value
  within 1e-9 of a 0.1 mg/m³ step counts as that step (binary 0.3 is not exactly 0.3). Others
  (possible under 2012 only) are interpolated, and a result within 1e-9 of an integer is taken
  as that integer: exact for concentrations with up to five decimal places.
* **Input concentrations.** HJ 633-2026 4.2.2/4.2.3 round them first, per GB/T 8170 (round half
  to even, :func:`envbureau.standards.rounding.round_gbt8170`: float noise within 1e-9 of a
  half counts as the half): μg/m³ to integers, CO mg/m³ to one decimal. HJ 633-2012 gives no
  rule: its concentrations are used as given, never truncated.
* **Real-time particles.** Both editions put the PM10 and PM2.5 1-h means into the 24-h
  (daily) breakpoints. HJ 633-2026 4.2.3 says so. For HJ 633-2012 it is the rule that
  reproduces the national platform's published AQI (99.97 % of 1.68 million station-hours in
  2019; the 24-h moving means instead: 3–11 %). The O3 8-h and PM 24-h moving means of the
  2012 real-time report get an IAQI but do not enter the AQI (O3 8-h in the AQI: 78–94 %).
* **Above the table.** HJ 633-2012 表1 notes b/c: SO2 1-h > 800 μg/m³ gives no 1-h IAQI; the SO2
  IAQI comes from the 24-h mean (real-time input column ``so2_24h``; missing if not given).
  O3 8-h > 800 μg/m³ gives no 8-h IAQI; O3 is represented by its 1-h IAQI. HJ 633-2026 表3
  notes b/c: they count as 200 and 300. Any other concentration above the last breakpoint
  (the standard has no segment there) gets IAQI 500 and is flagged in ``above_table``.
* **Edition by date** (``edition="auto"``): a day before 2026-03-01 uses 2012, from it 2026.
  An hour belongs to the day in which it starts: the hour ending 2026-03-01 00:00 is the last
  hour of 2026-02-28 and uses 2012.
* **Missing data.** 2012: the AQI is computed from the indicators present (as the platform
  did) and the missing pollutants are listed. 2026 5.3: the AQI, level, category and primary
  pollutants are published only when the AQI of the pollutants present is above 100; else NA.
  The 5.3 exception for pollutants outside the monitoring plan is left to the caller.
* **AQI 0.** All-zero concentrations give AQI 0, level 1, although HJ 633-2026 4.1.1 states the
  range as 1–500.

References
----------
HJ 633-2012 表1 and notes, formula (1), the AQI and primary/exceeding pollutant rules, 表2,
附录A. HJ 633-2026 表3 and notes a–c, 4.2.2, 4.2.3, 4.2.6, 4.3.1, 表1, 5.3, 附录A.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

import numpy as np
import numpy.typing as npt
import pandas as pd

from envbureau.standards import hj633_tables as tables
from envbureau.standards.gb3095 import BEIJING_TZ
from envbureau.standards.rounding import round_gbt8170

__all__ = [
    "aqi_category",
    "aqi_colour",
    "aqi_health_advice",
    "aqi_health_effect",
    "aqi_level",
    "daily_aqi",
    "hourly_aqi",
    "iaqi",
]

_TOLERANCE = 1e-9  # see Assumptions: ceiling and grid detection
_NONE = -1  # an IAQI/AQI "no value" inside int arrays (output as NA)
_POLLUTANTS = tuple(tables.POLLUTANT_LABELS)
_SCALE = {pollutant: 10**d for pollutant, d in tables.CONCENTRATION_DECIMALS.items()}


def iaqi(conc: npt.ArrayLike, indicator: str, edition: str) -> npt.NDArray[np.float64]:
    """Individual air quality index (IAQI, 空气质量分指数) of one indicator.

    Parameters
    ----------
    conc : array_like
        Concentrations of the indicator; NaN = missing [μg/m³; CO mg/m³].
    indicator : str
        ``"<pollutant>_<period>"`` naming a breakpoint column: pollutant ``so2``, ``no2``,
        ``co``, ``o3``, ``pm10`` or ``pm25``; period ``1h``, ``8h`` or ``24h`` (e.g.
        ``"so2_1h"``, ``"o3_8h"``, ``"pm25_24h"``). Real-time PM 1-h means use ``pm*_24h``.
    edition : {"2012", "2026"}
        Edition of HJ 633.

    Returns
    -------
    numpy.ndarray of float64
        Integer IAQI values, NaN where the concentration is missing or where the edition
        computes no IAQI (2012: SO2 1-h or O3 8-h above 800 μg/m³). Same shape as ``conc``.

    Raises
    ------
    ValueError
        Unknown indicator or edition, or a negative or infinite concentration.

    Notes
    -----
    Formula (1) of the standard, with the standard's own segments (shared breakpoints):

    .. math:: IAQI_P = \\left\\lceil \\frac{IAQI_{Hi} - IAQI_{Lo}}{BP_{Hi} - BP_{Lo}}
              (C_P - BP_{Lo}) + IAQI_{Lo} \\right\\rceil

    :math:`C_P` concentration of pollutant P (rounded first under 2026); :math:`BP_{Hi}`,
    :math:`BP_{Lo}` the adjacent breakpoints of the column with
    :math:`BP_{Lo} \\le C_P \\le BP_{Hi}`; :math:`IAQI_{Hi}`, :math:`IAQI_{Lo}` their IAQI.
    Above the last breakpoint see the module Assumptions. Concentrations on the reporting
    grid (whole μg/m³, CO in 0.1 mg/m³: all of them under 2026, which rounds first) are
    looked up in a table of the formula evaluated exactly in integer arithmetic; others
    (2012 only) are interpolated with :func:`numpy.interp`. Both give the same integers.

    References
    ----------
    HJ 633-2012 表1 and its notes, formula (1). HJ 633-2026 表3 and notes a–c, formula (1),
    4.2.2/4.2.3 (input rounding), 4.2.6 (ceiling).
    """
    pollutant, period = _split_indicator(indicator, edition)
    values = np.asarray(conc, dtype=np.float64)
    column = _Column(values.ravel(), pollutant, indicator)
    result, _ = _column_iaqi(column, period, edition)
    return np.where(result < 0, np.nan, result).reshape(values.shape)


def aqi_level(aqi: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """AQI level (级别) 1–6; 0 where the AQI is missing.

    Parameters
    ----------
    aqi : array_like
        Integer AQI values; NaN or pandas NA = missing.

    Returns
    -------
    numpy.ndarray of int8
        Level: 1 for AQI 0–50, 2 for 51–100, 3 for 101–150, 4 for 151–200, 5 for 201–300,
        6 above 300; 0 for a missing AQI.

    References
    ----------
    HJ 633-2012 表2; HJ 633-2026 表1 (unchanged).
    """
    return _level_codes(_as_float(aqi))


def aqi_category(aqi: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """AQI category (类别): 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染; None if missing.

    References
    ----------
    HJ 633-2012 表2; HJ 633-2026 表1.
    """
    return _level_lookup(aqi, tables.CATEGORIES)


def aqi_colour(aqi: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """AQI colour as RGB hex (e.g. ``"#00E400"`` for 优); None if the AQI is missing.

    References
    ----------
    HJ 633-2012 附录A; HJ 633-2026 附录A (normative).
    """
    return _level_lookup(aqi, tables.COLOURS_RGB_HEX)


def aqi_health_effect(aqi: npt.ArrayLike, edition: str) -> npt.NDArray[np.object_]:
    """Health effect text (对健康影响情况) of the AQI level; None if the AQI is missing.

    References
    ----------
    HJ 633-2012 表2; HJ 633-2026 表1.
    """
    return _level_lookup(aqi, tables.HEALTH_EFFECTS[_check_edition(edition)])


def aqi_health_advice(aqi: npt.ArrayLike, edition: str) -> npt.NDArray[np.object_]:
    """Recommended measures (建议采取的措施) of the AQI level; None if the AQI is missing.

    References
    ----------
    HJ 633-2012 表2; HJ 633-2026 表1.
    """
    return _level_lookup(aqi, tables.HEALTH_ADVICE[_check_edition(edition)])


def daily_aqi(frame: pd.DataFrame, edition: str = "auto") -> pd.DataFrame:
    """Daily report (日报) AQI of each row (a station-day or city-day).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``date`` (``YYYY-MM-DD`` text, date or datetime; read only when
        ``edition="auto"``), optional ``station``, and the daily values, NaN = missing:
        ``so2_24h``, ``no2_24h``, ``pm10_24h``, ``pm25_24h`` (24-h means) [μg/m³],
        ``co_24h`` (24-h mean) [mg/m³], ``o3_8h_max`` (daily max 8-h moving mean) [μg/m³],
        and for rows under the 2012 edition ``o3_1h_max`` (daily max 1-h mean) [μg/m³].
    edition : {"auto", "2012", "2026"}
        ``"auto"`` chooses per row by ``date`` (before 2026-03-01: 2012).

    Returns
    -------
    pandas.DataFrame
        The input columns, then ``edition``, ``aqi`` (Int64), ``level`` (Int64, 1–6),
        ``category``, ``colour`` (RGB hex), ``primary_pollutants`` (``;``-separated from
        SO2, NO2, CO, O3, PM10, PM2.5; ``""`` when AQI ≤ 50), ``exceeding_pollutants``
        (2012 only; NA under 2026), ``missing_pollutants``, ``above_table`` (bool), and
        ``iaqi_so2_24h``, ``iaqi_no2_24h``, ``iaqi_co_24h``, ``iaqi_o3_8h``, ``iaqi_o3_1h``
        (2012 only), ``iaqi_pm10_24h``, ``iaqi_pm25_24h`` (Int64). Text columns are
        pandas categoricals. ``aqi`` and what derives from it are NA when no indicator could
        be computed, or under 2026 when a pollutant is missing and the AQI is not above 100.

    Raises
    ------
    ValueError
        A required column is absent, not numeric, negative or infinite, a date is
        unreadable, or the edition is unknown.

    Notes
    -----
    :math:`AQI = \\max(IAQI_1, \\ldots, IAQI_n)` over the indicators of the edition: 2012 —
    SO2, NO2, CO, PM10, PM2.5 24-h means, O3 daily max 8-h and daily max 1-h (7); 2026 — the
    same without the O3 1-h (6). Primary pollutants: those whose IAQI equals the AQI, when
    AQI > 50 (O3 counts once, by the larger of its two IAQIs). Exceeding pollutants (2012):
    IAQI > 100. See the module Assumptions for rounding and values above the table.

    References
    ----------
    HJ 633-2012 表1, formula (1), daily report indicators, primary and exceeding pollutant
    definitions, 表2. HJ 633-2026 4.2.2, 4.2.6, 4.3.1, 表1, 表3, 5.3.
    """
    return _report(frame, edition, "date", tables.DAILY_INDICATORS, {}, hourly=False)


def hourly_aqi(frame: pd.DataFrame, edition: str = "auto") -> pd.DataFrame:
    """Real-time report (实时报) AQI of each station-hour.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``time`` (end of the averaging hour; naive = Beijing time, tz-aware is
        converted; read only when ``edition="auto"``), optional ``station``, the 1-h means
        ``so2``, ``no2``, ``o3``, ``pm10``, ``pm25`` [μg/m³] and ``co`` [mg/m³], and
        optionally ``o3_8h`` (8-h moving mean), ``pm10_24h``, ``pm25_24h`` and ``so2_24h``
        (24-h moving means) [μg/m³]. NaN = missing.
    edition : {"auto", "2012", "2026"}
        ``"auto"`` chooses per row by the day in which the hour starts (before 2026-03-01:
        2012).

    Returns
    -------
    pandas.DataFrame
        As :func:`daily_aqi`, with ``iaqi_so2_1h``, ``iaqi_no2_1h``, ``iaqi_co_1h``,
        ``iaqi_o3_1h``, ``iaqi_pm10_1h``, ``iaqi_pm25_1h`` (the AQI indicators), and, under
        2012 only, ``iaqi_o3_8h``, ``iaqi_pm10_24h``, ``iaqi_pm25_24h`` (published but not in
        the AQI) and ``iaqi_so2_24h`` (only where SO2 1-h > 800 makes it the SO2 IAQI).

    Raises
    ------
    ValueError
        As :func:`daily_aqi`.

    Notes
    -----
    :math:`AQI = \\max(IAQI_{SO2}, IAQI_{NO2}, IAQI_{CO}, IAQI_{O3}, IAQI_{PM10},
    IAQI_{PM2.5})` of the 1-h means; SO2, NO2, CO and O3 against their 1-h columns, PM10 and
    PM2.5 against their 24-h columns. The module Assumptions give the evidence for 2012.

    References
    ----------
    HJ 633-2012 表1 and notes a–c, formula (1), real-time report indicators, 表2.
    HJ 633-2026 4.2.3, 4.2.6, 4.3.1, 表1, 表3 and notes a–c, 5.3.
    """
    return _report(
        frame,
        edition,
        "time",
        tables.HOURLY_INDICATORS,
        tables.HOURLY_PUBLISHED_ONLY,
        hourly=True,
    )


# --- IAQI of one breakpoint column -------------------------------------------------------
# Inside, an IAQI is an int64 array with _NONE for "no value": the AQI is then a plain integer
# maximum and the Int64 output columns need no conversion.


def _lookup_table(edition: str, pollutant: str, period: str) -> np.ndarray:
    """IAQI of every grid concentration 0, 1/scale, …, top of the column, exactly (integer
    ceiling of formula (1)); then the IAQI above the table; then _NONE (reached by index -1).
    """
    scale = _SCALE[pollutant]
    bp = np.asarray(tables.BREAKPOINTS[edition][(pollutant, period)], dtype=np.int64) * scale
    steps = np.asarray(tables.IAQI_STEPS[: bp.size], dtype=np.int64)
    grid = np.arange(bp[-1] + 1)
    lo = np.clip(np.searchsorted(bp, grid, side="right") - 1, 0, bp.size - 2)
    rise = (steps[lo + 1] - steps[lo]) * (grid - bp[lo])
    run = bp[lo + 1] - bp[lo]
    exact = steps[lo] - (-rise // run)  # IAQI_Lo + ceil(rise / run)
    rule = tables.ABOVE_TABLE[edition].get((pollutant, period), "cap")
    above = {"cap": tables.IAQI_STEPS[-1], "top": steps[-1], "substitute": _NONE}[rule]
    return np.concatenate([exact, [above, _NONE]])


_TABLES = {
    (edition, pollutant, period): _lookup_table(edition, pollutant, period)
    for edition, columns in tables.BREAKPOINTS.items()
    for pollutant, period in columns
}
# Columns whose lookup tables agree in both editions up to the last breakpoint.
_SAME_UP_TO_TOP = {
    key: np.array_equal(_TABLES[("2012", *key)][:-2], _TABLES[("2026", *key)][:-2])
    for key in tables.BREAKPOINTS_2012
}
# Breakpoints (float) and IAQI steps lowered by the tolerance, for np.interp: then
# ceil(interp(c, bp, steps - tol)) == ceil(formula (1) - tol) with no extra pass.
_BP = {key: np.asarray(bp, dtype=np.float64) for key, bp in tables.BREAKPOINTS_2012.items()}
_FP = np.asarray(tables.IAQI_STEPS, dtype=np.float64) - _TOLERANCE


class _Column:
    """One concentration column: float64 values (checked), and its lookup-table index.

    ``scratch`` (an int64 and a float64 buffer of the column's length) receives the index,
    so that a report reuses the same memory for all its columns; the index stays valid until
    :meth:`release`.
    """

    def __init__(
        self,
        values: np.ndarray,
        pollutant: str,
        name: str,
        scratch: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.values = values
        self.pollutant = pollutant
        self.scale = _SCALE[pollutant]
        self.upper = _check_concentrations(values, name)  # largest value, -inf if none
        n = values.size
        self._scratch = (np.empty(n, np.int64), np.empty(n)) if scratch is None else scratch
        self._index: np.ndarray | None = None
        self._top = -1
        self.on_grid = True  # whether every value was on the grid already

    def index(self, top: int) -> np.ndarray:
        """Each value in grid units (1 μg/m³; 0.1 mg/m³ CO) rounded by GB/T 8170
        (:func:`round_gbt8170`: 0.35 mg/m³ is 3.5 units, not 3.4999…), as an index into a
        lookup table whose grid ends at ``top``: top + 1 above the table, -1 for NaN. Sets
        :attr:`on_grid`."""
        if self._index is not None and self._top == top:
            return self._index
        index, rounded = self._scratch
        missing = np.isnan(self.values)
        if self.scale == 1:
            np.rint(self.values, out=rounded)  # fast path: whole μg/m³ come back unchanged
            # exact: only the NaN rows may differ from their rounding
            self.on_grid = np.count_nonzero(rounded != self.values) == np.count_nonzero(missing)
            if not self.on_grid:  # GB/T 8170, float noise next to a half counted as the half
                rounded[...] = round_gbt8170(self.values)
        else:
            scaled = self.values * self.scale
            rounded[...] = round_gbt8170(scaled)
            deviation = np.abs(rounded - scaled)
            self.on_grid = bool(np.fmax.reduce(deviation, initial=0.0) <= _TOLERANCE)
        if self.upper * self.scale > top:
            np.minimum(rounded, top + 1, out=rounded)  # the above-the-table slot
        with np.errstate(invalid="ignore"):  # NaN casts to an arbitrary integer, reset below
            np.copyto(index, rounded, casting="unsafe")
        index[missing] = -1  # the _NONE slot
        self._index, self._top = index, top
        return index

    def release(self) -> None:
        """Give the scratch buffers back: the index is recomputed if needed again."""
        self._index = None


def _column_iaqi(
    column: _Column, period: str, edition: str, out: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Integer IAQI (_NONE = no value) of one edition on every row (into ``out`` if given),
    and the rows above the last breakpoint (all False when none can be)."""
    pollutant = column.pollutant
    top = tables.BREAKPOINTS[edition][(pollutant, period)][-1]
    index = column.index(top * column.scale)
    if edition == "2026" or column.on_grid:
        above = index > top * column.scale if column.upper > top else np.zeros(index.size, bool)
        return np.take(_TABLES[(edition, pollutant, period)], index, out=out), above
    # 2012, off the grid: formula (1) by interpolation, ceiling with the tolerance.
    values = column.values
    bp = _BP[(pollutant, period)]
    raw = np.interp(values, bp, _FP[: bp.size])  # above the table: the last step
    above = values > top if column.upper > top else np.zeros(values.size, bool)
    if tables.ABOVE_TABLE[edition].get((pollutant, period)) == "substitute":
        raw[above] = np.nan
    np.fmax(raw, _NONE, out=raw)  # NaN -> _NONE
    result = np.empty(raw.size, dtype=np.int64) if out is None else out
    np.ceil(raw, out=result, casting="unsafe")
    return result, above


def _split_indicator(indicator: str, edition: str) -> tuple[str, str]:
    pollutant, _, period = indicator.rpartition("_")
    if (pollutant, period) not in tables.BREAKPOINTS[_check_edition(edition)]:
        known = sorted(f"{p}_{q}" for p, q in tables.BREAKPOINTS[edition])
        raise ValueError(f"unknown indicator {indicator!r}; expected one of {known}")
    return pollutant, period


def _check_edition(edition: str) -> str:
    if edition not in tables.EDITIONS:
        raise ValueError(f"unknown HJ 633 edition {edition!r}; expected one of {tables.EDITIONS}")
    return edition


def _check_concentrations(values: np.ndarray, name: str) -> float:
    """Refuse negative or infinite values; return the largest value (-inf if none)."""
    low = np.fmin.reduce(values, axis=None, initial=np.inf)
    high = np.fmax.reduce(values, axis=None, initial=-np.inf)
    if low < 0 or high == np.inf:
        bad = low if low < 0 else high
        raise ValueError(f"{name}: concentrations must be finite and >= 0, found {bad}")
    return float(high)


# --- levels ------------------------------------------------------------------------------


def _as_float(aqi: npt.ArrayLike) -> np.ndarray:
    if isinstance(aqi, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        return pd.array(aqi, dtype="Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(aqi, dtype=np.float64)


def _level_codes(aqi: np.ndarray) -> np.ndarray:
    """Level 1–6 as int8, 0 where the AQI is missing (NaN, or negative = _NONE)."""
    level = (aqi >= 0).view(np.int8).copy()
    for upper in tables.LEVEL_UPPER_AQI[:-1]:
        level += aqi > upper
    return level


def _level_lookup(aqi: npt.ArrayLike, labels: Sequence[str]) -> np.ndarray:
    choices = np.asarray([None, *labels], dtype=object)
    return choices[aqi_level(aqi)]


# --- reports -----------------------------------------------------------------------------

_BIT_WEIGHTS = (1 << np.arange(len(_POLLUTANTS), dtype=np.int8))[:, None]
# Every ``;``-separated list of pollutants, indexed by its bit mask (bit k = _POLLUTANTS[k]).
_POLLUTANT_SETS = [
    ";".join(label for k, label in enumerate(tables.POLLUTANT_LABELS.values()) if mask >> k & 1)
    for mask in range(1 << len(_POLLUTANTS))
]
_SWITCH_DAY = np.datetime64(tables.EDITION_2026_IN_FORCE, "ns")
_SWITCH_HOUR_END = np.datetime64(
    datetime.combine(tables.EDITION_2026_IN_FORCE, time(1)), "ns"
)  # the first hour of 2026-03-01 ends at 01:00


def _report(
    frame: pd.DataFrame,
    edition: str,
    time_column: str,
    indicators: dict[str, tuple[tables.Indicator, ...]],
    published_only: dict[str, tuple[tables.Indicator, ...]],
    *,
    hourly: bool,
) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    is_2026 = _edition_mask(frame, edition, time_column, hourly=hourly)
    present = [ed for ed, has in (("2012", ~is_2026), ("2026", is_2026)) if has.any()]
    required = {ind[1] for ed in present for ind in indicators[ed]}
    absent = sorted(required - set(frame.columns))
    if absent:
        used = " and ".join(f"HJ 633-{ed}" for ed in present)
        raise ValueError(f"input column(s) {absent} required by {used} are absent")
    report = _Report(frame, is_2026, present)
    for ed in tables.EDITIONS:
        for name, column, pollutant, period in indicators[ed]:
            report.add(name, column, pollutant, period, in_aqi=True, plans=indicators)
        for name, column, pollutant, period in published_only.get(ed, ()):
            report.add(name, column, pollutant, period, in_aqi=False, plans=published_only)
    if hourly:
        report.names.append("so2_24h")  # HJ 633-2012 表1 note b: the SO2 1-h substitute
    columns = _summary(report.pollutant_iaqi, is_2026, present)
    columns["above_table"] = report.above_table
    for name in dict.fromkeys(report.names):
        columns[f"iaqi_{name}"] = _int64(report.iaqis.get(name, len(frame)))
    result = pd.DataFrame(columns, index=frame.index, copy=False)
    kept = frame.drop(columns=[c for c in result.columns if c in frame.columns])
    return pd.concat([kept, result], axis=1)


class _Report:
    """The IAQIs of one report as they are computed, indicator by indicator."""

    def __init__(self, frame: pd.DataFrame, is_2026: np.ndarray, present: list[str]) -> None:
        self.frame = frame
        self.is_2026 = is_2026
        self.present = present
        self.names: list[str] = []
        self.iaqis: dict[str, np.ndarray] = {}
        self.columns: dict[str, _Column | None] = {}
        # IAQI of each pollutant (row k = _POLLUTANTS[k]): the largest of its indicators.
        self.pollutant_iaqi = np.full((len(_POLLUTANTS), len(frame)), _NONE, dtype=np.int16)
        # Buffers reused column after column: lookup index, rounded values, a spare result.
        self.scratch = (np.empty(len(frame), np.int64), np.empty(len(frame)))
        self.spare = np.empty(len(frame), np.int64)
        self.above_table = np.zeros(len(frame), dtype=bool)

    def add(
        self,
        name: str,
        column: str,
        pollutant: str,
        period: str,
        *,
        in_aqi: bool,
        plans: dict[str, tuple[tables.Indicator, ...]],
    ) -> None:
        """Compute indicator ``name`` for the rows of the editions whose plan has it."""
        if name in self.names:
            return
        self.names.append(name)
        editions = [ed for ed in self.present if name in {i[0] for i in plans.get(ed, ())}]
        source = self._column(column, pollutant)
        if not editions or source is None:
            return
        values, above = self._iaqi(source, period, editions)
        self.iaqis[name] = values
        if not in_aqi:
            return
        row = self.pollutant_iaqi[_POLLUTANTS.index(pollutant)]
        np.maximum(row, values, out=row, casting="unsafe")
        rules = {ed: tables.ABOVE_TABLE[ed].get((pollutant, period), "cap") for ed in editions}
        if set(rules.values()) == {"cap"}:
            self.above_table |= above
        elif rules.get("2012") == "substitute" and above.any():
            sub_pollutant, sub_period = tables.SUBSTITUTES[(pollutant, period)]
            sub_name = f"{sub_pollutant}_{sub_period}"
            if sub_name not in {i[0] for i in plans["2012"]}:  # else its IAQI is in already
                self._substitute(sub_name, sub_pollutant, sub_period, above & ~self.is_2026, row)

    def _substitute(
        self, name: str, pollutant: str, period: str, rows: np.ndarray, row: np.ndarray
    ) -> None:
        """HJ 633-2012 表1 notes b/c: on ``rows`` the pollutant's IAQI comes from the other
        averaging time (real-time SO2 1-h > 800 → the SO2 24-h moving mean)."""
        source = self._column(name, pollutant)
        if source is None or not rows.any():
            return
        values, above = _column_iaqi(source, period, "2012")
        source.release()
        values = np.where(rows, values, _NONE)
        self.iaqis[name] = values
        np.maximum(row, values, out=row, casting="unsafe")
        self.above_table |= above & rows

    def _iaqi(
        self, source: _Column, period: str, editions: list[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """IAQI on every row under the row's edition (_NONE for editions not using it)."""
        values, above = _column_iaqi(source, period, editions[0])
        if len(self.present) > 1:
            if len(editions) == 1:  # the other edition has no such indicator
                rows = _rows_of(editions[0], self.is_2026)
                np.copyto(values, _NONE, where=~rows)
                above &= rows
            elif not (
                _SAME_UP_TO_TOP[(source.pollutant, period)]
                and source.on_grid
                and not above.any()  # the editions differ above the table (SO2 1-h, O3 8-h)
            ):
                newer, newer_above = _column_iaqi(source, period, "2026", out=self.spare)
                np.copyto(values, newer, where=self.is_2026)
                above = np.where(self.is_2026, newer_above, above)
        source.release()
        return values, above

    def _column(self, column: str, pollutant: str) -> _Column | None:
        if column not in self.columns:
            values = _read_column(self.frame, column)
            self.columns[column] = (
                None if values is None else _Column(values, pollutant, column, self.scratch)
            )
        return self.columns[column]


def _summary(
    pollutant_iaqi: np.ndarray, is_2026: np.ndarray, present: list[str]
) -> dict[str, object]:
    """AQI, level, category, colour and the pollutant lists from the pollutant IAQIs."""
    aqi = pollutant_iaqi.max(axis=0)
    missing = _bits(pollutant_iaqi < 0)
    for ed in present:  # HJ 633-2026 5.3: with a pollutant missing, publish only a high AQI
        limit = tables.PUBLISH_INCOMPLETE_ABOVE[ed]
        if limit is not None:
            aqi[_rows_of(ed, is_2026) & (missing != 0) & (aqi <= limit)] = _NONE
    no_aqi = aqi < 0
    primary = _bits(pollutant_iaqi == aqi)
    primary *= aqi > tables.PRIMARY_POLLUTANT_ABOVE
    primary[no_aqi] = -1
    exceeding = np.full(aqi.size, -1, dtype=np.int8)  # NA: 2026 deleted the notion
    for ed in present:
        limit = tables.EXCEEDING_ABOVE[ed]
        if limit is not None:
            np.copyto(exceeding, _bits(pollutant_iaqi > limit), where=_rows_of(ed, is_2026))
    exceeding[no_aqi] = -1
    level = _level_codes(aqi)
    return {
        "edition": pd.Categorical.from_codes(is_2026.view(np.int8), list(tables.EDITIONS)),
        "aqi": pd.arrays.IntegerArray(aqi.astype(np.int64), no_aqi),
        "level": pd.arrays.IntegerArray(level.astype(np.int64), no_aqi),
        "category": pd.Categorical.from_codes(level - 1, list(tables.CATEGORIES)),
        "colour": pd.Categorical.from_codes(level - 1, list(tables.COLOURS_RGB_HEX)),
        "primary_pollutants": pd.Categorical.from_codes(primary, _POLLUTANT_SETS),
        "exceeding_pollutants": pd.Categorical.from_codes(exceeding, _POLLUTANT_SETS),
        "missing_pollutants": pd.Categorical.from_codes(missing, _POLLUTANT_SETS),
    }


def _rows_of(edition: str, is_2026: np.ndarray) -> np.ndarray:
    return is_2026 if edition == "2026" else ~is_2026


def _bits(masks: np.ndarray) -> np.ndarray:
    """Per row (column of ``masks``), an int8 with bit k set where masks[k] is True."""
    return (masks.view(np.int8) * _BIT_WEIGHTS).sum(axis=0, dtype=np.int8)


def _read_column(frame: pd.DataFrame, column: str) -> np.ndarray | None:
    """A concentration column as float64 (NaN = missing); None if the frame has none."""
    if column not in frame.columns:
        return None
    series = frame[column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise ValueError(
            f"column {column!r} must hold numbers (μg/m³; CO mg/m³), found {series.dtype}"
        )
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def _edition_mask(
    frame: pd.DataFrame, edition: str, column: str, *, hourly: bool
) -> npt.NDArray[np.bool_]:
    """True for the rows computed under HJ 633-2026."""
    if edition != "auto":
        return np.full(len(frame), _check_edition(edition) == "2026")
    if column not in frame.columns:
        raise ValueError(f"edition='auto' needs the column {column!r}")
    switch = _SWITCH_HOUR_END if hourly else _SWITCH_DAY
    series = frame[column]
    if isinstance(series.dtype, pd.DatetimeTZDtype):  # compare in UTC, no conversion
        stamps = series.dt.tz_convert(None).to_numpy()
        switch = pd.Timestamp(switch, tz=BEIJING_TZ).tz_convert(None).to_datetime64()
    else:
        stamps = _beijing_datetimes(series)
    if np.isnat(stamps).any():
        raise ValueError(f"column {column!r} has missing values; cannot choose the edition")
    return stamps >= switch


def _beijing_datetimes(series: pd.Series) -> np.ndarray:
    """Naive Beijing datetime64 values of a naive datetime, date or text column."""
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series.to_numpy()
    codes, uniques = pd.factorize(series)
    try:
        parsed = pd.to_datetime(pd.Index(uniques), format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"column {series.name!r}: unreadable date or time: {exc}") from exc
    if parsed.tz is not None:
        parsed = parsed.tz_convert(BEIJING_TZ).tz_localize(None)
    with_missing = np.append(parsed.to_numpy(), np.datetime64("NaT"))  # code -1: missing
    return with_missing[codes]


def _int64(values: np.ndarray | int) -> pd.arrays.IntegerArray:
    """Int64 array of integer IAQI values (_NONE -> NA); an int n gives n NAs."""
    if isinstance(values, int):
        return pd.arrays.IntegerArray(np.zeros(values, np.int64), np.ones(values, bool))
    return pd.arrays.IntegerArray(values, values < 0)
