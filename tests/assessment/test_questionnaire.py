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
    warning_sections = [s for s in kb.questionnaire.sections if s.warning_signs]
    assert kb.questionnaire.sections[: len(warning_sections)] == tuple(warning_sections)
    asked = [q for s in warning_sections for q in s.questions]
    follow_ups = {q.key for q in asked if q.show_if is not None}
    assert follow_ups == {
        "numbness_both_sides",
        "numbness_both_hands",
        "numbness_both_legs",
        "weakness_worsening",
        "warning_signs_started_days",
    }
    for q in asked:
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
    q = qn.next_question({"sudden_severe_pain": False}, skipped={"chest_pain_or_pressure"})
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


# --- short for ordinary back pain, complete for warning signs ------------------------------------

OFFICE_WORKER = {
    "age": 44,
    "sex": "female",
    "pregnant": False,
    "pain_locations": ["lower_back"],
    "radiates_to": [],
    "pain_now": 4,
    "pain_worst_night": 6,
    "quality": ["aching"],
    "onset": "gradual",
    "onset_event": "lifting",
    "duration_days": 21,
    "course": "stable",
    "when_worse": ["with_activity", "on_waking"],
    "wakes_from_sleep": True,
    "relief": ["changing_position", "moving_around"],
    "morning_stiffness_minutes": 10,
    "impact_on_daily_life": "some",
    "tried_self_care": ["heat_or_ice"],
    "sleep_position": "side",
    "pillow": "supportive",
    "mattress_firmness": "medium",
    "sitting_hours": 8,
    "exercise_days_per_week": 2,
    "stress": 5,
    "conditions": [],
    "medications": ["paracetamol"],
    "side_effects": [],
}
"""A typical person with ordinary mechanical low back pain (NICE CKS: non-specific low back
pain, no red flags): 44, a desk job, three weeks after lifting, stiff for a few minutes."""


def walk(profile: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Answer the questionnaire item by item as ``profile`` would; (items answered, answers).

    A warning-sign question the profile does not mention is answered no (by "none of these");
    an optional question it does not mention is skipped.
    """
    answers: dict[str, Any] = {}
    skipped: set[str] = set()
    count = 0
    while (item := qn.next_item(answers, skipped=skipped)) is not None:
        count += 1
        assert count < 200, "the questionnaire does not end"
        keys = qn.item_keys(item)
        warning = all(k in qn.warning_sign_keys() for k in keys)
        if not warning and not any(k in profile for k in keys):
            skipped.add(item.id if isinstance(item, qn.Checklist) else item.key)
            continue
        for key in keys:
            default: Any = [] if qn.question(key).choices else False
            answers[key] = profile.get(key, default)
    return count, answers


def test_a_typical_person_answers_at_most_35_items() -> None:
    count, answers = walk(OFFICE_WORKER)
    assert count <= 35, count
    # every warning-sign question was answered (none of them skipped by skip logic)
    top_level = [k for k in qn.warning_sign_keys() if qn.question(k).show_if is None]
    assert all(k in answers for k in top_level)
    male = {**OFFICE_WORKER, "sex": "male"}
    del male["pregnant"]
    assert walk(male)[0] <= 34


def test_the_estimate_counts_the_items_a_person_without_follow_ups_sees() -> None:
    items, minutes = qn.estimate()
    assert items == qn.question_count({})
    assert 25 <= items <= 40
    assert minutes == -(-items * qn.SECONDS_PER_ITEM // 60)


def test_skip_logic_never_hides_a_warning_sign() -> None:
    kb = load_knowledge()
    for section in kb.questionnaire.sections:
        if not section.warning_signs:
            continue
        for q in section.questions:
            if q.show_if is not None:  # only follow-ups of warning signs themselves
                assert set(q.show_if.keys) <= set(qn.warning_sign_keys(kb)), q.key


def test_checklists_gather_yes_no_questions_and_follow_ups_open_in_them() -> None:
    kb = load_knowledge()
    sleep = next(s for s in kb.questionnaire.sections if s.id == "sleep")
    side = {"sleep_position": "side"}
    before = [i for i in qn.section_items(sleep, {}) if isinstance(i, qn.Checklist)]
    after = [i for i in qn.section_items(sleep, side) if isinstance(i, qn.Checklist)]
    assert [q.key for q in before[0].questions] == ["mattress_sagging", "tosses_and_turns"]
    assert next(q.key for q in after[0].questions) == "knee_pillow"


def test_the_first_screen_asks_about_sudden_severe_pain() -> None:
    first = qn.next_item({})
    assert isinstance(first, qn.Checklist)
    assert "sudden_severe_pain" in qn.item_keys(first)
    assert first.warning_signs


def test_an_optional_checklist_left_empty_stays_unanswered() -> None:
    _count, answers = walk({k: v for k, v in OFFICE_WORKER.items() if k != "smoker"})
    assert "smoker" not in answers and "heavy_drinking" not in answers


BOTH_SIDES_QUESTION = {
    "arms": "numbness_both_hands",
    "hands": "numbness_both_hands",
    "legs": "numbness_both_legs",
    "feet": "numbness_both_legs",
    "abdomen": "numbness_both_sides",
}
"""The one "on both sides?" question each region of numbness opens (none for a band around the
chest or the saddle area, which are on both sides already)."""


@given(
    st.lists(
        st.sampled_from(["arms", "hands", "chest_band", "abdomen", "legs", "feet", "saddle_area"]),
        unique=True,
    )
)
def test_each_region_is_asked_both_sides_once(regions: list[str]) -> None:
    """The nerves screen never asks "both sides?" beside "both hands?" or "both legs?" for the
    same numbness: one question per region, and only for the regions ticked."""
    questions = qn.questions_by_key(load_knowledge())
    given_answers = {"numbness_or_tingling": regions}
    asked = {
        key
        for key in ("numbness_both_sides", "numbness_both_hands", "numbness_both_legs")
        if qn.is_visible(questions[key], given_answers)
    }
    assert asked == {BOTH_SIDES_QUESTION[r] for r in regions if r in BOTH_SIDES_QUESTION}
