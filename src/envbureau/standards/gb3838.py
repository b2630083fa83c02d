"""GB 3838-2002 surface-water classes, evaluated by the 2011 surface-water evaluation method.

Implements GB 3838-2002 《地表水环境质量标准》 表1 and 表2 with 《地表水环境质量评价办法
（试行）》 (环办〔2011〕22号): the class of each item and of a section (single-factor method,
单因子评价法), 劣Ⅴ, the quality status (水质状况), exceedance multiples against Class Ⅲ and the
main pollutants, the separate TN / fecal-coliform classes, drinking-water source compliance
and target attainment. Period means and the status of a river or watershed are in
:mod:`envbureau.standards.gb3838_aggregate`, the lake trophic state in
:mod:`envbureau.standards.gb3838_tli`, the numbers of the standards in
:mod:`envbureau.standards.gb3838_tables`. Pure and vectorised: pandas/numpy in and out.

Assumptions
-----------
Decisions taken where the standard and the method are silent (facts sheet uncertainty 7):

* **Boundaries.** A value equal to a limit meets the class (表1 "≤"/"≥" are inclusive). A
  value within a relative 1e-9 of a limit counts as equal, so that a mean such as
  (0.1 + 0.2 + 0.3) / 3 = 0.20000000000000004 is not pushed into the worse class by binary
  floating point. Inputs are not rounded here.
* **Equal limits of adjacent classes** give the best class met (COD 15 mg/L → Ⅰ).
* **pH** inside 6–9 is class Ⅰ (the best class it meets); outside it is 劣Ⅴ.
* **DO** class Ⅰ is 7.5 mg/L; the "90 % saturation" alternative of 表1 item 3 is not applied
  (the release of the national automatic stations does not apply it either; see the
  comment on ``gb3838_tables.TABLE1_LIMITS["do"]``).
* **Items evaluated.** The section class uses the 21 items of the 2011 method that the frame
  holds and that have a value in the row; a missing value is not evaluated (never counted as
  class Ⅰ). The items used are listed in ``items_evaluated``. Water temperature has no class.
  TN (lakes and reservoirs only; NA for rivers) and fecal coliform get their own classes
  and never enter the section class.
* **Water body.** River limits unless the row (``water_body`` column) or the argument says
  ``"lake"`` or ``"reservoir"``; both use the lake/reservoir TP limits of 表1 item 8.
* **Exceedance.** An item exceeds when its class is worse than Ⅲ; multiple = (C − S_Ⅲ) / S_Ⅲ
  with the water body's S_Ⅲ, rounded to 2 decimals by GB/T 8170 (half to even) from its
  value to 9 decimals (so (6.15 − 6) / 6 rounds as 0.025 → 0.02, not as the binary
  0.02500000000000006 → 0.03). pH, DO and water temperature get none, so they are never
  main pollutants. Main pollutants: the three largest rounded multiples; ties in the order
  of 表1.
* **Wrong units** are refused, never converted: see :func:`check_values_gb3838`.

References
----------
GB 3838-2002 表1 (items 1–24 and notes), 表2. 环办〔2011〕22号: 评价指标, 断面水质评价
(单因子评价法, 定性评价表), 主要污染指标, 超标倍数.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from envbureau.standards import gb3838_tables as tables
from envbureau.standards.rounding import format_gbt8170

__all__ = [
    "check_values_gb3838",
    "class_label_gb3838",
    "drinking_source_compliance_gb3838",
    "item_class_gb3838",
    "meets_target",
    "quality_status_gb3838",
    "water_class_gb3838",
]

_TOLERANCE = 1e-9  # relative; see Assumptions: boundaries
_NOISE_DECIMALS = 9  # a multiple is cleaned of binary noise to 9 decimals before rounding
_WORST = len(tables.CLASS_LABELS)  # 6 = 劣Ⅴ
_SHOWN = 3  # offending values quoted in an error message
#: None as a 0-d object array: what np.where makes of a bare None (numpy's stubs refuse one).
_NONE = np.array(None, dtype=object)
_format_multiple = np.frompyfunc(lambda x: format_gbt8170(x, tables.EXCEEDANCE_DECIMALS), 1, 1)


def check_values_gb3838(values: npt.ArrayLike | pd.Series, item: str) -> np.ndarray:
    """Check the values of one item and return them as float64; refuse bad input.

    Parameters
    ----------
    values : scalar, array_like or pandas.Series
        Values of the item; NaN, None and pandas NA mean missing [mg/L; pH dimensionless;
        water temperature ℃; fecal coliform 个/L].
    item : str
        Field name of a GB 3838-2002 表1 or 表2 item (``tables.KNOWN_ITEMS``).

    Returns
    -------
    numpy.ndarray of float64
        The values, NaN where missing.

    Raises
    ------
    ValueError
        Unknown item; a value that is not a number, is infinite or negative; pH outside 0–14;
        or a magnitude that shows a wrong unit. The message names the item, the rule and the
        first offending values with their positions (index labels for a Series).

    Notes
    -----
    **Assumptions** (the standard gives no plausibility rule; ours is in
    ``tables.UNIT_CHECK_MAX``): a "≤" item above 500 × its class Ⅰ limit (表2 items: 500 × the
    limit) is what a μg/L reading of a water at half the class Ⅰ limit looks like in mg/L,
    e.g. mercury above 0.025 mg/L; DO above 50 mg/L is % saturation or μg/L; water temperature
    must lie in −5–50 ℃. Fecal coliform is not checked.

    References
    ----------
    GB 3838-2002 表1 and 表2 (items, units and limit magnitudes); item 2 (pH, dimensionless).
    """
    if item not in tables.KNOWN_ITEMS:
        known = ", ".join(sorted(tables.KNOWN_ITEMS))
        raise ValueError(f"unknown GB 3838 item {item!r}; known items: {known}")
    series = values if isinstance(values, pd.Series) else pd.Series(np.atleast_1d(values))
    number = pd.to_numeric(series, errors="coerce")
    x = number.to_numpy(dtype=np.float64, na_value=np.nan)
    where = f"{item} ({tables.TABLE1_ITEMS.get(item) or tables.TABLE2_ITEMS[item]})"
    _refuse(series, number.isna().to_numpy() & series.notna().to_numpy(), where, "not a number")
    _refuse(series, np.isinf(x), where, "infinite value")
    low = tables.UNIT_CHECK_MIN.get(item, 0.0)
    _refuse(series, x < low, where, f"value below {low:g} {tables.UNITS[item]}")
    high = tables.UNIT_CHECK_MAX.get(item)
    if high is not None:
        rule = (
            "pH outside 0–14"
            if item == "ph"
            else f"value above {high:g} {tables.UNITS[item]}: wrong unit? "
            f"(expected {tables.UNITS[item]}; e.g. μg/L given where mg/L is expected)"
        )
        _refuse(series, x > high, where, rule)
    return x


def item_class_gb3838(
    values: npt.ArrayLike | pd.Series,
    item: str,
    water_body: str | npt.ArrayLike = "river",
) -> pd.Series:
    """Class of each value of one item, 1–5 for Ⅰ–Ⅴ and 6 for 劣Ⅴ (single-factor method).

    Parameters
    ----------
    values : scalar, array_like or pandas.Series
        Values of the item; NaN = missing [mg/L; pH dimensionless; fecal coliform 个/L].
    item : str
        Field name of a 表1 item with classes: ``ph``, ``do``, ``codmn``, ``cod``, ``bod5``,
        ``nh3n``, ``tp``, ``tn``, ``cu``, ``zn``, ``fluoride``, ``se``, ``as``, ``hg``,
        ``cd``, ``cr6``, ``pb``, ``cyanide``, ``volatile_phenol``, ``petroleum``, ``las``,
        ``sulfide``, ``fecal_coliform``.
    water_body : {"river", "lake", "reservoir"} or array_like of them
        One for all values or one per value. Lakes and reservoirs use the TP limits in
        parentheses in 表1 item 8; TN has classes for lakes and reservoirs only.

    Returns
    -------
    pandas.Series of Int64
        Class code per value, NA where the value is missing (and for TN in a river). The
        index is that of ``values`` when it is a Series.

    Raises
    ------
    ValueError
        Unknown item, an item without classes (water temperature, 表2 items), an unknown water
        body, or bad values (see :func:`check_values_gb3838`).

    Notes
    -----
    For a "≤" item with limits :math:`S_1 \\le \\dots \\le S_5`, the class is the smallest
    :math:`k` with :math:`C \\le S_k`, and 6 when :math:`C > S_5`; for DO ("≥") the smallest
    :math:`k` with :math:`C \\ge S_k`. pH: class 1 for :math:`6 \\le pH \\le 9`, else 6.

    **Assumptions**: see the module docstring (boundaries with a relative tolerance of 1e-9,
    equal adjacent limits give the better class, pH inside 6–9 is class Ⅰ, DO saturation
    alternative not applied, TN NA for rivers).

    References
    ----------
    GB 3838-2002 表1 items 2–24 and notes (item 8 lake/reservoir TP, item 9 TN for
    lakes/reservoirs).
    """
    x = check_values_gb3838(values, item)
    if item not in tables.TABLE1_LIMITS and item != "ph":
        raise ValueError(f"GB 3838 item {item!r} has no classes (表1 water temperature, 表2)")
    lake = _lake_mask(water_body, len(x))
    index = values.index if isinstance(values, pd.Series) else None
    return pd.Series(_item_classes(x, item, lake), index=index, dtype="Int64")


def water_class_gb3838(frame: pd.DataFrame, water_body: str = "river") -> pd.DataFrame:
    """Class of each sample by the single-factor method, with status, causes and exceedance.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per sample (or per section-period mean). Any subset of the item columns
        (``ph``, ``do``, ``codmn``, ``cod``, ``bod5``, ``nh3n``, ``tp``, ``cu``, ``zn``,
        ``fluoride``, ``se``, ``as``, ``hg``, ``cd``, ``cr6``, ``pb``, ``cyanide``,
        ``volatile_phenol``, ``petroleum``, ``las``, ``sulfide``, and the separately
        evaluated ``tn`` and ``fecal_coliform``) [mg/L; pH dimensionless; fecal coliform
        个/L], optionally ``water_body`` per row; other columns are ignored.
    water_body : {"river", "lake", "reservoir"}
        Water body of rows without a ``water_body`` value.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``frame``, with columns:

        ``water_class`` (Int64 1–6, NA when no item has a value), ``class_label`` (Ⅰ … 劣Ⅴ),
        ``quality_status`` (优, 良好, 轻度污染, 中度污染, 重度污染), ``limiting_items``
        (``;``-joined items whose class equals the section class, 表1 order; at class Ⅰ every
        evaluated item), ``margin_to_better_class`` (``item:distance`` for each limiting
        item: how far it must improve, in its own unit, to meet the next better class —
        the decrease for "≤" items, the increase for DO, the distance to 6–9 for pH; NA at
        class Ⅰ), ``over_class_iii`` (``item:multiple`` of the items worse than Ⅲ, largest
        first), ``main_pollutants`` (the first three of them), ``tn_class`` (Int64, lakes
        and reservoirs), ``fecal_coliform_class`` (Int64), ``items_evaluated`` (``;``-joined
        items with a value) and ``n_items_evaluated``.

    Raises
    ------
    ValueError
        Bad values or water bodies (see :func:`check_values_gb3838`).

    Notes
    -----
    Section class :math:`= \\max_i k_i` over the evaluated items, :math:`k_i` from
    :func:`item_class_gb3838`. Exceedance multiple of item :math:`i` worse than Ⅲ:
    :math:`(C_i - S_{i,Ⅲ}) / S_{i,Ⅲ}`, :math:`S_{i,Ⅲ}` its Class Ⅲ limit for the row's
    water body, rounded to 2 decimals (GB/T 8170).

    **Assumptions**: see the module docstring (items evaluated, exceedance, ties).

    References
    ----------
    GB 3838-2002 表1. 环办〔2011〕22号: 评价指标 (21 items; TN and fecal coliform 单独评价),
    断面水质评价 (单因子评价法 and 断面水质定性评价 table), 主要污染指标, 超标倍数.
    """
    n = len(frame)
    lake = _frame_lake_mask(frame, water_body)
    items = [item for item in tables.EVALUATION_ITEMS_2011 if item in frame.columns]
    values = np.column_stack(
        [check_values_gb3838(frame[item], item) for item in items] or [np.empty((n, 0))]
    )
    classes = np.column_stack(
        [_item_classes(values[:, j], item, lake) for j, item in enumerate(items)]
        or [np.empty((n, 0))]
    )
    section = np.max(np.nan_to_num(classes, nan=0.0), axis=1, initial=0.0)
    section = np.where(section == 0, np.nan, section)
    names = np.asarray(items, dtype=object)
    limiting = classes == section[:, None]
    multiples = np.column_stack(
        [_exceedance(values[:, j], item, lake) for j, item in enumerate(items)]
        or [np.empty((n, 0))]
    )
    rounded, texts = _rounded_multiples(multiples)
    order = np.argsort(-np.nan_to_num(rounded, nan=-np.inf), axis=1, kind="stable")
    exceeding = ~np.isnan(rounded)
    has_class = ~np.isnan(section)
    out = pd.DataFrame(index=frame.index)
    out["water_class"] = pd.array(section, dtype="Int64")
    out["class_label"] = _lookup(section, tables.CLASS_LABELS)
    out["quality_status"] = _lookup(section, tables.QUALITY_STATUS)
    out["limiting_items"] = _or_na(_joined(names, limiting), has_class)
    margins = _margins(values, items, section, lake)
    out["margin_to_better_class"] = _or_na(
        _joined(names, limiting, margins), has_class & (section > 1)
    )
    out["over_class_iii"] = _or_na(_joined(names, exceeding, texts, order), has_class)
    out["main_pollutants"] = _or_na(
        _joined(names, exceeding, order=order, limit=tables.MAIN_POLLUTANT_COUNT), has_class
    )
    for item in tables.SEPARATELY_EVALUATED:
        column = frame[item] if item in frame.columns else pd.Series(np.nan, index=frame.index)
        out[f"{item}_class"] = pd.array(
            _item_classes(check_values_gb3838(column, item), item, lake), dtype="Int64"
        )
    out["items_evaluated"] = _joined(names, ~np.isnan(values))
    out["n_items_evaluated"] = (~np.isnan(values)).sum(axis=1)
    return out


def drinking_source_compliance_gb3838(
    frame: pd.DataFrame, water_body: str = "river"
) -> pd.DataFrame:
    """Compliance (达标) of a centralised drinking-water surface source, per row.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per sample, or per source and period (period means). Any of the 21 basic
        items of the 2011 method and the 表2 items ``sulfate``, ``chloride``, ``nitrate``
        (as N), ``iron``, ``manganese`` [mg/L; pH dimensionless]; optional ``water_body``.
    water_body : {"river", "lake", "reservoir"}
        Water body of rows without a ``water_body`` value (lake/reservoir TP limits).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``frame``: ``compliant`` (boolean, NA when no item has a value),
        ``failing_items`` (``;``-joined, 表1 then 表2 order), ``exceedances``
        (``item:multiple`` of the failing items against Class Ⅲ or the 表2 limit; none for
        pH and DO), ``n_items_evaluated``.

    Notes
    -----
    A row complies when every basic item meets Class Ⅲ (class ≤ 3) and every 表2 item is at
    most its limit. Multiple :math:`(C - S) / S`, rounded to 2 decimals (GB/T 8170).

    **Assumptions**: 表3 specific items are not transcribed in the facts sheet and are not
    evaluated; a missing item is not evaluated (a row is judged on the items it has). Iron
    and manganese of natural origin still count as failing. The share of compliant sources
    and the intake-volume rate are left to the caller (the bureau's assessment rules).

    References
    ----------
    GB 3838-2002 表1 (Class Ⅲ), 表2. 环办〔2011〕22号 and the facts sheet §3.7.
    """
    n = len(frame)
    lake = _frame_lake_mask(frame, water_body)
    basic = [item for item in tables.EVALUATION_ITEMS_2011 if item in frame.columns]
    table2 = [item for item in tables.TABLE2_LIMITS if item in frame.columns]
    items = basic + table2
    values = np.column_stack(
        [check_values_gb3838(frame[item], item) for item in items] or [np.empty((n, 0))]
    )
    fails = np.zeros(values.shape, dtype=bool)
    multiples = np.full(values.shape, np.nan)
    reference = tables.EXCEEDANCE_REFERENCE_CLASS
    for j, item in enumerate(items):
        x = values[:, j]
        if item in tables.TABLE2_LIMITS:
            limit = tables.TABLE2_LIMITS[item]
            fails[:, j] = x > limit * (1 + _TOLERANCE)
            multiples[:, j] = np.where(fails[:, j], (x - limit) / limit, np.nan)
        else:
            fails[:, j] = _item_classes(x, item, lake) > reference
            multiples[:, j] = _exceedance(x, item, lake)
    evaluated = ~np.isnan(values)
    has_value = evaluated.any(axis=1)
    names = np.asarray(items, dtype=object)
    _, texts = _rounded_multiples(multiples)
    out = pd.DataFrame(index=frame.index)
    compliant = pd.array(~fails.any(axis=1), dtype="boolean")
    compliant[~has_value] = pd.NA
    out["compliant"] = compliant
    out["failing_items"] = _or_na(_joined(names, fails), has_value)
    out["exceedances"] = _or_na(_joined(names, fails & ~np.isnan(multiples), texts), has_value)
    out["n_items_evaluated"] = evaluated.sum(axis=1)
    return out


def meets_target(
    water_class: npt.ArrayLike | pd.Series, target_class: npt.ArrayLike | pd.Series | int | str
) -> pd.Series:
    """Whether a class meets a target class (达到目标): class code ≤ target code.

    Parameters
    ----------
    water_class : scalar, array_like or pandas.Series
        Class codes 1–6 or labels Ⅰ–Ⅴ, 劣Ⅴ; NA = no class.
    target_class : scalar or array_like
        Target class code 1–5 or label, one for all or one per value.

    Returns
    -------
    pandas.Series of boolean
        True where the class is the target or better, NA where the class is missing. Index
        of ``water_class`` when it is a Series.

    Raises
    ------
    ValueError
        A code outside 1–6 or an unknown label.

    References
    ----------
    GB 3838-2002 water-function classes Ⅰ–Ⅴ (a better class also serves the functions of
    the worse ones); 环办〔2011〕22号 断面水质评价 ("符合 Ⅲ 类", "劣于 Ⅴ 类").
    """
    index = water_class.index if isinstance(water_class, pd.Series) else None
    codes = _class_codes(water_class, "water_class")
    targets = np.broadcast_to(_class_codes(target_class, "target_class"), codes.shape)
    result = pd.array(codes <= targets, dtype="boolean")
    result[np.isnan(codes) | np.isnan(targets)] = pd.NA
    return pd.Series(result, index=index)


def class_label_gb3838(water_class: npt.ArrayLike | pd.Series) -> np.ndarray:
    """Class labels Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ of class codes 1–6; None where missing.

    References
    ----------
    GB 3838-2002 water-function classes Ⅰ–Ⅴ; 环办〔2011〕22号 ("劣于 Ⅴ 类", coded 6).
    """
    return _lookup(_class_codes(water_class, "water_class"), tables.CLASS_LABELS)


def quality_status_gb3838(water_class: npt.ArrayLike | pd.Series) -> np.ndarray:
    """Quality status (水质状况) of a section: Ⅰ–Ⅱ 优, Ⅲ 良好, Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染.

    References
    ----------
    环办〔2011〕22号, 断面水质定性评价 table.
    """
    return _lookup(_class_codes(water_class, "water_class"), tables.QUALITY_STATUS)


# --- helpers ---------------------------------------------------------------------------------


def _refuse(series: pd.Series, bad: np.ndarray, where: str, rule: str) -> None:
    if not bad.any():
        return
    positions = np.flatnonzero(bad)
    shown = ", ".join(f"[{series.index[i]!r}] {_shown(series.iloc[i])}" for i in positions[:_SHOWN])
    more = f" and {positions.size - _SHOWN} more" if positions.size > _SHOWN else ""
    raise ValueError(f"GB 3838 {where}: {rule}: {shown}{more}")


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _lake_mask(water_body: str | npt.ArrayLike, n: int) -> np.ndarray:
    bodies = np.broadcast_to(np.asarray(water_body, dtype=object), (n,))
    known = np.isin(bodies, tables.WATER_BODIES)
    if not known.all():
        raise ValueError(
            f"unknown water body {bodies[~known][0]!r}; expected one of "
            f"{', '.join(tables.WATER_BODIES)}"
        )
    return np.isin(bodies, tuple(tables.LAKE_RESERVOIR))


def _frame_lake_mask(frame: pd.DataFrame, water_body: str) -> np.ndarray:
    if "water_body" not in frame.columns:
        return _lake_mask(water_body, len(frame))
    column = frame["water_body"].astype(object)
    return _lake_mask(column.where(column.notna(), water_body).to_numpy(), len(frame))


def _limits(item: str, lake: np.ndarray) -> np.ndarray:
    """(n, 5) limits of classes Ⅰ–Ⅴ for each row's water body."""
    limits = np.tile(np.asarray(tables.TABLE1_LIMITS[item], dtype=np.float64), (lake.size, 1))
    if item in tables.LAKE_RESERVOIR_LIMITS:
        limits[lake] = tables.LAKE_RESERVOIR_LIMITS[item]
    return limits


def _item_classes(x: np.ndarray, item: str, lake: np.ndarray) -> np.ndarray:
    """Class codes 1–6 as float64, NaN where missing or not applicable."""
    if item == "ph":
        low, high = tables.PH_RANGE
        inside = (x >= low * (1 - _TOLERANCE)) & (x <= high * (1 + _TOLERANCE))
        codes = np.where(inside, 1.0, float(_WORST))
    else:
        limits = _limits(item, lake)
        if item in tables.HIGHER_IS_BETTER:
            fails = x[:, None] < limits * (1 - _TOLERANCE)
        else:
            fails = x[:, None] > limits * (1 + _TOLERANCE)
        # The limits are monotone, so the classes failed are the first ones.
        codes = fails.sum(axis=1) + 1.0
        if item in tables.LAKE_RESERVOIR_ONLY:
            codes[~lake] = np.nan
    return np.where(np.isnan(x), np.nan, codes)


def _exceedance(x: np.ndarray, item: str, lake: np.ndarray) -> np.ndarray:
    """(C − S_Ⅲ) / S_Ⅲ where the item is worse than Class Ⅲ, else NaN."""
    if item in tables.NO_EXCEEDANCE_MULTIPLE:
        return np.full(x.shape, np.nan)
    reference = _limits(item, lake)[:, tables.EXCEEDANCE_REFERENCE_CLASS - 1]
    worse = _item_classes(x, item, lake) > tables.EXCEEDANCE_REFERENCE_CLASS
    return np.where(worse, (x - reference) / reference, np.nan)


def _margins(
    values: np.ndarray, items: Sequence[str], section: np.ndarray, lake: np.ndarray
) -> np.ndarray:
    """Per (row, item): how far the value is from the next better class than the section's."""
    out = np.full(values.shape, "", dtype=object)
    better = np.nan_to_num(section, nan=1.0).astype(int) - 2  # column of class (section − 1)
    rows = np.flatnonzero(better >= 0)
    for j, item in enumerate(items):
        x = values[rows, j]
        if item == "ph":
            low, high = tables.PH_RANGE
            distance = np.maximum(low - x, x - high)
        else:
            limit = _limits(item, lake[rows])[np.arange(rows.size), better[rows]]
            distance = limit - x if item in tables.HIGHER_IS_BETTER else x - limit
        out[rows, j] = np.char.mod("%.6g", np.maximum(distance, 0.0)).astype(object)
    return out


def _rounded_multiples(multiples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multiples rounded by GB/T 8170 (float) and as printed text ("" where NaN)."""
    texts = np.full(multiples.shape, "", dtype=object)
    present = ~np.isnan(multiples)
    # Drop binary noise first ((6.15 - 6) / 6 is 0.02500000000000006, meant as 0.025), then
    # round half to even from the decimal value (GB/T 8170).
    texts[present] = _format_multiple(np.round(multiples[present], _NOISE_DECIMALS))
    rounded = np.full(multiples.shape, np.nan)
    rounded[present] = texts[present].astype(np.float64)
    return rounded, texts


def _joined(
    names: np.ndarray,
    mask: np.ndarray,
    texts: np.ndarray | None = None,
    order: np.ndarray | None = None,
    limit: int | None = None,
) -> np.ndarray:
    """Per row, ``;``-join ``names[j]`` (``name:text``) where ``mask``, in ``order``.

    Loops over the item positions (at most 26), never over the rows.
    """
    n, m = mask.shape
    rows = np.arange(n)
    if order is None:
        order = np.broadcast_to(np.arange(m), (n, m))
    out = np.full(n, "", dtype=object)
    taken = np.zeros(n, dtype=int)
    for k in range(m):
        j = order[:, k]
        chosen = mask[rows, j] & (taken < (limit if limit is not None else m))
        piece = names[j] if texts is None else names[j] + ":" + texts[rows, j]
        joined = np.where(out == "", piece, out + ";" + piece)
        out = np.where(chosen, joined, out)
        taken += chosen
    return out


def _or_na(text: np.ndarray, keep: np.ndarray) -> np.ndarray:
    return np.where(keep, text, _NONE)


def _lookup(codes: np.ndarray, words: Sequence[str]) -> np.ndarray:
    table = np.asarray([None, *words], dtype=object)
    return table[np.nan_to_num(codes, nan=0.0).astype(int)]


def _class_codes(values: object, name: str) -> np.ndarray:
    """Class codes 1–6 as float64 (NaN = missing) from codes or labels."""
    raw = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    labels = {label: float(code) for code, label in enumerate(tables.CLASS_LABELS, start=1)}
    by_label = raw.map(labels)
    number = pd.to_numeric(raw.where(by_label.isna()), errors="coerce")
    codes = by_label.fillna(number).to_numpy(dtype=np.float64, na_value=np.nan)
    bad = (raw.notna().to_numpy() & np.isnan(codes)) | ~(
        np.isnan(codes) | np.isin(codes, np.arange(1, _WORST + 1))
    )
    if bad.any():
        raise ValueError(
            f"{name}: not a GB 3838 class (1–6 or Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ): {raw[bad].iloc[0]!r}"
        )
    return codes
