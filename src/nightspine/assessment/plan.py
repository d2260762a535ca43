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
   foam roller with osteoporosis, no manipulation with a possible fracture), and so is advice
   whose ``unsafe_when`` answers hold for this person (no back-sleeping advice and no
   anti-inflammatory lead in pregnancy; see :func:`unsafe_for_person`). At ``urgent`` only
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


@dataclass(frozen=True, slots=True, eq=False)
class _Advice:
    """What the plan reads of one self-care advice item, taken from the pydantic item once
    per knowledge base (plain attributes; hashed by identity, so a cheap dict key)."""

    id: str
    when: str
    when_rank: int
    room: int
    """How many items of its 'when' a plan holds at most."""
    title: str
    text: str
    """Its explanation, then its caution."""
    sources: tuple[SourceRef, ...]
    order: int
    """Its place in the advice list."""
    conditional: bool
    """Whether the item has its own ``applies_when``."""


@dataclass(frozen=True, slots=True)
class _Offer:
    """The advice that may be offered at a triage level, looked up by what calls for it."""

    by_target: dict[str, tuple[_Advice, ...]]
    """Advice by the contributor or concern it addresses, in advice order."""
    by_trigger: dict[str, dict[_Advice, qn.Matcher]]
    """The conditional advice (with its matcher) under each answer key without which it
    cannot apply."""
    trigger_keys: frozenset[str]
    always: dict[_Advice, qn.Matcher]
    """The conditional advice that can apply with none of its answers given."""
    unsafe_with: dict[str, tuple[_Advice, ...]]
    """The advice left out for each concern or contributor its ``unsafe_with`` names."""


def _offer(advice: Iterable[tuple[AdviceItem, _Advice]]) -> _Offer:
    """The lookups of an :class:`_Offer` for ``advice`` (each pydantic item and its plain form)."""
    by_target: dict[str, list[_Advice]] = {}
    by_trigger: dict[str, dict[_Advice, qn.Matcher]] = {}
    always: dict[_Advice, qn.Matcher] = {}
    unsafe_with: dict[str, list[_Advice]] = {}
    for item, prepared in advice:
        for found in item.unsafe_with:
            unsafe_with.setdefault(found, []).append(prepared)
        for target in item.addresses:
            by_target.setdefault(target, []).append(prepared)
        if item.applies_when is not None:
            matcher = qn.compile_validated_match(item.applies_when)
            triggers = qn.trigger_keys(item.applies_when)
            if triggers is None:
                always[prepared] = matcher
            for key in sorted(triggers or ()):
                by_trigger.setdefault(key, {})[prepared] = matcher
    return _Offer(
        by_target={k: tuple(v) for k, v in by_target.items()},
        by_trigger=by_trigger,
        trigger_keys=frozenset(by_trigger),
        always=always,
        unsafe_with={k: tuple(v) for k, v in unsafe_with.items()},
    )


def _sources(kb: KnowledgeBase, ids: Sequence[str]) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(id=s, label=kb.source_label(s)) for s in ids)


@dataclass(frozen=True, slots=True)
class _Index:
    """What build_plan needs from the knowledge base, prepared once per knowledge base."""

    kb: KnowledgeBase
    self_care: _Offer
    """Every self-care advice item."""
    while_waiting: _Offer
    """The self-care advice marked ``safe_while_waiting`` (all that is offered at urgent)."""
    for_triage: dict[str, AdviceItem]
    """The item that says what to do at each triage level above self-care."""
    sources: dict[str, tuple[SourceRef, ...]]
    titles: dict[str, str]
    """Contributor and concern titles in lower case, for the 'why' sentence."""
    questions: Mapping[str, Question]
    warning_keys: tuple[str, ...]
    facts: dict[str, dict[Any, str]]
    """'short question: answer' of the answers seen so far, by key and value (bounded, see
    :func:`_fact`)."""
    sentences: dict[str, str]
    """Each triage reason met so far as a sentence (see :func:`_sentence`)."""
    heads: dict[tuple[str, ...], str]
    """The start of the 'why' sentence for each list of addressed ids met so far (ids of the
    knowledge base only, so bounded by it)."""


