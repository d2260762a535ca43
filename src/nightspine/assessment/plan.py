"""The personal plan: the advice that fits this person, grouped by when it helps.

:func:`build_plan` is a pure, deterministic function of the knowledge base, the answers and what
the engine found (triage, concerns, ranked contributors). Its rules, in order:

1. Above self-care, the plan leads with what to do about the triage level (see a doctor), and
   the answers behind that are its ``because``.
2. At ``emergency`` nothing else is offered: this is not the moment for self-care.
3. Otherwise each advice item is chosen when it addresses one of the person's contributors or
   concerns, or when its own ``applies_when`` answers hold; the better ranked the contributor,
   the earlier the advice, and an item whose own answers also hold comes before one whose
   answers do not (a side sleeper sees side-sleeping advice before back-sleeping advice).
4. Advice about how to lie in bed (``for_sleep_positions``) fits the position the person said
   (or the step advised from it: a stomach sleeper moves to the side), is left out for anyone
   who said another position, and leads tonight's advice; see :func:`fits_position`.
5. Advice whose ``unsafe_with`` names a concern or contributor of this person is left out (no
   foam roller with osteoporosis, no manipulation with a possible fracture), and so is advice
   whose ``unsafe_when`` answers hold for this person (no back-sleeping advice and no
   anti-inflammatory lead in pregnancy; see :func:`unsafe_for_person`), and so is advice
   whose ``left_out_when`` answers hold, as it would contradict what the person said (see
   :func:`contradicts_person`). At ``urgent`` only
   the comfort items marked ``safe_while_waiting`` remain.
6. Every item says which answers make it apply (``because``, never empty: an item with no
   answers behind it is not offered), what it addresses, why in a plain sentence, and its
   sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nightspine.assessment import prepared
from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import Answers
from nightspine.assessment.emergency import DEFAULT_EMERGENCY_NUMBER, DO_NOT_WAIT, call_now
from nightspine.assessment.result import (
    Concern,
    Contributor,
    PlanItem,
    SourceRef,
    Triage,
    TriageLevel,
)
from nightspine.knowledge.loader import KnowledgeBase
from nightspine.knowledge.schema import AdviceItem, Question

WHEN_ORDER = ("tonight", "next_two_weeks", "ongoing")
WHEN_TITLES = {
    "tonight": "Tonight",
    "next_two_weeks": "Over the next two weeks",
    "ongoing": "For the long term",
}
MAX_PER_WHEN = {"tonight": 4, "next_two_weeks": 4, "ongoing": 3}
"""At most this many self-care items for each 'when' (best-ranked first), so a plan stays short
and always looks beyond tonight when there is something to say."""
MAX_ITEMS = sum(MAX_PER_WHEN.values())


LEVEL_WORDS = {
    TriageLevel.SELF_CARE: "self-care",
    TriageLevel.SOON: "see a doctor or physiotherapist within about two weeks",
    TriageLevel.URGENT: "see a doctor today",
    TriageLevel.EMERGENCY: "emergency",
}


_GENERIC = frozenset(
    {"age", "sex", "pain_locations", "side", "quality", "pain_now", "pain_worst_night", "onset"}
    | {"duration_days", "course"}
)
"""Answers that describe the pain in general; the 'why' sentence names the specific ones first."""


def _sources(kb: KnowledgeBase, ids: Sequence[str]) -> list[SourceRef]:
    refs = prepared.source_refs(kb)
    return [refs[s] for s in ids]


def _facts(
    questions: Mapping[str, Question], answers: Answers, keys: Sequence[str], limit: int = 3
) -> str:
    """'sleeping position: on my stomach; pillow: too high' for the first answered keys, the
    specific answers before those that describe the pain in general (``questions``: the
    questionnaire's questions by answer key)."""
    ordered = [k for k in keys if k not in _GENERIC] + [k for k in keys if k in _GENERIC]
    asked = [questions[k] for k in ordered if k in answers and k in questions]
    return "; ".join(f"{q.short}: {qn.text_of(q, answers[q.key])}" for q in asked[:limit])


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _triage_because(
    kb: KnowledgeBase,
    answers: Answers,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> list[str]:
    because = list(dict.fromkeys(k for c in concerns for k in c.because))
    if not because:
        # No concern: a warning sign, or how the pain behaves (self-care tried for weeks without
        # improvement, pain that stops a person doing much), set the level.
        because = [k for k in prepared.warning_sign_keys(kb) if qn.has_answer(answers.get(k))]
    if not because:
        for key in ("impact_on_daily_life", "tried_self_care", "duration_days", "course"):
            if qn.has_answer(answers.get(key)):
                because.append(key)
    if not because:
        because = [k for k in kb.vocabulary.answers if qn.has_answer(answers.get(k))]
    if not because:
        because = list(dict.fromkeys(k for c in contributors for k in c.because))
    return because


def _sentence(reason: str) -> str:
    """A reason as a sentence: trimmed, ending with a full stop ('' for a blank reason)."""
    reason = reason.strip()
    return reason if not reason or reason.endswith((".", "!", "?")) else f"{reason}."


def _triage_item(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
    emergency_number: str,
) -> PlanItem | None:
    advice = prepared.triage_advice(kb).get(triage.level)
    because = _triage_because(kb, answers, concerns, contributors)
    if advice is None or not because:
        return None
    reasons = [sentence for sentence in map(_sentence, triage.reasons) if sentence]
    if reasons:
        why = " ".join(reasons)
    else:
        why = f"Your answers put you at the level '{LEVEL_WORDS[triage.level]}'."
    text = advice.explanation
    if triage.level is TriageLevel.EMERGENCY:  # the call to action leads, with the number
        text = f"{call_now(emergency_number)} {DO_NOT_WAIT} {text}"
    return PlanItem(
        id=advice.id,
        when=advice.when,
        title=advice.title,
        text=text,
        addresses=[c.id for c in concerns] or ["general"],
        because=because,
        why=why,
        sources=_sources(kb, advice.sources),
    )


def _why(
    kb: KnowledgeBase,
    questions: Mapping[str, Question],
    answers: Answers,
    addresses: Sequence[str],
    because: Sequence[str],
) -> str:
    """'It addresses poor pillow support and stress, which your answers point to (pillow: too
    high; stress: 7 out of 10).'"""
    named = [_title(kb, t) for t in addresses if t in kb.contributors or t in kb.concerns]
    head = (
        f"It addresses {_join(named)}, which your answers point to"
        if named
        else "It fits what you told us"
    )
    facts = _facts(questions, answers, because)
    return f"{head} ({facts})." if facts else f"{head}."


def _title(kb: KnowledgeBase, target: str) -> str:
    """A contributor's or concern's title in lower case (a contributor's wins over a concern's
    of the same id)."""
    info = kb.contributors.get(target) or kb.concerns[target]
    return info.title.lower()


@dataclass
class _Candidate:
    """An advice item that may enter the plan."""

    advice: AdviceItem
    priority: float
    """Lower comes first; ties go by the advice's id."""
    addresses: list[str] = field(default_factory=list)
    """Contributor or concern ids, in order (none for advice chosen by its own answers only)."""
    because: list[str] = field(default_factory=list)
    """The answer keys that make it apply, in order (never empty)."""

    def cite(self, keys: Iterable[str]) -> None:
        self.because += [k for k in keys if k not in self.because]


def _candidates(
    kb: KnowledgeBase,
    answers: Answers,
    level: TriageLevel,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> list[_Candidate]:
    """Every self-care advice item that may enter the plan, best first (see the module's
    docstring), without those unsafe with one of the concerns or contributors."""
    self_care = prepared.self_care_advice(kb)
    place_in_list = prepared.self_care_place(kb)
    if level is TriageLevel.URGENT:  # only comfort measures while waiting to be seen
        self_care = tuple(a for a in self_care if a.safe_while_waiting)
    addressing = prepared.self_care_addressing(kb)
    chosen: dict[str, _Candidate] = {}
    # concerns first (negative places), then contributors from 0, each in its rank order: the
    # first that calls for an item is its best ranked
    found: list[Concern | Contributor] = [*concerns, *contributors]
    for place, item in enumerate(found, start=-len(concerns)):
        if not item.because:
            continue
        for advice in addressing.get(item.id, ()):
            if level is TriageLevel.URGENT and not advice.safe_while_waiting:
                continue
            if advice.id not in chosen:
                # conditional advice comes after the others of its contributor unless its own
                # answers also hold (then half a place earlier instead: see below)
                priority = place + 0.5 if advice.applies_when is not None else place
                chosen[advice.id] = _Candidate(advice, priority)
            candidate = chosen[advice.id]
            if item.id not in candidate.addresses:  # a concern and a contributor may share an id
                candidate.addresses.append(item.id)
            candidate.cite(item.because)
    for advice in self_care:
        if advice.applies_when is None:
            continue
        keys = qn.match(advice.applies_when, answers)
        if not keys:
            continue
        if advice.id in chosen:  # chosen for a contributor, and its own answers hold
            chosen[advice.id].priority -= 1
            chosen[advice.id].cite(keys)
        else:
            priority = len(contributors) + place_in_list[advice.id] / 100
            chosen[advice.id] = _Candidate(advice, priority, because=list(keys))
    found_ids = {item.id for item in found}
    position = answers.get("sleep_position")
    safe = [
        c
        for c in chosen.values()
        if found_ids.isdisjoint(c.advice.unsafe_with) and fits_position(c.advice, position)
    ]
    return sorted(
        safe, key=lambda c: (_position_rank(c, answers, position), c.priority, c.advice.id)
    )


def fits_position(advice: AdviceItem, position: object) -> bool:
    """Whether ``advice`` fits someone who sleeps in ``position`` (None: not said): advice about
    how to lie in bed fits only the positions it names, so a stomach sleeper is moved to the side
    and never told how to lie on the back; any other advice fits everyone."""
    return (
        position is None or not advice.for_sleep_positions or position in advice.for_sleep_positions
    )


def _position_rank(candidate: _Candidate, answers: Answers, position: object) -> int:
    """Where advice about lying in bed comes in tonight's list: 0 when it fits the person and its
    own answers hold (a side sleeper's side support, side sleeping in pregnancy), 1 when it is
    about the person's own position (a stomach sleeper's "if you must sleep on your stomach"),
    2 for the step advised from their position (a stomach sleeper's side support), 3 for any
    other advice (and for position advice when the position was not said): how to lie tonight,
    in the person's own position, comes first."""
    advice = candidate.advice
    if not advice.for_sleep_positions or not fits_position(advice, position):
        return 3
    if advice.applies_when is not None and qn.match(advice.applies_when, answers) is not None:
        return 0
    if position is None:  # position not said: the likely causes set the order, as for the rest
        return 3
    return 1 if position == advice.for_sleep_positions[0] else 2


def unsafe_for_person(kb: KnowledgeBase, values: Mapping[str, Any]) -> frozenset[str]:
    """The advice left out for this person by its ``unsafe_when`` answers (pregnancy, a blood
    thinner, a stomach ulcer, kidney disease, age): a plan fits the person, not only the pain."""
    return frozenset(
        advice.id
        for advice in kb.advice.values()
        if advice.unsafe_when is not None and qn.match(advice.unsafe_when, values) is not None
    )


def contradicts_person(kb: KnowledgeBase, values: Mapping[str, Any]) -> frozenset[str]:
    """The advice left out because it would contradict what the person said, by its
    ``left_out_when`` answers: "try another pillow" to someone whose pillow is supportive,
    "see a physiotherapist" to someone who has, a higher pillow to a stomach sleeper."""
    return frozenset(
        advice.id
        for advice in kb.advice.values()
        if advice.left_out_when is not None and qn.match(advice.left_out_when, values) is not None
    )


def build_plan(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
    *,
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER,
) -> list[PlanItem]:
    """The personal plan, leading with the triage action when above self-care (at emergency,
    the call to action naming ``emergency_number``).

    Returns the triage item first (if any), then the chosen advice grouped tonight, next two
    weeks, ongoing, best-ranked first within each group. Deterministic: the same inputs always
    give the same list.
    """
    plan: list[PlanItem] = []
    if triage.level is not TriageLevel.SELF_CARE:
        item = _triage_item(kb, answers, triage, concerns, contributors, emergency_number)
        if item is not None:
            plan.append(item)
    if triage.level is TriageLevel.EMERGENCY:
        return plan

    unsafe = unsafe_for_person(kb, answers) | contradicts_person(kb, answers)
    questions = prepared.questions_by_key(kb)
    by_when: dict[str, list[_Candidate]] = {when: [] for when in WHEN_ORDER}
    for candidate in _candidates(kb, answers, triage.level, concerns, contributors):
        if candidate.advice.id in unsafe:
            continue
        group = by_when[candidate.advice.when]
        if len(group) < MAX_PER_WHEN[candidate.advice.when]:
            group.append(candidate)
    for when in WHEN_ORDER:
        for candidate in by_when[when]:
            advice = candidate.advice
            text = advice.explanation
            if advice.caution:
                text = f"{text} Caution: {advice.caution}"
            plan.append(
                PlanItem(
                    id=advice.id,
                    when=advice.when,
                    title=advice.title,
                    text=text,
                    addresses=candidate.addresses or ["general"],
                    because=candidate.because,
                    why=_why(kb, questions, answers, candidate.addresses, candidate.because),
                    sources=_sources(kb, advice.sources),
                )
            )
    return plan


__all__ = [
    "LEVEL_WORDS",
    "MAX_ITEMS",
    "MAX_PER_WHEN",
    "WHEN_ORDER",
    "WHEN_TITLES",
    "build_plan",
    "contradicts_person",
    "fits_position",
    "unsafe_for_person",
]
