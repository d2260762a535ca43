"""Ranking contributors from answers that did not come through validation."""

from __future__ import annotations

from typing import Any

from nightspine.assessment.answers import Answers
from nightspine.assessment.contributors import rank_contributors


def _ids(values: dict[str, Any]) -> list[str]:
    return [c.id for c in rank_contributors(Answers(values))]


def test_equal_values_of_another_type_are_read_by_their_type() -> None:
    # True == 1, but 1 is no "yes" and True is no number of days
    assert _ids({"smoker": True}) == ["smoking"]
    assert _ids({"smoker": 1}) == []
    assert _ids({"exercise_days_per_week": 1}) == ["inactivity"]
    assert _ids({"exercise_days_per_week": True}) == []


def test_a_list_is_no_set_of_choices() -> None:
    # a many-of answer that is a list (not validated) is no set of choices
    assert _ids({"conditions": ["fibromyalgia"]}) == []
    assert _ids({"conditions": ("fibromyalgia",)}) == ["fibromyalgia"]
