"""The for-your-doctor summary: the history in the order and words clinicians use.

:func:`build_for_your_doctor` is a pure function. It states only what the person answered (an
absent answer is left out, never guessed), lists the warning signs reported and those asked and
denied (a warning-sign answer of "no" or "none"), and adds the knowledge base's guidance on what
to write down, what a doctor may do and questions worth asking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import Answers
from nightspine.assessment.plan import LEVEL_WORDS
from nightspine.assessment.result import Concern, Contributor, ForYourDoctor, Triage
from nightspine.knowledge.loader import KnowledgeBase
from nightspine.knowledge.schema import Question

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
    """Reads answers as text through the questionnaire's labels."""

    __slots__ = ("answers", "guide", "values")

    def __init__(self, guide: _Guide, answers: Answers) -> None:
        self.guide = guide
        self.answers = answers
        # plain dict lookups (dozens per summary); validated, so each key has its known type
        self.values: dict[str, Any] = answers.as_dict()

    def has(self, key: str) -> bool:
        """:func:`~.questionnaire.has_answer` for validated answers, whose only collections
        are tuples (many-of): yes, a choice, a number or a non-empty tuple."""
        value = self.values.get(key)
        return value is not None and value is not False and value != ()

    def of(self, key: str) -> str:
        """The answer in terse clinical words ('forward head', 'NSAID'), numbers with units."""
        value = self.values[key]
        memo = (key, type(value), value)  # the type keeps True apart from 1
        texts = self.guide.texts
        text = texts.get(memo)
        if text is None:
            if isinstance(value, str):
                text = _terse(value)
            elif isinstance(value, tuple):
                text = ", ".join([_terse(v) for v in value]) if value else "none"
            else:
                text = qn.text_of(self.question(key), value)
            if len(texts) >= _MAX_TEXTS:  # numbers vary without end: stay bounded
                texts.clear()
            texts[memo] = text
        return text

    def short(self, key: str) -> str:
        short = self.guide.shorts.get(key)
        return short if short is not None else self.question(key).short  # raises if unknown

    def line(self, key: str) -> str:
        """'pillow: too high': the question's short form and the answer in terse words."""
        value = self.values[key]
        memo = (key, type(value), value)
        lines = self.guide.lines
        text = lines.get(memo)
        if text is None:
            text = f"{self.short(key)}: {self.of(key)}"
            if len(lines) >= _MAX_TEXTS:  # numbers vary without end: stay bounded
                lines.clear()
            lines[memo] = text
        return text

    def question(self, key: str) -> Question:
        found = self.guide.questions_by_key.get(key)
        return found if found is not None else qn.question(key, self.guide.kb)  # raises


def _who(t: _Text) -> str | None:
    get = t.values.get
    parts: list[str] = []
    age = get("age")
    if age is not None:
        parts.append(f"{int(age)} years old")
    if get("sex") is not None:
        parts.append(t.of("sex"))
    if get("pregnant") is True:
        parts.append("pregnant")
    return "Patient: " + ", ".join(parts) if parts else None


def _pain(t: _Text) -> list[str]:
    # validated answers, read straight from the dict: one-of answers are str, many-of tuples,
    # numbers int or float, flags bool (this runs for every assessment)
    values = t.values
    get = values.get
    lines: list[str] = []
    if t.has("pain_locations"):
        site = "Site: " + t.of("pain_locations")
        if get("side"):
            site += f" ({t.of('side')})"
        lines.append(site)
    if t.has("radiates_to"):
        lines.append("Radiation: " + t.of("radiates_to"))
    elif "radiates_to" in values:
        lines.append("Radiation: none reported")
    if t.has("quality"):
        lines.append("Character: " + t.of("quality"))
    now, worst = get("pain_now"), get("pain_worst_night")
    if now is not None or worst is not None:
        severity = [f"{int(now)}/10 now"] if now is not None else []
        if worst is not None:
            severity.append(f"{int(worst)}/10 at worst at night")
        lines.append("Severity: " + "; ".join(severity))
    onset: list[str] = []
    kind = get("onset")
    if kind:
        onset.append(f"{kind} onset")
    event = get("onset_event")
    if event and event != "none":
        onset.append("after " + t.of("onset_event"))
    elif event == "none":
        onset.append("no precipitating event")
    days = get("duration_days")
    if days is not None:
        onset.append("duration " + _duration(days))
    if get("course"):
        onset.append("course: " + t.of("course"))
    if onset:
        lines.append("Onset and course: " + "; ".join(onset))
    worse: tuple[str, ...] = get("when_worse", ())
    night_line: list[str] = []
    if worse:
        night = [words for key, words in NIGHT_PATTERN.items() if key in worse]
        if night:
            night_line.append("worse " + ", ".join(night))
    if "wakes_from_sleep" in values:
        night_line.append(
            "wakes from sleep" if get("wakes_from_sleep") is True else "does not wake"
        )
    if night_line:
        lines.append("Night pattern: " + "; ".join(night_line))
    if worse:
        day = [words for key, words in DAY_PATTERN.items() if key in worse]
        if day:
            lines.append("Also worse: " + ", ".join(day))
    stiffness = get("morning_stiffness_minutes")
    if stiffness is not None:
        lines.append(f"Morning stiffness: {int(stiffness)} minutes")
    relief: tuple[str, ...] = get("relief", ())
    if "nothing" in relief:
        lines.append("Relieved by: nothing (no position or measure eases it)")
    elif relief:
        lines.append("Relieved by: " + t.of("relief"))
    if "worse_with_cough_or_strain" in values:
        worse_cough = get("worse_with_cough_or_strain") is True
        lines.append("Worse with cough or strain: " + ("yes" if worse_cough else "no"))
    if "nsaid_helps" in values:
        lines.append(
            "Response to anti-inflammatory painkillers: "
            + ("clear relief" if get("nsaid_helps") is True else "no clear relief")
        )
    if get("impact_on_daily_life"):
        lines.append("Impact on daily life: " + t.of("impact_on_daily_life"))
    return lines


