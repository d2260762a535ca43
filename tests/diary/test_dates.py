"""The one date format people read: day, month as a word, full year; never the locale's."""

from __future__ import annotations

import datetime as dt
import locale

from hypothesis import given
from hypothesis import strategies as st

from nightspine.diary.dates import day_text, moment_text, span_text


def test_examples() -> None:
    assert day_text(dt.date(2026, 3, 2)) == "2 Mar 2026"
    assert day_text(dt.date(2026, 12, 31)) == "31 Dec 2026"
    assert moment_text(dt.datetime(2026, 3, 2, 14, 5)) == "2 Mar 2026, 14:05"
    assert span_text(dt.date(2026, 3, 2), dt.date(2026, 4, 30)) == "2 Mar 2026 to 30 Apr 2026"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_date_reads_back_the_same_and_stays_short(day: dt.date) -> None:
    text = day_text(day)
    assert dt.datetime.strptime(text, "%d %b %Y").date() == day  # C locale month names
    assert len(text) <= 11  # fits a table column at 320 px


def test_the_system_locale_does_not_change_it() -> None:
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert day_text(dt.date(2026, 5, 1)) == "1 May 2026"
    finally:
        locale.setlocale(locale.LC_TIME, before)
