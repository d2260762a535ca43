"""The for-your-doctor summary: the history in the order and words clinicians use.

:func:`build_for_your_doctor` is a pure function. It states only what the person answered (an
absent answer is left out, never guessed), lists the warning signs reported and those asked and
denied (a warning-sign answer of "no" or "none"), and adds the knowledge base's guidance on what
to write down, what a doctor may do and questions worth asking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import Answers
from nightspine.assessment.plan import LEVEL_WORDS
from nightspine.assessment.result import (
    Concern,
    Contributor,
    ForYourDoctor,
    Triage,
    TriageLevel,
)
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


def _has(value: Any) -> bool:
    """:func:`~.questionnaire.has_answer` for validated answers, whose only collections are
    tuples (many-of): yes, a choice, a number or a non-empty tuple."""
    return value is not None and value is not False and value != ()


_ABSENT: Any = object()
"""Marks an answer not given."""


class _Text:
    """Reads answers as text through the questionnaire's labels."""

    __slots__ = ("guide", "values")

    def __init__(self, guide: _Guide, answers: Answers) -> None:
        self.guide = guide
        # plain dict lookups (dozens per summary); validated, so each key has its known type
        self.values: dict[str, Any] = answers.as_dict()

    def has(self, key: str) -> bool:
        """Whether ``key`` has a real answer (see :func:`_has`)."""
        return _has(self.values.get(key))

    def of(self, key: str) -> str:
        """The answer in terse clinical words ('forward head', 'NSAID'), numbers with units."""
        value = self.values[key]
        known = self.guide.texts.get(key)
        text = known.get(value) if known is not None else None
        if text is None:
            if isinstance(value, str):
                text = _terse(value)
            elif isinstance(value, tuple):
                text = ", ".join([_terse(v) for v in value]) if value else "none"
            else:
                text = qn.text_of(self.question(key), value)
            _remember(self.guide.texts, key, value, text)
        return text

    def say(self, key: str, phrase: str = "") -> str:
        """The words answer ``key`` adds to the summary by ``phrase`` of :data:`PHRASES` (by
        default the one named like the key), or "" when it is not answered or says nothing.

        A phrase depends on this one answer alone, so its words are kept per answer value."""
        value = self.values.get(key, _ABSENT)
        if value is _ABSENT:
            return ""
        name = phrase or key
        known = self.guide.said.get(name)
        words = known.get(value) if known is not None else None
        if words is None:
            words = PHRASES[name](self, key, value)
            _remember(self.guide.said, name, value, words)
        return words

    def short(self, key: str) -> str:
        short = self.guide.shorts.get(key)
        return short if short is not None else self.question(key).short  # raises if unknown

    def line(self, key: str) -> str:
        """'pillow: too high': the question's short form and the answer in terse words."""
        value = self.values[key]
        known = self.guide.lines.get(key)
        text = known.get(value) if known is not None else None
        if text is None:
            text = f"{self.short(key)}: {self.of(key)}"
            _remember(self.guide.lines, key, value, text)
        return text

    def lines_of(self, keys: tuple[str, ...], among: frozenset[str]) -> str:
        """The :meth:`line` of each of ``keys`` (all of ``among``) answered, joined by '; '."""
        values = self.values
        if values.keys().isdisjoint(among):  # one C-level pass over the few answers
            return ""
        return "; ".join([self.line(key) for key in keys if key in values])

    def question(self, key: str) -> Question:
        found = self.guide.questions_by_key.get(key)
        return found if found is not None else qn.question(key, self.guide.kb)  # raises


Memo = dict[str, dict[Any, str]]
"""Words kept per answer: by answer key (or phrase name), then by value. Validated answers of
one key all have one type (numbers int or float, whose equal values read the same), so the
value alone tells them apart: True and 1 never meet under one key."""
_MAX_PER_NAME = 2_000


def _remember(memo: Memo, name: str, value: Any, words: str) -> None:
    """Keeps ``words`` for ``value`` under ``name`` (bounded: numbers vary without end)."""
    known = memo.get(name)
    if known is None:
        known = memo[name] = {}
    elif len(known) >= _MAX_PER_NAME:
        known.clear()
    known[value] = words


Phrase = Callable[[_Text, str, Any], str]
"""The words one answer adds to the summary ("" for none), from the reader, the answer's key
and its value."""


def _onset_event(t: _Text, key: str, value: Any) -> str:
    if value and value != "none":
        return "after " + t.of(key)
    return "no precipitating event" if value == "none" else ""


def _duration_words(t: _Text, key: str, value: Any) -> str:
    return "duration " + _duration(value) if value is not None else ""


def _night(t: _Text, key: str, value: Any) -> str:
    night = [words for k, words in NIGHT_PATTERN.items() if k in value] if value else None
    return "worse " + ", ".join(night) if night else ""


