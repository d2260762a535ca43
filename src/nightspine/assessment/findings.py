"""Findings: named clinical facts derived from the answers, each remembering its answer keys.

A finding is the vocabulary the triage rules are written in (see :mod:`.rules`). Each one is a
small, separately testable function of the answers (and of findings defined before it), with a
plain-language meaning a clinician can check. A finding that is absent is simply not in the
result; a finding that is present carries the answer keys that made it so.

Clinical thresholds used here (ages, durations) follow the red-flag literature cited by the rules:
the International Framework for Red Flags (Finucane et al., 2020), NICE NG59, NICE NG234 for
metastatic spinal cord compression and the ASAS criteria for inflammatory back pain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from nightspine.assessment.answers import Answers

# -- thresholds, in one place so that a reviewer can see and change them ------------------------

OLDER_AGE = 65
"""Age from which a fall or a minor strain may break a vertebra (fragility)."""
CARDIAC_RISK_AGE = 45
"""Age from which coronary risk counts as a factor on its own when symptoms fit."""
VASCULAR_AGE = 60
"""Age from which an aneurysm or a dissection becomes a real possibility."""
IBP_MIN_DAYS = 90
"""Inflammatory back pain (ASAS) needs back pain for three months or more."""
IBP_ONSET_AGE = 40
NG65_ONSET_AGE = 45
RECENT_SIGN_DAYS = 28
"""A warning sign that began within four weeks (or at an unknown time) counts as new."""
OLD_SIGN_DAYS = 180
"""A warning sign present, unchanged, for six months or more counts as long-standing."""
ACUTE_DAYS = 2
"""Pain that began today or yesterday counts as acute (cardiac and vascular emergencies)."""
NEW_PAIN_DAYS = 90
SELF_CARE_WEEKS_DAYS = 42
SEVERE_PAIN = 8
LONG_HOURS_IN_BED = 9.0
OLD_MATTRESS_YEARS = 8.0


@dataclass(frozen=True, slots=True)
class Finding:
    """A named fact about this person, the answer keys behind it and an optional count."""

    id: str
    because: tuple[str, ...]
    value: int | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """What a finding function returns when the finding is present."""

    because: tuple[str, ...] = ()
    value: int | None = None


Findings = Mapping[str, Finding]
Derive = Callable[[Answers, Findings], "Found | None"]


@dataclass(frozen=True, slots=True)
class FindingSpec:
    id: str
    meaning: str
    derive: Derive


FINDINGS: list[FindingSpec] = []


def finding(finding_id: str, meaning: str) -> Callable[[Derive], Derive]:
    """Register a finding function under ``finding_id`` with its plain meaning."""

    def register(fn: Derive) -> Derive:
        if any(spec.id == finding_id for spec in FINDINGS):
            raise ValueError(f"finding {finding_id} is defined twice")
        FINDINGS.append(FindingSpec(finding_id, meaning, fn))
        return fn

    return register


def found(*keys: str, value: int | None = None) -> Found:
    return Found(tuple(dict.fromkeys(keys)), value)


def _either(f: Findings, *ids: str) -> Found | None:
    """Present when any of the findings ``ids`` is, citing all of those present."""
    keys = [k for i in ids if i in f for k in f[i].because]
    return found(*keys) if any(i in f for i in ids) else None


def _any(a: Answers, key: str, values: frozenset[str]) -> Found | None:
    return found(key) if a.choices(key) & values else None


def _flag(a: Answers, key: str) -> Found | None:
    return found(key) if a.flag(key) else None


def _at_least(a: Answers, key: str, limit: float) -> Found | None:
    value = a.number(key)
    return found(key) if value is not None and value >= limit else None


# -- the pain itself ----------------------------------------------------------------------------

SLEEP_PATTERN = frozenset({"lying_down_immediately", "after_hours_lying", "on_waking"})
DAY_PATTERN = frozenset({"while_sitting", "with_activity", "evening"})
THORACIC = frozenset({"upper_back", "mid_back", "shoulder_blade"})
UPPER_BODY = frozenset({"neck", "upper_back", "shoulder_blade"})
MOVEMENT_RELIEF = frozenset({"changing_position", "getting_up", "moving_around", "exercise"})
MINOR_STRAIN_EVENTS = frozenset(
    {"lifting", "coughing_or_sneezing", "unusual_exercise", "sports_injury", "minor_fall"}
)
DANGEROUS_EVENTS = frozenset({"fall_from_height", "road_accident"})


@finding("sleep_pattern", "the pain is worst on lying down, after hours in bed or on waking")
def _sleep_pattern(a: Answers, f: Findings) -> Found | None:
    return _any(a, "when_worse", SLEEP_PATTERN)


@finding("day_pattern", "the pain is worst while sitting, with activity or in the evening")
def _day_pattern(a: Answers, f: Findings) -> Found | None:
    return _any(a, "when_worse", DAY_PATTERN)


@finding("thoracic_pain", "pain in the upper or mid back or around the shoulder blades")
def _thoracic_pain(a: Answers, f: Findings) -> Found | None:
    return _any(a, "pain_locations", THORACIC)


@finding("lumbar_pain", "pain in the low back or spreading to the buttock or leg")
def _lumbar_pain(a: Answers, f: Findings) -> Found | None:
    keys = []
    if "lower_back" in a.choices("pain_locations"):
        keys.append("pain_locations")
    if a.choices("radiates_to") & {"buttock", "thigh", "below_knee"}:
        keys.append("radiates_to")
    return found(*keys) if keys else None


@finding("upper_spine_pain", "pain in the neck, upper or mid back (where the spinal cord runs)")
def _upper_spine_pain(a: Answers, f: Findings) -> Found | None:
    return _any(
        a, "pain_locations", frozenset({"neck", "upper_back", "mid_back", "shoulder_blade"})
    )


@finding("sudden_onset", "the pain began suddenly")
def _sudden_onset(a: Answers, f: Findings) -> Found | None:
    return found("onset") if a.choice("onset") == "sudden" else None


@finding("acute_pain", "the pain began today or yesterday (or it is not known when)")
def _acute_pain(a: Answers, f: Findings) -> Found | None:
    days = a.number("duration_days")
    if days is None:
        return found()
    return found("duration_days") if days < ACUTE_DAYS else None


@finding("new_pain", "the pain began within the last three months, or it is getting worse")
def _new_pain(a: Answers, f: Findings) -> Found | None:
    days = a.number("duration_days")
    if a.choice("course") == "worsening":
        return found("course")
    if days is None:
        return found()
    return found("duration_days") if days <= NEW_PAIN_DAYS else None


@finding("severe_pain", "the pain is severe (8 out of 10 or more)")
def _severe_pain(a: Answers, f: Findings) -> Found | None:
    keys = [k for k in ("pain_now", "pain_worst_night") if (a.number(k) or 0) >= SEVERE_PAIN]
    return found(*keys) if keys else None


@finding("tearing_pain", "the pain feels tearing or ripping")
def _tearing_pain(a: Answers, f: Findings) -> Found | None:
    return found("quality") if "tearing" in a.choices("quality") else None


@finding("worsening", "the pain is getting worse")
def _worsening(a: Answers, f: Findings) -> Found | None:
    return found("course") if a.choice("course") == "worsening" else None


@finding("night_waking", "the pain wakes the person from sleep")
def _night_waking(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "wakes_from_sleep")


@finding(
    "non_mechanical_pain",
    "no position or movement relieves the pain, and it is constant, wakes the person or is "
    "getting worse (pain that does not behave like a strained back)",
)
def _non_mechanical_pain(a: Answers, f: Findings) -> Found | None:
    if "nothing" not in a.choices("relief") or a.choices("relief") & MOVEMENT_RELIEF:
        return None
    keys = ["relief"]
    if "constant" in a.choices("when_worse"):
        keys.append("when_worse")
    if a.flag("wakes_from_sleep"):
        keys.append("wakes_from_sleep")
    if a.choice("course") == "worsening":
        keys.append("course")
    if a.flag("worse_with_cough_or_strain"):
        keys.append("worse_with_cough_or_strain")
    return found(*keys, value=len(keys) - 1) if len(keys) > 1 else None


@finding("lying_flat_pain", "the pain comes on lying flat and eases propped up or moving")
def _lying_flat_pain(a: Answers, f: Findings) -> Found | None:
    if "lying_down_immediately" in a.choices("when_worse"):
        return found("when_worse")
    return None


# -- trauma and bone strength -------------------------------------------------------------------


@finding("dangerous_trauma", "a dangerous mechanism: a fall from 1 m or 5 stairs, a road accident")
def _dangerous_trauma(a: Answers, f: Findings) -> Found | None:
    return found("onset_event") if a.choice("onset_event") in DANGEROUS_EVENTS else None


@finding("minor_fall", "a fall from standing height or less")
def _minor_fall(a: Answers, f: Findings) -> Found | None:
    return found("onset_event") if a.choice("onset_event") == "minor_fall" else None


@finding("minor_strain", "a minor event: lifting, a cough or sneeze, unusual exercise, a fall")
def _minor_strain(a: Answers, f: Findings) -> Found | None:
    return found("onset_event") if a.choice("onset_event") in MINOR_STRAIN_EVENTS else None


@finding("older_age", f"aged {OLDER_AGE} or over")
def _older_age(a: Answers, f: Findings) -> Found | None:
    return _at_least(a, "age", OLDER_AGE)


@finding("fragile_bones", "osteoporosis or long-term steroid tablets (bones break more easily)")
def _fragile_bones(a: Answers, f: Findings) -> Found | None:
    keys = []
    if "osteoporosis" in a.choices("conditions"):
        keys.append("conditions")
    if a.flag("long_term_steroids"):
        keys.append("long_term_steroids")
    return found(*keys) if keys else None


# -- nerves, cord, cauda equina -----------------------------------------------------------------

LIMB_NUMBNESS = frozenset({"arms", "hands", "legs", "feet"})
ARM_NUMBNESS = frozenset({"arms", "hands"})
LEG_NUMBNESS = frozenset({"legs", "feet"})
STRONG_SPHINCTER = frozenset(
    {"retention", "incontinence", "reduced_bladder_sensation", "hesitancy_or_poor_stream"}
)
OTHER_SPHINCTER = frozenset({"new_constipation", "sexual_dysfunction"})


def _numb(a: Answers) -> frozenset[str]:
    return a.choices("numbness_or_tingling")


@finding("bladder_signs", "a new problem passing or feeling urine, or leaking (bladder signs)")
def _bladder_signs(a: Answers, f: Findings) -> Found | None:
    return _any(a, "bladder_bowel", STRONG_SPHINCTER)


@finding("bowel_or_sexual_change", "new constipation or new sexual dysfunction")
def _bowel_or_sexual_change(a: Answers, f: Findings) -> Found | None:
    return _any(a, "bladder_bowel", OTHER_SPHINCTER)


@finding("saddle_numbness", "numbness between the legs or around the back passage (saddle area)")
def _saddle_numbness(a: Answers, f: Findings) -> Found | None:
    return found("numbness_or_tingling") if "saddle_area" in _numb(a) else None


@finding("both_legs_weak", "weakness in both legs")
def _both_legs_weak(a: Answers, f: Findings) -> Found | None:
    return found("weakness") if "both_legs" in a.choices("weakness") else None


@finding("both_legs_numb", "numbness or tingling in both legs or both feet")
def _both_legs_numb(a: Answers, f: Findings) -> Found | None:
    if _numb(a) & LEG_NUMBNESS and a.flag("numbness_both_sides"):
        return found("numbness_or_tingling", "numbness_both_sides")
    return None


@finding("bilateral_sciatica", "pain running down both legs below the knee")
def _bilateral_sciatica(a: Answers, f: Findings) -> Found | None:
    if "below_knee" in a.choices("radiates_to") and a.choice("side") == "both":
        return found("radiates_to", "side")
    return None


@finding("both_hands_numb", "numbness or tingling in both hands or both arms")
def _both_hands_numb(a: Answers, f: Findings) -> Found | None:
    if _numb(a) & ARM_NUMBNESS and a.flag("numbness_both_sides"):
        return found("numbness_or_tingling", "numbness_both_sides")
    return None


@finding("trunk_band_numbness", "a band of numbness around the chest or belly")
def _trunk_band_numbness(a: Answers, f: Findings) -> Found | None:
    numb = _numb(a)
    if "chest_band" in numb:
        return found("numbness_or_tingling")
    if "abdomen" in numb and a.flag("numbness_both_sides"):
        return found("numbness_or_tingling", "numbness_both_sides")
    return None


@finding(
    "cord_signs",
    "signs that point to the spinal cord: both hands, clumsy hands, "
    "unsteady walking, both arms weak, a band of numbness around the trunk",
)
def _cord_signs(a: Answers, f: Findings) -> Found | None:
    keys: list[str] = []
    for key in ("clumsy_hands", "unsteady_walking"):
        if a.flag(key):
            keys.append(key)
    if "both_arms" in a.choices("weakness"):
        keys.append("weakness")
    for fid in ("both_hands_numb", "trunk_band_numbness"):
        if fid in f:
            keys.extend(f[fid].because)
    return found(*keys) if keys else None


@finding(
    "cauda_equina_signs",
    "signs that point to the nerves at the base of the spine: "
    "bladder or bowel change, saddle numbness, both legs weak",
)
def _cauda_equina_signs(a: Answers, f: Findings) -> Found | None:
    return _either(f, "bladder_signs", "saddle_numbness", "both_legs_weak")


@finding("one_limb_numb", "numbness or tingling in one arm or one leg")
def _one_limb_numb(a: Answers, f: Findings) -> Found | None:
    if _numb(a) & LIMB_NUMBNESS and not a.flag("numbness_both_sides"):
        return found("numbness_or_tingling")
    return None


@finding("one_limb_weak", "weakness in one arm, one leg or a foot")
def _one_limb_weak(a: Answers, f: Findings) -> Found | None:
    return _any(a, "weakness", frozenset({"one_arm", "one_leg", "foot"}))


@finding("any_weakness", "weakness in an arm or a leg")
def _any_weakness(a: Answers, f: Findings) -> Found | None:
    return found("weakness") if a.choices("weakness") else None


@finding("progressive_weakness", "weakness that is getting worse")
def _progressive_weakness(a: Answers, f: Findings) -> Found | None:
    if a.choices("weakness") and a.flag("weakness_worsening"):
        return found("weakness", "weakness_worsening")
    return None


@finding("neuro_deficit", "any numbness, tingling, weakness, bladder or bowel change")
def _neuro_deficit(a: Answers, f: Findings) -> Found | None:
    keys = [
        k
        for k in ("numbness_or_tingling", "weakness", "bladder_bowel")
        if a.choices(k)  # any numbness counts here, also of the trunk or saddle
    ]
    keys += [k for k in ("clumsy_hands", "unsteady_walking") if a.flag(k)]
    return found(*keys) if keys else None


@finding("limb_neuro", "numbness, tingling or weakness in an arm or a leg")
def _limb_neuro(a: Answers, f: Findings) -> Found | None:
    keys = []
    if _numb(a) & LIMB_NUMBNESS:
        keys.append("numbness_or_tingling")
    if a.choices("weakness"):
        keys.append("weakness")
    return found(*keys) if keys else None


@finding(
    "signs_recent",
    f"the newest warning sign began within {RECENT_SIGN_DAYS} days (or it is not known when)",
)
def _signs_recent(a: Answers, f: Findings) -> Found | None:
    days = a.number("warning_signs_started_days")
    if days is None:
        return found()
    return found("warning_signs_started_days") if days <= RECENT_SIGN_DAYS else None


@finding(
    "signs_not_longstanding",
    f"the warning signs are not there unchanged for {OLD_SIGN_DAYS} days or more",
)
def _signs_not_longstanding(a: Answers, f: Findings) -> Found | None:
    days = a.number("warning_signs_started_days")
    if days is None:
        return found()
    if days < OLD_SIGN_DAYS or a.flag("weakness_worsening") or a.choice("course") == "worsening":
        return found("warning_signs_started_days")
    return None


@finding("neuro_deficit_new", "numbness, weakness or bladder change that is new")
def _neuro_deficit_new(a: Answers, f: Findings) -> Found | None:
    if "neuro_deficit" in f and "signs_recent" in f:
        return found(*f["neuro_deficit"].because, *f["signs_recent"].because)
    return None


@finding("radicular_pain", "pain that runs down one arm or below the knee (nerve root pain)")
def _radicular_pain(a: Answers, f: Findings) -> Found | None:
    if a.choices("radiates_to") & {"below_knee", "arm"} and a.choice("side") != "both":
        return found("radiates_to")
    return None


# -- cancer -------------------------------------------------------------------------------------


@finding("cancer_history", "has (or has had) cancer")
def _cancer_history(a: Answers, f: Findings) -> Found | None:
    return found("conditions") if "cancer" in a.choices("conditions") else None


@finding("weight_loss", "unexplained weight loss")
def _weight_loss(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "weight_loss_unexplained")


@finding("night_sweats", "drenching night sweats")
def _night_sweats(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "night_sweats")


@finding("suspected_cancer", "cancer history, or unexplained weight loss")
def _suspected_cancer(a: Answers, f: Findings) -> Found | None:
    return _either(f, "cancer_history", "weight_loss")


@finding("age_50_or_over", "aged 50 or over")
def _age_50(a: Answers, f: Findings) -> Found | None:
    return _at_least(a, "age", 50)


@finding("age_40_or_over", "aged 40 or over")
def _age_40(a: Answers, f: Findings) -> Found | None:
    return _at_least(a, "age", 40)


@finding("smoker", "smokes")
def _smoker(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "smoker")


@finding("coughing_blood", "coughing up blood")
def _coughing_blood(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "coughing_blood")


@finding("jaundice", "yellow skin or eyes (jaundice)")
def _jaundice(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "jaundice")


# -- infection and sepsis -----------------------------------------------------------------------


@finding("fever", "a fever or shaking chills (rigors)")
def _fever(a: Answers, f: Findings) -> Found | None:
    keys = [k for k in ("fever", "rigors") if a.flag(k)]
    return found(*keys) if keys else None


@finding(
    "infection_risk",
    "a risk factor for spinal infection: injecting drugs, a weak immune "
    "system or steroids, a recent spinal procedure or a recent infection",
)
def _infection_risk(a: Answers, f: Findings) -> Found | None:
    keys = [
        k
        for k in (
            "iv_drug_use",
            "recent_spinal_procedure",
            "recent_infection",
            "long_term_steroids",
        )
        if a.flag(k)
    ]
    if "immunosuppression" in a.choices("conditions"):
        keys.append("conditions")
    return found(*keys) if keys else None


@finding("rigors", "shaking chills (rigors)")
def _rigors(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "rigors")


@finding("confusion", "new confusion")
def _confusion(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "confusion")


@finding("collapse", "fainting or collapse")
def _collapse(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "faint_or_collapse")


@finding("infection_source", "a likely source of infection: cough, painful urination, flank pain")
def _infection_source(a: Answers, f: Findings) -> Found | None:
    keys = [k for k in ("cough", "painful_urination") if a.flag(k)]
    if "flank" in a.choices("radiates_to"):
        keys.append("radiates_to")
    return found(*keys) if keys else None


# -- kidney, chest, abdomen ---------------------------------------------------------------------


@finding("flank_pain", "pain in the flank (the side, below the ribs)")
def _flank_pain(a: Answers, f: Findings) -> Found | None:
    return found("radiates_to") if "flank" in a.choices("radiates_to") else None


@finding("painful_urination", "burning or pain when passing urine")
def _painful_urination(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "painful_urination")


@finding("cough", "a cough")
def _cough(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "cough")


@finding("pain_on_breathing", "pain on breathing in")
def _pain_on_breathing(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "pain_on_breathing")


@finding("breathless", "short of breath")
def _breathless(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "short_of_breath")


@finding("abdominal_pain", "pain in the belly")
def _abdominal_pain(a: Answers, f: Findings) -> Found | None:
    keys = []
    if a.flag("abdominal_pain"):
        keys.append("abdominal_pain")
    if "abdomen" in a.choices("radiates_to"):
        keys.append("radiates_to")
    return found(*keys) if keys else None


@finding("abdominal_pain_reported", "the person reports belly pain as a symptom")
def _abdominal_pain_reported(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "abdominal_pain")


@finding("vomiting", "vomiting")
def _vomiting(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "vomiting")


@finding("pancreatitis_risk", "heavy drinking or gallstones")
def _pancreatitis_risk(a: Answers, f: Findings) -> Found | None:
    keys = []
    if a.flag("heavy_drinking"):
        keys.append("heavy_drinking")
    if "gallstones" in a.choices("conditions"):
        keys.append("conditions")
    return found(*keys) if keys else None


@finding("pain_boring_to_back", "belly pain that goes through to the back")
def _pain_boring_to_back(a: Answers, f: Findings) -> Found | None:
    if a.flag("abdominal_pain") and (
        "abdomen" in a.choices("radiates_to") or a.choices("pain_locations") & {"mid_back"}
    ):
        return found("abdominal_pain", "radiates_to" if a.choices("radiates_to") else "")
    return None


@finding("right_shoulder_blade", "pain on the right side under or around the shoulder blade")
def _right_shoulder_blade(a: Answers, f: Findings) -> Found | None:
    if a.choice("side") == "right" and a.choices("pain_locations") & {
        "shoulder_blade",
        "upper_back",
    }:
        return found("side", "pain_locations")
    return None


@finding("after_meals", "the pain comes after meals")
def _after_meals(a: Answers, f: Findings) -> Found | None:
    return found("when_worse") if "after_meals" in a.choices("when_worse") else None


@finding("gallstones", "known gallstones")
def _gallstones(a: Answers, f: Findings) -> Found | None:
    return found("conditions") if "gallstones" in a.choices("conditions") else None


@finding("pulsating_lump", "a pulsating lump in the belly")
def _pulsating_lump(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "pulsating_lump_abdomen")


@finding("aneurysm_risk", f"aged {VASCULAR_AGE} or over and a man or a smoker")
def _aneurysm_risk(a: Answers, f: Findings) -> Found | None:
    age = a.number("age")
    if age is None or age < VASCULAR_AGE:
        return None
    keys = ["age"]
    if a.choice("sex") == "male":
        keys.append("sex")
    if a.flag("smoker"):
        keys.append("smoker")
    return found(*keys) if len(keys) > 1 else None


# -- heart and vessels --------------------------------------------------------------------------

HEART_CONDITIONS = frozenset({"heart_disease", "high_blood_pressure", "diabetes"})


@finding("chest_pain", "pain, pressure or tightness in the chest")
def _chest_pain(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "chest_pain_or_pressure")


@finding("exertional_chest_pain", "chest pain or tightness that comes on with exertion")
def _exertional_chest_pain(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "chest_pain_on_exertion")


@finding("exertional_pattern", "pain that comes with activity and settles with rest")
def _exertional_pattern(a: Answers, f: Findings) -> Found | None:
    if "with_activity" in a.choices("when_worse") and "rest" in a.choices("relief"):
        return found("when_worse", "relief")
    return None


@finding("jaw_pain", "pain spreading to the jaw")
def _jaw_pain(a: Answers, f: Findings) -> Found | None:
    return found("radiates_to") if "jaw" in a.choices("radiates_to") else None


@finding("cardiac_spread", "pain spreading to the chest, jaw or arm")
def _cardiac_spread(a: Answers, f: Findings) -> Found | None:
    return _any(a, "radiates_to", frozenset({"chest", "jaw", "arm"}))


@finding("chest_spread", "pain spreading to the chest")
def _chest_spread(a: Answers, f: Findings) -> Found | None:
    return found("radiates_to") if "chest" in a.choices("radiates_to") else None


@finding("cardiac_site", "pain in the upper back, shoulder blade, neck, jaw, chest or arm")
def _cardiac_site(a: Answers, f: Findings) -> Found | None:
    keys = []
    if a.choices("pain_locations") & UPPER_BODY:
        keys.append("pain_locations")
    if a.choices("radiates_to") & {"chest", "jaw", "arm"}:
        keys.append("radiates_to")
    return found(*keys) if keys else None


@finding("cardiac_symptoms", "sweating, nausea, breathlessness or fainting with the pain")
def _cardiac_symptoms(a: Answers, f: Findings) -> Found | None:
    keys = [k for k in ("sweating_or_nausea", "short_of_breath", "faint_or_collapse") if a.flag(k)]
    return found(*keys) if keys else None


@finding("unusual_fatigue", "unusual tiredness")
def _unusual_fatigue(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "unusual_fatigue")


@finding(
    "cardiac_risk",
    "a risk factor for heart disease: heart disease, high blood pressure, "
    f"diabetes, smoking, or aged {CARDIAC_RISK_AGE} or over",
)
def _cardiac_risk(a: Answers, f: Findings) -> Found | None:
    keys = []
    if a.choices("conditions") & HEART_CONDITIONS:
        keys.append("conditions")
    if a.flag("smoker"):
        keys.append("smoker")
    if (a.number("age") or 0) >= CARDIAC_RISK_AGE:
        keys.append("age")
    return found(*keys) if keys else None


@finding("dissection_risk", "high blood pressure or heart disease")
def _dissection_risk(a: Answers, f: Findings) -> Found | None:
    if a.choices("conditions") & {"high_blood_pressure", "heart_disease"}:
        return found("conditions")
    return None


@finding("no_mechanical_trigger", "the pain did not follow lifting, exercise, a fall or a strain")
def _no_mechanical_trigger(a: Answers, f: Findings) -> Found | None:
    event = a.choice("onset_event")
    if event is None or event == "none":
        return found("onset_event") if event else found()
    return None


# -- clots ----------------------------------------------------------------------------------------


@finding(
    "clot_risk",
    "a risk factor for a blood clot: a past clot, a long journey or surgery, "
    "a swollen leg, pregnancy or cancer",
)
def _clot_risk(a: Answers, f: Findings) -> Found | None:
    keys = [
        k
        for k in (
            "previous_clot",
            "recent_long_travel_or_surgery",
            "leg_swelling_one_side",
            "pregnant",
        )
        if a.flag(k)
    ]
    if "cancer" in a.choices("conditions"):
        keys.append("conditions")
    return found(*keys) if keys else None


@finding("leg_swelling", "one leg (calf) swollen")
def _leg_swelling(a: Answers, f: Findings) -> Found | None:
    return _flag(a, "leg_swelling_one_side")


@finding("clot_symptoms", "breathlessness, pain on breathing, coughing blood or fainting")
def _clot_symptoms(a: Answers, f: Findings) -> Found | None:
    keys = [
        k
        for k in ("short_of_breath", "pain_on_breathing", "coughing_blood", "faint_or_collapse")
        if a.flag(k)
    ]
    return found(*keys) if keys else None


# -- inflammatory back pain (ASAS; NICE NG65) ---------------------------------------------------


def _onset_age(a: Answers) -> float | None:
    age, days = a.number("age"), a.number("duration_days")
    if age is None or days is None:
        return None
    return age - days / 365.25


@finding("chronic_back_pain", f"back pain for {IBP_MIN_DAYS} days (three months) or more")
def _chronic_back_pain(a: Answers, f: Findings) -> Found | None:
    return _at_least(a, "duration_days", IBP_MIN_DAYS)


@finding(
    "asas_ibp_criteria_met",
    "at least 4 of the 5 ASAS features of inflammatory back pain "
    "(onset before 40, slow onset, better with exercise, not better with rest, night pain "
    "that eases on getting up)",
)
def _asas(a: Answers, f: Findings) -> Found | None:
    keys: list[str] = []
    count = 0
    onset_age = _onset_age(a)
    if onset_age is not None and onset_age < IBP_ONSET_AGE:
        count += 1
        keys += ["age", "duration_days"]
    if a.choice("onset") == "gradual":
        count += 1
        keys.append("onset")
    relief = a.choices("relief")
    if "exercise" in relief:
        count += 1
        keys.append("relief")
    if relief and "rest" not in relief:
        count += 1
        keys.append("relief")
    if a.flag("wakes_from_sleep") and relief & {"getting_up", "moving_around"}:
        count += 1
        keys += ["wakes_from_sleep", "relief"]
    return found(*keys, value=count) if count >= 4 else None


@finding(
    "ng65_features",
    "at least 4 of the NICE features that call for a spondyloarthritis "
    "assessment (onset before 35, waking in the night, buttock pain, better with movement, "
    "eased by anti-inflammatories, a relative with spondyloarthritis, psoriasis)",
)
def _ng65(a: Answers, f: Findings) -> Found | None:
    onset_age = _onset_age(a)
    if onset_age is None or onset_age >= NG65_ONSET_AGE:
        return None
    keys: list[str] = ["age", "duration_days"]
    count = 0
    checks = (
        (onset_age < 35, "age"),
        (a.flag("wakes_from_sleep"), "wakes_from_sleep"),
        ("buttock" in a.choices("radiates_to"), "radiates_to"),
        (bool(a.choices("relief") & {"moving_around", "exercise", "getting_up"}), "relief"),
        (a.flag("nsaid_helps"), "nsaid_helps"),
        ("axial_spondyloarthritis" in a.choices("family_history"), "family_history"),
        ("psoriasis" in a.choices("conditions"), "conditions"),
    )
    for ok, key in checks:
        if ok:
            count += 1
            keys.append(key)
    return found(*keys, value=count) if count >= 4 else None


# -- what has been tried, and how much it matters -----------------------------------------------


@finding("self_care_not_working", "self-care tried for 6 weeks or more without getting better")
def _self_care_not_working(a: Answers, f: Findings) -> Found | None:
    days = a.number("duration_days")
    if not a.choices("tried_self_care") or days is None or days < SELF_CARE_WEEKS_DAYS:
        return None
    if a.choice("course") == "improving":
        return None
    return found("tried_self_care", "duration_days", "course" if a.choice("course") else "")


@finding("big_impact", "the pain stops the person doing much of their daily life")
def _big_impact(a: Answers, f: Findings) -> Found | None:
    return found("impact_on_daily_life") if a.choice("impact_on_daily_life") == "a_lot" else None


def derive_findings(answers: Answers) -> dict[str, Finding]:
    """Every finding present for these answers, by id (in definition order)."""
    out: dict[str, Finding] = {}
    for spec in FINDINGS:
        hit = spec.derive(answers, out)
        if hit is not None:
            keys = tuple(k for k in hit.because if k)
            out[spec.id] = Finding(spec.id, keys, hit.value)
    return out


FINDING_MEANINGS: dict[str, str] = {spec.id: spec.meaning for spec in FINDINGS}
