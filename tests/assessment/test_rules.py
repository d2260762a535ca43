"""Individual findings and rules: the clinical reasoning, one case at a time."""

from __future__ import annotations

from typing import Any

import pytest

from nightspine.assessment import TriageLevel, assess, validate_answers
from nightspine.assessment.conditions import all_of, any_of, at_least, has
from nightspine.assessment.contributors import MODELS, rank_contributors
from nightspine.assessment.findings import FINDING_MEANINGS, Finding, derive_findings
from nightspine.assessment.rules import (
    NO_RULE_REASON,
    RULES,
    describe_rules,
    rules_markdown,
    triage_advice,
)
from nightspine.errors import InvalidInputError
from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()
LOW_BACK = {"pain_locations": ["lower_back"], "duration_days": 10}
UPPER_BACK = {"pain_locations": ["upper_back"], "duration_days": 10}


def _level(answers: dict[str, Any]) -> TriageLevel:
    return assess(answers).triage.level


def _concerns(answers: dict[str, Any]) -> list[str]:
    return [c.id for c in assess(answers).concerns]


def _findings(answers: dict[str, Any]) -> dict[str, Finding]:
    return derive_findings(validate_answers(answers))


# --- weak flags alone raise nothing (NICE NG59) --------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"age": 88, **LOW_BACK},
        {"age": 60, "smoker": True, **UPPER_BACK},
        {"age": 70, "sex": "male", "smoker": True, "conditions": ["high_blood_pressure"]},
        {"age": 45, "conditions": ["diabetes", "heart_disease"], **UPPER_BACK},
        {"age": 30, "pregnant": True, "sex": "female", **LOW_BACK},
        {"conditions": ["osteoporosis"], "onset": "gradual", **UPPER_BACK},
        {"iv_drug_use": True, "onset_event": "lifting", **LOW_BACK},
    ],
)
def test_a_weak_flag_alone_raises_nothing(answers: dict[str, Any]) -> None:
    result = assess(answers)
    assert result.triage.level == TriageLevel.SELF_CARE
    assert result.concerns == []


def test_no_answers_at_all_is_self_care_with_a_reason() -> None:
    result = assess({})
    assert result.triage.level == TriageLevel.SELF_CARE
    assert result.triage.reasons and result.triage.advice == triage_advice(TriageLevel.SELF_CARE)


# --- inflammatory back pain (ASAS) ---------------------------------------------------------------

IBP = {
    "age": 28,
    "onset": "gradual",
    "duration_days": 200,
    "wakes_from_sleep": True,
    "relief": ["getting_up", "exercise"],
    "pain_locations": ["lower_back"],
}


def test_asas_finding_counts_the_items() -> None:
    found = _findings(IBP)["asas_ibp_criteria_met"]
    assert found.value == 5
    assert {"age", "duration_days", "onset", "relief", "wakes_from_sleep"} == set(found.because)
    assert "inflammatory_back_pain" in _concerns(IBP)
    assert _level(IBP) == TriageLevel.SOON


def test_asas_needs_three_months_of_pain() -> None:
    short = {**IBP, "duration_days": 60}
    assert "asas_ibp_criteria_met" in _findings(short)  # the pattern is there ...
    assert "inflammatory_back_pain" not in _concerns(short)  # ... but not long enough


def test_asas_needs_four_items() -> None:
    three = {**IBP, "relief": ["rest", "exercise"], "wakes_from_sleep": False}
    assert "asas_ibp_criteria_met" not in _findings(three)
    assert "inflammatory_back_pain" not in _concerns(three)


def test_asas_onset_age_is_the_age_when_the_pain_began() -> None:
    late = {**IBP, "age": 41, "duration_days": 200, "onset": "sudden"}
    assert "asas_ibp_criteria_met" not in _findings(late)  # began at 40.5, sudden: 3 items


# --- nerves, cord, cauda equina: severity and recency move the level ----------------------------


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (2, TriageLevel.EMERGENCY),
        (60, TriageLevel.EMERGENCY),
        (120, TriageLevel.URGENT),
        (400, TriageLevel.SOON),
    ],
)
def test_bladder_signs_by_how_new_they_are(days: int, level: TriageLevel) -> None:
    answers = {**LOW_BACK, "bladder_bowel": ["retention"], "warning_signs_started_days": days}
    assert _level(answers) == level
    assert "cauda_equina_syndrome" in _concerns(answers)


