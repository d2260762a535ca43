"""The questionnaire as the web app shows it, from the one source of truth that the command
line also asks (``knowledge/data/questionnaire.yaml`` through
:mod:`nightspine.assessment.questionnaire`): the same sections, wording, order and skip logic,
warning signs first. This module only adds what a form needs (the answer type of each key).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from nightspine.assessment import questionnaire as qn
from nightspine.knowledge import schema
from nightspine.knowledge.vocabulary import assessment_vocabulary

NONE_VALUE = "__none__"
"""The form value of a many-of question's "none of these" box."""


NOT_SURE_VALUES = frozenset({"unknown"})
"""Option values that mean "I am not sure" in the vocabulary."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    text: str
    kind: str  # the vocabulary's type: bool, int, number, 0-10, one-of, many-of
    help: str = ""
    options: tuple[Option, ...] = ()
    none_label: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    source: schema.Question | None = None
    group: str = ""

    def shown(self, answers: Mapping[str, Any]) -> bool:
        return self.source is None or qn.is_visible(self.source, answers)

    @property
    def own_not_sure(self) -> bool:
        """One of its own options already says "not sure" (the mattress's "I am not sure",
        which opens a follow-up): the form then offers no second, generic "Not sure"."""
        return any(o.value in NOT_SURE_VALUES for o in self.options)


@dataclass(frozen=True, slots=True)
class Checklist:
    """Yes/no questions asked as one list: tick any that apply, or "none of these"."""

    id: str
    text: str
    questions: tuple[Question, ...]
    warning: bool

    @property
    def field(self) -> str:
        """The form field of the checklist's boxes (one value per ticked answer key)."""
        return f"group-{self.id}"

    @property
    def kind(self) -> str:
        return "checklist"


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    warning: bool = False
    source: schema.Section | None = None

    def visible(self, answers: Mapping[str, Any]) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.shown(answers))

    def items(self, answers: Mapping[str, Any]) -> list[Question | Checklist]:
        """The visible questions, checklists gathered as the questionnaire defines them."""
        if self.source is None:
            return list(self.visible(answers))
        by_key = {q.key: q for q in self.questions}
        items: list[Question | Checklist] = []
        for item in qn.section_items(self.source, answers):
            if isinstance(item, qn.Checklist):
                members = tuple(by_key[q.key] for q in item.questions)
                items.append(Checklist(item.id, item.text, members, self.warning))
            else:
                items.append(by_key[item.key])
        return items


@cache
def sections() -> tuple[Section, ...]:
    """The questionnaire's sections in the order asked: warning signs first."""
    vocab = assessment_vocabulary().answers
    result = []
    for s in qn.sections():
        questions = []
        for q in s.questions:
            spec = vocab[q.key]
            questions.append(
                Question(
                    key=q.key,
                    text=q.text,
                    kind=spec.type,
                    help=q.help,
                    options=tuple(Option(v, q.choices.get(v, humanize(v))) for v in spec.values),
                    none_label=q.none_label,
                    unit=q.unit,
                    min=spec.min,
                    max=spec.max,
                    source=q,
                    group=q.group,
                )
            )
        result.append(
            Section(s.id, s.title, s.intro, tuple(questions), warning=s.warning_signs, source=s)
        )
    return tuple(result)


def prune_hidden(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop answers to follow-up questions that no longer apply (after going back)."""
    return qn.prune_hidden(answers)


def humanize(key: str) -> str:
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


@cache
def question_texts() -> dict[str, str]:
    """Each answer key's short clinical label, to explain "because" lists in words."""
    return {q.key: q.short for s in qn.sections() for q in s.questions}
