"""Honest insights from a person's own diary: trend, factor effects, dated changes.

Pure core (numpy and scipy only). ``analyze(entries)`` returns :class:`Insights` (``to_json()``
for the shells); ``render_text(insights)`` words it as a careful clinician would.
"""

from nightspine.insights.analysis import MIN_NIGHTS, MIN_PER_GROUP, analyze
from nightspine.insights.result import Change, Curve, FactorEffect, Insights, Trend, Window
from nightspine.insights.text import render_text

__all__ = [
    "MIN_NIGHTS",
    "MIN_PER_GROUP",
    "Change",
    "Curve",
    "FactorEffect",
    "Insights",
    "Trend",
    "Window",
    "analyze",
    "render_text",
]