def test_early_bladder_signs_of_unknown_start_are_an_emergency() -> None:
    answers = {**LOW_BACK, "bladder_bowel": ["hesitancy_or_poor_stream"]}
    assert _level(answers) == TriageLevel.EMERGENCY


def test_saddle_numbness_is_an_emergency() -> None:
    answers = {**LOW_BACK, "numbness_or_tingling": ["saddle_area"]}
    assert _level(answers) == TriageLevel.EMERGENCY


@pytest.mark.parametrize(
    "signs",
    [
        {"clumsy_hands": True},
        {"unsteady_walking": True},
        {"numbness_or_tingling": ["chest_band"]},
        {"numbness_or_tingling": ["hands"], "numbness_both_sides": True},
        {"weakness": ["both_arms"]},
    ],
)
def test_cord_signs_are_at_least_urgent(signs: dict[str, Any]) -> None:
    answers = {"pain_locations": ["neck"], "warning_signs_started_days": 400, **signs}
    assert _level(answers).rank >= TriageLevel.URGENT.rank
    assert "spinal_cord_compression" in _concerns(answers)


def test_one_sided_numbness_is_soon_and_progressive_weakness_urgent() -> None:
    sciatica = {**LOW_BACK, "radiates_to": ["below_knee"], "side": "left"}
    numb = {**sciatica, "numbness_or_tingling": ["feet"]}
    assert _level(numb) == TriageLevel.SOON
    assert "nerve_root_compression" in _concerns(numb)
    weak = {**numb, "weakness": ["foot"], "weakness_worsening": True}
    weak["warning_signs_started_days"] = 300
    assert _level(weak) == TriageLevel.URGENT
    old_weak = {**numb, "weakness": ["foot"], "warning_signs_started_days": 300}
    assert _level(old_weak) == TriageLevel.SOON


def test_cancer_with_a_new_neurological_deficit_is_an_emergency() -> None:
    answers = {**UPPER_BACK, "conditions": ["cancer"], "numbness_or_tingling": ["legs"]}
    assert _level(answers) == TriageLevel.EMERGENCY
    assert {"spinal_cord_compression", "cancer"} <= set(_concerns(answers))


def test_cancer_history_with_new_pain_is_urgent_and_old_stable_pain_soon() -> None:
    new = {"conditions": ["cancer"], "pain_locations": ["lower_back"], "duration_days": 20}
    assert _level(new) == TriageLevel.URGENT
    old = {**new, "duration_days": 900, "course": "stable"}
    assert _level(old) == TriageLevel.SOON


# --- trauma, fracture -----------------------------------------------------------------------------


def test_dangerous_trauma_is_urgent_and_with_tingling_an_emergency() -> None:
    crash = {"age": 24, "onset_event": "road_accident", **UPPER_BACK}
    assert _level(crash) == TriageLevel.URGENT
    assert "vertebral_fracture" in _concerns(crash)
    tingling = {**crash, "numbness_or_tingling": ["arms"]}
    assert _level(tingling) == TriageLevel.EMERGENCY


def test_a_small_fall_matters_from_65() -> None:
    fall = {"onset_event": "minor_fall", **LOW_BACK}
    assert _level({**fall, "age": 40}) == TriageLevel.SELF_CARE
    assert _level({**fall, "age": 70}) == TriageLevel.URGENT


# --- infection and sepsis ------------------------------------------------------------------------


def test_fever_with_a_risk_factor_is_urgent_and_with_sepsis_signs_an_emergency() -> None:
    answers = {"fever": True, "iv_drug_use": True, **LOW_BACK}
    assert _level(answers) == TriageLevel.URGENT
    assert "spinal_infection" in _concerns(answers)
    assert _level({**answers, "rigors": True}) == TriageLevel.EMERGENCY
    assert _level({**answers, "confusion": True}) == TriageLevel.EMERGENCY


# --- heart, vessels, lungs -----------------------------------------------------------------------


def test_jaw_and_upper_back_pain_with_nausea_is_a_possible_heart_attack() -> None:
    answers = {
        "age": 64,
        "sex": "female",
        "conditions": ["diabetes"],
        "pain_locations": ["upper_back"],
        "radiates_to": ["jaw"],
        "duration_days": 0,
        "sweating_or_nausea": True,
    }
    assert _level(answers) == TriageLevel.EMERGENCY
    assert "heart_attack" in _concerns(answers)


