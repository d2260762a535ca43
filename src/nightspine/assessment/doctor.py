"""The for-your-doctor summary: the history in the order and words clinicians use.

:func:`build_for_your_doctor` is a pure function. It states only what the person answered (an
absent answer is left out, never guessed), lists the warning signs reported and those asked and
denied (a warning-sign answer of "no" or "none"), and adds the knowledge base's guidance on what
to write down, what a doctor may do and questions worth asking.
"""

from __future__ import annotations

from collections.abc import Sequence

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import Answers
from nightspine.assessment.plan import LEVEL_WORDS
from nightspine.assessment.result import Concern, Contributor, ForYourDoctor, Triage
from nightspine.knowledge.loader import KnowledgeBase

NIGHT_PATTERN = {
    "lying_down_immediately": "as soon as lying down",
    "after_hours_lying": "after some hours lying",
    "on_waking": "on waking",
}
DAY_PATTERN = {
    "while_sitting": "while sitting",
    "with_activity": "with activity",
    "evening": "in the evening",
    "after_meals": "after meals",
    "constant": "constant",
}
HISTORY_FLAGS = (
    "previous_clot",
    "long_term_steroids",
    "iv_drug_use",
    "recent_spinal_procedure",
    "recent_infection",
    "smoker",
    "heavy_drinking",
)


def _duration(days: float) -> str:
    whole = int(days)
    if whole == 0:
        return "began today"
    if whole < 14:
        return f"{whole} day{'s' if whole != 1 else ''}"
    if whole < 90:
        return f"{whole} days (about {round(whole / 7)} weeks)"
    if whole < 730:
        return f"{whole} days (about {round(whole / 30.4)} months)"
    return f"{whole} days (about {round(whole / 365.25)} years)"


TERSE = {
    "nsaid": "NSAID",
    "retention": "urinary retention",
    "a_lot": "a lot",
    "below_knee": "below the knee",
    "chest_band": "band around the chest",
    "minor_fall": "a minor fall",
    "fall_from_height": "a fall from 1 m or more (or 5+ stairs)",
    "road_accident": "a road accident",
    "sports_injury": "a sports injury",
    "unusual_exercise": "unusual exercise",
    "pillow_support": "propping up on pillows",
    "heavy_bag_one_shoulder": "heavy bag on one shoulder",
    "caffeine_evening": "caffeine in the evening",
    "alcohol_evening": "alcohol in the evening",
    "screens_in_bed": "screens in bed",
    "hesitancy_or_poor_stream": "hesitancy or poor stream",
    "reduced_bladder_sensation": "reduced bladder sensation",
    "heat_or_ice": "heat or ice",
    "pain_relief": "pain relief",
    "position_change": "change of sleeping position",
    "pillow_change": "change of pillow",
    "mattress_change": "change of mattress or topper",
}


def _terse(value: str) -> str:
    return TERSE.get(value, value.replace("_", " "))


class _Text:
    """Reads one person's answers as text through the questionnaire's labels."""

    def __init__(self, kb: KnowledgeBase, answers: Answers) -> None:
        self.kb = kb
        self.answers = answers

    def has(self, key: str) -> bool:
        """Whether ``key`` has a real answer (yes, a choice, a number or a non-empty list)."""
        return qn.has_answer(self.answers.get(key))

    def of(self, key: str) -> str:
        """The answer in terse clinical words ('forward head', 'NSAID'), numbers with units."""
        value = self.answers[key]
        if isinstance(value, str):
            return _terse(value)
        if isinstance(value, tuple):
            return ", ".join(_terse(v) for v in value) if value else "none"
        return qn.text_of(qn.question(key, self.kb), value)

    def short(self, key: str) -> str:
        """The question's short form ('pillow')."""
        return qn.question(key, self.kb).short

    def line(self, key: str) -> str:
        """'pillow: too high': the question's short form and the answer in terse words."""
        return f"{self.short(key)}: {self.of(key)}"


def _who(t: _Text) -> list[str]:
    a = t.answers
    parts: list[str] = []
    age = a.number("age")
    if age is not None:
        parts.append(f"{int(age)} years old")
    if a.choice("sex") is not None:
        parts.append(t.of("sex"))
    if a.flag("pregnant"):
        parts.append("pregnant")
    return ["Patient: " + ", ".join(parts)] if parts else []


def _severity(t: _Text) -> list[str]:
    now, worst = t.answers.number("pain_now"), t.answers.number("pain_worst_night")
    parts = []
    if now is not None:
        parts.append(f"{int(now)}/10 now")
    if worst is not None:
        parts.append(f"{int(worst)}/10 at worst at night")
    return ["Severity: " + "; ".join(parts)] if parts else []


def _onset(t: _Text) -> list[str]:
    a = t.answers
    parts: list[str] = []
    if a.choice("onset"):
        parts.append(f"{a.choice('onset')} onset")
    event = a.choice("onset_event")
    if event == "none":
        parts.append("no precipitating event")
    elif event:
        parts.append("after " + t.of("onset_event"))
    days = a.number("duration_days")
    if days is not None:
        parts.append("duration " + _duration(days))
    if a.choice("course"):
        parts.append("course: " + t.of("course"))
    return ["Onset and course: " + "; ".join(parts)] if parts else []


