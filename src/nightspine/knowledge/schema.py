"""Pydantic models of the knowledge base files in ``data/``.

Every item a person may read has a plain-language ``title`` and ``explanation`` and at least one
``sources`` entry naming a source id from ``sources.yaml``. The loader checks those references
and that concern and contributor ids match the assessment vocabulary.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

When = Literal["tonight", "next_two_weeks", "ongoing"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Meta(_Model):
    """``meta.yaml``: the knowledge base's version (stamped on every assessment)."""

    version: str
    reviewed: str = Field(description="date of the last clinical review, YYYY-MM-DD")
    note: str = ""


class Source(_Model):
    """A guideline, paper or review that content cites."""

    id: str
    kind: Literal["guideline", "paper", "review", "criteria", "consumer_health", "textbook"]
    label: str = Field(description="short label shown beside advice, e.g. 'NICE NG59 (2016)'")
    title: str
    publisher: str = ""
    year: int
    url: str = ""


class Item(_Model):
    """Anything a person reads: a title, a plain explanation and the sources behind it."""

    id: str
    title: str
    explanation: str
    sources: tuple[str, ...] = Field(min_length=1)


class AnatomyTopic(Item):
    """A short anatomy note (e.g. the upper back, the discs)."""


class ConcernInfo(Item):
    """A condition that must not be missed: what it is and what to do about it."""

    what_to_do: str = ""


class ContributorInfo(Item):
    """A cause or aggravating factor: what it is and how it feeds night-time pain."""

    examples: tuple[str, ...] = ()


class WarningSign(Item):
    """A symptom that changes what to do; the answer keys that record it."""

    answer_keys: tuple[str, ...] = Field(min_length=1)
    question: str = Field("", description="how to ask about it, in plain words")


class AdviceItem(Item):
    """Self-care or treatment advice: when it helps and which contributors it addresses."""

    when: When
    addresses: tuple[str, ...] = Field(
        default=(), description="contributor ids (or 'general') this advice is for"
    )
    caution: str = ""


class DoctorGuide(_Model):
    """``doctor.yaml``: what to write down for a doctor and what a doctor may do."""

    write_down: tuple[Item, ...]
    what_a_doctor_may_do: tuple[Item, ...]
    questions_to_ask: tuple[str, ...] = ()