def test_old_exertional_pain_is_angina_not_a_heart_attack() -> None:
    answers = {**UPPER_BACK, "duration_days": 30, "chest_pain_on_exertion": True}
    assert _level(answers) == TriageLevel.URGENT
    assert _concerns(answers) == ["angina"]


def test_pulsating_lump_is_an_emergency() -> None:
    answers = {**LOW_BACK, "pulsating_lump_abdomen": True}
    assert _concerns(answers) == ["abdominal_aortic_aneurysm"]
    assert _level(answers) == TriageLevel.EMERGENCY


def test_breathlessness_with_a_clot_risk_is_a_possible_embolism() -> None:
    answers = {**UPPER_BACK, "short_of_breath": True, "previous_clot": True, "duration_days": 3}
    assert _level(answers) == TriageLevel.EMERGENCY
    assert "pulmonary_embolism" in _concerns(answers)


# --- when self-care is not enough ----------------------------------------------------------------


def test_self_care_tried_six_weeks_without_improvement_is_soon() -> None:
    tried = {"pain_locations": ["lower_back"], "tried_self_care": ["stretching"]}
    assert _level({**tried, "duration_days": 50, "course": "stable"}) == TriageLevel.SOON
    assert _level({**tried, "duration_days": 50, "course": "improving"}) == TriageLevel.SELF_CARE
    assert _level({**tried, "duration_days": 20, "course": "stable"}) == TriageLevel.SELF_CARE
    assert _level({**LOW_BACK, "impact_on_daily_life": "a_lot"}) == TriageLevel.SOON


def test_non_mechanical_pain_needs_no_relief() -> None:
    pain = {**UPPER_BACK, "when_worse": ["constant"], "wakes_from_sleep": True}
    assert "non_mechanical_pain" not in _findings({**pain, "relief": ["moving_around"]})
    found = _findings({**pain, "relief": ["nothing"]})["non_mechanical_pain"]
    assert set(found.because) == {"relief", "when_worse", "wakes_from_sleep"}
    assert "cancer" in _concerns({**pain, "relief": ["nothing"]})


# --- the shape of the result ---------------------------------------------------------------------


def test_concerns_cite_answers_sources_and_plain_reasons() -> None:
    result = assess({"age": 67, "conditions": ["osteoporosis"], "onset_event": "lifting",
                     "onset": "sudden", "pain_locations": ["mid_back"]})  # fmt: skip
    (concern,) = result.concerns
    assert concern.id == "vertebral_fracture"
    assert concern.level == TriageLevel.URGENT
    assert concern.because == ["age", "onset", "onset_event", "conditions"]  # vocabulary order
    assert concern.title and concern.explanation and concern.reasons
    assert {s.id for s in concern.sources} >= {"red_flags_framework"}
    assert all(s.label for s in concern.sources)
    assert result.triage.reasons[0] in concern.reasons
    assert result.knowledge_version == KB.version and result.knowledge_checksum == KB.checksum


def test_bad_answers_are_refused() -> None:
    with pytest.raises(InvalidInputError) as info:
        assess({"age": 5, "fever": "yes"})
    assert {p.location for p in info.value.problems} == {"age", "fever"}


def test_contributors_rank_sleep_factors_higher_when_pain_is_on_waking() -> None:
    base = {"sleep_position": "stomach", "sitting_hours": 9}
    night = rank_contributors(validate_answers({**base, "when_worse": ["on_waking"]}))
    day = rank_contributors(validate_answers({**base, "when_worse": ["while_sitting"]}))
    assert night[0].id == "stomach_sleeping"
    assert day[0].id == "prolonged_sitting"


def test_contributor_ties_break_in_vocabulary_order() -> None:
    answers = {"conditions": ["kyphosis"], "onset_event": "minor_fall", "age": 30}
    tied = rank_contributors(validate_answers(answers))
    assert [(c.id, c.score) for c in tied] == [("injury", 0.6), ("spinal_curvature", 0.6)]
    assert tied[1].because == ("conditions",)


def test_mattress_age_counts_from_eight_years() -> None:
    def ids(years: float) -> list[str]:
        return [c.id for c in rank_contributors(validate_answers({"mattress_age_years": years}))]

    assert "unsupportive_mattress" not in ids(5)
    assert "unsupportive_mattress" in ids(8)


# --- the rule table is sound ---------------------------------------------------------------------


