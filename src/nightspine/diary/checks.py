"""Checks on a diary entry beyond its contract: a date that has not come yet, and values that
are possible but unusual enough to ask the person whether they meant them.

A future date is refused (an entry describes a night that has happened). An unusual value is
never refused and never stored silently: the shells ask the person to confirm it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nightspine.errors import Problem
from nightspine.knowledge.vocabulary import diary_vocabulary

LATEST_UTC_OFFSET = dt.timedelta(hours=14)
"""The furthest ahead of UTC any place on Earth is (Kiribati's Line Islands)."""


def latest_today(now_utc: dt.datetime) -> dt.date:
    """The latest calendar date anywhere on Earth at ``now_utc``: the date to use for
    "not in the future" when the person's time zone is unknown (nobody is wrongly refused)."""
    return (now_utc.astimezone(dt.UTC) + LATEST_UTC_OFFSET).date()


def future_date_problem(date: dt.date, today: dt.date, *, where: str = "date") -> Problem | None:
    """A problem if ``date`` (a morning) is after ``today`` in the person's time zone."""
    if date <= today:
        return None
    return Problem(
        where,
        f"The date must be today or in the past: the morning of {date.day} {date:%B %Y} has not "
        "come yet",
    )


@dataclass(frozen=True)
class Unusual:
    """A value worth a second look, and why."""

    field: str
    value: float
    limit: float
    unit: str
    why: str

    def question(self) -> str:
        shown = f"{self.value:g}"
        return f"You entered {shown} {self.unit}. Is that right?"


@dataclass(frozen=True)
class _Limit:
    above: float
    unit: str
    why: str


UNUSUAL: Mapping[str, _Limit] = {
    "hours_slept": _Limit(
        12, "hours slept", "adults rarely sleep more than 12 hours; a typing slip is likelier"
    ),
    "stiffness_minutes": _Limit(
        240, "minutes of morning stiffness", "more than 4 hours is rare and worth telling a doctor"
    ),
    "woke_from_pain": _Limit(
        10, "times woken by pain", "more than 10 wakings is rare in one night"
    ),
    "exercise_minutes": _Limit(
        300, "minutes of exercise", "more than 5 hours of exercise in a day is rare"
    ),
    "sitting_hours": _Limit(
        16, "hours sitting", "more than 16 hours sitting leaves little time for sleep"
    ),
}
"""Possible but unusual values: above ``above`` the person is asked to confirm."""


def unusual_values(values: Mapping[str, Any]) -> list[Unusual]:
    """The values in ``values`` (diary fields, already typed) that are worth confirming.

    A value the diary contract does not allow at all (such as 30 hours slept) is not unusual but
    impossible: it is left to the contract's validation, which refuses it with the allowed range.
    """
    fields = diary_vocabulary().fields
    found: list[Unusual] = []
    for name, limit in UNUSUAL.items():
        value = values.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= limit.above:
            continue
        allowed_max = fields[name].max if name in fields else None
        if allowed_max is not None and value > allowed_max:
            continue
        found.append(Unusual(name, float(value), limit.above, limit.unit, limit.why))
    return found
