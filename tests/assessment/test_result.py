"""The result models, and the engine's shortcut for building them from its own values."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nightspine.assessment import Assessment, assess
from nightspine.assessment.result import (
    Concern,
    Contributor,
    ForYourDoctor,
    PlanItem,
    SourceRef,
    Triage,
    TriageLevel,
)

DATA = Path(__file__).parent / "data"
MODELS = (Assessment, Concern, Contributor, ForYourDoctor, PlanItem, SourceRef, Triage)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_trusted_is_model_construct_for_these_models(model: type[Assessment]) -> None:
    # the shortcut skips what model_construct does for aliases, private attributes, post-init
    # hooks and extra fields: none of the result models may have them
    assert model.__new__ is object.__new__
    assert model.__pydantic_post_init__ is None
    assert not model.__private_attributes__
    assert model.model_config.get("extra") == "forbid"
    for field in model.__pydantic_fields__.values():
        assert field.alias is None and field.validation_alias is None


def test_trusted_builds_what_validation_builds() -> None:
    ref = SourceRef.trusted(id="nice_ng59", label="NICE NG59")
    assert ref == SourceRef(id="nice_ng59", label="NICE NG59")
    assert ref.model_fields_set == {"id", "label"}
    with pytest.raises(Exception, match="frozen"):
        ref.id = "other"  # type: ignore[misc]


def test_trusted_refuses_missing_or_unknown_fields() -> None:
    with pytest.raises(TypeError, match=r"missing \['label'\]"):
        SourceRef.trusted(id="x")
    with pytest.raises(TypeError, match=r"unknown \['page'\]"):
        SourceRef.trusted(id="x", label="y", page=3)


def test_every_vignette_result_passes_validation_unchanged() -> None:
    """The engine skips validation; here every vignette's result goes through it and must come
    out equal (the property tests do the same for random answers via JSON)."""
    for name in ("vignettes-public.yaml", "vignettes-extra.yaml"):
        for vignette in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            result = assess(vignette["answers"])
            again = Assessment.model_validate(result.model_dump())
            assert again == result, vignette["id"]
            assert type(result.triage.level) is TriageLevel
