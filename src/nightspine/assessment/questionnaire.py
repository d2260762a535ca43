"""The questionnaire as a pure function of the answers so far.

The questions, their wording, choices and skip logic live in ``knowledge/data/questionnaire.yaml``;
this module decides which question comes next and how an answer reads in plain words. The command
line asks the questions in a terminal and the web app on a page; both use these functions, so the
order and the skip logic are the same everywhere.

Skip logic is a set of :class:`~nightspine.knowledge.schema.Conditions` over earlier answers.
Warning-sign questions are asked of everyone; only their follow-ups (such as whether a weakness is
getting worse) depend on earlier warning-sign answers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from nightspine.errors import KnowledgeError
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge
from nightspine.knowledge.schema import Condition, Conditions, Question, Section

_COLLECTIONS = (list, tuple, set, frozenset)


def has_answer(value: Any) -> bool:
    """Whether ``value`` is a real answer: ``True``, a non-empty list, a number or a choice.

    ``False``, an empty list and ``None`` mean "no" or "not known".
    """
    if value is None or value is False:
        return False
    if isinstance(value, _COLLECTIONS):
        return len(value) > 0
    return True


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def condition_holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether one condition holds for ``answers`` (absent answers never match a value)."""
    value = answers.get(condition.key)
    if condition.answered is not None:
        return has_answer(value) is condition.answered
    if condition.equals is not None:
        if isinstance(condition.equals, bool):
            return value is condition.equals
        return bool(value == condition.equals)
    if condition.any_of:
        if isinstance(value, str):
            return value in condition.any_of
        if isinstance(value, _COLLECTIONS):
            return any(v in condition.any_of for v in value)
        return False
    number = _number(value)
    if number is None:
        return False
    if condition.at_least is not None:
        return number >= condition.at_least
    return condition.below is not None and number < condition.below


def conditions_hold(conditions: Conditions, answers: Mapping[str, Any]) -> bool:
    """``all`` hold and, when ``any`` is given, at least one of ``any``."""
    return match(conditions, answers) is not None


def match(conditions: Conditions, answers: Mapping[str, Any]) -> list[str] | None:
    """The keys of the conditions that hold, when ``conditions`` hold as a whole; else None."""
    keys: list[str] = []
    for c in conditions.all:
        if not condition_holds(c, answers):
            return None
        if c.key not in keys:
            keys.append(c.key)
    if conditions.any:
        hits = [c.key for c in conditions.any if condition_holds(c, answers)]
        if not hits:
            return None
        keys += [k for k in hits if k not in keys]
    return keys


Matcher = Callable[[Mapping[str, Any]], "list[str] | None"]


def trigger_keys(conditions: Conditions) -> frozenset[str] | None:
    """Answer keys of which at least one must be present for ``conditions`` to hold.

    None when they can hold with none of their keys answered (only an ``answered: false`` test
    holds for an absent answer).
    """
    needed = [c.key for c in conditions.all if c.answered is not False]
    if needed:
        return frozenset(needed)
    if not conditions.any or any(c.answered is False for c in conditions.any):
        return None
    return frozenset(c.key for c in conditions.any)


def compile_match(conditions: Conditions) -> Matcher:
    """:func:`match` bound to ``conditions`` (plain evaluation; kept for callers)."""

    def matcher(answers: Mapping[str, Any]) -> list[str] | None:
        return match(conditions, answers)

    return matcher


compile_validated_match = compile_match
"""The same as :func:`compile_match` (validated answers need no special path)."""


def matched_keys(conditions: Conditions, answers: Mapping[str, Any]) -> list[str]:
    """The answer keys of the conditions that hold (in order, without repeats)."""
    keys = [c.key for c in (*conditions.all, *conditions.any) if condition_holds(c, answers)]
    return list(dict.fromkeys(keys))


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else load_knowledge()


def sections(kb: KnowledgeBase | None = None) -> tuple[Section, ...]:
    """The sections in the order they are asked (warning signs first)."""
    return _kb(kb).questionnaire.sections


