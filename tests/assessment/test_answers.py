from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightspine.assessment.answers import _SLOW, _many_check, _quick_check, validate_answers
from nightspine.errors import InvalidInputError
from nightspine.knowledge.fields import check_value
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


_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.one_of(st.text(max_size=12), st.integers(), st.booleans()), max_size=4),
)


@given(st.data())
def test_the_quick_path_agrees_with_check_value(data: st.DataObject) -> None:
    answers = assessment_vocabulary().answers
    spec = answers[data.draw(st.sampled_from(sorted(answers)))]
    values = list(spec.values)
    value = data.draw(
        st.one_of(_ANY_VALUE, st.sampled_from(values), st.lists(st.sampled_from(values)))
        if values
        else _ANY_VALUE
    )
    quick = _quick_check(spec)(value)
    if quick is _SLOW:
        return
    slow = check_value(spec, value)  # must not raise: the quick path accepted it
    assert quick == slow and type(quick) is type(slow)


@given(st.data())
def test_the_quick_many_of_path_agrees_with_check_value(data: st.DataObject) -> None:
    answers = assessment_vocabulary().answers
    key = data.draw(st.sampled_from(sorted(k for k, s in answers.items() if s.type == "many-of")))
    spec = answers[key]
    check = _many_check(spec)
    items = st.one_of(st.sampled_from(spec.values), st.text(max_size=4), st.integers())
    for _ in range(3):  # the second and third time, a value may come from the memo
        value = data.draw(st.one_of(_ANY_VALUE, st.lists(items), st.lists(items).map(tuple)))
        quick = check(value)
        if quick is _SLOW:
            continue
        slow = check_value(spec, value)  # must not raise: the quick path accepted it
        assert isinstance(slow, tuple) and quick == (slow, frozenset(slow))


def test_answers_keep_many_of_sets_from_either_path() -> None:
    vocab = assessment_vocabulary()
    quick = validate_answers({"relief": ["rest", "heat", "rest"]}, vocab)
    slow = validate_answers({"relief": {"rest", "heat"}}, vocab)  # a set goes the slow way
    assert quick["relief"] == slow["relief"]
    assert quick.choices("relief") == slow.choices("relief") == {"rest", "heat"}


def test_as_dict_is_the_validated_values() -> None:
    answers = validate_answers({"age": 50, "pain_locations": ["mid_back", "lower_back"]})
    assert answers.as_dict() == dict(answers.items())
    locations = answers.as_dict()["pain_locations"]
    assert isinstance(locations, tuple) and set(locations) == {"mid_back", "lower_back"}


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
