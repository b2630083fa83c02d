"""Target outlook: what the rest of the year needs, worked by hand, and the probability."""

from __future__ import annotations

import pandas as pd
import pytest

from envbureau.air.outlook import good_day_rate_outlook, mean_outlook

YTD_AQI = pd.Series([50.0] * 150 + [150.0] * 31)  # 181 valid days, 150 good


def test_good_days_needed_worked_example() -> None:
    # 365 days × 90 % = 328.5 → 329 good days; 150 so far → 179 of the remaining 184.
    outlook = good_day_rate_outlook(YTD_AQI, 184, 90.0, {})
    assert (outlook.ytd_good_days, outlook.ytd_valid_days) == (150, 181)
    assert outlook.good_days_needed == 179
    assert outlook.share_needed == pytest.approx(100 * 179 / 184)
    assert outlook.probability is None and outlook.past_years == []


def test_good_day_probability_follows_past_years() -> None:
    clean = {2024: pd.Series([40.0] * 184), 2025: pd.Series([60.0] * 184)}
    dirty = {2024: pd.Series([120.0] * 184)}
    assert good_day_rate_outlook(YTD_AQI, 184, 90.0, clean).probability == 1.0
    assert good_day_rate_outlook(YTD_AQI, 184, 90.0, dirty).probability == 0.0
    half = {2024: pd.Series([40.0, 120.0] * 92)}
    assert good_day_rate_outlook(YTD_AQI, 184, 90.0, half).probability == 0.0  # needs 97 %
    easy = good_day_rate_outlook(YTD_AQI, 184, 60.0, half)
    assert easy.good_days_needed == 69 and easy.probability == 1.0


def test_target_already_met_needs_nothing() -> None:
    outlook = good_day_rate_outlook(pd.Series([50.0] * 181), 184, 40.0, {})
    assert outlook.good_days_needed == 0


def test_mean_allowed_for_the_rest_of_the_year_worked_example() -> None:
    # (26 × 365 − 30 × 181) / 184 = (9490 − 5430) / 184 = 22.065…
    ytd = pd.Series([30.0] * 181)
    outlook = mean_outlook(ytd, 184, 26.0, {2025: pd.Series([20.0] * 184)})
    assert outlook.remaining_mean_allowed == pytest.approx(4060 / 184)
    assert outlook.ytd_mean == 30.0 and outlook.probability == 1.0
    assert mean_outlook(ytd, 184, 26.0, {2025: pd.Series([25.0] * 184)}).probability == 0.0


def test_mean_outlook_ignores_missing_days() -> None:
    ytd = pd.Series([30.0, None, 30.0])
    assert mean_outlook(ytd, 2, 30.0, {}).ytd_days == 2