def questions_by_key(kb: KnowledgeBase | None = None) -> dict[str, Question]:
    """Every question under its answer key."""
    return {q.key: q for q in _kb(kb).questionnaire.questions()}


def _index(kb: KnowledgeBase | None) -> dict[str, Question]:
    return questions_by_key(kb)


def question(key: str, kb: KnowledgeBase | None = None) -> Question:
    """The question stored under answer key ``key``."""
    found = _index(kb).get(key)
    if found is None:
        raise KnowledgeError(f"the questionnaire has no question for answer key '{key}'")
    return found


def has_question(key: str, kb: KnowledgeBase | None = None) -> bool:
    """Whether the questionnaire asks ``key``."""
    return key in _index(kb)


def section_of(key: str, kb: KnowledgeBase | None = None) -> Section:
    """The section that asks ``key``."""
    for section in sections(kb):
        if any(q.key == key for q in section.questions):
            return section
    raise KnowledgeError(f"the questionnaire has no question for answer key '{key}'")


def warning_sign_keys(kb: KnowledgeBase | None = None) -> tuple[str, ...]:
    """The answer keys of the warning-sign questions, in the order asked."""
    questionnaire = _kb(kb).questionnaire
    return tuple(q.key for s in questionnaire.sections if s.warning_signs for q in s.questions)


def is_visible(q: Question, answers: Mapping[str, Any]) -> bool:
    """Whether ``q`` is asked, given the answers so far."""
    return q.show_if is None or conditions_hold(q.show_if, answers)


def visible_questions(
    answers: Mapping[str, Any], kb: KnowledgeBase | None = None
) -> list[Question]:
    """Every question asked given ``answers``, in order."""
    return [q for q in _kb(kb).questionnaire.questions() if is_visible(q, answers)]


def next_question(
    answers: Mapping[str, Any],
    kb: KnowledgeBase | None = None,
    *,
    skipped: Collection[str] = (),
) -> Question | None:
    """The first visible question not yet answered (nor ``skipped``), or None when done.

    ``answers`` may hold ``False`` or an empty list for a question answered "no": that counts as
    answered. Warning-sign questions cannot be skipped: a key of theirs in ``skipped`` is ignored.
    """
    warning = set(warning_sign_keys(kb))
    for q in visible_questions(answers, kb):
        if q.key in answers:
            continue
        if q.key in skipped and q.key not in warning:
            continue
        return q
    return None


def progress(
    answers: Mapping[str, Any],
    kb: KnowledgeBase | None = None,
    *,
    skipped: Collection[str] = (),
) -> tuple[int, int]:
    """(questions answered or skipped, questions shown in all) given the answers so far.

    The total can change as answers open or close follow-up questions.
    """
    shown = visible_questions(answers, kb)
    done = sum(1 for q in shown if q.key in answers or q.key in skipped)
    return done, len(shown)


@dataclass(frozen=True)
class Checklist:
    """Yes/no questions asked together: "tick any that apply, or none of these".

    Ticked questions are answered yes and the others no; "none of these" answers all of them
    no; nothing ticked leaves all of them unanswered.
    """

    id: str
    text: str
    questions: tuple[Question, ...]
    warning_signs: bool


Item = Question | Checklist
"""What a person answers in one go: one question, or one checklist."""


def section_items(
    section: Section, answers: Mapping[str, Any], kb: KnowledgeBase | None = None
) -> list[Item]:
    """The visible questions of ``section``, checklists gathered where their first one stands."""
    items: list[Item] = []
    seen: dict[str, int] = {}
    for q in section.questions:
        if not is_visible(q, answers):
            continue
        if not q.group:
            items.append(q)
            continue
        if q.group not in seen:
            seen[q.group] = len(items)
            text = section.groups[q.group]
            items.append(Checklist(q.group, text, (), section.warning_signs))
        old = items[seen[q.group]]
        if isinstance(old, Checklist):
            items[seen[q.group]] = Checklist(
                old.id, old.text, (*old.questions, q), old.warning_signs
            )
    return items