_INDEXES: dict[int, _Index] = {}
_MAX_FACTS = 2_000
"""At most this many facts kept for one answer key (numbers vary without end)."""


def _index(kb: KnowledgeBase) -> _Index:
    found = _INDEXES.get(id(kb))
    if found is not None and found.kb is kb:
        return found
    for_triage: dict[str, AdviceItem] = {}
    for item in kb.advice.values():
        if item.for_triage is not None:
            for_triage.setdefault(item.for_triage, item)
    sources = {a.id: _sources(kb, a.sources) for a in kb.advice.values()}
    items = tuple(a for a in kb.advice.values() if a.for_triage is None)
    advice = tuple(
        _Advice(
            id=a.id,
            when=a.when,
            when_rank=_WHEN_RANK[a.when],
            room=MAX_PER_WHEN[a.when],
            title=a.title,
            text=f"{a.explanation} Caution: {a.caution}" if a.caution else a.explanation,
            sources=sources[a.id],
            order=order,
            conditional=a.applies_when is not None,
        )
        for order, a in enumerate(items)
    )
    prepared = list(zip(items, advice, strict=True))
    index = _Index(
        kb=kb,
        self_care=_offer(prepared),
        while_waiting=_offer((i, a) for i, a in prepared if i.safe_while_waiting),
        for_triage=for_triage,
        sources=sources,
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
    """'sleeping position: on my stomach', or '' for an answer the questionnaire does not ask.

    Kept by key, then by value: validated answers give each key values of one kind only
    (flags are bool, numbers never bool), so True and 1 never meet under the same key.
    """
    by_value = index.facts.get(key)
    if by_value is None:
        by_value = index.facts[key] = {}
    fact = by_value.get(value)
    if fact is None:
        q = index.questions.get(key)
        fact = "" if q is None else f"{q.short}: {qn.text_of(q, value)}"
        if len(by_value) >= _MAX_FACTS:  # numbers vary without end: stay bounded
            by_value.clear()
        by_value[value] = fact
    return fact


class _Facts(dict[str, str]):
    """One person's 'short question: answer' by answer key ('' for a key not answered or not
    asked), each made when first needed: the items of a plan share most of their answers."""

    __slots__ = ("answers", "index")

    def __init__(self, index: _Index, answers: dict[str, Any]) -> None:
        super().__init__()
        self.index = index
        self.answers = answers

    def __missing__(self, key: str) -> str:
        answers = self.answers
        fact = self[key] = _fact(self.index, key, answers[key]) if key in answers else ""
        return fact


def _facts(known: _Facts, keys: Iterable[str], limit: int = 3) -> str:
    """'sleeping position: on my stomach; pillow: too high' for the first answered keys."""
    parts: list[str] = []
    generic: list[str] = []
    for key in keys:  # the specific answers first, then the general ones
        if key in _GENERIC:
            generic.append(key)
        else:
            fact = known[key]
            if fact:
                parts.append(fact)
                if len(parts) == limit:
                    return "; ".join(parts)
    for key in generic:
        fact = known[key]
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
    if len(concerns) == 1:  # the most common case, quickest
        because = list(dict.fromkeys(concerns[0].because))
    else:
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


def _head(index: _Index, addresses: Sequence[str]) -> str:
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


@dataclass(slots=True)
class _Candidates:
    """The advice that may enter the plan, each with its place in the plan's order, what it
    addresses and the answer keys that make it apply."""

    order: dict[_Advice, tuple[float, str]]
    """Its priority (lower comes first), then its id (unique: the order is total)."""
    addresses: dict[_Advice, list[str]]
    """Contributor or concern ids, in order (none for advice chosen by its own answers only)."""
    because: dict[_Advice, dict[str, None]]
    """Answer keys, in order (a dict as an ordered set; never empty: an item is a candidate
    only for a contributor or concern with answers behind it, or for its own answers)."""

    def ranked(self) -> list[_Advice]:
        """The candidates, best first."""
        return sorted(self.order, key=self.order.__getitem__)


def _candidates(
    offer: _Offer,
    values: dict[str, Any],
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> _Candidates:
    """Every advice item of ``offer`` that may enter the plan (see :class:`_Candidates`), except
    those unsafe with one of the concerns or contributors."""
    order: dict[_Advice, tuple[float, str]] = {}
    addresses: dict[_Advice, list[str]] = {}
    because: dict[_Advice, dict[str, None]] = {}
    by_target = offer.by_target
    unsafe: list[_Advice] = []
    # concerns first (negative priorities), then contributors from 0, each in its rank order:
    # the first that calls for an item is its best ranked
    found: tuple[Concern | Contributor, ...] = (*concerns, *contributors)
    for place, item in enumerate(found, start=-len(concerns)):
        target = item.id
        if target in offer.unsafe_with:
            unsafe += offer.unsafe_with[target]
        advices = by_target.get(target)
        if advices is None or not item.because:
            continue
        cited = dict.fromkeys(item.because)
        for advice in advices:
            ids = addresses.get(advice)
            if ids is None:
                addresses[advice] = [target]
                because[advice] = cited.copy()
                # conditional advice comes after the others of its contributor unless its own
                # answers also hold (then half a place earlier instead: see below)
                order[advice] = (place + 0.5 if advice.conditional else place, advice.id)
            else:
                if target not in ids:  # a concern and a contributor may share an id
                    ids.append(target)
                because[advice].update(cited)

    due = dict(offer.always)
    for key in offer.trigger_keys.intersection(values):
        due.update(offer.by_trigger[key])
    # in any order: each item's priority comes from its own place, and the plan sorts by it
    for advice, matcher in due.items():
        keys = matcher(values)
        if keys:
            if advice in order:  # chosen for a contributor, and its own answers hold
                order[advice] = (order[advice][0] - 1, advice.id)
                because[advice].update(dict.fromkeys(keys))
            else:
                order[advice] = (len(contributors) + advice.order / 100, advice.id)
                because[advice] = dict.fromkeys(keys)
    for advice in unsafe:
        order.pop(advice, None)
    return _Candidates(order, addresses, because)


def unsafe_for_person(kb: KnowledgeBase, values: Mapping[str, Any]) -> frozenset[str]:
    """The advice left out for this person by its ``unsafe_when`` answers (pregnancy, a blood
    thinner, a stomach ulcer, kidney disease, age): a plan fits the person, not only the pain."""
    return frozenset(
        advice.id
        for advice in kb.advice.values()
        if advice.unsafe_when is not None and qn.match(advice.unsafe_when, values) is not None
    )


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
    # at urgent only the comfort items safe while waiting are offered
    offer = index.while_waiting if triage.level is TriageLevel.URGENT else index.self_care
    candidates = _candidates(offer, values, concerns, contributors)
    unsafe = unsafe_for_person(kb, values)
    chosen: list[list[_Advice]] = [[] for _ in WHEN_ORDER]
    for advice in candidates.ranked():
        if advice.id in unsafe:
            continue
        group = chosen[advice.when_rank]
        if len(group) == advice.room:
            continue
        group.append(advice)

    known = _Facts(index, values)
    for group in chosen:  # by 'when', each best-ranked first
        for advice in group:
            addresses = candidates.addresses.get(advice, [])
            because = list(candidates.because[advice])
            head = _head(index, addresses)
            facts = _facts(known, because)
            plan.append(
                PlanItem.trusted(
                    id=advice.id,
                    when=advice.when,
                    title=advice.title,
                    text=advice.text,
                    addresses=addresses or ["general"],
                    because=because,
                    why=f"{head} ({facts})." if facts else f"{head}.",
                    sources=list(advice.sources),
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
    "unsafe_for_person",
]
