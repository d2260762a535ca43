"""The value the assessment engine returns, and its JSON form (see the shared contract)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class TriageLevel(StrEnum):
    """How urgently to seek care, lowest first; compare with :meth:`rank`."""

    SELF_CARE = "self_care"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """0 for self-care up to 3 for emergency (the order the levels are defined in)."""
        return _ORDER.index(self)

    def at_least(self, other: TriageLevel) -> TriageLevel:
        """The higher of the two levels (levels only ever escalate)."""
        return self if self.rank >= other.rank else other


_ORDER = tuple(TriageLevel)

When = Literal["tonight", "next_two_weeks", "ongoing"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceRef(_Frozen):
    """A citation: the id in the knowledge base's source list and its short label."""

    id: str
    label: str


class Triage(_Frozen):
    level: TriageLevel
    reasons: list[str] = Field(description="why this level, in plain words")
    advice: str = Field("", description="what to do now, in plain words")


class Concern(_Frozen):
    """A condition that must not be missed, and the answers that raised it."""

    id: str
    title: str
    level: TriageLevel = Field(description="the level this concern alone calls for")
    because: list[str] = Field(description="answer keys behind it")
    reasons: list[str] = Field(default_factory=list, description="the findings, in plain words")
    explanation: str = ""
    sources: list[SourceRef] = Field(default_factory=list)


class Contributor(_Frozen):
    """Something that may be causing or feeding the pain, with its score (0 to 1)."""

    id: str
    title: str
    score: float = Field(ge=0.0, le=1.0)
    because: list[str] = Field(description="answer keys behind it")
    reasons: list[str] = Field(default_factory=list)
    explanation: str = ""
    sources: list[SourceRef] = Field(default_factory=list)


class PlanItem(_Frozen):
    """One piece of advice for this person: when it helps, what it addresses and why."""

    id: str
    when: When
    title: str
    text: str
    addresses: list[str] = Field(default_factory=list, description="contributor or concern ids")
    because: list[str] = Field(description="answer keys that make it apply to this person")
    why: str = Field("", description="why it applies to this person, in plain words")
    sources: list[SourceRef] = Field(default_factory=list)


class ForYourDoctor(_Frozen):
    """What to tell a doctor: a summary in the words clinicians use, and questions to ask."""

    summary: list[str] = Field(default_factory=list)
    warning_signs_reported: list[str] = Field(default_factory=list)
    warning_signs_denied: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)
    tried: list[str] = Field(default_factory=list)
    write_down: list[str] = Field(default_factory=list)
    questions_to_ask: list[str] = Field(default_factory=list)
    what_a_doctor_may_do: list[str] = Field(default_factory=list)


DISCLAIMER = (
    "nightspine supports your decisions; it does not diagnose. If you are worried, or anything "
    "new or severe appears, contact a doctor or the emergency number whatever this says."
)


class Assessment(_Frozen):
    """The whole result of one assessment: a pure function of the answers and the knowledge."""

    knowledge_version: str
    knowledge_checksum: str
    triage: Triage
    concerns: list[Concern] = Field(default_factory=list)
    contributors: list[Contributor] = Field(default_factory=list, description="most likely first")
    plan: list[PlanItem] = Field(default_factory=list)
    for_your_doctor: ForYourDoctor = Field(default_factory=ForYourDoctor)
    disclaimer: str = DISCLAIMER

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object (``triage``, ``concerns``, ``contributors``, ...)."""
        return self.model_dump(mode="json")