def _day(t: _Text, key: str, value: Any) -> str:
    day = [words for k, words in DAY_PATTERN.items() if k in value] if value else None
    return "Also worse: " + ", ".join(day) if day else ""


def _relief(t: _Text, key: str, value: Any) -> str:
    if "nothing" in value:
        return "Relieved by: nothing (no position or measure eases it)"
    return "Relieved by: " + t.of(key) if value else ""


PHRASES: dict[str, Phrase] = {
    "onset_event": _onset_event,
    "duration_days": _duration_words,
    "when_worse": _night,
    "when_worse/day": _day,
    "relief": _relief,
}
"""The phrases worked out from one answer (more than its words with a label), by answer key; a
name with a '/' is a second phrase of the answer before it."""


def _who(t: _Text, summary: list[str]) -> None:
    get = t.values.get
    parts: list[str] = []
    age = get("age")
    if age is not None:
        parts.append(f"{int(age)} years old")
    if get("sex") is not None:
        parts.append(t.of("sex"))
    if get("pregnant") is True:
        parts.append("pregnant")
    if parts:
        summary.append("Patient: " + ", ".join(parts))


def _pain(t: _Text, lines: list[str]) -> None:
    # validated answers, read straight from the dict: one-of answers are str, many-of tuples
    # (answered when not empty, so when true), numbers int or float, flags bool (this runs for
    # every assessment)
    values = t.values
    get = values.get
    of = t.of
    say = t.say
    if get("pain_locations"):
        site = "Site: " + of("pain_locations")
        if get("side"):
            site += f" ({of('side')})"
        lines.append(site)
    if get("radiates_to"):
        lines.append("Radiation: " + of("radiates_to"))
    elif "radiates_to" in values:
        lines.append("Radiation: none reported")
    if get("quality"):
        lines.append("Character: " + of("quality"))
    now, worst = get("pain_now"), get("pain_worst_night")
    if now is not None:
        severity = f"{int(now)}/10 now"
        if worst is not None:
            severity += f"; {int(worst)}/10 at worst at night"
        lines.append("Severity: " + severity)
    elif worst is not None:
        lines.append(f"Severity: {int(worst)}/10 at worst at night")
    onset: list[str] = []
    kind = get("onset")
    if kind:
        onset.append(f"{kind} onset")
    event = say("onset_event")
    if event:
        onset.append(event)
    duration = say("duration_days")
    if duration:
        onset.append(duration)
    if get("course"):
        onset.append("course: " + of("course"))
    if onset:
        lines.append("Onset and course: " + "; ".join(onset))
    night = say("when_worse")
    if "wakes_from_sleep" in values:
        wakes = "wakes from sleep" if get("wakes_from_sleep") is True else "does not wake"
        night = night + "; " + wakes if night else wakes
    if night:
        lines.append("Night pattern: " + night)
    day = say("when_worse", "when_worse/day")
    if day:
        lines.append(day)
    stiffness = get("morning_stiffness_minutes")
    if stiffness is not None:
        lines.append(f"Morning stiffness: {int(stiffness)} minutes")
    relief = say("relief")
    if relief:
        lines.append(relief)
    if "worse_with_cough_or_strain" in values:
        worse_cough = get("worse_with_cough_or_strain") is True
        lines.append("Worse with cough or strain: " + ("yes" if worse_cough else "no"))
    if "nsaid_helps" in values:
        lines.append(
            "Response to anti-inflammatory painkillers: "
            + ("clear relief" if get("nsaid_helps") is True else "no clear relief")
        )
    if get("impact_on_daily_life"):
        lines.append("Impact on daily life: " + of("impact_on_daily_life"))


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
_SLEEP_SET = frozenset(SLEEP_KEYS)
_DAY_SET = frozenset(DAY_KEYS)


def _sleep_and_day(t: _Text, summary: list[str]) -> None:
    sleep = t.lines_of(SLEEP_KEYS, _SLEEP_SET)
    if sleep:
        summary.append("Sleep: " + sleep)
    day = t.lines_of(DAY_KEYS, _DAY_SET)
    if day:
        summary.append("Day: " + day)


_title = attrgetter("title")


def _assessment_line(
    guide: _Guide,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
    summary: list[str],
) -> None:
    summary.append(guide.triage_lines[triage.level])
    if concerns:
        summary.append("Conditions to rule out: " + "; ".join(map(_title, concerns)))
    if contributors:
        top = ", ".join(map(_title, contributors[:3]))
        summary.append("Likely contributors: " + top)


