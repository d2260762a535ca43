"""Ranking what may be causing or feeding the pain.

Each contributor is a small table of evidence: an answer pattern, how strongly it points to the
contributor (a weight between 0 and 1), the answer keys it cites and a reason in plain words.
At least one *primary* piece of evidence must be present for the contributor to apply at all;
*supporting* evidence (where the pain is, when it is worst) only strengthens it. The pieces are
combined as independent indications (``1 - product(1 - weight)``), then adjusted by the pain
pattern: pain on lying down, after hours in bed or on waking points to the night (sleep
position, pillow, mattress); pain while sitting, with activity or in the evening points to the
day. Daytime activity is more often the cause than the sleeping position itself, so daytime
factors lose less weight when the pattern does not tell.

The ranking is deterministic: score (rounded to 3 places), then the vocabulary's order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from nightspine.assessment.answers import Answers

Kind = Literal["sleep", "day", "general"]
Weigh = Callable[[Answers], float]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One answer pattern and how strongly (0 to 1) it points to a contributor."""

    keys: tuple[str, ...]
    weigh: Weigh
    reason: str
    primary: bool = True


@dataclass(frozen=True)
class ContributorModel:
    id: str
    kind: Kind
    evidence: tuple[Evidence, ...]

    @cached_property
    def primary_keys(self) -> frozenset[str]:
        """The answer keys of the primary evidence: without one of them, nothing applies."""
        return frozenset(k for ev in self.evidence if ev.primary for k in ev.keys)


@dataclass(frozen=True, slots=True)
class RankedContributor:
    id: str
    score: float
    because: tuple[str, ...]
    reasons: tuple[str, ...]


def primary(keys: tuple[str, ...] | str, weigh: Weigh, reason: str) -> Evidence:
    return Evidence((keys,) if isinstance(keys, str) else keys, weigh, reason, True)


def support(keys: tuple[str, ...] | str, weigh: Weigh, reason: str) -> Evidence:
    return Evidence((keys,) if isinstance(keys, str) else keys, weigh, reason, False)


def _is(key: str, value: str, weight: float) -> Weigh:
    return lambda a: weight if a.choice(key) == value else 0.0


def _one_of(key: str, values: frozenset[str], weight: float) -> Weigh:
    return lambda a: weight if a.choice(key) in values else 0.0


def _has_any(key: str, values: frozenset[str], weight: float) -> Weigh:
    return lambda a: weight if a.choices(key) & values else 0.0


def _flag(key: str, weight: float) -> Weigh:
    return lambda a: weight if a.flag(key) else 0.0


def _at_least(key: str, steps: tuple[tuple[float, float], ...]) -> Weigh:
    """The weight of the highest threshold reached, ``steps`` as (threshold, weight) rising."""

    def weigh(a: Answers) -> float:
        value = a.number(key)
        if value is None:
            return 0.0
        weight = 0.0
        for threshold, w in steps:
            if value >= threshold:
                weight = w
        return weight

    return weigh


def _at_most(key: str, steps: tuple[tuple[float, float], ...]) -> Weigh:
    """The weight of the lowest threshold not exceeded, ``steps`` as (threshold, weight)."""

    def weigh(a: Answers) -> float:
        value = a.number(key)
        if value is None:
            return 0.0
        for threshold, w in steps:
            if value <= threshold:
                return w
        return 0.0

    return weigh


UPPER = frozenset({"neck", "upper_back", "shoulder_blade"})
LOWER = frozenset({"lower_back", "mid_back"})
BAD_PILLOW = frozenset({"too_high", "too_low", "flat", "unsupportive"})
SEDATING = frozenset({"muscle_relaxant", "opioid", "sleeping_tablet"})
SLEEP_PATTERN = frozenset({"lying_down_immediately", "after_hours_lying", "on_waking"})
DAY_PATTERN = frozenset({"while_sitting", "with_activity", "evening"})


