"""The questionnaire as data: complete, warning signs first and never skipped, skip logic pure."""

from __future__ import annotations

from typing import Any

from answer_strategies import answer_documents, value_for
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import validate_answers
from nightspine.knowledge.loader import load_knowledge
from nightspine.knowledge.schema import Condition, Conditions


def test_every_vocabulary_key_has_exactly_one_question() -> None:
    kb = load_knowledge()
    keys = [q.key for q in kb.questionnaire.questions()]
    assert sorted(keys) == sorted(kb.vocabulary.answers)
    assert len(keys) == len(set(keys))


def test_choices_label_every_value() -> None:
    kb = load_knowledge()
    for q in kb.questionnaire.questions():
        spec = kb.vocabulary.answers[q.key]
        if spec.type in ("one-of", "many-of"):
            assert list(q.choices) and set(q.choices) == set(spec.values), q.key
        assert q.text.endswith("?"), q.key
        assert q.short, q.key


def test_warning_signs_come_first_and_only_follow_ups_depend_on_answers() -> None:
    kb = load_knowledge()
    first = kb.questionnaire.sections[0]
    assert first.warning_signs
    warning = set(qn.warning_sign_keys(kb))
    for key in (
        "fever",
        "weakness",
        "bladder_bowel",
        "chest_pain_or_pressure",
        "numbness_or_tingling",
    ):
        assert key in warning
    follow_ups = {q.key for q in first.questions if q.show_if is not None}
    assert follow_ups == {
        "numbness_both_sides",
        "numbness_both_hands",
        "numbness_both_legs",
        "weakness_worsening",
        "warning_signs_started_days",
    }
    for q in first.questions:
        if q.show_if is not None:
            assert set(q.show_if.keys) <= warning


def test_first_question_is_a_warning_sign() -> None:
    q = qn.next_question({})
    assert q is not None and q.key in qn.warning_sign_keys()


def test_follow_up_asked_only_after_its_answer() -> None:
    keys_without = {q.key for q in qn.visible_questions({"weakness": []})}
    assert "weakness_worsening" not in keys_without
    keys_with = {q.key for q in qn.visible_questions({"weakness": ["one_leg"]})}
    assert "weakness_worsening" in keys_with


def test_warning_questions_cannot_be_skipped() -> None:
    q = qn.next_question({}, skipped={"chest_pain_or_pressure"})
    assert q is not None and q.key == "chest_pain_or_pressure"


def test_other_questions_can_be_skipped() -> None:
    answered = {k: False for k in qn.warning_sign_keys()}
    q = qn.next_question(answered)
    assert q is not None and q.key == "age"
    q = qn.next_question(answered, skipped={"age"})
    assert q is not None and q.key == "sex"


def test_pregnancy_asked_only_when_it_can_apply() -> None:
    def shown(answers: dict[str, Any]) -> bool:
        return "pregnant" in {q.key for q in qn.visible_questions(answers)}

    assert shown({"sex": "female", "age": 30})
    assert not shown({"sex": "male", "age": 30})
    assert not shown({"sex": "female", "age": 70})


def test_prune_hidden_drops_follow_ups_that_no_longer_apply() -> None:
    answers = {"weakness": [], "weakness_worsening": True, "age": 40}
    assert qn.prune_hidden(answers) == {"weakness": [], "age": 40}


def test_answer_text_is_plain() -> None:
    assert qn.answer_text("fever", True) == "yes"
    assert qn.answer_text("sleep_position", "stomach") == "on my stomach"
    assert qn.answer_text("radiates_to", []) == "it stays in the back"
    assert qn.answer_text("duration_days", 1) == "1 day"
    assert qn.answer_text("exercise_days_per_week", 3) == "3 days a week"
    assert qn.choice_label("weakness", "both_legs") == "in both legs"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_walking_the_questionnaire_asks_each_question_once_and_every_warning_sign(
    data: st.DataObject,
) -> None:
    kb = load_knowledge()
    answers: dict[str, Any] = {}
    skipped: set[str] = set()
    asked: list[str] = []
    warning = qn.warning_sign_keys(kb)
    while (q := qn.next_question(answers, kb, skipped=skipped)) is not None:
        asked.append(q.key)
        assert len(asked) <= len(kb.questionnaire.questions())
        if q.key not in warning and data.draw(st.booleans()):
            skipped.add(q.key)
            continue
        answers[q.key] = data.draw(value_for(kb.vocabulary.answers[q.key]))
    assert len(asked) == len(set(asked))
    top_level = [k for k in warning if qn.question(k, kb).show_if is None]
    assert set(top_level) <= set(asked)
    assert asked[: len(top_level)] == [k for k in asked if k in warning][: len(top_level)]


def test_progress_counts_shown_questions() -> None:
    done, total = qn.progress({})
    assert done == 0
    assert total == len(qn.visible_questions({}))
    done_after, total_after = qn.progress({"weakness": ["foot"]}, skipped={"age"})
    assert done_after == 2
    assert total_after == total + 2  # "getting worse?" and "how many days ago?" now shown


def _all_conditions() -> list[Conditions]:
    kb = load_knowledge()
    found = [a.applies_when for a in kb.advice.values() if a.applies_when is not None]
    found += [q.show_if for q in kb.questionnaire.questions() if q.show_if is not None]
    # the tests that hold without an answer, and a key tested twice, which the knowledge may
    # not use yet
    found += [
        Conditions(
            any=(
                Condition(key="relief", any_of=("heat",)),
                Condition(key="relief", any_of=("stretching", "exercise")),
            )
        ),
        Conditions(all=(Condition(key="pillow", answered=False),)),
        Conditions(
            any=(Condition(key="stress", at_least=5), Condition(key="pillow", answered=False))
        ),
        Conditions(
            all=(Condition(key="knee_pillow", answered=False), Condition(key="age", below=40)),
            any=(Condition(key="relief", any_of=("heat",)),),
        ),
    ]
    return found


@settings(max_examples=150, deadline=None)
@given(answer_documents())
def test_compiled_matchers_and_trigger_keys_agree_with_match(answers: dict[str, Any]) -> None:
    valid = validate_answers(answers)
    for conditions in _all_conditions():
        expected = qn.match(conditions, answers)
        assert qn.compile_match(conditions)(answers) == expected
        assert qn.compile_validated_match(conditions)(dict(valid.items())) == expected
        triggers = qn.trigger_keys(conditions)
        if triggers is not None and triggers.isdisjoint(answers):
            assert expected is None, conditions
