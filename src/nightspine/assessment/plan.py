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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
_WHEN_RANK = {when: rank for rank, when in enumerate(WHEN_ORDER)}


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


@dataclass(frozen=True, slots=True)
class _Advice:
    """What the plan reads of one self-care advice item, taken from the pydantic item once
    per knowledge base (plain attributes, frozen sets)."""

    item: AdviceItem
    id: str
    when: str
    when_rank: int
    conditional: bool
    """Whether the item has its own ``applies_when``."""
    safe_while_waiting: bool
    unsafe_with: frozenset[str]


class _Candidate:
    """An advice item that may enter the plan, with its priority (lower comes first)."""

    __slots__ = ("addresses", "advice", "because", "priority")

    def __init__(self, advice: _Advice, priority: float) -> None:
        self.advice = advice
        self.priority = priority
        self.addresses: dict[str, None] = {}
        """Contributor or concern ids, in order (a dict as an ordered set)."""
        self.because: dict[str, None] = {}
        """Answer keys, in order (a dict as an ordered set)."""


def _sources(kb: KnowledgeBase, ids: Sequence[str]) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(id=s, label=kb.source_label(s)) for s in ids)


@dataclass(frozen=True, slots=True)
class _Index:
    """What build_plan needs from the knowledge base, prepared once per knowledge base."""

    kb: KnowledgeBase
    advice: dict[str, _Advice]
    """Every self-care advice item by id."""
    by_target: dict[str, tuple[_Advice, ...]]
    """Self-care advice by the contributor or concern it addresses, in advice order."""
    conditional: dict[int, tuple[AdviceItem, qn.Matcher]]
    """The advice with ``applies_when`` and its matcher, by its place in the advice list."""
    by_trigger: dict[str, tuple[int, ...]]
    """The places of the conditional advice under each answer key without which it cannot
    apply (places, not items: a pydantic item is slow to hash)."""
    trigger_keys: frozenset[str]
    always: tuple[int, ...]
    """The places of the conditional advice that can apply with none of its answers given."""
    safe_while_waiting: frozenset[int]
    """The places of the conditional advice marked ``safe_while_waiting``."""
    sources: dict[str, tuple[SourceRef, ...]]
    for_triage: dict[str, AdviceItem]
    """The item that says what to do at each triage level above self-care."""
    texts: dict[str, str]
    """Each advice item's text: its explanation, then its caution."""
    titles: dict[str, str]
    """Contributor and concern titles in lower case, for the 'why' sentence."""
    questions: Mapping[str, Question]
    warning_keys: tuple[str, ...]
    facts: dict[tuple[str, type, Any], str]
    """'short question: answer' of the answers seen so far (bounded, see :func:`_fact`)."""
    sentences: dict[str, str]
    """Each triage reason met so far as a sentence (see :func:`_sentence`)."""
    heads: dict[tuple[str, ...], str]
    """The start of the 'why' sentence for each list of addressed ids met so far (ids of the
    knowledge base only, so bounded by it)."""


_INDEXES: dict[int, _Index] = {}
_MAX_FACTS = 20_000


def _index(kb: KnowledgeBase) -> _Index:
    found = _INDEXES.get(id(kb))
    if found is not None and found.kb is kb:
        return found
    for_triage: dict[str, AdviceItem] = {}
    for item in kb.advice.values():
        if item.for_triage is not None:
            for_triage.setdefault(item.for_triage, item)
    advice = tuple(a for a in kb.advice.values() if a.for_triage is None)
    prepared = {
        a.id: _Advice(
            item=a,
            id=a.id,
            when=a.when,
            when_rank=_WHEN_RANK[a.when],
            conditional=a.applies_when is not None,
            safe_while_waiting=a.safe_while_waiting,
            unsafe_with=frozenset(a.unsafe_with),
        )
        for a in advice
    }
    by_target: dict[str, list[_Advice]] = {}
    conditional: dict[int, tuple[AdviceItem, qn.Matcher]] = {}
    by_trigger: dict[str, list[int]] = {}
    always: list[int] = []
    for order, item in enumerate(advice):
        for target in item.addresses:
            by_target.setdefault(target, []).append(prepared[item.id])
        if item.applies_when is not None:
            conditional[order] = (item, qn.compile_validated_match(item.applies_when))
            triggers = qn.trigger_keys(item.applies_when)
            if triggers is None:
                always.append(order)
            for key in sorted(triggers or ()):
                by_trigger.setdefault(key, []).append(order)
    index = _Index(
        kb=kb,
        advice=prepared,
        by_target={k: tuple(v) for k, v in by_target.items()},
        conditional=conditional,
        by_trigger={k: tuple(v) for k, v in by_trigger.items()},
        trigger_keys=frozenset(by_trigger),
        always=tuple(always),
        safe_while_waiting=frozenset(
            order for order, (item, _) in conditional.items() if item.safe_while_waiting
        ),
        sources={a.id: _sources(kb, a.sources) for a in kb.advice.values()},
        for_triage=for_triage,
        texts={
            a.id: f"{a.explanation} Caution: {a.caution}" if a.caution else a.explanation
            for a in advice
        },
        # a contributor's title wins over a concern's of the same id
        titles={i: c.title.lower() for i, c in (*kb.concerns.items(), *kb.contributors.items())},
        questions=qn.questions_by_key(kb),
        warning_keys=qn.warning_sign_keys(kb),
        facts={},
        sentences={},
        heads={},
    )
    if len(_INDEXES) > 8:  # a few knowledge bases at most (tests); never grows without bound
        _INDEXES.clear()
    _INDEXES[id(kb)] = index
    return index


