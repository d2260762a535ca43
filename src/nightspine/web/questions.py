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

    def shown(self, answers: Mapping[str, Any]) -> bool:
        return self.source is None or qn.is_visible(self.source, answers)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    warning: bool = False

    def visible(self, answers: Mapping[str, Any]) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.shown(answers))


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
                )
            )
        result.append(Section(s.id, s.title, s.intro, tuple(questions), warning=s.warning_signs))
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
