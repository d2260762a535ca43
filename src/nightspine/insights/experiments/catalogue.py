"""The catalogue of changes a person can test, loaded from ``insights/data/experiments.yaml``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError, KnowledgeError, Problem
from nightspine.knowledge.loader import load_knowledge

Arm = Literal["A", "B"]
"""``A`` is the usual way, ``B`` the change being tested."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Model):
    """How the diary shows that a night followed one arm of the plan."""

    equals: str | bool | None = None
    one_of: tuple[str, ...] = ()
    not_one_of: tuple[str, ...] = ()
    label: Literal["usual", "new"] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Rule:
        given = [
            self.equals is not None,
            bool(self.one_of),
            bool(self.not_one_of),
            self.label is not None,
        ]
        if sum(given) != 1:
            raise ValueError("a rule needs exactly one of equals, one_of, not_one_of, label")
        return self

    def followed(self, value: object, labels: dict[str, str]) -> bool | None:
        """Whether a recorded ``value`` follows the rule (``None``: not recorded)."""
        if value is None:
            return None
        if self.label is not None:
            want = labels.get(self.label, "")
            return isinstance(value, str) and _fold(value) == _fold(want)
        if self.equals is not None:
            return value == self.equals
        if self.one_of:
            return value in self.one_of
        return value not in self.not_one_of


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


class ChangeSpec(_Model):
    """One change to test: what to do on each arm's nights and how to check it was done."""

    id: str
    title: str
    field: str
    usual: Rule
    change: Rule
    tonight_usual: str
    tonight_change: str
    block_nights: int = Field(ge=3, le=4)
    washout_nights: int = Field(ge=0, le=1)
    needs_labels: bool = False
    addresses: tuple[str, ...] = Field(
        default=(), description="ids of the assessment's contributors the change works on"
    )
    why: str
    sources: tuple[str, ...] = Field(
        min_length=1, description="ids of sources in the knowledge base (checked on loading)"
    )

    @model_validator(mode="after")
    def _field_is_in_the_diary(self) -> ChangeSpec:
        if self.field not in DiaryEntry.model_fields:
            raise ValueError(f"field {self.field!r} is not a diary field")
        return self

    def source_labels(self) -> tuple[str, ...]:
        """The labels of the sources, as shown beside the change."""
        known = load_knowledge().sources
        return tuple(known[s].label for s in self.sources)

    def rule(self, arm: Arm) -> Rule:
        """The adherence rule of ``arm``."""
        return self.usual if arm == "A" else self.change

    def instruction(self, arm: Arm, labels: dict[str, str]) -> str:
        """What to do on a night of ``arm`` (labels filled in for pillows and mattresses)."""
        text = self.tonight_usual if arm == "A" else self.tonight_change
        return text.format(usual=labels.get("usual", "usual"), new=labels.get("new", "new"))


class _File(_Model):
    version: int
    changes: tuple[ChangeSpec, ...]


@cache
def catalogue() -> dict[str, ChangeSpec]:
    """Every change that can be tested, by id, in the file's order."""
    text = (
        resources.files("nightspine.insights")
        .joinpath("data/experiments.yaml")
        .read_text(encoding="utf-8")
    )
    return parse_catalogue(text)


def parse_catalogue(text: str) -> dict[str, ChangeSpec]:
    """The changes in ``text`` (the YAML of ``insights/data/experiments.yaml``), checked."""
    raw: Any = yaml.safe_load(text)
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(f"insights/data/experiments.yaml: {exc}") from exc
    ids = [c.id for c in parsed.changes]
    if len(set(ids)) != len(ids):
        raise KnowledgeError("insights/data/experiments.yaml: duplicate change ids")
    _check_sources(parsed.changes)
    return {c.id: c for c in parsed.changes}


def _check_sources(changes: tuple[ChangeSpec, ...]) -> None:
    """Every change cites sources the knowledge base holds (advice carries a real source)."""
    known = load_knowledge().sources
    unknown = [
        f"change {c.id!r} cites unknown source {s!r}"
        for c in changes
        for s in c.sources
        if s not in known
    ]
    if unknown:
        raise KnowledgeError(
            f"insights/data/experiments.yaml: {'; '.join(unknown)}; cite a source id from "
            "knowledge/data/sources*.yaml or add the source there"
        )
    contributors = load_knowledge().contributors
    strangers = [
        f"change {c.id!r} addresses unknown contributor {a!r}"
        for c in changes
        for a in c.addresses
        if a not in contributors
    ]
    if strangers:
        raise KnowledgeError(
            f"insights/data/experiments.yaml: {'; '.join(strangers)}; use a contributor id "
            "from knowledge/data/contributors.yaml"
        )


def get_change(change_id: str) -> ChangeSpec:
    """The change with this id, or :class:`InvalidInputError` listing the ones there are."""
    changes = catalogue()
    if change_id not in changes:
        raise InvalidInputError(
            [
                Problem(
                    "change", f"unknown change {change_id!r}; choose one of: {', '.join(changes)}"
                )
            ],
            what="experiment",
        )
    return changes[change_id]


DEFAULT_CHANGE = "knee_pillow"
"""Suggested when the assessment names no contributor any change addresses: cheap and safe."""


def suggested_change(contributors: Sequence[str]) -> tuple[ChangeSpec, str | None]:
    """The change to suggest first, and the contributor it addresses (``None``: the default).

    ``contributors`` are the assessment's contributor ids, most likely first; the first one a
    change addresses decides (a stomach sleeper is offered side-lying, not a knee pillow).
    """
    changes = catalogue()
    for contributor in contributors:
        for change in changes.values():
            if contributor in change.addresses:
                return change, contributor
    return changes[DEFAULT_CHANGE], None