def _sleep_and_day(t: _Text) -> list[str]:
    sleep = [
        t.line(k)
        for k in (
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
        if k in t.values
    ]
    day = [
        t.line(k)
        for k in (
            "sitting_hours",
            "posture",
            "exercise_days_per_week",
            "recent_strain",
            "stress",
        )
        if k in t.values
    ]
    lines = []
    if sleep:
        lines.append("Sleep: " + "; ".join(sleep))
    if day:
        lines.append("Day: " + "; ".join(day))
    return lines


def _assessment_line(
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> list[str]:
    lines = [f"nightspine triage (decision support, not a diagnosis): {LEVEL_WORDS[triage.level]}"]
    if concerns:
        lines.append("Conditions to rule out: " + "; ".join(c.title for c in concerns))
    if contributors:
        top = ", ".join(c.title for c in contributors[:3])
        lines.append("Likely contributors: " + top)
    return lines


def _warning_signs(t: _Text) -> tuple[list[str], list[str]]:
    reported: list[str] = []
    denied: list[str] = []
    values = t.values
    order = t.guide.warning_order
    # the few warning-sign keys answered, in the order asked (most answers name none or one)
    for key in sorted(values.keys() & order.keys(), key=order.__getitem__):
        many = t.guide.warning_signs[order[key]][1]
        if qn.has_answer(values[key]):
            reported.append(t.line(key) if many else t.short(key))
        else:
            denied.append(t.short(key))
    started = values.get("warning_signs_started_days")
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
    get = t.values.get
    lines += [t.short(k) for k in HISTORY_FLAGS if get(k) is True]
    if t.has("medications"):
        lines.append("Medicines: " + t.of("medications"))
    if t.has("side_effects"):
        lines.append("Medicine side effects: " + t.of("side_effects"))
    return lines


def _tried(t: _Text) -> list[str]:
    if not t.has("tried_self_care"):
        return []
    value = t.answers["tried_self_care"]
    chosen = value if isinstance(value, tuple) else ()
    return [f"Tried: {_terse(v)}" for v in chosen]


def build_for_your_doctor(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> ForYourDoctor:
    """The summary to show or take to a doctor (pure and deterministic)."""
    guide = _guide(kb)
    t = _Text(guide, answers)
    summary: list[str] = []
    who = _who(t)
    if who:
        summary.append(who)
    summary += _pain(t)
    summary += _sleep_and_day(t)
    summary += _assessment_line(triage, concerns, contributors)
    reported, denied = _warning_signs(t)
    questions = [f"Could this be {c.title.lower()}, and how can we rule it out?" for c in concerns]
    questions += guide.questions
    return ForYourDoctor.trusted(
        summary=summary,
        warning_signs_reported=reported,
        warning_signs_denied=denied,
        history=_history(t),
        tried=_tried(t),
        write_down=list(guide.write_down),
        questions_to_ask=questions,
        what_a_doctor_may_do=list(guide.may_do),
    )


@dataclass(frozen=True, slots=True)
class _Guide:
    """The fixed part of the summary, and the questionnaire's words, once per knowledge base."""

    kb: KnowledgeBase
    write_down: tuple[str, ...]
    may_do: tuple[str, ...]
    questions: tuple[str, ...]
    warning_signs: tuple[tuple[str, bool], ...]
    """The warning-sign keys in the order asked (not the start date), and whether many-of."""
    warning_order: dict[str, int]
    """Each of those keys' place in ``warning_signs``."""
    questions_by_key: Mapping[str, Question]
    shorts: dict[str, str]
    """Each question's short form, by answer key."""
    texts: dict[tuple[str, type, Any], str]
    """Answers in plain words, as read so far (bounded by ``_MAX_TEXTS``)."""
    lines: dict[tuple[str, type, Any], str]
    """'short form: answer' lines, as read so far (bounded by ``_MAX_TEXTS``)."""


_GUIDES: dict[int, _Guide] = {}
_MAX_TEXTS = 20_000


def _guide(kb: KnowledgeBase) -> _Guide:
    found = _GUIDES.get(id(kb))
    if found is None or found.kb is not kb:
        if len(_GUIDES) > 8:  # a few knowledge bases at most (tests); never grows without bound
            _GUIDES.clear()
        warning_signs = tuple(
            (k, kb.vocabulary.answers[k].type == "many-of")
            for k in qn.warning_sign_keys(kb)
            if k != "warning_signs_started_days"
        )
        found = _GUIDES[id(kb)] = _Guide(
            kb=kb,
            write_down=tuple(f"{i.title}: {i.explanation}" for i in kb.doctor.write_down),
            may_do=tuple(f"{i.title}: {i.explanation}" for i in kb.doctor.what_a_doctor_may_do),
            questions=tuple(kb.doctor.questions_to_ask),
            warning_signs=warning_signs,
            warning_order={k: i for i, (k, _) in enumerate(warning_signs)},
            questions_by_key=qn.questions_by_key(kb),
            shorts={k: q.short for k, q in qn.questions_by_key(kb).items()},
            texts={},
            lines={},
        )
    return found


__all__ = ["build_for_your_doctor"]
