"""The clinical knowledge (concerns, warning signs, their sources) is complete and consistent."""

from __future__ import annotations

from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()


def test_every_concern_says_what_it_is_and_what_to_do() -> None:
    assert set(KB.concerns) == set(KB.vocabulary.concerns)
    for concern in KB.concerns.values():
        assert len(concern.explanation) > 120, concern.id
        assert concern.what_to_do, concern.id
        assert set(concern.sources) <= set(KB.sources), concern.id


def test_every_warning_sign_answer_is_asked_with_a_question() -> None:
    keys = list(KB.vocabulary.answers)
    symptoms = set(keys[keys.index("numbness_or_tingling") :]) - {"warning_signs_started_days"}
    asked = [k for sign in KB.warning_signs for k in sign.answer_keys]
    assert symptoms <= set(asked)
    assert len(asked) == len(set(asked)), "an answer belongs to one warning sign (one report line)"
    questions = {q.key: q for q in KB.questionnaire.questions()}
    for sign in KB.warning_signs:  # asked in the questionnaire's words, the only wording
        for key in sign.answer_keys:
            assert questions[key].text.endswith("?"), sign.id


def test_clinical_sources_are_complete_citations() -> None:
    for source in KB.sources.values():
        assert source.title and source.publisher and 1990 <= source.year <= 2026, source.id


def test_advice_unsafe_for_the_person_names_real_answers() -> None:
    unsafe = {a.id: a.unsafe_when for a in KB.advice.values() if a.unsafe_when is not None}
    for advice_id, conds in unsafe.items():
        for cond in (*conds.all, *conds.any):
            assert cond.key in KB.vocabulary.answers, (advice_id, cond.key)
    assert {c.key for c in unsafe["back_sleeping_support"].any} == {"pregnant"}
    assert {c.key for c in unsafe["otc_pain_relief"].any} == {
        "pregnant",
        "medications",
        "stomach_ulcer_history",
        "kidney_disease",
        "age",
    }
    ask_first = KB.advice["pain_relief_ask_first"]
    assert ask_first.applies_when == unsafe["otc_pain_relief"]
    assert "midwife" in ask_first.explanation and "pharmacist" in ask_first.explanation
