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
4. Advice whose ``unsafe_with`` names a concern or contributor of this person is left out (no
   foam roller with osteoporosis, no manipulation with a possible fracture). At ``urgent`` only
   the comfort items marked ``safe_while_waiting`` remain.
5. Every item says which answers make it apply (``because``, never empty: an item with no
   answers behind it is not offered), what it addresses, why in a plain sentence, and its
   sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import Answers
from nightspine.assessment.result import (
    Concern,
    Contributor,
    PlanItem,
    SourceRef,
    Triage,
    TriageLevel,
)
from nightspine.knowledge.loader import KnowledgeBase
from nightspine.knowledge.schema import AdviceItem

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


@dataclass
class _Candidate:
    advice: AdviceItem
    priority: float
    addresses: list[str] = field(default_factory=list)
    because: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)


def _sources(kb: KnowledgeBase, ids: Sequence[str]) -> list[SourceRef]:
    return [SourceRef(id=s, label=kb.source_label(s)) for s in ids]


def _add(target: list[str], keys: Sequence[str]) -> None:
    for key in keys:
        if key not in target:
            target.append(key)


def _facts(
    kb: KnowledgeBase,
    answers: Answers,
    keys: Sequence[str],
    cache: dict[str, str],
    limit: int = 3,
) -> str:
    """'sleeping position: on my stomach; pillow: too high' for the first answered keys."""
    parts: list[str] = []
    specific = [k for k in keys if k not in _GENERIC]
    for key in specific + [k for k in keys if k in _GENERIC]:
        fact = cache.get(key)
        if fact is None:
            if key not in answers or not qn.has_question(key, kb):
                fact = cache[key] = ""
            else:
                q = qn.question(key, kb)
                fact = cache[key] = f"{q.short}: {qn.answer_text(key, answers[key], kb)}"
        if fact:
            parts.append(fact)
            if len(parts) == limit:
                break
    return "; ".join(parts)


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
    because: list[str] = []
    for concern in concerns:
        _add(because, concern.because)
    if not because:
        # No concern: a warning sign, or how the pain behaves (self-care tried for weeks without
        # improvement, pain that stops a person doing much), set the level.
        because = [k for k in qn.warning_sign_keys(kb) if qn.has_answer(answers.get(k))]
    if not because:
        for key in ("impact_on_daily_life", "tried_self_care", "duration_days", "course"):
            if qn.has_answer(answers.get(key)):
                because.append(key)
    if not because:
        because = [k for k in kb.vocabulary.answers if qn.has_answer(answers.get(k))]
    if not because:
        for contributor in contributors:
            _add(because, contributor.because)
    return because


