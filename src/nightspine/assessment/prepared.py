"""Tables derived from the knowledge base alone, prepared once per knowledge base.

The engine looks things up in the knowledge base many times per assessment: which question asks
an answer key, where a key or a concern stands in the vocabulary, which advice addresses a
contributor. Each function here builds one such table from the knowledge base and nothing
else, and is cached per knowledge base (``functools.lru_cache``; a knowledge base is hashed by
its checksum). Nothing here depends on answers or results: these are indexes of the knowledge,
not memos of assessments. The tables are read-only views so that no caller can change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.result import SourceRef, TriageLevel
from nightspine.knowledge.loader import KnowledgeBase
from nightspine.knowledge.schema import AdviceItem, Question

_KNOWLEDGE_BASES = 8
"""How many knowledge bases each table is kept for (one in production; tests build a few)."""


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def key_order(kb: KnowledgeBase) -> Mapping[str, int]:
    """Each answer key's place in the vocabulary (answers are cited in this order)."""
    return MappingProxyType({key: place for place, key in enumerate(kb.vocabulary.answers)})


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def concern_order(kb: KnowledgeBase) -> Mapping[str, int]:
    """Each concern's place in the vocabulary (concerns of one level are listed in this order)."""
    return MappingProxyType({c: place for place, c in enumerate(kb.vocabulary.concerns)})


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def questions_by_key(kb: KnowledgeBase) -> Mapping[str, Question]:
    """Every question under its answer key (as :func:`questionnaire.questions_by_key`)."""
    return MappingProxyType(qn.questions_by_key(kb))


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def warning_sign_keys(kb: KnowledgeBase) -> tuple[str, ...]:
    """The answer keys of the warning-sign questions, in the order asked (as
    :func:`questionnaire.warning_sign_keys`)."""
    return qn.warning_sign_keys(kb)


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def warning_sign_answer_keys(kb: KnowledgeBase) -> tuple[str, ...]:
    """The answer keys of every warning sign in ``warning_signs.yaml``, in its order."""
    return tuple(k for sign in kb.warning_signs for k in sign.answer_keys)


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def self_care_advice(kb: KnowledgeBase) -> tuple[AdviceItem, ...]:
    """The self-care advice items (those not tied to a triage level), in the file's order."""
    return tuple(a for a in kb.advice.values() if a.for_triage is None)


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def self_care_place(kb: KnowledgeBase) -> Mapping[str, int]:
    """Each self-care advice item's place in :func:`self_care_advice` (by advice id)."""
    return MappingProxyType({a.id: place for place, a in enumerate(self_care_advice(kb))})


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def self_care_addressing(kb: KnowledgeBase) -> Mapping[str, tuple[AdviceItem, ...]]:
    """The self-care advice items that address each contributor or concern id, in the order of
    :func:`self_care_advice`."""
    addressing: dict[str, list[AdviceItem]] = {}
    for advice in self_care_advice(kb):
        for target in advice.addresses:
            addressing.setdefault(target, []).append(advice)
    return MappingProxyType({target: tuple(items) for target, items in addressing.items()})


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def source_refs(kb: KnowledgeBase) -> Mapping[str, SourceRef]:
    """Every source as the result's reference to it (id and label), by id. The references are
    frozen, so every assessment can share them instead of validating new ones."""
    return MappingProxyType({s: SourceRef(id=s, label=kb.source_label(s)) for s in kb.sources})


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def triage_advice(kb: KnowledgeBase) -> Mapping[TriageLevel, AdviceItem]:
    """The advice item that leads the plan at each triage level above self-care."""
    return MappingProxyType(
        {TriageLevel(a.for_triage): a for a in kb.advice.values() if a.for_triage is not None}
    )


@lru_cache(maxsize=_KNOWLEDGE_BASES)
def doctor_lines(kb: KnowledgeBase) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The for-your-doctor lines that are the same for everyone: what to write down and what a
    doctor may do, each 'title: explanation'."""
    return (
        tuple(f"{i.title}: {i.explanation}" for i in kb.doctor.write_down),
        tuple(f"{i.title}: {i.explanation}" for i in kb.doctor.what_a_doctor_may_do),
    )


__all__ = [
    "concern_order",
    "doctor_lines",
    "key_order",
    "questions_by_key",
    "self_care_addressing",
    "self_care_advice",
    "self_care_place",
    "source_refs",
    "triage_advice",
    "warning_sign_answer_keys",
    "warning_sign_keys",
]
