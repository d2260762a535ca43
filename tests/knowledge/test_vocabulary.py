from __future__ import annotations

import pytest

from nightspine.errors import InvalidInputError, KnowledgeError
from nightspine.knowledge.loader import load_knowledge
from nightspine.knowledge.vocabulary import FieldSpec, assessment_vocabulary, diary_vocabulary


def test_contract_vocabularies_load() -> None:
    vocab = assessment_vocabulary()
    assert vocab.triage_order == ("self_care", "soon", "urgent", "emergency")
    assert "heart_attack" in vocab.concerns
    assert "stomach_sleeping" in vocab.contributors
    assert diary_vocabulary().fields["date"].required


def test_knowledge_base_loads_with_version_and_checksum() -> None:
    kb = load_knowledge()
    assert kb.version
    assert len(kb.checksum) == 64
    assert set(kb.concerns) == set(kb.vocabulary.concerns)
    assert set(kb.contributors) == set(kb.vocabulary.contributors)


def test_every_item_cites_a_known_source() -> None:
    kb = load_knowledge()
    items = [*kb.anatomy, *kb.concerns.values(), *kb.contributors.values(), *kb.advice.values()]
    for item in items:
        assert item.sources
        assert all(s in kb.sources for s in item.sources), item.id


def test_field_spec_rejects_values_on_scalar() -> None:
    with pytest.raises(ValueError, match="takes no 'values'"):
        FieldSpec(type="int", values=("a",))


def test_field_spec_describes_ranges() -> None:
    assert FieldSpec(type="0-10").describe() == "a whole number from 0 to 10"
    assert FieldSpec(type="number", min=0).describe() == "a number of at least 0"


def test_error_types_are_one_tree() -> None:
    assert issubclass(KnowledgeError, Exception)
    with pytest.raises(ValueError, match="at least one problem"):
        InvalidInputError([])


def test_contract_plan_item_ids_are_offered_by_the_knowledge_base() -> None:
    kb = load_knowledge()
    assert kb.vocabulary.advice, "the contract (version 2) lists plan item ids"
    assert set(kb.vocabulary.advice) <= set(kb.advice)