def _side_without_knee_pillow(a: Answers) -> float:
    """Stronger when the person said so than when the knee pillow was not asked about."""
    if a.choice("sleep_position") != "side" or a.flag("knee_pillow"):
        return 0.0
    return 0.45 if "knee_pillow" in a else 0.3


def _side_with_bad_pillow(a: Answers) -> float:
    if a.choice("sleep_position") == "side" and a.choice("pillow") in BAD_PILLOW | {"none"}:
        return 0.35
    return 0.0


LOW_PILLOW = frozenset({"too_low", "flat"})
"""Too low for the back or the side, but what a stomach sleeper is advised (the plan's
if_stomach_sleeping: a flat pillow or none, so the neck is less bent back)."""


def _bad_pillow(a: Answers) -> float:
    """A pillow too high, too low, flat or unsupportive; a low or flat one not for a stomach
    sleeper, for whom it is the advice."""
    pillow = a.choice("pillow")
    if pillow not in BAD_PILLOW:
        return 0.0
    if pillow in LOW_PILLOW and a.choice("sleep_position") == "stomach":
        return 0.0
    return 0.45


def _no_pillow_back_or_side(a: Answers) -> float:
    return (
        0.4
        if a.choice("pillow") == "none" and a.choice("sleep_position") in {"back", "side"}
        else 0
    )


def _stomach_high_pillow(a: Answers) -> float:
    return (
        0.15
        if a.choice("sleep_position") == "stomach" and a.choice("pillow") in {"too_high"}
        else 0.0
    )


def _stiffness_after_lying(a: Answers) -> float:
    if "after_hours_lying" in a.choices("when_worse") and a.choices("relief") & {
        "changing_position",
        "moving_around",
        "getting_up",
    }:
        return 0.2
    return 0.0


def _stress(a: Answers) -> float:
    stress = a.number("stress")
    if stress is None or stress < 5:
        return 0.0
    return min(0.6, 0.25 + 0.07 * (stress - 5))


def _widespread(a: Answers) -> float:
    return 0.1 if len(a.choices("pain_locations")) >= 3 else 0.0


def _recent_onset(a: Answers) -> float:
    days = a.number("duration_days")
    return 0.15 if days is not None and days <= 14 else 0.0


def _sedating_medicine(a: Answers) -> float:
    return 0.15 if a.choices("medications") & SEDATING else 0.0