def test_every_rule_names_known_findings_concerns_and_sources() -> None:
    for r in RULES:
        assert r.when.finding_ids() <= set(FINDING_MEANINGS), r.id
        assert r.concern is None or r.concern in KB.vocabulary.concerns, r.id
        assert r.sources and set(r.sources) <= set(KB.sources), r.id
        assert r.reason.endswith("."), r.id
    assert {r.concern for r in RULES} - {None} == set(KB.vocabulary.concerns)


def test_rules_never_negate_a_warning_sign() -> None:
    # negating a finding built from a warning sign would let one more sign lower the level
    negated = set().union(*(r.when.negated_ids() for r in RULES))
    assert negated <= {"upper_spine_pain"}


def test_contributor_models_cover_the_vocabulary_in_order() -> None:
    assert [m.id for m in MODELS] == list(KB.vocabulary.contributors)


def test_conditions_describe_themselves() -> None:
    cond = all_of("fever", any_of("a", "b"), ~has("c"), at_least(2, "d", "e", "f"))
    assert cond.describe() == "fever and (a or b) and not c and at least 2 of (d, e, f)"
    facts = {"fever": Finding(), "b": Finding(), "d": Finding(), "f": Finding()}
    assert cond.holds(facts)
    assert cond.support(facts) == ["fever", "b", "d", "f"]
    assert not cond.holds({**facts, "c": Finding()})
    assert "ces_new_signs: if" in describe_rules()


def test_asas_items_without_any_inflammatory_feature_raise_no_concern() -> None:
    mechanical = {
        "age": 28,
        "onset": "gradual",
        "duration_days": 200,
        "relief": ["exercise", "moving_around"],
        "when_worse": ["while_sitting"],
        "pain_locations": ["lower_back"],
    }
    assert _findings(mechanical)["asas_ibp_criteria_met"].value == 4
    assert _concerns(mechanical) == []
    assert _concerns({**mechanical, "morning_stiffness_minutes": 45}) == ["inflammatory_back_pain"]


def test_non_mechanical_pattern_without_a_relief_answer() -> None:
    pain = {**UPPER_BACK, "when_worse": ["constant"], "wakes_from_sleep": True}
    assert "non_mechanical_pain" not in _findings({**pain, "course": "stable"})
    found = _findings({**pain, "course": "worsening"})["non_mechanical_pain"]
    assert found.value == 3
    assert "non_mechanical_pain" not in _findings(
        {**pain, "course": "worsening", "relief": ["rest"]}
    )


def test_new_deficit_with_suspected_cancer_is_an_emergency() -> None:
    pain = {"age": 58, **UPPER_BACK, "relief": ["nothing"], "course": "worsening"}
    assert _level(pain) == TriageLevel.SOON
    assert _level({**pain, "weakness": ["one_leg"]}) == TriageLevel.EMERGENCY
    young = {**pain, "age": 30, "weakness": ["one_leg"]}
    assert _level(young) == TriageLevel.URGENT


def test_small_fall_at_65_with_tingling_is_an_emergency() -> None:
    fall = {"age": 72, "onset_event": "minor_fall", **UPPER_BACK}
    assert _level(fall) == TriageLevel.URGENT
    assert _level({**fall, "numbness_or_tingling": ["legs"]}) == TriageLevel.EMERGENCY


def test_shaking_chills_are_a_sign_of_sepsis() -> None:
    assert _level({**LOW_BACK, "rigors": True}) == TriageLevel.EMERGENCY


def test_both_legs_weak_names_the_level_of_the_spine_that_hurts() -> None:
    weak = {"weakness": ["both_legs"], "warning_signs_started_days": 1}
    assert _concerns({**weak, "pain_locations": ["lower_back"]}) == ["cauda_equina_syndrome"]
    assert _concerns({**weak, "pain_locations": ["neck"]}) == ["spinal_cord_compression"]
    both = _concerns({**weak, "pain_locations": ["mid_back", "lower_back"]})
    assert set(both) == {"cauda_equina_syndrome", "spinal_cord_compression"}


def test_belly_pain_through_to_the_back_with_vomiting_is_pancreatitis() -> None:
    answers = {"pain_locations": ["mid_back"], "radiates_to": ["abdomen"], "vomiting": True}
    assert _concerns(answers) == ["pancreatitis"]
    assert _level(answers) == TriageLevel.URGENT


