"""GB 3838-2002 evaluation over time and space: period means and river/watershed status.

Implements two parts of 《地表水环境质量评价办法（试行）》 (环办〔2011〕22号):

* 数据统计 — a week, ten-day period or month is evaluated on its sample (the mean of
  several), a quarter or year on the arithmetic mean of each indicator over its valid
  results (for monthly-monitored sections the mean of the monthly values); the mean is then
  classed by :func:`envbureau.standards.gb3838.water_class_gb3838` (classes are never
  averaged): :func:`period_mean_gb3838`;
* 河流、流域（水系）水质评价 — the status of a river or watershed from its sections' classes
  (proportion of sections by class) or, with fewer than 5 sections, from the mean of its
  sections' values: :func:`river_status_gb3838`.

Pure and vectorised (pandas group-by), built on the public functions of
:mod:`envbureau.standards.gb3838`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from envbureau.standards import gb3838_tables as tables
from envbureau.standards.gb3838 import (
    check_values_gb3838,
    item_class_gb3838,
    meets_target,
    water_class_gb3838,
)
from envbureau.standards.rounding import round_gbt8170

__all__ = ["period_mean_gb3838", "river_status_gb3838"]


def period_mean_gb3838(
    samples: pd.DataFrame,
    by: str | Sequence[str],
    *,
    month: str | None = None,
    decimals: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Arithmetic mean of each item over a period's valid samples, per section (or group).

    Parameters
    ----------
    samples : pandas.DataFrame
        One row per valid sample: the grouping columns, any GB 3838 item columns (field
        names of :data:`~envbureau.standards.gb3838_tables.KNOWN_ITEMS`; NaN = no valid
        result) [mg/L; pH dimensionless; water temperature ℃; fecal coliform 个/L] and, for
        an item reported below the detection limit (未检出), a boolean ``<item>_bdl``
        column that is True on those rows, whose ``<item>`` value is then the detection
        limit. Other columns are ignored.
    by : str or sequence of str
        Grouping columns, e.g. ``"section"`` or ``["section", "year"]``. Put ``water_body``
        among them to keep it for classing.
    month : str, optional
        Column naming each sample's month (any label). When given, the samples are first
        averaged per month and the period value is the mean of the monthly values (the
        method's annual value for monthly-monitored sections); otherwise the mean of all
        samples.
    decimals : mapping of str to int, optional
        Decimals to round each item's mean to by GB/T 8170 (the method's "precision of the
        monitoring method", which the facts sheet does not give). Default: not rounded.

    Returns
    -------
    pandas.DataFrame
        One row per group, the ``by`` columns as the index; per item present: the mean,
        ``<item>_count`` (values averaged: samples, or months when ``month`` is given) and,
        for items with a ``_bdl`` column, ``<item>_all_bdl`` (every sample of the group was
        below the detection limit: report 未检出). ``n_samples``: rows in the group.

    Raises
    ------
    ValueError
        Bad item values (see :func:`~envbureau.standards.gb3838.check_values_gb3838`), a
        missing ``by``/``month`` column, or a below-detection flag without a detection limit.

    Notes
    -----
    :math:`\\bar C = \\frac{1}{n} \\sum_{k=1}^{n} C_k` over the :math:`n` valid results, a
    result below the detection limit :math:`DL` entering as :math:`C_k = 0.5 \\, DL`. With
    ``month``: :math:`\\bar C = \\frac{1}{m} \\sum_{j=1}^{m} \\bar C_j`, :math:`\\bar C_j` the
    mean of month :math:`j`, over the :math:`m` months with a value.

    **Assumptions**: below the detection limit counts as half the limit
    (``tables.DETECTION_LIMIT_FRACTION``; the facts sheet calls it the usual convention,
    not verified for the 2011 method); validity of a sample is decided before this function
    (a NaN is no result); a group's mean uses whatever samples it has — the coverage is
    reported in ``<item>_count``, not judged.

    References
    ----------
    环办〔2011〕22号, 数据统计 (周、旬、月 / 季度 / 年度评价).
    """
    keys = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*keys, *([month] if month else [])] if c not in samples.columns]
    if missing:
        raise ValueError(f"period mean: columns not in the samples: {missing}")
    items = [c for c in samples.columns if c in tables.KNOWN_ITEMS and c not in keys]
    values = pd.DataFrame(index=samples.index)
    flags: dict[str, pd.Series] = {}
    for item in items:
        x = pd.Series(check_values_gb3838(samples[item], item), index=samples.index)
        if f"{item}_bdl" in samples.columns:
            flag = samples[f"{item}_bdl"].fillna(False).astype(bool)
            if (flag & x.isna()).any():
                row = samples.index[(flag & x.isna()).to_numpy()][0]
                raise ValueError(
                    f"period mean: {item} flagged below the detection limit at row {row!r} "
                    "without a detection limit in the value column"
                )
            x = x.where(~flag, x * tables.DETECTION_LIMIT_FRACTION)
            flags[item] = flag.where(x.notna())
        values[item] = x
    frame = pd.concat([samples[keys], values], axis=1)
    if month is not None:
        frame = frame.assign(_month=samples[month].to_numpy())
        frame = frame.groupby([*keys, "_month"], sort=True, dropna=False).mean().reset_index()
        frame = frame.drop(columns="_month")
    grouped = frame.groupby(keys, sort=True, dropna=False)
    out = grouped[items].mean()
    counts = grouped[items].count().add_suffix("_count")
    columns = [out, counts]
    if flags:
        # 1.0 below the detection limit, 0.0 detected, NaN no result.
        flagged = pd.concat([samples[keys], pd.DataFrame(flags).astype(float)], axis=1)
        by_group = flagged.groupby(keys, sort=True, dropna=False)
        n_flagged, n_results = by_group.sum(), by_group.count()
        columns.append(((n_flagged == n_results) & (n_results > 0)).add_suffix("_all_bdl"))
    columns.append(samples.groupby(keys, sort=True, dropna=False).size().rename("n_samples"))
    result = pd.concat(columns, axis=1)
    for item, ndigits in (decimals or {}).items():
        if item in result.columns:
            result[item] = round_gbt8170(result[item].to_numpy(dtype=np.float64), ndigits)
    return result


