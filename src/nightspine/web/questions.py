"""The questionnaire as the web app shows it: sections of questions with skip logic.

One source of truth: the questionnaire data that the command line asks
(``nightspine.assessment.questionnaire``). Until that lands, the sections are derived from the
assessment vocabulary, warning signs first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from nightspine.knowledge.vocabulary import assessment_vocabulary


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    text: str
    kind: str  # a FieldSpec type: bool, int, number, 0-10, one-of, many-of
    help: str = ""
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    shown_when: Callable[[Mapping[str, Any]], bool] | None = field(default=None, compare=False)

    def shown(self, answers: Mapping[str, Any]) -> bool:
        return self.shown_when is None or self.shown_when(answers)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    warning: bool = False

    def visible(self, answers: Mapping[str, Any]) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.shown(answers))


def humanize(key: str) -> str:
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


_GROUPS: tuple[tuple[str, str, str, str, bool], ...] = (
    # (first key of the group in the vocabulary, id, title, intro, warning signs)
    (
        "numbness_or_tingling",
        "warning_signs",
        "Signs that change what to do",
        "These come first because a few of them need a doctor quickly. Tick only what is true.",
        True,
    ),
    ("age", "about_you", "About you", "A few facts that change what the answers mean.", False),
    ("pain_locations", "the_pain", "Your pain", "Where it hurts, how much and when.", False),
    ("sleep_position", "sleep", "Your sleep", "How you sleep and on what.", False),
    ("sitting_hours", "the_day", "Your day", "Daytime habits feed night-time pain.", False),
    ("conditions", "history", "Your health history", "Conditions and medicines.", False),
)


@cache
def sections() -> tuple[Section, ...]:
    """The questionnaire's sections in the order asked: warning signs first."""
    vocab = assessment_vocabulary()
    firsts = {g[0]: g for g in _GROUPS}
    grouped: dict[str, list[Question]] = {g[1]: [] for g in _GROUPS}
    current = _GROUPS[1][1]
    for key, spec in vocab.answers.items():
        if key in firsts:
            current = firsts[key][1]
        grouped[current].append(
            Question(
                key=key,
                text=humanize(key),
                kind=spec.type,
                options=tuple(Option(v, humanize(v)) for v in spec.values),
                min=spec.min,
                max=spec.max,
            )
        )
    return tuple(Section(g[1], g[2], g[3], tuple(grouped[g[1]]), warning=g[4]) for g in _GROUPS)


def question_texts() -> dict[str, str]:
    """Each answer key's question, to explain "because" lists in words."""
    return {q.key: q.text for s in sections() for q in s.questions}


def option_label(key: str, value: str) -> str:
    for s in sections():
        for q in s.questions:
            if q.key == key:
                for o in q.options:
                    if o.value == value:
                        return o.label
    return humanize(value)
