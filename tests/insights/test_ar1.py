"""The AR(1) regression: recovers what it should, handles gaps, refuses bad input."""

from __future__ import annotations

import numpy as np
import pytest

from nightspine.insights.ar1 import effective_df, fit_ar1


def _ar1_series(rng: np.random.Generator, days: int, phi: float) -> np.ndarray:
    e = np.empty(days)
    e[0] = rng.normal()
    for i in range(1, days):
        e[i] = phi * e[i - 1] + rng.normal() * np.sqrt(1 - phi * phi)
    return e


def test_recovers_coefficients_and_phi_on_a_long_series() -> None:
    rng = np.random.default_rng(3)
    days = np.arange(2000, dtype=np.int64)
    x = (rng.random(2000) < 0.3).astype(float)
    y = 4.0 + 1.5 * x + _ar1_series(rng, 2000, 0.6)
    fit = fit_ar1(days, y, np.column_stack([np.ones(2000), x]))
    assert fit.phi == pytest.approx(0.6, abs=0.05)
    assert fit.beta[1] == pytest.approx(1.5, abs=0.1)
    lo, hi = fit.interval(1)
    assert lo < 1.5 < hi
    assert fit.p_value(1) < 1e-6


def test_gaps_are_calendar_time_not_row_order() -> None:
    """Dropping nights keeps phi near the truth because gaps count as days, not as one step."""
    rng = np.random.default_rng(4)
    all_days = np.arange(3000, dtype=np.int64)
    e = _ar1_series(rng, 3000, 0.7)
    keep = np.sort(rng.choice(3000, 1500, replace=False))
    ones = np.ones((keep.size, 1))
    fit = fit_ar1(all_days[keep], e[keep], ones)
    assert fit.phi == pytest.approx(0.7, abs=0.06)
    # treating the kept nights as consecutive would see a much weaker correlation
    naive = fit_ar1(np.arange(keep.size, dtype=np.int64), e[keep], ones)
    assert naive.phi < 0.6


def test_white_noise_gives_small_phi_and_plain_df() -> None:
    rng = np.random.default_rng(5)
    y = rng.normal(size=500)
    fit = fit_ar1(np.arange(500, dtype=np.int64), y, np.ones((500, 1)))
    assert fit.phi <= 0.1
    assert fit.df >= 400


def test_effective_df_shrinks_with_autocorrelation() -> None:
    assert effective_df(60, 2, 0.0) == 57
    assert effective_df(60, 2, 0.5) == 18
    assert effective_df(10, 2, 0.95) == 3


@pytest.mark.parametrize(
    ("days", "message"),
    [(np.array([0, 1, 1, 2, 3, 4], dtype=np.int64), "increasing"), (np.arange(3), "at least")],
)
def test_bad_input_is_refused(days: np.ndarray, message: str) -> None:
    n = days.size
    with pytest.raises(ValueError, match=message):
        fit_ar1(days.astype(np.int64), np.zeros(n), np.ones((n, 1)))