def river_status_gb3838(
    classes: npt.ArrayLike | pd.Series,
    section_values: pd.DataFrame | None = None,
    water_body: str = "river",
) -> pd.Series:
    """Quality status of a river, river reach or watershed (河流、流域（水系）) from its sections.

    Parameters
    ----------
    classes : array_like or pandas.Series
        Class code (1–6) or label (Ⅰ … 劣Ⅴ) of each section of the river for the period;
        sections without a class (NA) are left out.
    section_values : pandas.DataFrame, optional
        The same sections' item values for the period (e.g. from :func:`period_mean_gb3838`),
        one row per section in the order of ``classes``, optionally with ``water_body``.
        Required with fewer than 5 classed sections; with 5 or more it gives the main
        pollutants [mg/L; pH dimensionless].
    water_body : {"river", "lake", "reservoir"}
        Water body of sections without a ``water_body`` value, and of the mean of fewer than
        5 sections.

    Returns
    -------
    pandas.Series
        ``n_sections``, ``share_class_i_iii`` and ``share_inferior_v`` (fractions of the
        classed sections), ``method`` (``"proportion"`` or ``"mean_of_sections"``),
        ``water_class`` (the class of the mean of fewer than 5 sections; NA for the
        proportion method), ``quality_status`` and ``main_pollutants`` (``;``-joined, NA
        without ``section_values``).

    Raises
    ------
    ValueError
        No classed section; fewer than 5 without ``section_values``; bad classes or values.

    Notes
    -----
    5 or more sections (断面水质类别比例法), with :math:`p_{Ⅰ-Ⅲ}` and :math:`p_{劣Ⅴ}` the
    shares of sections: 优 if :math:`p_{Ⅰ-Ⅲ} \\ge 90\\%`; 良好 if
    :math:`75\\% \\le p_{Ⅰ-Ⅲ} < 90\\%`; otherwise 轻度污染 if :math:`p_{劣Ⅴ} < 20\\%`,
    中度污染 if :math:`20\\% \\le p_{劣Ⅴ} < 40\\%`, 重度污染 if :math:`p_{劣Ⅴ} \\ge 40\\%`.
    Main pollutants: the three items with the largest share of sections worse than Class Ⅲ
    among the sections that have the item (断面超标率). Fewer than 5 sections: the
    arithmetic mean of each item over the sections, classed by
    :func:`~envbureau.standards.gb3838.water_class_gb3838`, with that class's status and main
    pollutants (largest exceedance multiples).

    **Assumptions**: exactly 5 sections use the proportion method (the method's "5个（含5个）
    以上"; one secondary source says "大于5个", leaving 5 open); the mean of an item skips
    sections without it; ties of the exceedance rate in 表1 order; pH and DO have no
    exceedance and are never main pollutants.

    References
    ----------
    环办〔2011〕22号, 河流、流域（水系）水质评价 and 主要污染指标.
    """
    good = meets_target(classes, tables.EXCEEDANCE_REFERENCE_CLASS)
    classed = good.notna().to_numpy()
    n = int(classed.sum())
    if n == 0:
        raise ValueError("river status needs at least one section with a class")
    worst = ~meets_target(classes, len(tables.CLASS_LABELS) - 1)[classed]
    share_good = float(good[classed].astype(bool).mean())
    share_worst = float(worst.astype(bool).mean())
    result = {"n_sections": n, "share_class_i_iii": share_good, "share_inferior_v": share_worst}
    if n >= tables.RIVER_MIN_SECTIONS_FOR_PROPORTION:
        status = next(
            word
            for word, min_good, max_worst in tables.RIVER_STATUS_RULES
            if share_good >= min_good and share_worst < max_worst
        )
        pollutants = pd.NA
        if section_values is not None:
            pollutants = _main_pollutants_by_rate(section_values[classed], water_body)
        return pd.Series(
            result
            | {"method": "proportion", "water_class": pd.NA, "quality_status": status}
            | {"main_pollutants": pollutants}
        )
    if section_values is None:
        raise ValueError(
            f"river status of {n} section(s): fewer than "
            f"{tables.RIVER_MIN_SECTIONS_FOR_PROPORTION} sections are evaluated on the mean of "
            "each item over the sections, so section_values are needed"
        )
    sections = section_values[classed]
    items = [c for c in sections.columns if c in tables.KNOWN_ITEMS]
    mean = pd.DataFrame(
        {
            item: [np.nanmean(x) if (~np.isnan(x)).any() else np.nan]
            for item, x in ((item, check_values_gb3838(sections[item], item)) for item in items)
        }
    )
    row = water_class_gb3838(mean, water_body=water_body).iloc[0]
    return pd.Series(
        result
        | {"method": "mean_of_sections", "water_class": row["water_class"]}
        | {"quality_status": row["quality_status"], "main_pollutants": row["main_pollutants"]}
    )


def _main_pollutants_by_rate(sections: pd.DataFrame, water_body: str) -> str:
    """Top items by share of sections worse than Class Ⅲ (断面超标率), 表1 order on ties."""
    bodies: str | np.ndarray = water_body
    if "water_body" in sections.columns:
        column = sections["water_body"].astype(object)
        bodies = column.where(column.notna(), water_body).to_numpy()
    rates = []
    for item in tables.EVALUATION_ITEMS_2011:  # at most 21 items, never a loop over sections
        if item not in sections.columns or item in tables.NO_EXCEEDANCE_MULTIPLE:
            continue
        classes = item_class_gb3838(sections[item], item, bodies)
        n_valid = int(classes.notna().sum())
        n_worse = int((classes > tables.EXCEEDANCE_REFERENCE_CLASS).fillna(False).sum())
        if n_worse:
            rates.append((item, n_worse / n_valid))
    ranked = sorted(rates, key=lambda pair: -pair[1])  # stable: ties keep the order of 表1
    return ";".join(item for item, _ in ranked[: tables.MAIN_POLLUTANT_COUNT])