def _fact(index: _Index, key: str, value: Any) -> str:
    """'sleeping position: on my stomach', or '' for an answer the questionnaire does not ask."""
    memo = (key, type(value), value)  # the type keeps True apart from 1
    fact = index.facts.get(memo)
    if fact is None:
        q = index.questions.get(key)
        fact = "" if q is None else f"{q.short}: {qn.text_of(q, value)}"
        if len(index.facts) >= _MAX_FACTS:  # numbers vary without end: stay bounded
            index.facts.clear()
        index.facts[memo] = fact
    return fact


def _facts(index: _Index, values: dict[str, Any], keys: Iterable[str], limit: int = 3) -> str:
    """'sleeping position: on my stomach; pillow: too high' for the first answered keys."""
    parts: list[str] = []
    generic: list[str] = []
    for key in keys:  # the specific answers first, then the general ones
        if key in _GENERIC:
            generic.append(key)
        elif key in values:
            fact = _fact(index, key, values[key])
            if fact:
                parts.append(fact)
                if len(parts) == limit:
                    return "; ".join(parts)
    for key in generic:
        if key in values:
            fact = _fact(index, key, values[key])
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
    index: _Index,
    answers: Answers,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> list[str]:
    because = list(dict.fromkeys([k for c in concerns for k in c.because]))
    if not because:
        # No concern: a warning sign, or how the pain behaves (self-care tried for weeks without
        # improvement, pain that stops a person doing much), set the level.
        because = [k for k in index.warning_keys if qn.has_answer(answers.get(k))]
    if not because:
        for key in ("impact_on_daily_life", "tried_self_care", "duration_days", "course"):
            if qn.has_answer(answers.get(key)):
                because.append(key)
    if not because:
        because = [k for k in index.kb.vocabulary.answers if qn.has_answer(answers.get(k))]
    if not because:
        because = list(dict.fromkeys(k for c in contributors for k in c.because))
    return because


def _sentence(reason: str) -> str:
    """A reason as a sentence: trimmed, ending with a full stop ('' for a blank reason)."""
    reason = reason.strip()
    return reason if not reason or reason.endswith((".", "!", "?")) else f"{reason}."