MODELS: tuple[ContributorModel, ...] = (
    ContributorModel(
        "stomach_sleeping",
        "sleep",
        (
            primary("sleep_position", _is("sleep_position", "stomach", 0.6),
                    "sleeps on the stomach"),
            support("pain_locations", _has_any("pain_locations", UPPER, 0.25),
                    "the neck and upper back take the twist of stomach sleeping"),
            support("pillow", _stomach_high_pillow,
                    "a high pillow turns the neck further when lying face down"),
        ),
    ),
    ContributorModel(
        "unsupported_side_sleeping",
        "sleep",
        (
            primary(("sleep_position", "knee_pillow"), _side_without_knee_pillow,
                    "sleeps on the side without a pillow between the knees"),
            primary(("sleep_position", "pillow"), _side_with_bad_pillow,
                    "sleeps on the side with a pillow that does not fill the gap to the shoulder"),
            support("pain_locations", _has_any("pain_locations", LOWER, 0.1),
                    "the low back twists when the top knee drops"),
        ),
    ),
    ContributorModel(
        "unsuitable_pillow",
        "sleep",
        (
            primary("pillow", _bad_pillow,
                    "a pillow that is too high, too low or unsupportive for the position"),
            primary(("pillow", "sleep_position"), _no_pillow_back_or_side,
                    "no pillow while sleeping on the back or side"),
            support("pain_locations", _has_any("pain_locations", UPPER, 0.2),
                    "the pain is in the neck or upper back, which the pillow supports"),
        ),
    ),
    ContributorModel(
        "unsupportive_mattress",
        "sleep",
        (
            primary("mattress_firmness",
                    _one_of("mattress_firmness", frozenset({"too_soft", "too_firm"}), 0.45),
                    "a mattress that feels too soft or too firm"),
            primary("mattress_sagging", _flag("mattress_sagging", 0.45), "the mattress sags"),
            primary("mattress_age_years", _at_least("mattress_age_years", ((8, 0.35), (10, 0.4))),
                    "the mattress is 8 years old or more"),
            support("pain_locations", _has_any("pain_locations", LOWER, 0.1),
                    "the low and mid back sink or arch most on a poor mattress"),
        ),
    ),
    ContributorModel(
        "immobility_in_bed",
        "sleep",
        (
            primary("hours_in_bed", _at_least("hours_in_bed", ((9, 0.4), (10, 0.5))),
                    "spends 9 hours or more in bed"),
            primary(("when_worse", "relief"), _stiffness_after_lying,
                    "stiff after hours lying still and better once moving"),
            support("when_worse",
                    _has_any("when_worse", frozenset({"after_hours_lying", "on_waking"}), 0.2),
                    "worst after hours lying or on waking"),
            support("morning_stiffness_minutes",
                    _at_least("morning_stiffness_minutes", ((15, 0.1),)),
                    "stiff in the morning"),
            support("relief",
                    _has_any("relief", frozenset({"moving_around", "getting_up",
                                                  "changing_position"}), 0.15),
                    "eased by moving"),
        ),
    ),
    ContributorModel(
        "restless_sleep",
        "sleep",
        (
            primary("tosses_and_turns", _flag("tosses_and_turns", 0.4), "tosses and turns"),
            support("stress", _at_least("stress", ((6, 0.1),)), "stress keeps sleep light"),
        ),
    ),
    ContributorModel(
        "poor_sleep_habits",
        "sleep",
        tuple(
            primary("sleep_habits", _has_any("sleep_habits", frozenset({habit}), 0.25), text)
            for habit, text in (
                ("irregular_schedule", "goes to bed and gets up at irregular times"),
                ("caffeine_evening", "has caffeine in the evening"),
                ("alcohol_evening", "drinks alcohol in the evening"),
                ("screens_in_bed", "uses screens in bed"),
            )
        ),
    ),
    ContributorModel(
        "daytime_posture",
        "day",
        (
            *(
                primary("posture", _has_any("posture", frozenset({item}), weight), text)
                for item, weight, text in (
                    ("slouching", 0.3, "slouches"),
                    ("forward_head", 0.3, "holds the head forward"),
                    ("heavy_bag_one_shoulder", 0.35, "carries a heavy bag on one shoulder"),
                    ("long_phone_use", 0.3, "looks down at a phone for long periods"),
                )
            ),
            support("when_worse",
                    _has_any("when_worse", frozenset({"while_sitting", "evening"}), 0.15),
                    "worse while sitting or by the evening"),
            support("pain_locations", _has_any("pain_locations", UPPER, 0.1),
                    "the neck and upper back carry a forward head"),
        ),
    ),
    ContributorModel(
        "prolonged_sitting",
        "day",
        (
            primary("sitting_hours", _at_least("sitting_hours", ((6, 0.3), (8, 0.45), (10, 0.55))),
                    "sits for many hours a day"),
            support("when_worse", _has_any("when_worse", frozenset({"while_sitting"}), 0.35),
                    "the pain is worse while sitting"),
        ),
    ),
    ContributorModel(
        "muscle_strain_overuse",
        "day",
        (
            *(
                primary("recent_strain", _has_any("recent_strain", frozenset({item}), weight), text)
                for item, weight, text in (
                    ("weightlifting", 0.55, "recent weightlifting"),
                    ("throwing_sports", 0.55, "recent throwing sport"),
                    ("heavy_lifting", 0.55, "recent heavy lifting"),
                    ("new_activity", 0.45, "a new activity"),
                    ("repetitive_work", 0.4, "repetitive work"),
                )
            ),
            primary("onset_event",
                    _one_of("onset_event", frozenset({"lifting", "unusual_exercise"}), 0.5),
                    "the pain began with lifting or unusual exercise"),
            support("when_worse", _has_any("when_worse", frozenset({"with_activity"}), 0.2),
                    "worse with activity"),
            support("duration_days", _recent_onset, "began within the last two weeks"),
        ),
    ),
    ContributorModel(
        "injury",
        "general",
        (
            primary("onset_event",
                    _one_of("onset_event", frozenset({"minor_fall", "fall_from_height",
                                                      "road_accident", "sports_injury"}), 0.6),
                    "the pain began with a fall, an accident or a sports injury"),
        ),
    ),
    ContributorModel(
        "muscle_tension_stress",
        "general",
        (
            primary("stress", _stress, "high stress"),
            support("quality", _has_any("quality", frozenset({"tight"}), 0.15),
                    "the pain feels tight"),
            support("pain_locations", _has_any("pain_locations", UPPER, 0.15),
                    "tension gathers in the neck and upper back"),
            support("relief", _has_any("relief", frozenset({"heat", "stretching"}), 0.1),
                    "eased by heat or stretching, as tense muscles are"),
        ),
    ),
    ContributorModel(
        "inactivity",
        "day",
        (
            primary("exercise_days_per_week",
                    _at_most("exercise_days_per_week", ((0, 0.45), (1, 0.35))),
                    "exercises on one day a week or less"),
            support("sitting_hours", _at_least("sitting_hours", ((8, 0.1),)),
                    "sits for most of the day"),
        ),
    ),
    ContributorModel(
        "smoking",
        "general",
        (primary("smoker", _flag("smoker", 0.3), "smokes"),),
    ),
    ContributorModel(
        "medication_side_effects",
        "general",
        (
            primary("side_effects",
                    _has_any("side_effects", frozenset({"dizziness", "drowsiness"}), 0.4),
                    "medicines make them dizzy or drowsy"),
            primary("medications", _sedating_medicine,
                    "takes a medicine that can cause drowsiness"),
        ),
    ),
    ContributorModel(
        "spinal_curvature",
        "general",
        (
            primary("conditions",
                    _has_any("conditions", frozenset({"kyphosis", "scoliosis"}), 0.6),
                    "has kyphosis or scoliosis"),
            support(("when_worse", "relief"),
                    lambda a: 0.25
                    if "lying_down_immediately" in a.choices("when_worse")
                    or "pillow_support" in a.choices("relief")
                    else 0.0,
                    "lying flat hurts and being propped up helps, as with a curved spine"),
            support("pain_locations",
                    _has_any("pain_locations", frozenset({"upper_back", "mid_back"}), 0.1),
                    "the curve is in the part of the back that hurts"),
        ),
    ),
    ContributorModel(
        "arthritis",
        "general",
        (
            primary("conditions",
                    _has_any("conditions", frozenset({"osteoarthritis", "rheumatoid_arthritis",
                                                      "axial_spondyloarthritis"}), 0.5),
                    "has arthritis"),
            support("morning_stiffness_minutes",
                    _at_least("morning_stiffness_minutes", ((30, 0.15),)),
                    "stiff for half an hour or more in the morning"),
            support("age", _at_least("age", ((50, 0.1),)), "arthritis of the spine grows with age"),
        ),
    ),
    ContributorModel(
        "disc_problem",
        "general",
        (
            primary("conditions",
                    _has_any("conditions",
                             frozenset({"herniated_disc", "degenerative_disc_disease"}), 0.55),
                    "has a known disc problem"),
            primary("radiates_to", _has_any("radiates_to", frozenset({"below_knee", "arm"}), 0.35),
                    "pain runs down a limb, most often from a bulging disc"),
            support("worse_with_cough_or_strain", _flag("worse_with_cough_or_strain", 0.15),
                    "worse with coughing or straining"),
            support("when_worse", _has_any("when_worse", frozenset({"while_sitting"}), 0.1),
                    "worse while sitting"),
        ),
    ),
    ContributorModel(
        "osteoporosis",
        "general",
        (
            primary("conditions", _has_any("conditions", frozenset({"osteoporosis"}), 0.45),
                    "has osteoporosis"),
            support("age", _at_least("age", ((65, 0.1),)), "bones thin with age"),
        ),
    ),
    ContributorModel(
        "fibromyalgia",
        "general",
        (
            primary("conditions", _has_any("conditions", frozenset({"fibromyalgia"}), 0.7),
                    "has fibromyalgia"),
            support("tosses_and_turns", _flag("tosses_and_turns", 0.1),
                    "poor sleep makes fibromyalgia pain worse"),
            support("stress", _at_least("stress", ((6, 0.1),)), "stress makes it worse"),
            support("pain_locations", _widespread, "the pain is widespread"),
        ),
    ),
    ContributorModel(
        "spinal_stenosis",
        "general",
        (
            primary("conditions", _has_any("conditions", frozenset({"spinal_stenosis"}), 0.55),
                    "has spinal stenosis"),
            support("when_worse", _has_any("when_worse", frozenset({"with_activity"}), 0.1),
                    "worse when walking or active"),
            support("age", _at_least("age", ((60, 0.1),)), "stenosis grows with age"),
        ),
    ),
)  # fmt: skip