def _warning_signs(t: _Text) -> tuple[list[str], list[str]]:
    reported: list[str] = []
    denied: list[str] = []
    values = t.values
    order = t.guide.warning_order
    # the few warning-sign keys answered, in the order asked (most answers name none or one)
    answered = values.keys() & order.keys()
    signs = t.guide.warning_signs
    for key in sorted(answered, key=order.__getitem__) if len(answered) > 1 else answered:
        many, short = signs[key]
        value = values[key]
        if value is not None and value is not False and value != ():  # _has, inlined
            reported.append(t.line(key) if many else short)
        else:
            denied.append(short)
    started = values.get("warning_signs_started_days")
    if reported and started is not None:
        days = int(started)
        when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        reported.append(f"newest of these began {when}")
    return reported, denied


def _history(t: _Text) -> list[str]:
    get = t.values.get
    of = t.of
    lines: list[str] = []
    # all many-of: answered when not empty, so when true
    if get("conditions"):
        lines.append("Conditions: " + of("conditions"))
    if get("family_history"):
        lines.append("Family history: " + of("family_history"))
    for key in HISTORY_FLAGS:
        if get(key) is True:
            lines.append(t.short(key))
    if get("medications"):
        lines.append("Medicines: " + of("medications"))
    if get("side_effects"):
        lines.append("Medicine side effects: " + of("side_effects"))
    return lines


def _tried(t: _Text) -> list[str]:
    chosen = t.values.get("tried_self_care")
    if not chosen or not isinstance(chosen, tuple):  # not answered (or not a many-of)
        return []
    tried = t.guide.tried
    return [tried.get(v) or tried.setdefault(v, f"Tried: {_terse(v)}") for v in chosen]


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
    _who(t, summary)
    _pain(t, summary)
    _sleep_and_day(t, summary)
    _assessment_line(guide, triage, concerns, contributors, summary)
    reported, denied = _warning_signs(t)
    if concerns:
        ask = guide.ask
        questions = [ask.get(c.title) or _ask(c.title) for c in concerns]
        questions += guide.questions
    else:
        questions = list(guide.questions)
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


def _ask(title: str) -> str:
    return f"Could this be {title.lower()}, and how can we rule it out?"


@dataclass(frozen=True, slots=True)
class _Guide:
    """The fixed part of the summary, and the questionnaire's words, once per knowledge base."""

    kb: KnowledgeBase
    write_down: tuple[str, ...]
    may_do: tuple[str, ...]
    questions: tuple[str, ...]
    ask: dict[str, str]
    """The question to ask about each of the knowledge base's concerns, by its title."""
    triage_lines: dict[TriageLevel, str]
    """The summary's triage line for each level."""
    warning_order: dict[str, int]
    """The warning-sign keys' places in the order asked (not the start date)."""
    warning_signs: dict[str, tuple[bool, str]]
    """Whether each of those keys is a many-of answer, and its question's short form."""
    questions_by_key: Mapping[str, Question]
    shorts: dict[str, str]
    """Each question's short form, by answer key."""
    texts: Memo
    """Answers in plain words, as read so far."""
    lines: Memo
    """'short form: answer' lines, as read so far."""
    said: Memo
    """Each phrase's words, as said so far."""
    tried: dict[str, str]
    """'Tried: ...' for each self-care choice met so far (the vocabulary's few)."""


_GUIDES: dict[int, _Guide] = {}


def _guide(kb: KnowledgeBase) -> _Guide:
    found = _GUIDES.get(id(kb))
    if found is not None and found.kb is kb:
        return found
    if len(_GUIDES) > 8:  # a few knowledge bases at most (tests); never grows without bound
        _GUIDES.clear()
    warning_keys = [k for k in qn.warning_sign_keys(kb) if k != "warning_signs_started_days"]
    found = _GUIDES[id(kb)] = _Guide(
        kb=kb,
        write_down=tuple(f"{i.title}: {i.explanation}" for i in kb.doctor.write_down),
        may_do=tuple(f"{i.title}: {i.explanation}" for i in kb.doctor.what_a_doctor_may_do),
        questions=tuple(kb.doctor.questions_to_ask),
        ask={c.title: _ask(c.title) for c in kb.concerns.values()},
        triage_lines={
            level: f"nightspine triage (decision support, not a diagnosis): {words}"
            for level, words in LEVEL_WORDS.items()
        },
        warning_order={k: i for i, k in enumerate(warning_keys)},
        warning_signs={
            k: (kb.vocabulary.answers[k].type == "many-of", qn.question(k, kb).short)
            for k in warning_keys
        },
        questions_by_key=qn.questions_by_key(kb),
        shorts={k: q.short for k, q in qn.questions_by_key(kb).items()},
        texts={},
        lines={},
        said={},
        tried={},
    )
    return found


__all__ = ["build_for_your_doctor"]
