"""Honest insights from a person's own diary: trend, factor effects, dated changes.

Pure core (numpy, scipy, pydantic). ``analyze(entries, today=...)`` returns :class:`Insights`
(``to_json()`` for the shells); ``render_text(insights)`` words it as a careful clinician would.

Methods, in short: every comparison is a regression with AR(1) errors in calendar time
(:mod:`nightspine.insights.ar1`: missing nights are gaps, not skipped steps; phi by REML; t
intervals on an effective number of nights). Each factor level is compared with the other
nights, each number per unit; ``credible`` needs the Bonferroni-widened interval
(``ci_adjusted``) to exclude 0 across all factors compared. Dated label changes are compared
before and after (up to 8 weeks each side), with and without a linear time trend, and flagged
when time could explain them. The trend is a tricube local-linear smoother plus the last weeks
against the first. N-of-1 experiments live in :mod:`nightspine.insights.experiments`.
"""

from nightspine.insights.analysis import MIN_NIGHTS, MIN_PER_GROUP, WINDOW_NIGHTS, analyze
from nightspine.insights.result import Change, Curve, FactorEffect, Insights, Trend, Window
from nightspine.insights.text import render_text

__all__ = [
    "MIN_NIGHTS",
    "MIN_PER_GROUP",
    "WINDOW_NIGHTS",
    "Change",
    "Curve",
    "FactorEffect",
    "Insights",
    "Trend",
    "Window",
    "analyze",
    "render_text",
]
