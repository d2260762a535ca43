"""Invariants of the engine over random valid answer documents."""

from __future__ import annotations

import json
from typing import Any

from answer_strategies import WARNING_SIGN_KEYS, added_warning_sign, answer_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightspine.assessment import Assessment, TriageLevel, assess
from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_adding_a_warning_sign_never_lowers_the_level(data: st.DataObject) -> None:
    answers = data.draw(answer_documents())
    more = data.draw(added_warning_sign(answers))
    before, after = assess(answers).triage.level, assess(more).triage.level
    assert after.rank >= before.rank, (answers, more)


@SETTINGS
@given(answer_documents())
def test_outputs_use_vocabulary_ids_and_cite_present_answers(answers: dict[str, Any]) -> None:
    result = assess(answers)
    present = {k for k, v in answers.items() if v is not None}
    assert result.triage.level in TriageLevel
    assert result.triage.reasons and result.triage.advice
    for concern in result.concerns:
        assert concern.id in KB.vocabulary.concerns
        assert set(concern.because) <= present
        assert concern.level.rank <= result.triage.level.rank
        assert concern.sources
    assert len({c.id for c in result.concerns}) == len(result.concerns)
    scores = [c.score for c in result.contributors]
    assert scores == sorted(scores, reverse=True)
    for contributor in result.contributors:
        assert contributor.id in KB.vocabulary.contributors
        assert contributor.because and set(contributor.because) <= present
        assert 0.0 <= contributor.score <= 1.0
    if result.concerns:
        assert max(c.level.rank for c in result.concerns) <= result.triage.level.rank


@SETTINGS
@given(answer_documents())
def test_the_engine_is_deterministic_and_round_trips_through_json(answers: dict[str, Any]) -> None:
    first = assess(answers)
    reordered = dict(reversed(list(answers.items())))
    assert assess(reordered) == first
    restored = Assessment.model_validate(json.loads(json.dumps(first.to_json())))
    assert restored == first
    assert first.knowledge_version == KB.version
    assert first.knowledge_checksum == KB.checksum


def test_warning_sign_keys_are_the_symptom_block() -> None:
    assert "fever" in WARNING_SIGN_KEYS and "bladder_bowel" in WARNING_SIGN_KEYS
    assert "warning_signs_started_days" not in WARNING_SIGN_KEYS
    assert "age" not in WARNING_SIGN_KEYS