def visible_items(answers: Mapping[str, Any], kb: KnowledgeBase | None = None) -> list[Item]:
    """Every question or checklist asked given ``answers``, in order."""
    return [i for s in sections(kb) for i in section_items(s, answers, kb)]


def item_keys(item: Item) -> tuple[str, ...]:
    """The answer keys one item answers."""
    return tuple(q.key for q in item.questions) if isinstance(item, Checklist) else (item.key,)


def next_item(
    answers: Mapping[str, Any],
    kb: KnowledgeBase | None = None,
    *,
    skipped: Collection[str] = (),
) -> Item | None:
    """The first visible item with an unanswered key (not ``skipped``), or None when done.

    A checklist is skipped by its id; warning-sign questions and checklists cannot be skipped.
    """
    warning = set(warning_sign_keys(kb))
    for item in visible_items(answers, kb):
        keys = item_keys(item)
        if all(k in answers for k in keys):
            continue
        name = item.id if isinstance(item, Checklist) else item.key
        if name in skipped and not any(k in warning for k in keys):
            continue
        return item
    return None


def question_count(answers: Mapping[str, Any], kb: KnowledgeBase | None = None) -> int:
    """How many items (questions or checklists) a person with ``answers`` is asked."""
    return len(visible_items(answers, kb))


SECONDS_PER_ITEM = 12
"""A cautious average time to read and answer one item on a phone."""


def estimate(kb: KnowledgeBase | None = None) -> tuple[int, int]:
    """(items, minutes) for a person whose answers open no follow-up questions.

    The one source of the time the home page and the terminal promise.
    """
    count = question_count({}, kb)
    return count, -(-count * SECONDS_PER_ITEM // 60)


def prune_hidden(answers: Mapping[str, Any], kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """``answers`` without the answers to questions that are no longer shown.

    Used when a person goes back and changes an earlier answer: a follow-up that no longer
    applies (e.g. "is the weakness getting worse?" after un-ticking weakness) is dropped.
    """
    current = dict(answers)
    while True:
        shown = {q.key for q in visible_questions(current, kb)}
        hidden = [k for k in current if k not in shown and _asked(k, kb)]
        if not hidden:
            return current
        for key in hidden:
            del current[key]


def _asked(key: str, kb: KnowledgeBase | None) -> bool:
    return has_question(key, kb)


def choice_label(key: str, value: str, kb: KnowledgeBase | None = None) -> str:
    """The plain label of one choice of a one-of or many-of question."""
    return question(key, kb).choices.get(value, value.replace("_", " "))


def answer_text(key: str, value: Any, kb: KnowledgeBase | None = None) -> str:
    """An answer in plain words: 'yes'/'no', the labels of the choices, or a number and unit."""
    return text_of(question(key, kb), value)


def text_of(q: Question, value: Any) -> str:
    """:func:`answer_text` for a question already looked up."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return q.choices.get(value, value.replace("_", " "))
    if isinstance(value, _COLLECTIONS):
        if not value:
            return q.none_label or "none"
        return ", ".join(q.choices.get(v, str(v).replace("_", " ")) for v in value)
    number = _number(value)
    if number is not None:
        shown = str(int(number)) if number.is_integer() else f"{number:g}"
        unit = q.unit
        if number == 1 and unit:
            first, _, rest = unit.partition(" ")
            unit = " ".join(p for p in (first.removesuffix("s"), rest) if p)
        return f"{shown} {unit}".strip()
    return str(value)


__all__ = [
    "SECONDS_PER_ITEM",
    "Checklist",
    "Item",
    "answer_text",
    "choice_label",
    "compile_match",
    "compile_validated_match",
    "condition_holds",
    "conditions_hold",
    "estimate",
    "has_answer",
    "has_question",
    "is_visible",
    "item_keys",
    "match",
    "matched_keys",
    "next_item",
    "next_question",
    "progress",
    "prune_hidden",
    "question",
    "question_count",
    "questions_by_key",
    "section_items",
    "section_of",
    "sections",
    "text_of",
    "trigger_keys",
    "visible_items",
    "visible_questions",
    "warning_sign_keys",
]
