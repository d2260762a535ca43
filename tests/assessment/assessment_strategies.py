"""Hypothesis strategies over the assessment vocabulary, shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from nightspine.knowledge.vocabulary import FieldSpec, assessment_vocabulary


def value_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "one-of":
        return st.sampled_from(spec.values)
    if spec.type == "many-of":
        return st.lists(st.sampled_from(spec.values), unique=True)
    low = int(spec.min) if spec.min is not None else 0
    high = int(spec.max) if spec.max is not None else 120
    if spec.type == "number":
        return st.floats(min_value=low, max_value=high, allow_nan=False)
    return st.integers(min_value=low, max_value=high)


def answers_dicts() -> st.SearchStrategy[dict[str, Any]]:
    """Valid raw answers: any subset of the vocabulary's keys with values in range."""
    vocab = assessment_vocabulary()
    return st.fixed_dictionaries(
        {}, optional={key: value_for(spec) for key, spec in vocab.answers.items()}
    )
