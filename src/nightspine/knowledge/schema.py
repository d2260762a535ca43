"""Pydantic models of the knowledge base files in ``data/``.

Every item a person may read has a plain-language ``title`` and ``explanation`` and at least one
``sources`` entry naming a source id from ``sources.yaml``. The loader checks those references
and that concern and contributor ids match the assessment vocabulary.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

When = Literal["tonight", "next_two_weeks", "ongoing"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- conditions over answers (questionnaire skip logic, when advice applies) -------------------


class Condition(_Model):
    """A test on one earlier answer; exactly one of the tests below is given.

    - ``answered``: the key has a real answer (``true``, a non-empty list, a number or a choice)
      when ``True``; has none when ``False``.
    - ``equals``: the answer is exactly this value (a bool or a one-of value).
    - ``any_of``: a one-of answer is one of these values, or a many-of answer contains one.
    - ``at_least`` / ``below``: a numeric answer is at least / below this number.
    """

    key: str
    answered: bool | None = None
    equals: bool | str | None = None
    any_of: tuple[str, ...] = ()
    at_least: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        given = [
            self.answered is not None,
            self.equals is not None,
            bool(self.any_of),
            self.at_least is not None,
            self.below is not None,
        ]
        if sum(given) != 1:
            raise ValueError(
                f"condition on '{self.key}' needs exactly one of answered, equals, any_of, "
                "at_least, below"
            )
        return self


class Conditions(_Model):
    """``all`` must hold, and at least one of ``any`` when ``any`` is given."""

    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.key for c in (*self.all, *self.any)))


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
    clinical_title: str = Field(
        "",
        description="the name a clinician reads, in the third person ('Sleeping on the"
        " stomach'); empty when the title already speaks of no one",
    )


class WarningSign(Item):
    """A symptom that changes what to do; the answer keys that record it."""

    answer_keys: tuple[str, ...] = Field(min_length=1)


class AdviceItem(Item):
    """Self-care or treatment advice: when it helps and which contributors it addresses."""

    when: When
    addresses: tuple[str, ...] = Field(
        default=(), description="contributor ids (or 'general') this advice is for"
    )
    caution: str = ""
    applies_when: Conditions | None = Field(
        None, description="answers that make this advice apply even without a contributor"
    )
    unsafe_with: tuple[str, ...] = Field(
        default=(), description="concern or contributor ids with which this advice is left out"
    )
    unsafe_when: Conditions | None = Field(
        None,
        description="answers with which this advice is left out for the person (pregnancy, a "
        "blood thinner, a stomach ulcer, kidney disease, age)",
    )
    safe_while_waiting: bool = Field(
        False, description="a comfort measure that stays in the plan while waiting to be seen"
    )
    left_out_when: Conditions | None = Field(
        None,
        description="answers with which this advice would contradict what the person said "
        "(they already do it, or it is wrong for their position): left out of their plan",
    )
    for_sleep_positions: tuple[str, ...] = Field(
        default=(),
        description="advice about how to lie in bed: the sleep_position answers it fits (the "
        "person's own position, or the step advised from it); left out for people who said "
        "another position, and put first in tonight's advice for those it fits",
    )
    for_triage: Literal["soon", "urgent", "emergency"] | None = Field(
        None, description="set on the items that say what to do about a triage level"
    )


class DoctorGuide(_Model):
    """``doctor.yaml``: what to write down for a doctor and what a doctor may do."""

    write_down: tuple[Item, ...]
    what_a_doctor_may_do: tuple[Item, ...]
    questions_to_ask: tuple[str, ...] = ()


# --- the questionnaire -------------------------------------------------------------------------


class Question(_Model):
    """One question, stored under one answer key of the vocabulary."""

    key: str
    text: str = Field(description="the question as a person reads it")
    help: str = ""
    short: str = Field(description="a short clinical label, for summaries ('fever')")
    choices: dict[str, str] = Field(
        default_factory=dict, description="one-of/many-of value -> plain label, every value"
    )
    none_label: str = Field("", description="many-of: the label of 'none of these'")
    unit: str = ""
    show_if: Conditions | None = None
    group: str = Field(
        "", description="yes/no questions with the same group are asked as one checklist"
    )


class Section(_Model):
    """A group of questions; the warning-sign section is asked of everyone and never skipped."""

    id: str
    title: str
    intro: str = ""
    warning_signs: bool = False
    groups: dict[str, str] = Field(
        default_factory=dict, description="checklist id -> the question that introduces it"
    )
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(_Model):
    """``questionnaire.yaml``: the questions people answer, in order, with skip logic."""

    version: int
    sections: tuple[Section, ...] = Field(min_length=1)

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)
