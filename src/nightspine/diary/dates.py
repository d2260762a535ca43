"""The one way dates are written for people: ``2 Mar 2026`` (and ``2 Mar 2026, 14:05`` for a
moment). Day first, the month as a word and the full year cannot be misread in any country,
and it fits a table column on a 320 px phone. Files and the API keep ISO 8601 (``2026-03-02``);
this is only for what a person reads (the web pages, and the insights' sentences everywhere)."""

from __future__ import annotations

import datetime as dt

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Written out here, not taken from the system locale, so every machine prints the same."""


def day_text(day: dt.date) -> str:
    """``2 Mar 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(moment: dt.datetime) -> str:
    """``2 Mar 2026, 14:05`` (in the time zone ``moment`` carries; convert it first)."""
    return f"{day_text(moment.date())}, {moment:%H:%M}"


def span_text(first: dt.date, last: dt.date) -> str:
    """``2 Mar 2026 to 30 Apr 2026``."""
    return f"{day_text(first)} to {day_text(last)}"


__all__ = ["MONTHS", "day_text", "moment_text", "span_text"]
