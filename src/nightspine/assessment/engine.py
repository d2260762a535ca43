"""The assessment engine: validated answers in, an :class:`Assessment` out.

``assess`` is a pure function of the answers and the knowledge base. It derives the named
findings (:mod:`.findings`), fires the triage rules over them (:mod:`.rules`), groups the fired
rules into concerns, ranks the contributors (:mod:`.contributors`) and hands the result to the
plan and for-your-doctor builders. Everything that does not depend on the answers (titles,
source labels, the vocabulary's order) is prepared once per knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.contributors import MODELS, rank_contributors
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.findings import Finding, derive_findings
from nightspine.assessment.plan import build_plan
from nightspine.assessment.result import (
    DISCLAIMER,
    Assessment,
    Concern,
    Contributor,
    SourceRef,
    Triage,
    TriageLevel,
)
from nightspine.assessment.rules import (
    NO_RULE_REASON,
    RULES,
    TRIAGE_ADVICE,
    Rule,
    fired_rules,
    no_rule_reason,
)
from nightspine.errors import KnowledgeError
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What the engine needs from a knowledge base, computed once."""

    key_order: dict[str, int]
    concern_order: dict[str, int]
    refs: dict[str, SourceRef]
    contributors: dict[str, tuple[str, str, tuple[SourceRef, ...]]]
    """Each contributor's title, explanation and sources."""
    groups: dict[tuple[Rule, ...], tuple[tuple[SourceRef, ...], tuple[str, ...]]]
    """A concern's sources and reasons for each group of its fired rules met so far (bounded
    by ``_MAX_GROUPS``): they depend on the rules only."""


_PREPARED: dict[tuple[int, str], _Prepared] = {}
_MAX_GROUPS = 10_000


def _prepare(kb: KnowledgeBase) -> _Prepared:
    cache_key = (id(kb), kb.checksum)
    prepared = _PREPARED.get(cache_key)
    if prepared is not None:
        return prepared
    problems: list[str] = []
    for r in RULES:
        if r.concern is not None and r.concern not in kb.concerns:
            problems.append(f"rule {r.id} raises unknown concern '{r.concern}'")
        problems += [
            f"rule {r.id} cites unknown source '{s}'" for s in r.sources if s not in kb.sources
        ]
    problems += [
        f"contributor model '{m.id}' is not in the knowledge base"
        for m in MODELS
        if m.id not in kb.contributors
    ]
    if problems:
        raise KnowledgeError(
            "the rules do not match the knowledge base:\n  - " + "\n  - ".join(problems)
        )
    refs = {s.id: SourceRef(id=s.id, label=s.label) for s in kb.sources.values()}
    prepared = _Prepared(
        key_order={k: i for i, k in enumerate(kb.vocabulary.answers)},
        concern_order={c: i for i, c in enumerate(kb.vocabulary.concerns)},
        refs=refs,
        contributors={
            m.id: (
                kb.contributors[m.id].title,
                kb.contributors[m.id].explanation,
                tuple([refs[s] for s in kb.contributors[m.id].sources]),
            )
            for m in MODELS
        },
        groups={},
    )
    if len(_PREPARED) > 8:  # a few knowledge bases at most (tests); never grows without bound
        _PREPARED.clear()
    _PREPARED[cache_key] = prepared
    return prepared


def _keys(
    rules: Iterable[Rule], findings: Mapping[str, Finding], answers: Answers, order: dict[str, int]
) -> list[str]:
    keys: dict[str, None] = {}
    present = answers.as_dict()
    for r in rules:
        for fid in r.support(findings):
            for key in findings[fid].because:
                if key in present:
                    keys[key] = None
    if len(keys) < 2:
        return list(keys)
    try:  # validated answers: every key is in the vocabulary's order
        return sorted(keys, key=order.__getitem__)
    except KeyError:  # answers checked against another vocabulary: unknown keys last
        last = len(order)
        return sorted(keys, key=lambda k: order.get(k, last))