def _triage_item(
    index: _Index,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> PlanItem | None:
    advice = index.for_triage.get(triage.level)  # a StrEnum: looked up by its value
    because = _triage_because(index, answers, concerns, contributors)
    if advice is None or not because:
        return None
    sentences = index.sentences
    reasons = []
    for reason in triage.reasons:
        sentence = sentences.get(reason)
        if sentence is None:
            sentence = _sentence(reason)
            if len(sentences) >= _MAX_FACTS:  # rule reasons are a fixed table; stay bounded
                sentences.clear()
            sentences[reason] = sentence
        if sentence:
            reasons.append(sentence)
    if reasons:
        why = " ".join(reasons)
    else:
        why = f"Your answers put you at the level '{LEVEL_WORDS[triage.level]}'."
    return PlanItem.trusted(
        id=advice.id,
        when=advice.when,
        title=advice.title,
        text=advice.explanation,
        addresses=[c.id for c in concerns] or ["general"],
        because=because,
        why=why,
        sources=list(index.sources[advice.id]),
    )


def _head(index: _Index, addresses: dict[str, None]) -> str:
    """'It addresses poor pillow support and stress, which your answers point to'."""
    ids = tuple(addresses)
    head = index.heads.get(ids)
    if head is None:
        titles = [index.titles[t] for t in ids if t in index.titles]
        if titles:
            head = f"It addresses {_join(titles)}, which your answers point to"
        else:
            head = "It fits what you told us"
        index.heads[ids] = head
    return head


def _why(index: _Index, values: dict[str, Any], cand: _Candidate) -> str:
    sentence = _head(index, cand.addresses)
    facts = _facts(index, values, cand.because)
    return f"{sentence} ({facts})." if facts else f"{sentence}."


def _matched(
    index: _Index, values: dict[str, Any], urgent: bool
) -> dict[str, tuple[int, list[str]]]:
    """The advice whose own ``applies_when`` holds: id -> (its place, the answer keys).

    At ``urgent`` only the items safe while waiting are checked (no other can be chosen).
    """
    due = set(index.always)
    for key in index.trigger_keys.intersection(values):
        due.update(index.by_trigger[key])
    if urgent:
        due &= index.safe_while_waiting
    matched: dict[str, tuple[int, list[str]]] = {}
    # in any order: each item's priority comes from its own place, and the plan sorts by it
    for order in due:
        advice, matcher = index.conditional[order]
        keys = matcher(values)
        if keys:
            matched[advice.id] = (order, keys)
    return matched


def _candidates(
    index: _Index,
    values: dict[str, Any],
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
    urgent: bool,
) -> dict[str, _Candidate]:
    """Every advice item that may enter the plan, with its priority (lower comes first).

    At ``urgent`` only the items safe while waiting are considered (no other can be chosen;
    an item's priority never depends on another item).
    """
    candidates: dict[str, _Candidate] = {}
    by_target = index.by_target
    # concerns first (negative priorities), then contributors from 0, each in its rank order
    found: tuple[Concern | Contributor, ...] = (*concerns, *contributors)
    for place, item in enumerate(found, start=-len(concerns)):
        advices = by_target.get(item.id)
        if advices is None or not item.because:
            continue
        target = item.id
        cited = dict.fromkeys(item.because)
        for advice in advices:
            if urgent and not advice.safe_while_waiting:
                continue
            cand = candidates.get(advice.id)
            if cand is None:
                cand = candidates[advice.id] = _Candidate(advice, place)
            elif place < cand.priority:
                cand.priority = place
            cand.addresses[target] = None
            cand.because.update(cited)
    matched = _matched(index, values, urgent)
    for cand in candidates.values():
        if cand.advice.conditional:
            # chosen for a contributor: first if the person's own answers also call for it,
            # later if they are absent
            cand.priority += -0.5 if cand.advice.id in matched else 0.5
    for advice_id, (order, keys) in matched.items():
        priority = len(contributors) + order / 100
        cand = candidates.get(advice_id)
        if cand is None:
            cand = candidates[advice_id] = _Candidate(index.advice[advice_id], priority)
        elif priority < cand.priority:
            cand.priority = priority
        cand.because.update(dict.fromkeys(keys))
    return candidates


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
    index = _index(kb)
    plan: list[PlanItem] = []
    if triage.level is not TriageLevel.SELF_CARE:
        item = _triage_item(index, answers, triage, concerns, contributors)
        if item is not None:
            plan.append(item)
    if triage.level is TriageLevel.EMERGENCY:
        return plan

    values = answers.as_dict()  # plain dict lookups from here on (read only)
    present = {c.id for c in concerns} | {c.id for c in contributors}
    urgent = triage.level is TriageLevel.URGENT
    candidates = _candidates(index, values, concerns, contributors, urgent)
    chosen: list[_Candidate] = []
    room = dict(MAX_PER_WHEN)
    for cand in sorted(candidates.values(), key=lambda c: (c.priority, c.advice.id)):
        advice = cand.advice
        if not present.isdisjoint(advice.unsafe_with):
            continue
        if urgent and not advice.safe_while_waiting:
            continue
        if not cand.because or room[advice.when] == 0:
            continue
        room[advice.when] -= 1
        chosen.append(cand)

    chosen.sort(key=lambda c: (c.advice.when_rank, c.priority, c.advice.id))
    for cand in chosen:
        advice = cand.advice
        plan.append(
            PlanItem.trusted(
                id=advice.id,
                when=advice.item.when,
                title=advice.item.title,
                text=index.texts[advice.id],
                addresses=list(cand.addresses) or ["general"],
                because=list(cand.because),
                why=_why(index, values, cand),
                sources=list(index.sources[advice.id]),
            )
        )
    return plan


__all__ = ["LEVEL_WORDS", "MAX_ITEMS", "MAX_PER_WHEN", "WHEN_ORDER", "WHEN_TITLES", "build_plan"]