def _night_and_day(t: _Text) -> list[str]:
    a = t.answers
    worse = a.choices("when_worse")
    night = [words for key, words in NIGHT_PATTERN.items() if key in worse]
    night_parts = ["worse " + ", ".join(night)] if night else []
    if "wakes_from_sleep" in a:
        night_parts.append("wakes from sleep" if a.flag("wakes_from_sleep") else "does not wake")
    lines = ["Night pattern: " + "; ".join(night_parts)] if night_parts else []
    day = [words for key, words in DAY_PATTERN.items() if key in worse]
    if day:
        lines.append("Also worse: " + ", ".join(day))
    return lines


def _pain(t: _Text) -> list[str]:
    a = t.answers
    lines: list[str] = []
    if t.has("pain_locations"):
        site = "Site: " + t.of("pain_locations")
        if t.has("side"):
            site += f" ({t.of('side')})"
        lines.append(site)
    if t.has("radiates_to"):
        lines.append("Radiation: " + t.of("radiates_to"))
    elif "radiates_to" in a:
        lines.append("Radiation: none reported")
    if t.has("quality"):
        lines.append("Character: " + t.of("quality"))
    lines += _severity(t)
    lines += _onset(t)
    lines += _night_and_day(t)
    stiffness = a.number("morning_stiffness_minutes")
    if stiffness is not None:
        lines.append(f"Morning stiffness: {int(stiffness)} minutes")
    relief = a.choices("relief")
    if "nothing" in relief:
        lines.append("Relieved by: nothing (no position or measure eases it)")
    elif relief:
        lines.append("Relieved by: " + t.of("relief"))
    if "worse_with_cough_or_strain" in a:
        worse = "yes" if a.flag("worse_with_cough_or_strain") else "no"
        lines.append("Worse with cough or strain: " + worse)
    if "nsaid_helps" in a:
        helps = "clear relief" if a.flag("nsaid_helps") else "no clear relief"
        lines.append("Response to anti-inflammatory painkillers: " + helps)
    if t.has("impact_on_daily_life"):
        lines.append("Impact on daily life: " + t.of("impact_on_daily_life"))
    return lines


SLEEP_KEYS = (
    "sleep_position",
    "pillow",
    "knee_pillow",
    "mattress_firmness",
    "mattress_age_years",
    "mattress_sagging",
    "tosses_and_turns",
    "hours_in_bed",
    "sleep_habits",
)
DAY_KEYS = ("sitting_hours", "posture", "exercise_days_per_week", "recent_strain", "stress")


def _sleep_and_day(t: _Text) -> list[str]:
    lines: list[str] = []
    for label, keys in (("Sleep", SLEEP_KEYS), ("Day", DAY_KEYS)):
        answered = [t.line(k) for k in keys if k in t.answers]
        if answered:
            lines.append(f"{label}: " + "; ".join(answered))
    return lines


def _assessment_lines(
    triage: Triage, concerns: Sequence[Concern], contributors: Sequence[Contributor]
) -> list[str]:
    lines = [f"nightspine triage (decision support, not a diagnosis): {LEVEL_WORDS[triage.level]}"]
    if concerns:
        lines.append("Conditions to rule out: " + "; ".join(c.title for c in concerns))
    if contributors:
        lines.append("Likely contributors: " + ", ".join(c.title for c in contributors[:3]))
    return lines


def _warning_signs(t: _Text) -> tuple[list[str], list[str]]:
    """The warning signs answered, in the order asked: those reported and those denied."""
    reported: list[str] = []
    denied: list[str] = []
    for key in qn.warning_sign_keys(t.kb):
        if key not in t.answers or key == "warning_signs_started_days":
            continue
        if not t.has(key):
            denied.append(t.short(key))
        elif t.kb.vocabulary.answers[key].type == "many-of":
            reported.append(t.line(key))
        else:
            reported.append(t.short(key))
    started = t.answers.number("warning_signs_started_days")
    if reported and started is not None:
        days = int(started)
        when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        reported.append(f"newest of these began {when}")
    return reported, denied


def _history(t: _Text) -> list[str]:
    lines: list[str] = []
    if t.has("conditions"):
        lines.append("Conditions: " + t.of("conditions"))
    if t.has("family_history"):
        lines.append("Family history: " + t.of("family_history"))
    lines += [t.short(k) for k in HISTORY_FLAGS if t.answers.flag(k)]
    if t.has("medications"):
        lines.append("Medicines: " + t.of("medications"))
    if t.has("side_effects"):
        lines.append("Medicine side effects: " + t.of("side_effects"))
    return lines


def _tried(t: _Text) -> list[str]:
    chosen = t.answers.get("tried_self_care")
    if not isinstance(chosen, tuple):  # not answered
        return []
    return [f"Tried: {_terse(v)}" for v in chosen]


def build_for_your_doctor(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> ForYourDoctor:
    """The summary to show or take to a doctor (pure and deterministic)."""
    t = _Text(kb, answers)
    reported, denied = _warning_signs(t)
    questions = [f"Could this be {c.title.lower()}, and how can we rule it out?" for c in concerns]
    return ForYourDoctor(
        summary=[
            *_who(t),
            *_pain(t),
            *_sleep_and_day(t),
            *_assessment_lines(triage, concerns, contributors),
        ],
        warning_signs_reported=reported,
        warning_signs_denied=denied,
        history=_history(t),
        tried=_tried(t),
        write_down=[f"{i.title}: {i.explanation}" for i in kb.doctor.write_down],
        questions_to_ask=questions + list(kb.doctor.questions_to_ask),
        what_a_doctor_may_do=[
            f"{i.title}: {i.explanation}" for i in kb.doctor.what_a_doctor_may_do
        ],
    )


__all__ = ["build_for_your_doctor"]
