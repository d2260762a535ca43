"""Hypothesis strategies for valid answer documents, built from the assessment vocabulary."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from nightspine.knowledge.vocabulary import FieldSpec, assessment_vocabulary

VOCAB = assessment_vocabulary()
KEYS = list(VOCAB.answers)
# the warning signs: every key of the "symptoms that change what to do" block, except the
# number of days since they began (a modifier, not a sign)
WARNING_SIGN_KEYS = [
    k for k in KEYS[KEYS.index("numbness_or_tingling") :] if k != "warning_signs_started_days"
]


def value_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "one-of":
        return st.sampled_from(spec.values)
    if spec.type == "many-of":
        return st.lists(st.sampled_from(spec.values), unique=True, max_size=len(spec.values))
    low = int(spec.min) if spec.min is not None else 0
    high = int(spec.max) if spec.max is not None else 3000
    if spec.type in ("int", "0-10"):
        return st.integers(low, high)
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def answer_documents(draw: st.DrawFn, max_keys: int = len(KEYS)) -> dict[str, Any]:
    """A valid answers document: a random subset of keys, each with a valid value.

    A small ``max_keys`` gives sparse documents, most of them at the lower triage levels
    (documents with many keys are nearly all emergencies).
    """
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=max_keys))
    return possible({key: draw(value_for(VOCAB.answers[key])) for key in keys})


def possible(answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` without the combinations the engine refuses as impossible (pregnant and
    male; more hours in bed and sitting than a day has): the later answer gives way."""
    out = dict(answers)
    if out.get("pregnant") is True and out.get("sex") == "male":
        del out["pregnant"]
    bed, sitting = out.get("hours_in_bed"), out.get("sitting_hours")
    if bed is not None and sitting is not None and bed + sitting > 24:
        out["sitting_hours"] = 24 - bed
    return out


@st.composite
def added_warning_sign(draw: st.DrawFn, answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` with one more warning sign reported (a flag set, or a value added)."""
    key = draw(st.sampled_from(WARNING_SIGN_KEYS))
    spec = VOCAB.answers[key]
    out = dict(answers)
    if spec.type == "bool":
        out[key] = True
    else:
        current = list(out.get(key) or [])
        extra = draw(st.sampled_from(spec.values))
        out[key] = sorted({*current, extra}, key=spec.values.index)
    return out
