"""Invariants of the engine over random valid answer documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from answer_strategies import (
    WARNING_SIGN_KEYS,
    added_warning_sign,
    answer_documents,
    possible,
    value_for,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightspine.assessment import Assessment, TriageLevel, assess
from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_adding_a_warning_sign_never_lowers_the_level(data: st.DataObject) -> None:
    answers = data.draw(st.one_of(answer_documents(max_keys=10), answer_documents()))
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
        assert concern.because and set(concern.because) <= present
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


LIFESTYLE_KEYS = [
    "sleep_position",
    "pillow",
    "knee_pillow",
    "mattress_firmness",
    "mattress_age_years",
    "mattress_sagging",
    "tosses_and_turns",
    "hours_in_bed",
    "sleep_habits",
    "sitting_hours",
    "posture",
    "exercise_days_per_week",
    "stress",
]


@SETTINGS
@given(st.data())
def test_sleep_and_daytime_habits_never_change_the_triage(data: st.DataObject) -> None:
    answers = data.draw(answer_documents(max_keys=12))
    key = data.draw(st.sampled_from(LIFESTYLE_KEYS))
    value = data.draw(value_for(KB.vocabulary.answers[key]))
    before, after = assess(answers), assess(possible({**answers, key: value}))
    assert after.triage == before.triage
    assert after.concerns == before.concerns


def _vignette_answers() -> list[dict[str, Any]]:
    data = Path(__file__).parent / "data"
    docs: list[dict[str, Any]] = []
    for name in ("vignettes-public.yaml", "vignettes-extra.yaml"):
        docs += [v["answers"] for v in yaml.safe_load((data / name).read_text(encoding="utf-8"))]
    return docs


def test_every_single_added_warning_sign_keeps_or_raises_each_vignette_level() -> None:
    for answers in _vignette_answers():
        before = assess(answers).triage.level.rank
        for key in WARNING_SIGN_KEYS:
            spec = KB.vocabulary.answers[key]
            additions: list[Any] = (
                [True] if spec.type == "bool" else [[*answers.get(key, []), v] for v in spec.values]
            )
            for value in additions:
                more = {**answers, key: value}
                assert assess(more).triage.level.rank >= before, (answers, key, value)
