"""Tables prepared once per knowledge base: the same as deriving them on the spot, read-only,
and never carried over to a different knowledge base."""

from __future__ import annotations

import pytest

from nightspine.assessment import prepared
from nightspine.assessment import questionnaire as qn
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge


def test_tables_match_the_knowledge_base() -> None:
    kb = load_knowledge()
    assert dict(prepared.questions_by_key(kb)) == qn.questions_by_key(kb)
    assert prepared.warning_sign_keys(kb) == qn.warning_sign_keys(kb)
    assert list(prepared.key_order(kb)) == list(kb.vocabulary.answers)
    assert list(prepared.concern_order(kb)) == list(kb.vocabulary.concerns)
    self_care = [a for a in kb.advice.values() if a.for_triage is None]
    assert list(prepared.self_care_advice(kb)) == self_care
    for target, items in prepared.self_care_addressing(kb).items():
        assert list(items) == [a for a in self_care if target in a.addresses]
    for source_id, ref in prepared.source_refs(kb).items():
        assert (ref.id, ref.label) == (source_id, kb.source_label(source_id))
    for level, advice in prepared.triage_advice(kb).items():
        assert advice.for_triage == level
    assert len(prepared.triage_advice(kb)) == 3  # soon, urgent, emergency


def test_tables_cannot_be_changed_by_a_caller() -> None:
    order = prepared.key_order(load_knowledge())
    with pytest.raises(TypeError):
        order["age"] = 99  # type: ignore[index]


def test_a_changed_copy_of_the_knowledge_base_gets_its_own_tables() -> None:
    kb = load_knowledge()
    prepared.self_care_advice(kb)  # prepared for the original first
    first = next(a.id for a in kb.advice.values() if a.for_triage is None)
    fewer: KnowledgeBase = kb.model_copy(
        update={"advice": {i: a for i, a in kb.advice.items() if i != first}}
    )
    assert fewer.checksum == kb.checksum  # same hash, told apart by ==
    assert fewer != kb
    ids = [a.id for a in prepared.self_care_advice(fewer)]
    assert first not in ids
    assert len(prepared.self_care_advice(kb)) - len(ids) == 1
