"""The ranking machinery: its per-value memo and answers that did not come through validation."""

from __future__ import annotations

from typing import Any

from nightspine.assessment.answers import Answers
from nightspine.assessment.contributors import _BY_KEY, _MEMO_SIZE, rank_contributors


def _ids(values: dict[str, Any]) -> list[str]:
    return [c.id for c in rank_contributors(Answers(values))]


def test_equal_values_of_another_type_are_not_taken_from_the_memo() -> None:
    # True == 1 and hash(True) == hash(1), but 1 is no "yes" and True is no number of days
    for _ in range(2):  # both ways round, each after the other is remembered
        assert _ids({"smoker": True}) == ["smoking"]
        assert _ids({"smoker": 1}) == []
        assert _ids({"exercise_days_per_week": 1}) == ["inactivity"]
        assert _ids({"exercise_days_per_week": True}) == []


def test_unhashable_values_are_weighed_without_the_memo() -> None:
    # a many-of answer that is a list (not validated) is no set of choices
    assert _ids({"conditions": ["fibromyalgia"]}) == []
    assert _ids({"conditions": ("fibromyalgia",)}) == ["fibromyalgia"]


def test_the_memo_of_a_key_stays_bounded() -> None:
    for hours in range(3 * _MEMO_SIZE):
        rank_contributors(Answers({"sitting_hours": hours / 100}))
    assert 0 < len(_BY_KEY["sitting_hours"].memo) <= _MEMO_SIZE
