"""The for-your-doctor summary: the history in the order and words clinicians use.

This module is the ONE place where an assessment's clinical facts are put into words for a
clinician: the terminal's Markdown, the web's result and clinician pages and the PDF report all
show what :func:`doctor_facts` says, never their own wording of the same answers. The words are
a clinician's, in the third person ("Sleeping on the stomach", never "your").

:func:`doctor_facts` and :func:`build_for_your_doctor` are pure functions. They state only what
the person answered (an absent answer is left out, never guessed), list the warning signs
reported, those asked and denied (a warning-sign answer of "no" or "none") and those not asked,
and :func:`build_for_your_doctor` adds the knowledge base's guidance on what to write down, what
a doctor may do and questions worth asking.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from nightspine.assessment import prepared
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


class Fact(BaseModel):
    """One labelled clinical fact: ``Site`` / ``upper back (left)``. An empty label is a fact
    that names itself (``smoker``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    text: str

    @property
    def line(self) -> str:
        """The fact as one line of the summary: ``"Site: upper back (left)"``."""
        return f"{self.label}: {self.text}" if self.label else self.text


class DoctorFacts(BaseModel):
    """An assessment's clinical facts, grouped as the PDF lays them out; the for-your-doctor
    summary is these facts in order (:meth:`summary`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    who: list[Fact]
    pain: list[Fact]
    sleep_and_day: list[Fact]
    triage: Fact
    rule_out: Fact | None
    likely_contributors: Fact | None
    warning_signs_reported: list[str]
    warning_signs_denied: list[str]
    warning_signs_not_asked: list[str]
    history: list[Fact]
    tried: list[Fact]

    def summary(self) -> list[str]:
        """The summary's lines: who, the pain, sleep and day, then the assessment."""
        facts = [*self.who, *self.pain, *self.sleep_and_day, self.triage]
        facts += [f for f in (self.rule_out, self.likely_contributors) if f is not None]
        return [f.line for f in facts]


def _terse(value: str) -> str:
    return TERSE.get(value, value.replace("_", " "))


class _Text:
    """Reads one person's answers as text through the questionnaire's labels."""

    def __init__(self, kb: KnowledgeBase, answers: Answers) -> None:
        self.kb = kb
        self.answers = answers
        self.questions = prepared.questions_by_key(kb)

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
        return qn.text_of(self.question(key), value)

    def short(self, key: str) -> str:
        """The question's short form ('pillow')."""
        return self.question(key).short

    def question(self, key: str) -> Question:
        """The question asked for ``key`` (as :func:`questionnaire.question`)."""
        found = self.questions.get(key)
        if found is None:
            return qn.question(key, self.kb)  # raises the questionnaire's own error
        return found

    def line(self, key: str) -> str:
        """'pillow: too high': the question's short form and the answer in terse words."""
        return self.fact(key).line

    def fact(self, key: str) -> Fact:
        """The answer as a fact labelled by the question's short form ('not answered' if absent)."""
        text = self.of(key) if key in self.answers else "not answered"
        return Fact(label=self.short(key), text=text)


def _who(t: _Text) -> list[Fact]:
    a = t.answers
    parts: list[str] = []
    age = a.number("age")
    if age is not None:
        parts.append(f"{int(age)} years old")
    if a.choice("sex") is not None:
        parts.append(t.of("sex"))
    if a.flag("pregnant"):
        parts.append("pregnant")
    return [Fact(label="Patient", text=", ".join(parts))] if parts else []


def _severity(t: _Text) -> list[Fact]:
    now, worst = t.answers.number("pain_now"), t.answers.number("pain_worst_night")
    parts = []
    if now is not None:
        parts.append(f"{int(now)}/10 now")
    if worst is not None:
        parts.append(f"{int(worst)}/10 at worst at night")
    return [Fact(label="Severity", text="; ".join(parts))] if parts else []


def _onset(t: _Text) -> list[Fact]:
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
    return [Fact(label="Onset and course", text="; ".join(parts))] if parts else []


def _night_and_day(t: _Text) -> list[Fact]:
    a = t.answers
    worse = a.choices("when_worse")
    night = [words for key, words in NIGHT_PATTERN.items() if key in worse]
    night_parts = ["worse " + ", ".join(night)] if night else []
    if "wakes_from_sleep" in a:
        night_parts.append("wakes from sleep" if a.flag("wakes_from_sleep") else "does not wake")
    facts = [Fact(label="Night pattern", text="; ".join(night_parts))] if night_parts else []
    day = [words for key, words in DAY_PATTERN.items() if key in worse]
    if day:
        facts.append(Fact(label="Also worse", text=", ".join(day)))
    return facts


def _pain(t: _Text) -> list[Fact]:
    a = t.answers
    facts: list[Fact] = []
    if t.has("pain_locations"):
        site = t.of("pain_locations")
        if t.has("side"):
            site += f" ({t.of('side')})"
        facts.append(Fact(label="Site", text=site))
    if t.has("radiates_to"):
        facts.append(Fact(label="Radiation", text=t.of("radiates_to")))
    elif "radiates_to" in a:
        facts.append(Fact(label="Radiation", text="none reported"))
    if t.has("quality"):
        facts.append(Fact(label="Character", text=t.of("quality")))
    facts += _severity(t)
    facts += _onset(t)
    facts += _night_and_day(t)
    stiffness = a.number("morning_stiffness_minutes")
    if stiffness is not None:
        facts.append(Fact(label="Morning stiffness", text=f"{int(stiffness)} minutes"))
    relief = a.choices("relief")
    if "nothing" in relief:
        facts.append(Fact(label="Relieved by", text="nothing (no position or measure eases it)"))
    elif relief:
        facts.append(Fact(label="Relieved by", text=t.of("relief")))
    if "worse_with_cough_or_strain" in a:
        worse = "yes" if a.flag("worse_with_cough_or_strain") else "no"
        facts.append(Fact(label="Worse with cough or strain", text=worse))
    if "nsaid_helps" in a:
        helps = "clear relief" if a.flag("nsaid_helps") else "no clear relief"
        facts.append(Fact(label="Response to anti-inflammatory painkillers", text=helps))
    if t.has("impact_on_daily_life"):
        facts.append(Fact(label="Impact on daily life", text=t.of("impact_on_daily_life")))
    return facts


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


def _sleep_and_day(t: _Text) -> list[Fact]:
    facts: list[Fact] = []
    for label, keys in (("Sleep", SLEEP_KEYS), ("Day", DAY_KEYS)):
        answered = [t.line(k) for k in keys if k in t.answers]
        if answered:
            facts.append(Fact(label=label, text="; ".join(answered)))
    return facts


def clinical_title(kb: KnowledgeBase, contributor: Contributor) -> str:
    """A contributor's name for a clinician ("Sleeping on the stomach"): the knowledge base's
    ``clinical_title``, else its title (a title that already speaks of no one)."""
    info = kb.contributors.get(contributor.id)
    if info is None:
        return contributor.title
    return info.clinical_title or info.title


def _triage(triage: Triage) -> Fact:
    label = "nightspine triage (decision support, not a diagnosis)"
    return Fact(label=label, text=LEVEL_WORDS[triage.level])


def _rule_out(concerns: Sequence[Concern]) -> Fact | None:
    if not concerns:
        return None
    return Fact(label="Conditions to rule out", text="; ".join(c.title for c in concerns))


def _likely(kb: KnowledgeBase, contributors: Sequence[Contributor]) -> Fact | None:
    if not contributors:
        return None
    titles = ", ".join(clinical_title(kb, c) for c in contributors[:3])
    return Fact(label="Likely contributors", text=titles)


def _warning_signs(t: _Text) -> tuple[list[str], list[str], list[str]]:
    """The warning signs in the order asked: those reported, those denied, those not asked."""
    reported: list[str] = []
    denied: list[str] = []
    not_asked: list[str] = []
    for key in prepared.warning_sign_keys(t.kb):
        if key == "warning_signs_started_days":
            continue
        if key not in t.answers:
            not_asked.append(t.short(key))
        elif not t.has(key):
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
    return reported, denied, not_asked


def _history(t: _Text) -> list[Fact]:
    facts: list[Fact] = []
    if t.has("conditions"):
        facts.append(Fact(label="Conditions", text=t.of("conditions")))
    if t.has("family_history"):
        facts.append(Fact(label="Family history", text=t.of("family_history")))
    facts += [Fact(label="", text=t.short(k)) for k in HISTORY_FLAGS if t.answers.flag(k)]
    if t.has("medications"):
        facts.append(Fact(label="Medicines", text=t.of("medications")))
    if t.has("side_effects"):
        facts.append(Fact(label="Medicine side effects", text=t.of("side_effects")))
    return facts


def _tried(t: _Text) -> list[Fact]:
    chosen = t.answers.get("tried_self_care")
    if not isinstance(chosen, tuple):  # not answered
        return []
    return [Fact(label="Tried", text=_terse(v)) for v in chosen]


def answer_fact(kb: KnowledgeBase, answers: Answers, key: str) -> Fact:
    """One answer as the summary words it ('pillow' / 'too high'; 'not answered' if absent)."""
    return _Text(kb, answers).fact(key)


def doctor_facts(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> DoctorFacts:
    """Every clinical fact of one assessment in a clinician's words (pure and deterministic)."""
    t = _Text(kb, answers)
    reported, denied, not_asked = _warning_signs(t)
    return DoctorFacts(
        who=_who(t),
        pain=_pain(t),
        sleep_and_day=_sleep_and_day(t),
        triage=_triage(triage),
        rule_out=_rule_out(concerns),
        likely_contributors=_likely(kb, contributors),
        warning_signs_reported=reported,
        warning_signs_denied=denied,
        warning_signs_not_asked=not_asked,
        history=_history(t),
        tried=_tried(t),
    )


def build_for_your_doctor(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> ForYourDoctor:
    """The summary to show or take to a doctor (pure and deterministic): :func:`doctor_facts`
    as lines, with the knowledge base's guidance and the questions to ask."""
    facts = doctor_facts(kb, answers, triage, concerns, contributors)
    questions = [f"Could this be {c.title.lower()}, and how can we rule it out?" for c in concerns]
    write_down, what_a_doctor_may_do = prepared.doctor_lines(kb)
    return ForYourDoctor(
        summary=facts.summary(),
        warning_signs_reported=facts.warning_signs_reported,
        warning_signs_denied=facts.warning_signs_denied,
        history=[f.line for f in facts.history],
        tried=[f.line for f in facts.tried],
        write_down=list(write_down),
        questions_to_ask=questions + list(kb.doctor.questions_to_ask),
        what_a_doctor_may_do=list(what_a_doctor_may_do),
    )


__all__ = [
    "DoctorFacts",
    "Fact",
    "answer_fact",
    "build_for_your_doctor",
    "clinical_title",
    "doctor_facts",
]