_rank = attrgetter("rank")
"""Sort key for the most serious level first with ``reverse=True`` (which keeps the table
order within a level: Python's sort stays stable when reversed)."""


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _concerns(
    kb: KnowledgeBase,
    prep: _Prepared,
    fired: Sequence[Rule],
    findings: Mapping[str, Finding],
    answers: Answers,
) -> list[Concern]:
    grouped: dict[str, list[Rule]] = {}
    for r in fired:
        if r.concern is not None:
            grouped.setdefault(r.concern, []).append(r)
    concerns: list[Concern] = []
    for concern_id, rules in grouped.items():
        info = kb.concerns[concern_id]
        if len(rules) > 1:
            rules.sort(key=_rank, reverse=True)  # stable: table order within a level
        level = rules[0].level
        group = tuple(rules)  # rules are constants, compared by identity
        cited = prep.groups.get(group)
        if cited is None:
            sources = _unique([s for r in rules for s in r.sources] + list(info.sources))
            # the rules that set the concern's level say why; weaker ones would repeat them
            cited = (
                tuple([prep.refs[s] for s in sources]),
                tuple(_unique([r.reason for r in rules if r.level == level])),
            )
            if len(prep.groups) >= _MAX_GROUPS:  # combinations of rules: stay bounded
                prep.groups.clear()
            prep.groups[group] = cited
        refs, reasons = cited
        concerns.append(
            Concern.trusted(
                id=concern_id,
                title=info.title,
                level=level,
                because=_keys(rules, findings, answers, prep.key_order),
                reasons=list(reasons),
                explanation=info.explanation,
                sources=list(refs),
            )
        )
    if len(concerns) > 1:
        concerns.sort(key=lambda c: (-c.level.rank, prep.concern_order.get(c.id, 0)))
    return concerns


def _triage(fired: Sequence[Rule]) -> Triage:
    """The level, its reasons and what to do now; it depends on the fired rules only, so the
    level and reasons are kept for each set of fired rules met (bounded by ``_MAX_GROUPS``)."""
    group = tuple(fired)  # rules are constants, compared by identity
    found = _TRIAGES.get(group)
    if found is None:
        found = _triage_of(fired)
        if len(_TRIAGES) >= _MAX_GROUPS:
            _TRIAGES.clear()
        _TRIAGES[group] = found
    level, reasons = found
    return Triage.trusted(level=level, reasons=list(reasons), advice=TRIAGE_ADVICE[level])


_TRIAGES: dict[tuple[Rule, ...], tuple[TriageLevel, tuple[str, ...]]] = {}


def _triage_of(fired: Sequence[Rule]) -> tuple[TriageLevel, tuple[str, ...]]:
    if not fired:
        return TriageLevel.SELF_CARE, (NO_RULE_REASON,)
    # one voice per concern: only the rules at that concern's highest level (every rule
    # without a concern speaks for itself); the most serious first, in table order
    ordered = sorted(fired, key=_rank, reverse=True)  # stable: table order within a level
    top: dict[str, int] = {}
    for r in ordered:  # a concern's first rule here is its most serious
        if r.concern is not None and r.concern not in top:
            top[r.concern] = r.rank
    ordered = [r for r in ordered if r.concern is None or r.rank == top[r.concern]]
    return ordered[0].level, tuple(_unique([r.reason for r in ordered]))


def _contributors(kb: KnowledgeBase, prep: _Prepared, answers: Answers) -> list[Contributor]:
    out: list[Contributor] = []
    for ranked in rank_contributors(answers, prep.key_order):
        title, explanation, refs = prep.contributors[ranked.id]
        out.append(
            Contributor.trusted(
                id=ranked.id,
                title=title,
                score=ranked.score,
                because=list(ranked.because),
                reasons=list(ranked.reasons),
                explanation=explanation,
                sources=list(refs),
            )
        )
    return out


def assess(answers: Mapping[str, Any] | Answers, kb: KnowledgeBase | None = None) -> Assessment:
    """Assess one set of answers (validated first) against the knowledge base.

    Raises :class:`~nightspine.errors.InvalidInputError` listing every bad answer.
    """
    knowledge = kb if kb is not None else load_knowledge()
    prep = _prepare(knowledge)
    valid = validate_answers(answers, knowledge.vocabulary)
    findings = derive_findings(valid)
    fired = fired_rules(findings)
    triage = _triage(fired)
    if not fired:  # "no warning sign" only when every warning-sign question was answered
        signs = [k for sign in knowledge.warning_signs for k in sign.answer_keys]
        triage = Triage(
            level=triage.level, reasons=[no_rule_reason(valid, signs)], advice=triage.advice
        )
    concerns = _concerns(knowledge, prep, fired, findings, valid)
    # likely causes are not shown under an emergency: nothing should come before the call
    emergency = triage.level is TriageLevel.EMERGENCY
    contributors = [] if emergency else _contributors(knowledge, prep, valid)
    return Assessment.trusted(
        knowledge_version=knowledge.version,
        knowledge_checksum=knowledge.checksum,
        triage=triage,
        concerns=concerns,
        contributors=contributors,
        plan=build_plan(knowledge, valid, triage, concerns, contributors),
        for_your_doctor=build_for_your_doctor(knowledge, valid, triage, concerns, contributors),
        disclaimer=DISCLAIMER,
    )
