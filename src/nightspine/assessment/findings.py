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
CES_RECENT_DAYS = 90
"""Bladder, bowel or saddle signs up to three months old have not had their emergency scan."""
OLD_SIGN_DAYS = 180
"""A warning sign present, unchanged, for six months or more counts as long-standing."""
ACUTE_DAYS = 2
"""Pain that began within the last two days counts as acute (cardiac and vascular causes)."""
NEW_PAIN_DAYS = 90
"""Pain of up to three months (or getting worse) is new: injuries and cancer history count."""
SELF_CARE_WEEKS_DAYS = 42
"""Self-care tried for six weeks without improvement calls for a professional."""
SEVERE_PAIN = 8
SHARP_SEVERE_PAIN = 7
"""Sharp, stabbing or tearing pain counts as severe from 7 out of 10 (ESC aortic guidance: the
pain of an acute aortic syndrome is as often described as sharp as tearing)."""
AORTIC_RISK_AGE = 50
"""Age from which sudden, severe pain with a vascular risk factor is treated as aortic (ESC)."""
RECENT_PAIN_DAYS = 42
"""New pain (six weeks or less) in someone at risk of spinal infection counts as a flag."""
PERSISTENT_DAYS = 42
"""Pain for six weeks or more that is not improving needs a professional (NICE CKS)."""
CHILD_PERSISTENT_DAYS = 28
"""In a child or teenager, back pain for more than four weeks needs assessment."""
GIRDLE_AGE = 50
"""Polymyalgia rheumatica and giant cell arteritis are diagnosed from the age of 50 (BSR)."""
PMR_STIFFNESS_MINUTES = 45
"""Morning stiffness of 45 minutes or more around the shoulders points to polymyalgia (BSR)."""
PMR_RECENT_DAYS = 180
"""Polymyalgia comes on over days to weeks; stiffness unchanged for years is something else."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A fact about this person (named by its key in the findings), the answer keys behind it
    and, for findings that count something (such as the ASAS features), the count."""

    because: tuple[str, ...] = ()
    value: int | None = None


Findings = Mapping[str, Finding]
Derive = Callable[[Answers, Findings], "Finding | None"]


@dataclass(frozen=True, slots=True)
class FindingSpec:
    id: str
    meaning: str
    derive: Derive


FINDINGS: list[FindingSpec] = []
"""Every finding, in the order defined: :func:`derive_findings` runs them in this order, so a
finding may read the findings defined before it."""


def finding(finding_id: str, meaning: str) -> Callable[[Derive], Derive]:
    """Register a finding function under ``finding_id`` with its plain meaning.

    The function gets the answers and the findings found so far (those defined above it) and
    returns :func:`found` with the answer keys behind it, or None when the finding is absent.
    """

    def register(fn: Derive) -> Derive:
        if any(spec.id == finding_id for spec in FINDINGS):
            raise ValueError(f"finding {finding_id} is defined twice")
        FINDINGS.append(FindingSpec(finding_id, meaning, fn))
        return fn

    return register


def found(*keys: str, value: int | None = None) -> Finding:
    """The finding is present, because of the answers ``keys``."""
    return Finding(keys, value)


def answer_true(finding_id: str, meaning: str, key: str) -> None:
    """Define a finding that is present when the yes/no answer ``key`` is yes."""

    @finding(finding_id, meaning)
    def derive(a: Answers, f: Findings) -> Finding | None:
        return found(key) if a.flag(key) else None


def answer_in(finding_id: str, meaning: str, key: str, values: frozenset[str] | None) -> None:
    """Define a finding present when answer ``key`` (one-of or many-of) is or includes one of
    ``values`` (any value at all when ``values`` is None)."""

    @finding(finding_id, meaning)
    def derive(a: Answers, f: Findings) -> Finding | None:
        choice = a.choice(key)
        chosen = a.choices(key) if choice is None else frozenset({choice})
        if values is not None:
            chosen = chosen & values
        return found(key) if chosen else None


def answer_at_least(finding_id: str, meaning: str, key: str, limit: float) -> None:
    """Define a finding present when the number answered for ``key`` is at least ``limit``."""

    @finding(finding_id, meaning)
    def derive(a: Answers, f: Findings) -> Finding | None:
        number = a.number(key)
        return found(key) if number is not None and number >= limit else None


