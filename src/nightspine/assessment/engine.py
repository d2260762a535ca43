"""The assessment engine: validated answers in, an :class:`Assessment` out.

``assess`` is a pure function of the answers and the knowledge base. It derives the named
findings (:mod:`.findings`), fires the triage rules over them (:mod:`.rules`), groups the fired
rules into concerns, ranks the contributors (:mod:`.contributors`) and hands the result to the
plan and for-your-doctor builders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nightspine.assessment import prepared
from nightspine.assessment import questionnaire as qn
from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.contributors import MODELS, rank_contributors
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.emergency import DEFAULT_EMERGENCY_NUMBER, checked_number
from nightspine.assessment.findings import Finding, derive_findings
from nightspine.assessment.plan import build_plan
from nightspine.assessment.result import (
    Assessment,
    Concern,
    Contributor,
    SourceRef,
    Triage,
    TriageLevel,
)
from nightspine.assessment.rules import (
    RULES,
    Rule,
    fired_rules,
    no_rule_reason,
    triage_advice,
)
from nightspine.errors import KnowledgeError
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge


def check_rules_against(kb: KnowledgeBase, rules: Iterable[Rule] = RULES) -> None:
    """Raise :class:`KnowledgeError` when one of ``rules`` (by default the whole table) or a
    contributor model names a concern, a source or a contributor the knowledge base lacks."""
    problems: list[str] = []
    for r in rules:
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


def _sources(kb: KnowledgeBase, ids: Iterable[str]) -> list[SourceRef]:
    refs = prepared.source_refs(kb)
    return [refs[s] for s in ids]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _most_serious_first(rules: Iterable[Rule]) -> list[Rule]:
    """The rules by level, most serious first, in table order within a level."""
    return sorted(rules, key=lambda r: -r.level.rank)


def _cited_answers(
    rules: Iterable[Rule],
    findings: Mapping[str, Finding],
    answers: Answers,
    order: Mapping[str, int],
) -> list[str]:
    """The answer keys behind the findings that make ``rules`` fire, in the vocabulary's order."""
    keys = [
        key
        for r in rules
        for fid in r.when.support(findings)
        for key in findings[fid].because
        if key in answers
    ]
    return sorted(_unique(keys), key=lambda k: order.get(k, len(order)))


def _concerns(
    kb: KnowledgeBase,
    fired: Sequence[Rule],
    findings: Mapping[str, Finding],
    answers: Answers,
    order: Mapping[str, int],
) -> list[Concern]:
    grouped: dict[str, list[Rule]] = {}
    for r in fired:
        if r.concern is not None:
            grouped.setdefault(r.concern, []).append(r)
    concerns: list[Concern] = []
    for concern_id, rules in grouped.items():
        info = kb.concerns[concern_id]
        rules = _most_serious_first(rules)
        level = rules[0].level
        concerns.append(
            Concern(
                id=concern_id,
                title=info.title,
                level=level,
                because=_cited_answers(rules, findings, answers, order),
                # the rules that set the concern's level say why; weaker ones would repeat them
                reasons=_unique(r.reason for r in rules if r.level == level),
                explanation=info.explanation,
                sources=_sources(
                    kb, _unique([s for r in rules for s in r.sources] + list(info.sources))
                ),
            )
        )
    place = prepared.concern_order(kb)
    return sorted(concerns, key=lambda c: (-c.level.rank, place.get(c.id, 0)))


def _triage(fired: Sequence[Rule], no_rule: str, emergency_number: str) -> Triage:
    """The highest level of the fired rules, their reasons and what to do now (``no_rule`` is
    the reason when none fired; ``emergency_number`` the number the advice says to call)."""
    if not fired:
        level = TriageLevel.SELF_CARE
        return Triage(level=level, reasons=[no_rule], advice=triage_advice(level, emergency_number))
    ordered = _most_serious_first(fired)
    # one voice per concern: only the rules at that concern's highest level (every rule
    # without a concern speaks for itself)
    top: dict[str, TriageLevel] = {}
    for r in ordered:  # a concern's first rule here is its most serious
        if r.concern is not None:
            top.setdefault(r.concern, r.level)
    voices = [r for r in ordered if r.concern is None or r.level == top[r.concern]]
    level = ordered[0].level
    return Triage(
        level=level,
        reasons=_unique(r.reason for r in voices),
        advice=triage_advice(level, emergency_number),
    )


def _contributors(
    kb: KnowledgeBase, answers: Answers, order: Mapping[str, int]
) -> list[Contributor]:
    out: list[Contributor] = []
    for ranked in rank_contributors(answers, order):
        info = kb.contributors[ranked.id]
        out.append(
            Contributor(
                id=ranked.id,
                title=info.title,
                score=ranked.score,
                because=list(ranked.because),
                reasons=list(ranked.reasons),
                explanation=info.explanation,
                sources=_sources(kb, info.sources),
            )
        )
    return out


def _warning_sign_keys_asked(kb: KnowledgeBase, answers: Answers) -> list[str]:
    """The warning-sign answer keys whose question is asked given ``answers``.

    A follow-up (such as "on both sides?") is asked only when its parent answer makes it apply,
    so when it is not asked its answer is not missing: it does not apply.
    """
    given = dict(answers.items())
    questions = prepared.questions_by_key(kb)
    keys = prepared.warning_sign_answer_keys(kb)
    return [k for k in keys if k not in questions or qn.is_visible(questions[k], given)]


def assess(
    answers: Mapping[str, Any] | Answers,
    kb: KnowledgeBase | None = None,
    *,
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER,
) -> Assessment:
    """Assess one set of answers (validated first) against the knowledge base.

    ``emergency_number`` is the number the advice tells people to call: the shells pass the
    configured one (:meth:`nightspine.config.Settings.resolved_emergency_number`).
    Raises :class:`~nightspine.errors.InvalidInputError` listing every bad answer.
    """
    number = checked_number(emergency_number)
    knowledge = kb if kb is not None else load_knowledge()
    valid = validate_answers(answers, knowledge.vocabulary)
    findings = derive_findings(valid)
    fired = fired_rules(findings)
    check_rules_against(knowledge, fired)
    # "no warning sign" only when every warning-sign question that is asked was answered
    no_rule = no_rule_reason(valid, _warning_sign_keys_asked(knowledge, valid))
    triage = _triage(fired, no_rule, number)
    order = prepared.key_order(knowledge)  # answers are cited in the vocabulary's order
    concerns = _concerns(knowledge, fired, findings, valid, order)
    # likely causes are not shown under an emergency: nothing should come before the call
    emergency = triage.level is TriageLevel.EMERGENCY
    contributors = [] if emergency else _contributors(knowledge, valid, order)
    return Assessment(
        knowledge_version=knowledge.version,
        knowledge_checksum=knowledge.checksum,
        triage=triage,
        concerns=concerns,
        contributors=contributors,
        plan=build_plan(knowledge, valid, triage, concerns, contributors, emergency_number=number),
        for_your_doctor=build_for_your_doctor(knowledge, valid, triage, concerns, contributors),
    )