def _triage_item(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> PlanItem | None:
    advice = next((a for a in kb.advice.values() if a.for_triage == triage.level.value), None)
    because = _triage_because(kb, answers, concerns, contributors)
    if advice is None or not because:
        return None
    reasons = [r.strip() for r in triage.reasons if r.strip()]
    if reasons:
        why = " ".join(r if r.endswith((".", "!", "?")) else f"{r}." for r in reasons)
    else:
        why = f"Your answers put you at the level '{LEVEL_WORDS[triage.level]}'."
    text = advice.explanation
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


def _why(kb: KnowledgeBase, answers: Answers, cand: _Candidate, cache: dict[str, str]) -> str:
    titles: list[str] = []
    for target in cand.addresses:
        if target in kb.contributors:
            titles.append(kb.contributors[target].title.lower())
        elif target in kb.concerns:
            titles.append(kb.concerns[target].title.lower())
    facts = _facts(kb, answers, cand.because, cache)
    if titles:
        sentence = f"It addresses {_join(titles)}, which your answers point to"
    else:
        sentence = "It fits what you told us"
    return f"{sentence} ({facts})." if facts else f"{sentence}."


@dataclass(frozen=True)
class _Index:
    """What build_plan needs from the knowledge base, prepared once per knowledge base."""

    kb: KnowledgeBase
    advice: tuple[AdviceItem, ...]
    by_target: dict[str, tuple[AdviceItem, ...]]
    conditional: tuple[tuple[int, AdviceItem, qn.Matcher], ...]
    sources: dict[str, list[SourceRef]]


_INDEXES: dict[int, _Index] = {}


def _index(kb: KnowledgeBase) -> _Index:
    found = _INDEXES.get(id(kb))
    if found is not None and found.kb is kb:
        return found
    advice = tuple(a for a in kb.advice.values() if a.for_triage is None)
    by_target: dict[str, list[AdviceItem]] = {}
    for item in advice:
        for target in item.addresses:
            by_target.setdefault(target, []).append(item)
    index = _Index(
        kb=kb,
        advice=advice,
        by_target={k: tuple(v) for k, v in by_target.items()},
        conditional=tuple(
            (n, a, qn.compile_match(a.applies_when))
            for n, a in enumerate(advice)
            if a.applies_when is not None
        ),
        sources={a.id: _sources(kb, a.sources) for a in kb.advice.values()},
    )
    _INDEXES[id(kb)] = index
    return index


def build_plan(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> list[PlanItem]:
    """The personal plan, leading with the triage action when above self-care.

    Returns the triage item first (if any), then the chosen advice grouped tonight, next two
    weeks, ongoing, best-ranked first within each group. Deterministic: the same inputs always
    give the same list.
    """
    plan: list[PlanItem] = []
    if triage.level is not TriageLevel.SELF_CARE:
        item = _triage_item(kb, answers, triage, concerns, contributors)
        if item is not None:
            plan.append(item)
    if triage.level is TriageLevel.EMERGENCY:
        return plan

    index = _index(kb)
    values = dict(answers)
    present = {c.id for c in concerns} | {c.id for c in contributors}
    candidates: dict[str, _Candidate] = {}

    def candidate(advice: AdviceItem, priority: float) -> _Candidate:
        found = candidates.get(advice.id)
        if found is None:
            found = candidates[advice.id] = _Candidate(advice, priority)
        elif priority < found.priority:
            found.priority = priority
        return found

    ranked: list[tuple[float, str, list[str]]] = [
        (rank - len(concerns), c.id, c.because) for rank, c in enumerate(concerns)
    ]
    ranked += [(rank, c.id, c.because) for rank, c in enumerate(contributors)]
    for priority, target, because in ranked:
        if not because:
            continue
        for advice in index.by_target.get(target, ()):
            cand = candidate(advice, priority)
            _add(cand.addresses, [target])
            _add(cand.because, because)
    for order, advice, matcher in index.conditional:
        keys = matcher(values)
        found = candidates.get(advice.id)
        if not keys:
            if found is not None:
                found.priority += 0.5  # chosen for a contributor, but its own answers are absent
            continue
        if found is not None:
            found.priority -= 0.5  # both a contributor and the person's own answers call for it
        cand = candidate(advice, len(contributors) + order / 100)
        _add(cand.matched, keys)
        _add(cand.because, keys)

    chosen: list[_Candidate] = []
    room = dict(MAX_PER_WHEN)
    for cand in sorted(candidates.values(), key=lambda c: (c.priority, c.advice.id)):
        if present.intersection(cand.advice.unsafe_with):
            continue
        if triage.level is TriageLevel.URGENT and not cand.advice.safe_while_waiting:
            continue
        if not cand.because or room[cand.advice.when] == 0:
            continue
        room[cand.advice.when] -= 1
        chosen.append(cand)

    chosen.sort(key=lambda c: (WHEN_ORDER.index(c.advice.when), c.priority, c.advice.id))
    facts: dict[str, str] = {}
    for cand in chosen:
        advice = cand.advice
        text = advice.explanation
        if advice.caution:
            text = f"{text} Caution: {advice.caution}"
        plan.append(
            PlanItem(
                id=advice.id,
                when=advice.when,
                title=advice.title,
                text=text,
                addresses=cand.addresses or ["general"],
                because=cand.because,
                why=_why(kb, answers, cand, facts),
                sources=list(index.sources[advice.id]),
            )
        )
    return plan


__all__ = ["LEVEL_WORDS", "MAX_ITEMS", "MAX_PER_WHEN", "WHEN_ORDER", "WHEN_TITLES", "build_plan"]
