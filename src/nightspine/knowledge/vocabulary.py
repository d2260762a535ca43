"""The vocabularies that fix the product's contracts, loaded and validated.

``data/vocabulary.yaml`` is the assessment contract (answer keys, triage levels, concern and
contributor ids); ``data/diary_vocabulary.yaml`` is the diary contract (fields and CSV columns).
Both are copies of the shared contracts and are checked here with pydantic when loaded.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nightspine.errors import KnowledgeError

M = TypeVar("M", bound=BaseModel)

FieldType = Literal["int", "number", "bool", "0-10", "one-of", "many-of", "date", "text"]


class FieldSpec(BaseModel):
    """One answer key or diary field: its type and the values it allows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: FieldType
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()
    required: bool = False

    @model_validator(mode="after")
    def _values_match_type(self) -> FieldSpec:
        if self.type in ("one-of", "many-of") and not self.values:
            raise ValueError(f"a {self.type} field needs a non-empty 'values' list")
        if self.type not in ("one-of", "many-of") and self.values:
            raise ValueError(f"a {self.type} field takes no 'values' list")
        if self.type == "0-10":
            object.__setattr__(self, "min", 0)
            object.__setattr__(self, "max", 10)
        return self

    def describe(self) -> str:
        """What this field allows, in words for an error message."""
        if self.type == "one-of":
            return "one of: " + ", ".join(self.values)
        if self.type == "many-of":
            return "a list of any of: " + ", ".join(self.values)
        if self.type == "bool":
            return "true or false"
        if self.type == "date":
            return "a date written YYYY-MM-DD"
        if self.type == "text":
            return "text"
        kind = "a whole number" if self.type in ("int", "0-10") else "a number"
        if self.min is not None and self.max is not None:
            return f"{kind} from {_num(self.min)} to {_num(self.max)}"
        if self.min is not None:
            return f"{kind} of at least {_num(self.min)}"
        if self.max is not None:
            return f"{kind} of at most {_num(self.max)}"
        return kind


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class AssessmentVocabulary(BaseModel):
    """The assessment contract: answers accepted, triage levels, concern, contributor and plan
    item (advice) ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    answers: dict[str, FieldSpec]
    triage_levels: dict[str, str] = Field(min_length=1)
    concerns: dict[str, str]
    contributors: dict[str, str]
    advice: dict[str, str] = Field(default_factory=dict)
    """Plan item ids that are stable API (the product may offer more items)."""

    @property
    def triage_order(self) -> tuple[str, ...]:
        """Triage level ids, lowest first (the order of the contract file)."""
        return tuple(self.triage_levels)


class DiaryVocabulary(BaseModel):
    """The diary contract: one entry per morning, its fields and CSV column names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    fields: dict[str, FieldSpec]


def _load_yaml(name: str) -> tuple[Any, bytes]:
    raw = resources.files("nightspine.knowledge").joinpath("data", name).read_bytes()
    try:
        return yaml.safe_load(raw), raw
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"knowledge file {name} is not valid YAML: {exc}") from exc


def _validate(model: type[M], name: str) -> M:
    data, _ = _load_yaml(name)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(f"knowledge file {name} is invalid:\n{exc}") from exc


@cache
def assessment_vocabulary() -> AssessmentVocabulary:
    """The assessment contract, validated (cached: it never changes while running)."""
    return _validate(AssessmentVocabulary, "vocabulary.yaml")


@cache
def diary_vocabulary() -> DiaryVocabulary:
    """The diary contract, validated (cached)."""
    return _validate(DiaryVocabulary, "diary_vocabulary.yaml")