def test_a_diabetic_with_worsening_pain_and_no_fever_is_not_an_infection_concern() -> None:
    answers = {**LOW_BACK, "conditions": ["diabetes"], "course": "worsening"}
    assert _concerns(answers) == []
    assert _concerns({**answers, "conditions": ["immunosuppression"]}) == ["spinal_infection"]


def test_an_old_injury_that_still_aches_is_not_a_fracture_to_rule_out() -> None:
    whiplash = {"age": 40, "onset_event": "road_accident", **UPPER_BACK}
    assert _level({**whiplash, "duration_days": 1100, "course": "stable"}) == TriageLevel.SELF_CARE
    assert _level({**whiplash, "duration_days": 1100, "course": "worsening"}).rank >= 2
    injury = rank_contributors(validate_answers({**whiplash, "duration_days": 1100}))
    assert [c.id for c in injury] == ["injury"]


def test_the_rule_table_renders_for_review() -> None:
    text = rules_markdown()
    assert text.count("\n| ") >= len(RULES)
    assert "| asas_ibp_criteria_met | at least 4 of the 5 ASAS features" in text


def test_a_new_deficit_turns_a_fragility_fracture_or_an_infection_into_an_emergency() -> None:
    collapse = {"age": 72, "conditions": ["osteoporosis"], "onset": "sudden", **UPPER_BACK}
    assert _level(collapse) == TriageLevel.URGENT
    assert _level({**collapse, "numbness_or_tingling": ["legs"]}) == TriageLevel.EMERGENCY
    infection = {"recent_spinal_procedure": True, "fever": True, **LOW_BACK}
    assert _level(infection) == TriageLevel.URGENT
    assert _level({**infection, "weakness": ["one_leg"]}) == TriageLevel.EMERGENCY
    plain = {"iv_drug_use": True, "numbness_or_tingling": ["feet"], **LOW_BACK}
    # new pain with injecting drug use is urgent even without a fever (issue 10, IFOMPT 2020),
    # but without a fever or other sign of infection a numb foot does not make it an abscess
    assert _level(plain) == TriageLevel.URGENT


def test_a_teenager_woken_by_worsening_pain_should_see_a_doctor() -> None:
    teen = {"age": 14, **LOW_BACK, "wakes_from_sleep": True, "course": "worsening"}
    assert _level(teen) == TriageLevel.SOON
    assert _level({**teen, "age": 30}) == TriageLevel.SELF_CARE


def test_chest_or_arm_spread_after_a_strain_is_not_read_as_the_heart_without_risk() -> None:
    strain = {"age": 47, "pain_locations": ["upper_back"], "duration_days": 1}
    assert _level({**strain, "radiates_to": ["chest"], "onset_event": "lifting"}) == (
        TriageLevel.SELF_CARE
    )
    assert _concerns({**strain, "radiates_to": ["chest"]}) == ["heart_attack"]
    neck = {"age": 40, "pain_locations": ["neck"], "radiates_to": ["arm"]}
    on_effort = {"when_worse": ["with_activity"], "relief": ["rest"]}
    assert _concerns({**neck, **on_effort}) == []
    assert _concerns({**neck, **on_effort, "conditions": ["diabetes"]}) == ["angina"]


def test_reasons_come_from_the_rules_that_set_the_level() -> None:
    answers = {"age": 66, "conditions": ["diabetes"], "pain_locations": ["upper_back"],
               "radiates_to": ["jaw"], "duration_days": 0, "sweating_or_nausea": True}  # fmt: skip
    result = assess(answers)
    urgent_reasons = {
        r.reason for r in RULES if r.concern == "heart_attack" and r.level == "urgent"
    }
    assert result.triage.level == TriageLevel.EMERGENCY
    assert not urgent_reasons & set(result.triage.reasons)
    assert not urgent_reasons & set(result.concerns[0].reasons)
    assert len(result.triage.reasons) == len(set(result.triage.reasons))


def test_blood_thinners_turn_sudden_severe_pain_into_a_same_day_visit() -> None:
    pain = {**LOW_BACK, "onset": "sudden", "pain_now": 9, "medications": ["anticoagulant"]}
    assert _level(pain) == TriageLevel.URGENT
    fall = {**LOW_BACK, "onset_event": "minor_fall", "medications": ["anticoagulant"]}
    assert _level(fall) == TriageLevel.URGENT
    assert _level({**fall, "medications": ["paracetamol"]}) == TriageLevel.SELF_CARE
    numb = {**pain, "numbness_or_tingling": ["legs"], "numbness_both_sides": True}
    assert _level(numb) == TriageLevel.EMERGENCY


