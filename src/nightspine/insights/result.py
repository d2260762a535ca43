"""What the insights say: pydantic models (frozen) with a JSON form for the shells.

``Insights.to_json()`` gives ``{"nights": N, "trend": {...}, "factors": [...], "changes": [...],
...}``. Every estimate carries its plain 95% interval (``ci95``) and, for factors and changes,
the interval widened for the number of comparisons made (``ci_adjusted``); ``credible`` is
true exactly when ``ci_adjusted`` excludes 0, i.e. when the Bonferroni-adjusted p-value
(``p_adjusted``) is below 0.05. ``multiplicity`` in the JSON says so in words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

FactorKind = Literal["category", "boolean", "label", "number"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Curve(_Model):
    """Morning pain and its smoothed value on each recorded date (three parallel lists)."""

    dates: tuple[dt.date, ...] = ()
    pain: tuple[float, ...] = ()
    smoothed: tuple[float, ...] = ()


class Window(_Model):
    """A stretch of the diary: its dates, how many nights it holds and their mean pain."""

    start: dt.date
    end: dt.date
    nights: int
    mean_pain: float | None


class Trend(_Model):
    """How morning pain has moved: a smoothed curve, and the last weeks against the first."""

    enough_data: bool
    method: str
    curve: Curve
    first: Window | None = None
    last: Window | None = None
    difference: float | None = None  # last minus first, AR(1)-adjusted
    ci95: tuple[float, float] | None = None
    p_value: float | None = None
    clear: bool = False  # ci95 excludes 0
    direction: Literal["better", "worse", "unchanged", "unclear"] = "unclear"
    phi: float | None = None
    nights_needed: int = 0
    message: str


class FactorEffect(_Model):
    """The estimated effect of one factor (or one level of it) on morning pain.

    For a category, label or boolean ``effect`` is mean pain on nights *with* the level minus
    nights *without* it; for a number it is the change in pain per one ``unit``.
    """

    factor: str
    level: str | None
    kind: FactorKind
    unit: str | None = None
    enough_data: bool
    effect: float | None = None
    ci95: tuple[float, float] | None = None
    ci_adjusted: tuple[float, float] | None = None
    credible: bool = False
    p_value: float | None = None
    p_adjusted: float | None = None
    n_with: int
    n_without: int | None
    mean_with: float | None = None
    mean_without: float | None = None
    phi: float | None = None
    method: str
    nights_needed: int = 0
    correlated_with: tuple[str, ...] = ()
    time_confounded: bool = False
    caveats: tuple[str, ...] = ()
    message: str


class Change(_Model):
    """Before and after a dated change of label (a new mattress, a knee pillow started)."""

    factor: str
    date: dt.date
    before: str
    after: str
    enough_data: bool
    before_window: Window
    after_window: Window
    effect: float | None = None  # after minus before
    ci95: tuple[float, float] | None = None
    ci_adjusted: tuple[float, float] | None = None
    credible: bool = False
    p_value: float | None = None
    p_adjusted: float | None = None
    trend_adjusted_effect: float | None = None
    trend_adjusted_ci95: tuple[float, float] | None = None
    time_confounded: bool = False
    phi: float | None = None
    method: str
    nights_needed: int = 0
    message: str


class Insights(_Model):
    """Everything the diary says, with its caveats (``analyze`` builds it)."""

    nights: int  # the nights analysed: the latest ``analysis.WINDOW_NIGHTS`` at most
    first_date: dt.date | None
    last_date: dt.date | None
    enough_data: bool
    nights_recorded: int = 0  # every night the diary holds (0 in results saved before it was kept)
    nights_needed: int
    trend: Trend
    factors: tuple[FactorEffect, ...]
    changes: tuple[Change, ...]
    tests: int  # how many factor comparisons entered the multiplicity control
    multiplicity: str
    caveats: tuple[str, ...]
    message: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, intervals as two-element lists)."""
        return self.model_dump(mode="json")
