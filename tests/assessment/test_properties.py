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

from nightspine.assessment import Assessment, TriageLevel, assess, validate_answers
from nightspine.assessment import questionnaire as qn
from nightspine.assessment.conditions import Cond, all_of, any_of, at_least, has
from nightspine.assessment.contributors import MODELS, pattern_factor, rank_contributors
from nightspine.assessment.findings import FINDINGS, Finding, derive_findings
from nightspine.assessment.rules import RULES, fired_rules
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


@SETTINGS
@given(answer_documents())
def test_fast_findings_equal_running_every_finding(answers: dict[str, Any]) -> None:
    valid = validate_answers(answers)
    assert derive_findings(valid) == derive_findings(valid, skip_unneeded=False)


@SETTINGS
@given(answer_documents(max_keys=4))
def test_fast_findings_equal_running_every_finding_for_few_answers(answers: dict[str, Any]) -> None:
    # with few answers, most finding functions have at most one of their keys answered, so
    # their results come from the remembered one-answer rows rather than from a call
    valid = validate_answers(answers)
    assert derive_findings(valid) == derive_findings(valid, skip_unneeded=False)


def _conditions(names: list[str]) -> st.SearchStrategy[Cond]:
    leaves = st.sampled_from(names).map(has)
    return st.recursive(
        leaves,
        lambda parts: st.one_of(
            st.lists(parts, max_size=3).map(lambda ps: all_of(*ps)),
            st.lists(parts, max_size=3).map(lambda ps: any_of(*ps)),
            st.tuples(st.integers(0, 3), st.lists(parts, max_size=3)).map(
                lambda c: at_least(c[0], *c[1])
            ),
            parts.map(lambda p: ~p),
        ),
        max_leaves=8,
    )


@SETTINGS
@given(_conditions(["a", "b", "c", "d'x"]), st.sets(st.sampled_from(["a", "b", "c", "d'x"])))
def test_compiled_conditions_equal_their_plain_meaning(cond: Cond, present: set[str]) -> None:
    facts = {name: Finding() for name in present}
    assert cond.compile()(facts) == cond.holds(facts)


@SETTINGS
@given(st.data())
def test_compiled_simple_findings_equal_their_plain_test(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from([s for s in FINDINGS if s.simple is not None]))
    assert spec.simple is not None
    values = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 120),
        st.floats(allow_nan=False),
        st.text(max_size=3),
        value_for(KB.vocabulary.answers[spec.simple.key]).map(
            lambda v: tuple(v) if isinstance(v, list) else v
        ),
        st.tuples(st.text(max_size=3)),
    )
    value = data.draw(values)
    assert spec.simple.compile()(value) == spec.simple.test(value)


def _plain_ranking(answers: dict[str, Any]) -> list[tuple[str, float, tuple[str, ...]]]:
    """Every contributor model weighed in full, with no index and no shortcut."""
    valid = validate_answers(answers)
    out: list[tuple[float, int, str, tuple[str, ...]]] = []
    for index, model in enumerate(MODELS):
        weights = [
            (ev, ev.weigh(valid)) for ev in model.evidence if set(ev.keys) & set(valid.keys())
        ]
        weights = [(ev, w) for ev, w in weights if w > 0]
        if not any(ev.primary for ev, _ in weights):
            continue
        remaining = 1.0
        for _, w in weights:
            remaining *= 1.0 - w
        score = round((1.0 - remaining) * pattern_factor(model.kind, valid), 3)
        out.append((-score, index, model.id, tuple(r.reason for r, _ in weights)))
    out.sort()
    return [(model_id, -neg, reasons) for neg, _, model_id, reasons in out]


@SETTINGS
@given(answer_documents())
def test_ranked_contributors_equal_weighing_every_model(answers: dict[str, Any]) -> None:
    ranked = rank_contributors(validate_answers(answers))
    assert [(c.id, c.score, c.reasons) for c in ranked] == _plain_ranking(answers)


@SETTINGS
@given(answer_documents())
def test_doctor_text_has_equals_has_answer(answers: dict[str, Any]) -> None:
    from nightspine.assessment.doctor import _guide, _Text

    valid = validate_answers(answers)
    text = _Text(_guide(KB), valid)
    for key in KB.vocabulary.answers:
        assert text.has(key) == qn.has_answer(valid.get(key)), key


@SETTINGS
@given(answer_documents())
def test_compiled_support_equals_plain_support(answers: dict[str, Any]) -> None:
    findings = derive_findings(validate_answers(answers))
    for rule in RULES:
        if rule.when.holds(findings):
            assert rule.support(findings) == rule.when.support(findings), rule.id
        assert rule.rank == rule.level.rank


@SETTINGS
@given(answer_documents())
def test_indexed_rules_equal_evaluating_every_rule(answers: dict[str, Any]) -> None:
    findings = derive_findings(validate_answers(answers))
    assert fired_rules(findings) == [r for r in RULES if r.when.holds(findings)]


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
