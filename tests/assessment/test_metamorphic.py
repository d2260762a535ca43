"""Metamorphic properties of the triage (issue 10, section 4): changing one answer in the
direction that makes a case more worrying never lowers the level.

Each property draws a random valid answers document, makes one change and compares the levels.
Where a guideline itself makes the change point the other way, the exception is written out
below with its reason, and the property checks that nothing else lowered the level.
"""

from __future__ import annotations

from typing import Any

from answer_strategies import VOCAB, answer_documents, possible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightspine.assessment import TriageLevel, assess, validate_answers
from nightspine.assessment.findings import derive_findings
from nightspine.assessment.rules import RULES, fired_rules

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# sparse documents (mostly the lower levels, where a lowering would show) and dense ones
DOCS = st.one_of(answer_documents(max_keys=10), answer_documents())

RISK_FLAGS = (
    "smoker",
    "former_smoker",
    "known_aortic_aneurysm",
    "connective_tissue_disorder",
    "previous_clot",
    "long_term_steroids",
    "iv_drug_use",
    "recent_spinal_procedure",
    "recent_infection",
    "heavy_drinking",
)
RISK_CONDITIONS = (
    "osteoporosis",
    "cancer",
    "immunosuppression",
    "heart_disease",
    "high_blood_pressure",
    "diabetes",
    "gallstones",
)
MECHANICAL_TRIGGERS = ("lifting", "unusual_exercise", "coughing_or_sneezing")
COURSE = ("improving", "stable", "worsening")


def _level(answers: dict[str, Any]) -> TriageLevel:
    return assess(answers).triage.level


def _rule_ids(answers: dict[str, Any]) -> set[str]:
    return {r.id for r in fired_rules(derive_findings(validate_answers(answers)))}


def _never_lower(before: dict[str, Any], after: dict[str, Any], allowed: frozenset[str]) -> None:
    """The level after is at least the level before, unless every rule that stopped firing is
    one of ``allowed`` (a documented exception) and the new level is what remains."""
    low, high = _level(before), _level(after)
    if high.rank >= low.rank:
        return
    lost = _rule_ids(before) - _rule_ids(after)
    assert lost <= allowed, (before, after, lost)


ASAS_GRADUAL_ONSET = frozenset({"ibp_asas"})
"""The ASAS criteria count a gradual onset as a feature of inflammatory back pain, so a sudden
onset can remove that one 'soon' (Sieper et al., 2009)."""

FRAGILITY_TRIGGER = frozenset(
    {"fracture_fragile_bones", "fracture_older_sudden", "fracture_fragile_neuro"}
)
"""In fragile bones (osteoporosis, long-term steroids) or at 65 or older a minor strain is the
red flag itself: lifting or coughing can break a vertebra (Finucane et al., 2020; Downie et al.,
2013), so removing that strain removes the fracture concern."""


@SETTINGS
@given(DOCS, st.data())
def test_making_the_onset_sudden_never_lowers_the_level(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    _never_lower(answers, {**answers, "onset": "sudden"}, ASAS_GRADUAL_ONSET)


@SETTINGS
@given(DOCS, st.sampled_from(("pain_now", "pain_worst_night")), st.data())
def test_more_severe_pain_never_lowers_the_level(
    answers: dict[str, Any], key: str, data: st.DataObject
) -> None:
    now = answers.get(key, 0)
    worse = data.draw(st.integers(now, 10))
    _never_lower(answers, {**answers, key: worse}, frozenset())


@SETTINGS
@given(DOCS, st.data())
def test_a_worse_course_never_lowers_the_level(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    current = answers.get("course")
    # an unknown course is not known to be improving: from there only stable or worse is worse
    start = COURSE.index(current) if current in COURSE else 1
    worse = data.draw(st.sampled_from(COURSE[start:]))
    _never_lower(answers, {**answers, "course": worse}, frozenset())


@SETTINGS
@given(DOCS, st.data())
def test_adding_a_risk_factor_never_lowers_the_level(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    more = dict(answers)
    if data.draw(st.booleans()):
        more[data.draw(st.sampled_from(RISK_FLAGS))] = True
    else:
        extra = data.draw(st.sampled_from(RISK_CONDITIONS))
        values = VOCAB.answers["conditions"].values
        more["conditions"] = sorted({*more.get("conditions", ()), extra}, key=values.index)
    _never_lower(answers, possible(more), frozenset())


@SETTINGS
@given(DOCS, st.sampled_from(MECHANICAL_TRIGGERS), st.booleans())
def test_removing_a_mechanical_trigger_never_lowers_the_level(
    answers: dict[str, Any], trigger: str, say_none: bool
) -> None:
    with_trigger = {**answers, "onset_event": trigger}
    without = {k: v for k, v in answers.items() if k != "onset_event"}
    if say_none:
        without["onset_event"] = "none"
    _never_lower(with_trigger, without, FRAGILITY_TRIGGER)


def test_the_exceptions_are_real_rules() -> None:
    ids = {r.id for r in RULES}
    assert ids >= ASAS_GRADUAL_ONSET and ids >= FRAGILITY_TRIGGER