# (worse at night, worse by day) -> factor; neither or unknown is the default below
_SLEEP_FACTORS = {(True, False): 1.0, (True, True): 0.95, (False, True): 0.7}
_DAY_FACTORS = {(False, True): 1.0, (True, True): 0.95, (True, False): 0.8}


def pattern_factor(kind: Kind, answers: Answers) -> float:
    """How much the pain pattern supports a night-time or a daytime contributor."""
    if kind == "general":
        return 1.0
    worse = answers.choices("when_worse")
    pattern = (not worse.isdisjoint(SLEEP_PATTERN), not worse.isdisjoint(DAY_PATTERN))
    if kind == "sleep":
        return _SLEEP_FACTORS.get(pattern, 0.85)
    return _DAY_FACTORS.get(pattern, 0.95)


def weigh_model(
    model: ContributorModel, answers: Answers, order: Mapping[str, int] | None = None
) -> RankedContributor | None:
    """The model's score for these answers, or None when no primary evidence is present.

    Each piece of evidence whose answers are given and whose weight is above 0 counts, as
    independent indications: ``1 - product(1 - weight)``, times :func:`pattern_factor`.
    """
    if answers.keys().isdisjoint(model.primary_keys):
        return None
    remaining = 1.0
    keys: list[str] = []
    reasons: list[str] = []
    applies = False
    for ev in model.evidence:
        cited = [k for k in ev.keys if k in answers]
        if not cited:
            continue
        weight = ev.weigh(answers)
        if weight <= 0:
            continue
        applies = applies or ev.primary
        remaining *= 1.0 - weight
        keys += cited
        reasons.append(ev.reason)
    if not applies:
        return None
    score = round((1.0 - remaining) * pattern_factor(model.kind, answers), 3)
    because = list(dict.fromkeys(keys))
    if order is not None:  # a key the order does not know goes last
        because.sort(key=lambda k: order.get(k, len(order)))
    return RankedContributor(model.id, score, tuple(because), tuple(reasons))


def rank_contributors(
    answers: Answers, order: Mapping[str, int] | None = None
) -> list[RankedContributor]:
    """Every contributor that applies, most likely first (ties in the models' order).

    ``because`` names only answer keys that are present in ``answers``, in ``order`` (the
    vocabulary's answer order: a key it does not know goes last) when given.
    """
    ranked: list[RankedContributor] = []
    for model in MODELS:
        weighed = weigh_model(model, answers, order)
        if weighed is not None:
            ranked.append(weighed)
    return sorted(ranked, key=lambda c: -c.score)  # stable: the models' order within a score