def _any(a: Answers, key: str, values: frozenset[str]) -> Finding | None:
    return found(key) if a.choices(key) & values else None


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
INJURY_EVENTS = frozenset({"sports_injury", "minor_fall", "fall_from_height", "road_accident"})
STRAIN_EVENTS = frozenset({"lifting", "unusual_exercise", "sports_injury", "coughing_or_sneezing"})
POSITION_RELIEF = frozenset({"changing_position", "getting_up", "moving_around", "stretching"})


answer_in(
    "sleep_pattern",
    "the pain is worst on lying down, after hours in bed or on waking",
    "when_worse",
    SLEEP_PATTERN,
)


answer_in(
    "day_pattern",
    "the pain is worst while sitting, with activity or in the evening",
    "when_worse",
    DAY_PATTERN,
)


answer_in(
    "thoracic_pain",
    "pain in the upper or mid back or around the shoulder blades",
    "pain_locations",
    THORACIC,
)


@finding("lumbar_pain", "pain in the low back or spreading to the buttock or leg")
def _lumbar_pain(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if "lower_back" in a.choices("pain_locations"):
        keys.append("pain_locations")
    if a.choices("radiates_to") & {"buttock", "thigh", "below_knee"}:
        keys.append("radiates_to")
    return found(*keys) if keys else None


@finding("upper_spine_pain", "pain in the neck, upper or mid back (where the spinal cord runs)")
def _upper_spine_pain(a: Answers, f: Findings) -> Finding | None:
    return _any(
        a, "pain_locations", frozenset({"neck", "upper_back", "mid_back", "shoulder_blade"})
    )


answer_in("sudden_onset", "the pain began suddenly", "onset", frozenset({"sudden"}))


@finding("acute_pain", "the pain began within the last two days (or it is not known when)")
def _acute_pain(a: Answers, f: Findings) -> Finding | None:
    days = a.number("duration_days")
    if days is None:
        return found()
    return found("duration_days") if days <= ACUTE_DAYS else None


@finding("new_pain", "the pain began within the last three months, or it is getting worse")
def _new_pain(a: Answers, f: Findings) -> Finding | None:
    days = a.number("duration_days")
    if a.choice("course") == "worsening":
        return found("course")
    if days is None:
        return found()
    return found("duration_days") if days <= NEW_PAIN_DAYS else None


@finding("severe_pain", "the pain is severe (8 out of 10 or more)")
def _severe_pain(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("pain_now", "pain_worst_night") if (a.number(k) or 0) >= SEVERE_PAIN]
    return found(*keys) if keys else None


answer_in("tearing_pain", "the pain feels tearing or ripping", "quality", frozenset({"tearing"}))


@finding(
    "abrupt_severe_pain",
    f"the pain began suddenly and is severe ({SEVERE_PAIN} out of 10 or more, or "
    f"{SHARP_SEVERE_PAIN} or more when sharp, stabbing or tearing)",
)
def _abrupt_severe_pain(a: Answers, f: Findings) -> Finding | None:
    if a.choice("onset") != "sudden":
        return None
    worst = max(a.number("pain_now") or 0, a.number("pain_worst_night") or 0)
    sharp = a.choices("quality") & {"sharp", "stabbing", "tearing"}
    if worst >= SEVERE_PAIN or (sharp and worst >= SHARP_SEVERE_PAIN):
        keys = [k for k in ("pain_now", "pain_worst_night") if (a.number(k) or 0) == worst]
        return found("onset", *keys, *(("quality",) if sharp else ()))
    return None


answer_in("worsening", "the pain is getting worse", "course", frozenset({"worsening"}))


answer_true("night_waking", "the pain wakes the person from sleep", "wakes_from_sleep")


answer_in("constant_pain", "the pain is there all the time", "when_worse", frozenset({"constant"}))


@finding(
    "non_mechanical_pain",
    "no position or movement relieves the pain, and it is constant, wakes the person or is "
    "getting worse; or, without any relief reported, at least three of: constant, waking the "
    "person, getting worse, worse on coughing or straining (pain unlike a strained back)",
)
def _non_mechanical_pain(a: Answers, f: Findings) -> Finding | None:
    relief = a.choices("relief")
    if relief & MOVEMENT_RELIEF:
        return None
    keys = []
    if "constant" in a.choices("when_worse"):
        keys.append("when_worse")
    if a.flag("wakes_from_sleep"):
        keys.append("wakes_from_sleep")
    if a.choice("course") == "worsening":
        keys.append("course")
    if a.flag("worse_with_cough_or_strain"):
        keys.append("worse_with_cough_or_strain")
    features = len(keys)
    if "nothing" in relief and features >= 1:
        return found("relief", *keys, value=features)
    if not relief & {"nothing", "rest", "pillow_support"} and features >= 3:
        return found(*keys, value=features)
    return None


# -- trauma and bone strength -------------------------------------------------------------------


@finding(
    "dangerous_trauma",
    "a dangerous mechanism (Canadian C-spine rule, NEXUS): a fall from 1 m or 5 stairs, a road "
    "accident, diving into shallow water, a blow to the head, a collision in sport or on a "
    "bicycle, a vehicle rolling over",
)
def _dangerous_trauma(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.choice("onset_event") in DANGEROUS_EVENTS:
        keys.append("onset_event")
    if a.choices("injury_mechanism"):
        keys.append("injury_mechanism")
    return found(*keys) if keys else None


@finding("injury", "the pain followed an injury: a fall, an accident, a blow or a sports injury")
def _injury(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.choice("onset_event") in INJURY_EVENTS:
        keys.append("onset_event")
    if a.choices("injury_mechanism"):
        keys.append("injury_mechanism")
    return found(*keys) if keys else None


answer_in(
    "minor_fall", "a fall from standing height or less", "onset_event", frozenset({"minor_fall"})
)


answer_in(
    "minor_strain",
    "a minor event: lifting, a cough or sneeze, unusual exercise, a fall",
    "onset_event",
    MINOR_STRAIN_EVENTS,
)


answer_at_least("older_age", f"aged {OLDER_AGE} or over", "age", OLDER_AGE)


@finding("fragile_bones", "osteoporosis or long-term steroid tablets (bones break more easily)")
def _fragile_bones(a: Answers, f: Findings) -> Finding | None:
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


answer_in(
    "bladder_signs",
    "a change in bladder, bowel or sexual function, including the early bladder signs "
    "(straining or a weak stream, less feeling when the bladder is full)",
    "bladder_bowel",
    None,
)


answer_in(
    "saddle_numbness",
    "numbness between the legs or around the back passage (saddle area)",
    "numbness_or_tingling",
    frozenset({"saddle_area"}),
)


answer_in("both_legs_weak", "weakness in both legs", "weakness", frozenset({"both_legs"}))


def _both_sides(a: Answers, region_key: str) -> str | None:
    """The answer key saying the numbness is on both sides in a region: the per-region answer
    when given (``numbness_both_hands``, ``numbness_both_legs``), else the older answer that
    covers every region (``numbness_both_sides``); None when it is not on both sides."""
    if region_key in a:
        return region_key if a.flag(region_key) else None
    return "numbness_both_sides" if a.flag("numbness_both_sides") else None


@finding("both_legs_numb", "numbness or tingling in both legs or both feet")
def _both_legs_numb(a: Answers, f: Findings) -> Finding | None:
    both = _both_sides(a, "numbness_both_legs")
    if a.choices("numbness_or_tingling") & LEG_NUMBNESS and both:
        return found("numbness_or_tingling", both)
    return None


@finding("bilateral_sciatica", "pain running down both legs below the knee")
def _bilateral_sciatica(a: Answers, f: Findings) -> Finding | None:
    if "below_knee" in a.choices("radiates_to") and a.choice("side") == "both":
        return found("radiates_to", "side")
    return None


@finding("both_hands_numb", "numbness or tingling in both hands or both arms")
def _both_hands_numb(a: Answers, f: Findings) -> Finding | None:
    both = _both_sides(a, "numbness_both_hands")
    if a.choices("numbness_or_tingling") & ARM_NUMBNESS and both:
        return found("numbness_or_tingling", both)
    return None


@finding("trunk_band_numbness", "a band of numbness around the chest or belly")
def _trunk_band_numbness(a: Answers, f: Findings) -> Finding | None:
    numb = a.choices("numbness_or_tingling")
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
def _cord_signs(a: Answers, f: Findings) -> Finding | None:
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
    "signs that point to the nerves at the base of the spine: a change in bladder, bowel or "
    "sexual function, saddle numbness, or both legs weak with low back pain (or with no pain "
    "higher up the spine)",
)
def _cauda_equina_signs(a: Answers, f: Findings) -> Finding | None:
    keys = [k for i in ("bladder_signs", "saddle_numbness") if i in f for k in f[i].because]
    if "both_legs_weak" in f and ("lumbar_pain" in f or "upper_spine_pain" not in f):
        keys += f["both_legs_weak"].because
    return found(*keys) if keys else None


@finding("one_limb_numb", "numbness or tingling in one arm or one leg")
def _one_limb_numb(a: Answers, f: Findings) -> Finding | None:
    numb = a.choices("numbness_or_tingling")
    arms = numb & ARM_NUMBNESS and not _both_sides(a, "numbness_both_hands")
    legs = numb & LEG_NUMBNESS and not _both_sides(a, "numbness_both_legs")
    return found("numbness_or_tingling") if arms or legs else None


answer_in(
    "one_limb_weak",
    "weakness in one arm, one leg or a foot",
    "weakness",
    frozenset({"one_arm", "one_leg", "foot"}),
)


@finding("progressive_weakness", "weakness that is getting worse")
def _progressive_weakness(a: Answers, f: Findings) -> Finding | None:
    if a.choices("weakness") and a.flag("weakness_worsening"):
        return found("weakness", "weakness_worsening")
    return None


@finding("neuro_deficit", "any numbness, tingling, weakness, bladder or bowel change")
def _neuro_deficit(a: Answers, f: Findings) -> Finding | None:
    keys = [
        k
        for k in ("numbness_or_tingling", "weakness", "bladder_bowel")
        if a.choices(k)  # any numbness counts here, also of the trunk or saddle
    ]
    keys += [k for k in ("clumsy_hands", "unsteady_walking") if a.flag(k)]
    return found(*keys) if keys else None


@finding("limb_neuro", "numbness, tingling or weakness in an arm or a leg")
def _limb_neuro(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.choices("numbness_or_tingling") & LIMB_NUMBNESS:
        keys.append("numbness_or_tingling")
    if a.choices("weakness"):
        keys.append("weakness")
    return found(*keys) if keys else None


@finding(
    "signs_within_3_months",
    f"the newest warning sign began within {CES_RECENT_DAYS} days, or it is not known when, or "
    "it is getting worse",
)
def _signs_within_3_months(a: Answers, f: Findings) -> Finding | None:
    days = a.number("warning_signs_started_days")
    if days is None:
        return found()
    if days <= CES_RECENT_DAYS or a.flag("weakness_worsening"):
        return found("warning_signs_started_days")
    return None


@finding(
    "signs_recent",
    f"the newest warning sign began within {RECENT_SIGN_DAYS} days (or it is not known when)",
)
def _signs_recent(a: Answers, f: Findings) -> Finding | None:
    days = a.number("warning_signs_started_days")
    if days is None:
        return found()
    return found("warning_signs_started_days") if days <= RECENT_SIGN_DAYS else None


@finding(
    "signs_not_longstanding",
    f"the warning signs are not there unchanged for {OLD_SIGN_DAYS} days or more",
)
def _signs_not_longstanding(a: Answers, f: Findings) -> Finding | None:
    days = a.number("warning_signs_started_days")
    if days is None:
        return found()
    if days < OLD_SIGN_DAYS or a.flag("weakness_worsening") or a.choice("course") == "worsening":
        return found("warning_signs_started_days")
    return None


@finding(
    "neuro_deficit_new",
    "numbness, weakness or bladder change that is new",
)
def _neuro_deficit_new(a: Answers, f: Findings) -> Finding | None:
    if "neuro_deficit" in f and "signs_recent" in f:
        return found(*f["neuro_deficit"].because, *f["signs_recent"].because)
    return None


@finding("radicular_pain", "pain that runs down one arm or below the knee (nerve root pain)")
def _radicular_pain(a: Answers, f: Findings) -> Finding | None:
    if a.choices("radiates_to") & {"below_knee", "arm"} and a.choice("side") != "both":
        return found("radiates_to")
    return None


# -- cancer -------------------------------------------------------------------------------------


answer_in("cancer_history", "has (or has had) cancer", "conditions", frozenset({"cancer"}))


answer_true("weight_loss", "unexplained weight loss", "weight_loss_unexplained")


answer_true("night_sweats", "drenching night sweats", "night_sweats")


answer_at_least("age_50_or_over", "aged 50 or over", "age", 50)


answer_at_least("age_40_or_over", "aged 40 or over", "age", 40)


answer_at_least("age_70_or_over", "aged 70 or over", "age", 70)


@finding("under_18", "a child or teenager (under 18)")
def _under_18(a: Answers, f: Findings) -> Finding | None:
    age = a.number("age")
    return found("age") if age is not None and age < 18 else None


@finding("not_eased_by_movement", "no movement or change of position is said to ease the pain")
def _not_eased_by_movement(a: Answers, f: Findings) -> Finding | None:
    relief = a.choices("relief")
    if relief & MOVEMENT_RELIEF:
        return None
    return found("relief") if relief else found()


@finding(
    "suspected_cancer",
    "cancer history, unexplained weight loss, or pain unlike a strained back at 50 or older or "
    "with night sweats",
)
def _suspected_cancer(a: Answers, f: Findings) -> Finding | None:
    keys = [k for i in ("cancer_history", "weight_loss") if i in f for k in f[i].because]
    if "non_mechanical_pain" in f and ("age_50_or_over" in f or "night_sweats" in f):
        keys += f["non_mechanical_pain"].because
        keys += f["age_50_or_over"].because if "age_50_or_over" in f else ("night_sweats",)
    return found(*keys) if keys else None


answer_true("smoker", "smokes", "smoker")


answer_true("coughing_blood", "coughing up blood", "coughing_blood")


answer_true("jaundice", "yellow skin or eyes (jaundice)", "jaundice")


# -- infection and sepsis -----------------------------------------------------------------------


@finding("fever", "a fever or shaking chills (rigors)")
def _fever(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("fever", "rigors") if a.flag(k)]
    return found(*keys) if keys else None


@finding(
    "infection_risk",
    "a risk factor for spinal infection: injecting drugs, a weak immune "
    "system, steroids or diabetes, a recent spinal procedure or a recent infection",
)
def _infection_risk(a: Answers, f: Findings) -> Finding | None:
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
    if a.choices("conditions") & {"immunosuppression", "diabetes"}:
        keys.append("conditions")
    return found(*keys) if keys else None


@finding(
    "recent_or_worsening_pain",
    f"the pain began within {RECENT_PAIN_DAYS} days (or it is not known when), or it is getting "
    "worse",
)
def _recent_or_worsening_pain(a: Answers, f: Findings) -> Finding | None:
    if a.choice("course") == "worsening":
        return found("course")
    days = a.number("duration_days")
    if days is None:
        return found()
    return found("duration_days") if days <= RECENT_PAIN_DAYS else None


answer_true("rigors", "shaking chills (rigors)", "rigors")


answer_true("confusion", "new confusion", "confusion")


answer_true("collapse", "fainting or collapse", "faint_or_collapse")


@finding(
    "strong_infection_risk",
    "a strong risk factor for spinal infection: injecting drugs, a weak immune system or a "
    "recent spinal procedure",
)
def _strong_infection_risk(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("iv_drug_use", "recent_spinal_procedure") if a.flag(k)]
    if "immunosuppression" in a.choices("conditions"):
        keys.append("conditions")
    return found(*keys) if keys else None


@finding(
    "sepsis_signs",
    "signs that an infection may be overwhelming the body: shaking chills, "
    "new confusion, fainting or collapse",
)
def _sepsis_signs(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("rigors", "confusion", "faint_or_collapse") if a.flag(k)]
    return found(*keys) if keys else None


@finding("infection_source", "a likely source of infection: cough, painful urination, flank pain")
def _infection_source(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("cough", "painful_urination") if a.flag(k)]
    if "flank" in a.choices("radiates_to"):
        keys.append("radiates_to")
    return found(*keys) if keys else None


# -- kidney, chest, abdomen ---------------------------------------------------------------------


answer_in(
    "flank_pain",
    "pain in the flank (the side, below the ribs)",
    "radiates_to",
    frozenset({"flank"}),
)


answer_true("painful_urination", "burning or pain when passing urine", "painful_urination")


answer_true("cough", "a cough", "cough")


answer_true("pain_on_breathing", "pain on breathing in", "pain_on_breathing")


answer_true("breathless", "short of breath", "short_of_breath")


@finding("abdominal_pain", "pain in the belly")
def _abdominal_pain(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.flag("abdominal_pain"):
        keys.append("abdominal_pain")
    if "abdomen" in a.choices("radiates_to"):
        keys.append("radiates_to")
    return found(*keys) if keys else None


answer_true(
    "abdominal_pain_reported", "the person reports belly pain as a symptom", "abdominal_pain"
)


answer_true("vomiting", "vomiting", "vomiting")


@finding("pancreatitis_risk", "heavy drinking or gallstones")
def _pancreatitis_risk(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.flag("heavy_drinking"):
        keys.append("heavy_drinking")
    if "gallstones" in a.choices("conditions"):
        keys.append("conditions")
    return found(*keys) if keys else None


@finding("pain_boring_to_back", "belly pain that goes through to the back")
def _pain_boring_to_back(a: Answers, f: Findings) -> Finding | None:
    if "abdomen" in a.choices("radiates_to"):
        return found("radiates_to")
    if a.flag("abdominal_pain") and a.choices("pain_locations") & {"mid_back", "upper_back"}:
        return found("abdominal_pain", "pain_locations")
    return None


@finding("right_shoulder_blade", "pain on the right side under or around the shoulder blade")
def _right_shoulder_blade(a: Answers, f: Findings) -> Finding | None:
    if a.choice("side") == "right" and a.choices("pain_locations") & {
        "shoulder_blade",
        "upper_back",
    }:
        return found("side", "pain_locations")
    return None


answer_in("after_meals", "the pain comes after meals", "when_worse", frozenset({"after_meals"}))


answer_in("gallstones", "known gallstones", "conditions", frozenset({"gallstones"}))


answer_true("pulsating_lump", "a pulsating lump in the belly", "pulsating_lump_abdomen")


@finding(
    "aneurysm_risk",
    f"a known aortic aneurysm, or aged {VASCULAR_AGE} or over with a risk factor for one (NICE "
    "NG156): a man, smoking now or before, high blood pressure (women as well as men)",
)
def _aneurysm_risk(a: Answers, f: Findings) -> Finding | None:
    if a.flag("known_aortic_aneurysm"):
        return found("known_aortic_aneurysm")
    age = a.number("age")
    if age is None or age < VASCULAR_AGE:
        return None
    keys = ["age"]
    if a.choice("sex") == "male":
        keys.append("sex")
    keys += [k for k in ("smoker", "former_smoker") if a.flag(k)]
    if "high_blood_pressure" in a.choices("conditions"):
        keys.append("conditions")
    return found(*keys) if len(keys) > 1 else None


# -- heart and vessels --------------------------------------------------------------------------

HEART_CONDITIONS = frozenset({"heart_disease", "high_blood_pressure", "diabetes"})


answer_true("chest_pain", "pain, pressure or tightness in the chest", "chest_pain_or_pressure")


answer_true(
    "exertional_chest_pain",
    "chest pain or tightness that comes on with exertion",
    "chest_pain_on_exertion",
)


@finding("exertional_pattern", "pain that comes with activity and settles with rest")
def _exertional_pattern(a: Answers, f: Findings) -> Finding | None:
    if "with_activity" in a.choices("when_worse") and "rest" in a.choices("relief"):
        return found("when_worse", "relief")
    return None


answer_in("jaw_pain", "pain spreading to the jaw", "radiates_to", frozenset({"jaw"}))


answer_in(
    "cardiac_spread",
    "pain spreading to the chest, jaw or arm",
    "radiates_to",
    frozenset({"chest", "jaw", "arm"}),
)


answer_in("chest_spread", "pain spreading to the chest", "radiates_to", frozenset({"chest"}))


@finding("cardiac_site", "pain in the upper back, shoulder blade, neck, jaw, chest or arm")
def _cardiac_site(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.choices("pain_locations") & UPPER_BODY:
        keys.append("pain_locations")
    if a.choices("radiates_to") & {"chest", "jaw", "arm"}:
        keys.append("radiates_to")
    return found(*keys) if keys else None


@finding("cardiac_features", "sweating, nausea, breathlessness or fainting with the pain")
def _cardiac_features(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("sweating_or_nausea", "short_of_breath", "faint_or_collapse") if a.flag(k)]
    return found(*keys) if keys else None


answer_true("unusual_fatigue", "unusual tiredness", "unusual_fatigue")


@finding("autonomic_symptoms", "a cold sweat, feeling sick, or fainting with the pain")
def _autonomic_symptoms(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("sweating_or_nausea", "faint_or_collapse") if a.flag(k)]
    return found(*keys) if keys else None


@finding(
    "cardiac_risk",
    "a risk factor for heart disease: heart disease, high blood pressure, "
    f"diabetes, smoking, or aged {CARDIAC_RISK_AGE} or over",
)
def _cardiac_risk(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.choices("conditions") & HEART_CONDITIONS:
        keys.append("conditions")
    if a.flag("smoker"):
        keys.append("smoker")
    if (a.number("age") or 0) >= CARDIAC_RISK_AGE:
        keys.append("age")
    return found(*keys) if keys else None


@finding("cardiac_risk_factor", "heart disease, high blood pressure, diabetes or smoking")
def _cardiac_risk_factor(a: Answers, f: Findings) -> Finding | None:
    keys = []
    if a.choices("conditions") & HEART_CONDITIONS:
        keys.append("conditions")
    if a.flag("smoker"):
        keys.append("smoker")
    return found(*keys) if keys else None


@finding(
    "dissection_risk",
    "high blood pressure, heart disease, a known aortic aneurysm or an inherited connective "
    "tissue disorder (such as Marfan syndrome)",
)
def _dissection_risk(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("known_aortic_aneurysm", "connective_tissue_disorder") if a.flag(k)]
    if a.choices("conditions") & {"high_blood_pressure", "heart_disease"}:
        keys.append("conditions")
    return found(*keys) if keys else None


@finding(
    "aortic_risk",
    "a risk factor for a tear or leak of the aorta (ESC; NICE NG156): a known aortic aneurysm "
    f"or an inherited connective tissue disorder at any age, or from {AORTIC_RISK_AGE} high blood "
    "pressure, heart disease or smoking now or before",
)
def _aortic_risk(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("known_aortic_aneurysm", "connective_tissue_disorder") if a.flag(k)]
    if (a.number("age") or 0) >= AORTIC_RISK_AGE:
        risks = [k for k in ("smoker", "former_smoker") if a.flag(k)]
        if a.choices("conditions") & {"high_blood_pressure", "heart_disease"}:
            risks.append("conditions")
        if risks:
            keys += ["age", *risks]
    return found(*keys) if keys else None


@finding(
    "no_mechanical_trigger",
    "the pain did not follow lifting, exercise, a fall, an injury or a strain",
)
def _no_mechanical_trigger(a: Answers, f: Findings) -> Finding | None:
    if a.choices("injury_mechanism"):
        return None
    event = a.choice("onset_event")
    if event is None or event == "none":
        return found("onset_event") if event else found()
    return None


@finding(
    "sudden_severe_unexplained",
    "sudden, severe pain that no lifting, strain, fall or injury explains (a warning sign of "
    "its own: the aorta, a clot in the lungs, a collapsed lung)",
)
def _sudden_severe_unexplained(a: Answers, f: Findings) -> Finding | None:
    if "abrupt_severe_pain" in f and "no_mechanical_trigger" in f:
        return found(*f["abrupt_severe_pain"].because, *f["no_mechanical_trigger"].because)
    return None


@finding(
    "not_clearly_mechanical",
    "the pain is not clearly mechanical: it is not eased by moving or changing position, and "
    "it did not follow a strain while changing with activity or sitting",
)
def _not_clearly_mechanical(a: Answers, f: Findings) -> Finding | None:
    eased = bool(a.choices("relief") & POSITION_RELIEF)
    strain = a.choice("onset_event") in STRAIN_EVENTS
    varies = bool(a.choices("when_worse") & {"with_activity", "while_sitting"})
    if eased or (strain and varies):
        return None
    return found(*[k for k in ("relief", "onset_event", "when_worse") if k in a])


# -- clots ----------------------------------------------------------------------------------------


@finding(
    "clot_risk",
    "a risk factor for a blood clot: a past clot, a long journey or surgery, "
    "a swollen leg, pregnancy or cancer",
)
def _clot_risk(a: Answers, f: Findings) -> Finding | None:
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


answer_true("leg_swelling", "one leg (calf) swollen", "leg_swelling_one_side")


answer_in(
    "anticoagulated",
    "takes a blood thinner (anticoagulant)",
    "medications",
    frozenset({"anticoagulant"}),
)


@finding("clot_symptoms", "breathlessness, pain on breathing, coughing blood or fainting")
def _clot_symptoms(a: Answers, f: Findings) -> Finding | None:
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


answer_at_least(
    "chronic_back_pain",
    f"back pain for {IBP_MIN_DAYS} days (three months) or more",
    "duration_days",
    IBP_MIN_DAYS,
)


@finding(
    "asas_ibp_criteria_met",
    "at least 4 of the 5 ASAS features of inflammatory back pain "
    "(onset before 40, slow onset, better with exercise, not better with rest, night pain "
    "that eases on getting up)",
)
def _asas(a: Answers, f: Findings) -> Finding | None:
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
def _ng65(a: Answers, f: Findings) -> Finding | None:
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
def _self_care_not_working(a: Answers, f: Findings) -> Finding | None:
    days = a.number("duration_days")
    if not a.choices("tried_self_care") or days is None or days < SELF_CARE_WEEKS_DAYS:
        return None
    if a.choice("course") == "improving":
        return None
    course = ("course",) if a.choice("course") else ()
    return found("tried_self_care", "duration_days", *course)


answer_in(
    "big_impact",
    "the pain stops the person doing much of their daily life",
    "impact_on_daily_life",
    frozenset({"a_lot"}),
)


@finding(
    "persistent_not_improving",
    f"pain for {PERSISTENT_DAYS} days (six weeks) or more that is getting worse, whether or not "
    "the person says what they tried",
)
def _persistent_not_improving(a: Answers, f: Findings) -> Finding | None:
    # stable long-standing pain with no self-care tried stays self-care (public vignettes P17,
    # P25): the self-care plan is the first step; tried without improvement is
    # self_care_not_working
    days = a.number("duration_days")
    if days is None or days < PERSISTENT_DAYS or a.choice("course") != "worsening":
        return None
    return found("duration_days", "course")


@finding(
    "child_persistent_pain",
    f"a child or teenager with back pain for more than {CHILD_PERSISTENT_DAYS} days (four weeks)",
)
def _child_persistent_pain(a: Answers, f: Findings) -> Finding | None:
    age, days = a.number("age"), a.number("duration_days")
    if age is None or age >= 18 or days is None or days <= CHILD_PERSISTENT_DAYS:
        return None
    return found("age", "duration_days")


@finding(
    "polymyalgia_pattern",
    f"aged {GIRDLE_AGE} or over with both shoulders or both hips stiff and aching, or with neck "
    f"and shoulder pain and morning stiffness of {PMR_STIFFNESS_MINUTES} minutes or more that "
    f"began within {PMR_RECENT_DAYS} days (BSR)",
)
def _polymyalgia_pattern(a: Answers, f: Findings) -> Finding | None:
    if (a.number("age") or 0) < GIRDLE_AGE:
        return None
    if a.flag("girdle_stiffness"):
        return found("age", "girdle_stiffness")
    days = a.number("duration_days")
    stiff = (a.number("morning_stiffness_minutes") or 0) >= PMR_STIFFNESS_MINUTES
    shoulders = bool(a.choices("pain_locations") & {"neck", "upper_back", "shoulder_blade"})
    if stiff and shoulders and (days is None or days <= PMR_RECENT_DAYS):
        keys = ["age", "morning_stiffness_minutes", "pain_locations"]
        return found(*keys, *(("duration_days",) if days is not None else ()))
    return None


@finding(
    "arteritis_features",
    f"aged {GIRDLE_AGE} or over with a new headache, jaw pain on chewing or a change in sight "
    "(giant cell arteritis, BSR)",
)
def _arteritis_features(a: Answers, f: Findings) -> Finding | None:
    if (a.number("age") or 0) < GIRDLE_AGE:
        return None
    keys = [k for k in ("new_headache", "jaw_pain_on_chewing", "vision_change") if a.flag(k)]
    return found("age", *keys) if keys else None


answer_true("vision_change", "a sudden change in sight", "vision_change")


@finding(
    "spondyloarthritis_features",
    "a feature that points to inflammation rather than strain: waking in the night, morning "
    "stiffness of 30 minutes or more, buttock pain, anti-inflammatories help, psoriasis, "
    "inflammatory bowel disease, uveitis, or a family history of these",
)
def _spa_features(a: Answers, f: Findings) -> Finding | None:
    keys = [k for k in ("wakes_from_sleep", "nsaid_helps") if a.flag(k)]
    if (a.number("morning_stiffness_minutes") or 0) >= 30:
        keys.append("morning_stiffness_minutes")
    if "buttock" in a.choices("radiates_to"):
        keys.append("radiates_to")
    if a.choices("conditions") & {"psoriasis", "inflammatory_bowel_disease", "uveitis"}:
        keys.append("conditions")
    if a.choices("family_history"):
        keys.append("family_history")
    return found(*keys) if keys else None


def derive_findings(answers: Answers) -> dict[str, Finding]:
    """Every finding present for these answers, by id: each finding function runs once, in the
    order defined."""
    out: dict[str, Finding] = {}
    for spec in FINDINGS:
        hit = spec.derive(answers, out)
        if hit is not None:
            out[spec.id] = hit
    return out


FINDING_MEANINGS: dict[str, str] = {spec.id: spec.meaning for spec in FINDINGS}