def test_back_and_belly_pain_in_an_older_male_smoker_needs_the_aorta_checked() -> None:
    answers = {"age": 68, "sex": "male", "smoker": True, "abdominal_pain": True, **LOW_BACK}
    assert _concerns(answers) == ["abdominal_aortic_aneurysm"]
    assert _level(answers) == TriageLevel.URGENT
    assert _concerns({**answers, "age": 45}) == []


# --- issue 10: reasons, likely causes under an emergency, per-region "both sides" ----------------


def test_unanswered_warning_signs_are_reported_as_not_known() -> None:
    calm = {"age": 35, **LOW_BACK, "relief": ["moving_around"]}
    reasons = assess(calm).triage.reasons
    assert reasons != [NO_RULE_REASON]
    assert "not answered" in reasons[0] and "bladder bowel" in reasons[0]
    all_no = {
        k: ([] if KB.vocabulary.answers[k].type == "many-of" else False)
        for sign in KB.warning_signs
        for k in sign.answer_keys
        if KB.vocabulary.answers[k].type in ("bool", "many-of")
    }
    all_no |= {
        k: 0
        for sign in KB.warning_signs
        for k in sign.answer_keys
        if KB.vocabulary.answers[k].type == "int"
    }
    assert assess({**calm, **all_no}).triage.reasons == [NO_RULE_REASON]


def test_likely_causes_are_not_shown_under_an_emergency() -> None:
    habits = {"sleep_position": "stomach", "pillow": "too_high", **UPPER_BACK}
    assert assess(habits).contributors
    emergency = assess({**habits, "chest_pain_or_pressure": True})
    assert emergency.triage.level == TriageLevel.EMERGENCY
    assert emergency.contributors == []


def test_both_sides_is_read_per_region_with_the_old_answer_as_fallback() -> None:
    hands_and_foot = {"numbness_or_tingling": ["hands", "feet"]}
    old = _findings({**hands_and_foot, "numbness_both_sides": True})
    assert {"both_hands_numb", "both_legs_numb"} <= set(old)
    new = _findings({**hands_and_foot, "numbness_both_hands": True, "numbness_both_legs": False})
    assert "both_hands_numb" in new and "both_legs_numb" not in new
    assert "one_limb_numb" in new  # the one foot
    both = {**hands_and_foot, "numbness_both_sides": True, "numbness_both_legs": False}
    assert "both_legs_numb" not in _findings(both) and "both_hands_numb" in _findings(both)


def test_sharp_counts_as_well_as_tearing_for_sudden_severe_pain() -> None:
    sudden = {"onset": "sudden", "onset_event": "none", **UPPER_BACK}
    assert "sudden_severe_unexplained" in _findings({**sudden, "pain_now": 7, "quality": ["sharp"]})
    assert "sudden_severe_unexplained" not in _findings({**sudden, "pain_now": 7})
    assert "sudden_severe_unexplained" not in _findings(
        {**sudden, "pain_now": 9, "onset_event": "lifting"}
    )
    assert _level({**sudden, "pain_now": 9}) == TriageLevel.URGENT
    assert _level({**sudden, "pain_now": 9, "age": 55, "former_smoker": True}) == (
        TriageLevel.EMERGENCY
    )


def test_ng12_flags_coughing_blood_from_40_and_jaundice_with_weight_loss() -> None:
    blood = {"age": 45, "coughing_blood": True, **UPPER_BACK}
    assert _level(blood) == TriageLevel.URGENT and "cancer" in _concerns(blood)
    assert "cancer" not in _concerns({**blood, "age": 30})
    yellow = {"jaundice": True, "weight_loss_unexplained": True, **UPPER_BACK}
    assert _level(yellow) == TriageLevel.URGENT and "cancer" in _concerns(yellow)


def test_tiredness_with_pain_eased_by_moving_is_not_a_heart_attack() -> None:
    tired = {"age": 50, **UPPER_BACK, "duration_days": 1, "unusual_fatigue": True}
    assert _concerns(tired) == ["heart_attack"]
    assert _concerns({**tired, "relief": ["moving_around"]}) == []
    assert _concerns({**tired, "relief": ["moving_around"], "sweating_or_nausea": True}) == [
        "heart_attack"
    ]
