from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightspine.assessment.answers import validate_answers
from nightspine.errors import InvalidInputError
from nightspine.knowledge.vocabulary import assessment_vocabulary


def _problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInputError) as info:
        validate_answers(raw)
    return [str(p) for p in info.value.problems]


def test_valid_answers_are_normalised() -> None:
    answers = validate_answers({"age": 40.0, "pain_locations": ["neck", "neck", "upper_back"]})
    assert answers["age"] == 40
    assert answers.choices("pain_locations") == {"neck", "upper_back"}
    assert answers["pain_locations"] == ("neck", "upper_back")
    assert not answers.flag("fever")
    assert answers.number("stress") is None


def test_every_problem_is_reported_with_its_key() -> None:
    problems = _problems({"age": 5, "sex": "f", "unknown_key": 1, "fever": "yes"})
    assert len(problems) == 4
    assert any(p.startswith("age:") and "12 to 110" in p for p in problems)
    assert any(p.startswith("sex:") and "female, male, other" in p for p in problems)
    assert any(p.startswith("unknown_key:") for p in problems)
    assert any(p.startswith("fever:") and "true or false" in p for p in problems)


@pytest.mark.parametrize(
    "raw",
    [
        {"pain_now": 11},
        {"pain_now": 2.5},
        {"pain_now": True},
        {"quality": "dull"},
        {"quality": ["dull", "fizzy"]},
        {"mattress_age_years": -1},
        {"hours_in_bed": float("nan")},
    ],
)
def test_wrong_types_and_ranges_are_refused(raw: dict[str, Any]) -> None:
    assert len(_problems(raw)) == 1


def test_none_means_not_known() -> None:
    assert "age" not in validate_answers({"age": None})


@given(st.integers())
def test_age_accepted_exactly_within_range(age: int) -> None:
    if 12 <= age <= 110:
        assert validate_answers({"age": age})["age"] == age
    else:
        with pytest.raises(InvalidInputError):
            validate_answers({"age": age})


def test_many_of_answers_are_the_same_from_a_list_or_a_set() -> None:
    vocab = assessment_vocabulary()
    listed = validate_answers({"relief": ["rest", "heat", "rest"]}, vocab)
    chosen = validate_answers({"relief": {"rest", "heat"}}, vocab)
    assert listed["relief"] == chosen["relief"]
    assert listed.choices("relief") == chosen.choices("relief") == {"rest", "heat"}


def test_impossible_combinations_are_refused_with_how_to_fix_them() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_answers({"sex": "male", "pregnant": True, "hours_in_bed": 10, "sitting_hours": 15})
    problems = {p.location: p.message for p in caught.value.problems}
    # reported at both answers of each pair, so the screen asking either one shows it
    assert set(problems) == {"pregnant", "sex", "hours_in_bed", "sitting_hours"}
    assert "check both answers" in problems["pregnant"]
    assert "24 hours" in problems["sitting_hours"]
    assert validate_answers({"sex": "female", "pregnant": True, "hours_in_bed": 9.5})
    assert validate_answers({"hours_in_bed": 10, "sitting_hours": 14})


def test_a_child_under_the_youngest_age_gets_a_clear_next_step() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_answers({"age": 9})
    (problem,) = caught.value.problems
    assert problem.location == "age"
    assert "aged 12 and over" in problem.message and "doctor" in problem.message
    with pytest.raises(InvalidInputError) as too_old:
        validate_answers({"age": 130})
    assert "12" in too_old.value.problems[0].message
    assert "doctor" not in too_old.value.problems[0].message
