"""Future dates and unusual values (the diary's checks beyond its contract)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nightspine.diary.checks import future_date_problem, latest_today, unusual_values


def test_today_and_the_past_pass_tomorrow_does_not() -> None:
    today = dt.date(2026, 12, 6)
    assert future_date_problem(today, today) is None
    assert future_date_problem(today - dt.timedelta(days=400), today) is None
    problem = future_date_problem(dt.date(2026, 12, 7), today)
    assert problem is not None
    assert problem.message == (
        "The date must be today or in the past: the morning of 7 December 2026 has not come yet"
    )


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_latest_today_is_never_behind_any_place_on_earth(now: dt.datetime) -> None:
    for hours in range(-12, 15):
        local = now.astimezone(dt.timezone(dt.timedelta(hours=hours)))
        assert local.date() <= latest_today(now)


def test_unusual_values_are_named_with_a_question() -> None:
    found = unusual_values({"hours_slept": 14.0, "stiffness_minutes": 30, "woke_from_pain": 11})
    assert [u.field for u in found] == ["hours_slept", "woke_from_pain"]
    assert found[0].question() == "You entered 14 hours slept. Is that right?"
    assert unusual_values({"hours_slept": 12, "knee_pillow": True}) == []


def test_an_impossible_value_is_left_to_the_contract_not_asked_about() -> None:
    # 30 hours slept cannot be confirmed: the contract refuses it with its range (0 to 24)
    assert unusual_values({"hours_slept": 30}) == []
    assert [u.field for u in unusual_values({"hours_slept": 14})] == ["hours_slept"]
