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
from typing import Any

from nightspine.errors import KnowledgeError
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge
from nightspine.knowledge.schema import Condition, Conditions, Question, Questionnaire, Section

# Type tuples built once: ``isinstance(v, list | tuple)`` builds a new union on every call, which
# costs several times the check itself in these hot functions.
_COLLECTIONS = (list, tuple, set, frozenset)
_NUMBERS = (int, float)


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
    if isinstance(value, bool) or not isinstance(value, _NUMBERS):
        return None
    return float(value)


Predicate = Callable[[Mapping[str, Any]], bool]
_COMPILED: dict[int, tuple[Condition, Predicate]] = {}


def _compile(condition: Condition) -> Predicate:
    key = condition.key
    if condition.answered is not None:
        want = condition.answered
        return lambda answers: has_answer(answers.get(key)) is want
    if condition.equals is not None:
        target = condition.equals
        if isinstance(target, bool):
            return lambda answers: answers.get(key) is target
        return lambda answers: answers.get(key) == target
    if condition.any_of:
        wanted = frozenset(condition.any_of)

        def any_of(answers: Mapping[str, Any]) -> bool:
            value = answers.get(key)
            if isinstance(value, str):
                return value in wanted
            if isinstance(value, _COLLECTIONS):
                return not wanted.isdisjoint(value)
            return False

        return any_of
    at_least, below = condition.at_least, condition.below

    def number(answers: Mapping[str, Any]) -> bool:
        value = _number(answers.get(key))
        if value is None:
            return False
        if at_least is not None:
            return value >= at_least
        return below is not None and value < below

    return number


def _predicate(condition: Condition) -> Predicate:
    cached = _COMPILED.get(id(condition))
    if cached is None or cached[0] is not condition:
        cached = (condition, _compile(condition))
        _COMPILED[id(condition)] = cached
    return cached[1]


def condition_holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether one condition holds for ``answers`` (absent answers never match a value)."""
    return _predicate(condition)(answers)


def conditions_hold(conditions: Conditions, answers: Mapping[str, Any]) -> bool:
    """``all`` hold and, when ``any`` is given, at least one of ``any``."""
    for c in conditions.all:
        if not _predicate(c)(answers):
            return False
    if not conditions.any:
        return True
    return any(_predicate(c)(answers) for c in conditions.any)


def match(conditions: Conditions, answers: Mapping[str, Any]) -> list[str] | None:
    """The keys of the conditions that hold, when ``conditions`` hold as a whole; else None."""
    keys: list[str] = []
    for c in conditions.all:
        if not _predicate(c)(answers):
            return None
        if c.key not in keys:
            keys.append(c.key)
    if conditions.any:
        hits = [c.key for c in conditions.any if _predicate(c)(answers)]
        if not hits:
            return None
        keys += [k for k in hits if k not in keys]
    return keys


Matcher = Callable[[Mapping[str, Any]], "list[str] | None"]


def _needed(conditions: Conditions) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys that must all be answered, and those of which one must be, for ``conditions``.

    Only an ``answered: false`` test holds for an absent (or None) answer; every other test needs
    its key. The second tuple is empty when ``any`` is not given or holds without an answer.
    """
    needed = tuple(dict.fromkeys(c.key for c in conditions.all if c.answered is not False))
    if any(c.answered is False for c in conditions.any):
        return needed, ()
    return needed, tuple(dict.fromkeys(c.key for c in conditions.any))


def trigger_keys(conditions: Conditions) -> frozenset[str] | None:
    """Answer keys of which at least one must be present for ``conditions`` to hold.

    None when they can hold with none of their keys answered. Code that checks many conditions
    uses this to skip those that cannot hold without calling them.
    """
    needed, one_of = _needed(conditions)
    return frozenset(needed or one_of) or None


def compile_match(conditions: Conditions) -> Matcher:
    """:func:`match` prepared once for ``conditions`` (for code that checks them often)."""
    every = [(c.key, _compile(c)) for c in conditions.all]
    some = [(c.key, _compile(c)) for c in conditions.any]
    # a dict lookup rules most conditions out before any test runs
    needed, one_of = _needed(conditions)

    def matcher(answers: Mapping[str, Any]) -> list[str] | None:
        for key in needed:
            if key not in answers:
                return None
        if one_of and answers.keys().isdisjoint(one_of):
            return None
        keys: list[str] = []
        for key, holds in every:
            if not holds(answers):
                return None
            if key not in keys:
                keys.append(key)
        if some:
            hits = [key for key, holds in some if holds(answers)]
            if not hits:
                return None
            keys += [k for k in hits if k not in keys]
        return keys

    return matcher


def _validated_test(condition: Condition, value: str, constants: dict[str, Any]) -> str:
    """A Python expression for one condition on the validated answer named ``value``."""
    if condition.answered is not None:
        has = f"({value} is not None and {value} is not False and {value} != ())"
        return has if condition.answered else f"not {has}"
    if condition.equals is not None:
        name = f"_c{len(constants)}"
        constants[name] = condition.equals
        if isinstance(condition.equals, bool):
            return f"{value} is {name}"
        return f"{value} == {name}"
    number = f"(type({value}) is int or type({value}) is float)"
    if condition.any_of:
        name = f"_c{len(constants)}"
        constants[name] = frozenset(condition.any_of)
        return (
            f"({value} in {name} if type({value}) is str "
            f"else type({value}) is tuple and not {name}.isdisjoint({value}))"
        )
    name = f"_c{len(constants)}"
    if condition.at_least is not None:
        constants[name] = condition.at_least
        return f"({number} and {value} >= {name})"
    if condition.below is not None:
        constants[name] = condition.below
        return f"({number} and {value} < {name})"
    raise KnowledgeError(f"condition on '{condition.key}' has no test; give exactly one")


def compile_validated_match(conditions: Conditions) -> Matcher:
    """:func:`match` as one generated function, for *validated* answers only.

    Validated answers hold many-of answers as tuples, one-of answers as str and numbers as int
    or float (never bool), so each test is a single expression with no calls. Used where
    thousands of conditions are checked a second (the plan); a property test checks that it
    agrees with :func:`match` on validated answers. The conditions stay data; this is only how
    they are run.
    """
    constants: dict[str, Any] = {}
    lines = ["def matcher(answers):", "    get = answers.get"]
    keys: list[str] = []
    for i, c in enumerate(conditions.all):
        lines.append(f"    v{i} = get({c.key!r})")
        lines.append(f"    if not {_validated_test(c, f'v{i}', constants)}:")
        lines.append("        return None")
        if c.key not in keys:
            keys.append(c.key)
    lines.append(f"    keys = {keys!r}")
    if conditions.any:
        lines.append("    hits = []")
        for i, c in enumerate(conditions.any):
            value = f"w{i}"
            lines.append(f"    {value} = get({c.key!r})")
            lines.append(f"    if {_validated_test(c, value, constants)}:")
            lines.append(f"        hits.append({c.key!r})")
        lines.append("    if not hits:")
        lines.append("        return None")
        lines.append("    keys += [k for k in hits if k not in keys]")
    lines.append("    return keys")
    namespace: dict[str, Any] = dict(constants)
    exec(compile("\n".join(lines), "<validated conditions>", "exec"), namespace)
    matcher: Matcher = namespace["matcher"]
    return matcher


def matched_keys(conditions: Conditions, answers: Mapping[str, Any]) -> list[str]:
    """The answer keys of the conditions that hold (in order, without repeats)."""
    keys = [c.key for c in (*conditions.all, *conditions.any) if condition_holds(c, answers)]
    return list(dict.fromkeys(keys))


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else load_knowledge()


def sections(kb: KnowledgeBase | None = None) -> tuple[Section, ...]:
    """The sections in the order they are asked (warning signs first)."""
    return _kb(kb).questionnaire.sections


_INDEX: dict[int, tuple[Questionnaire, dict[str, Question], tuple[str, ...]]] = {}


def _indexed(
    kb: KnowledgeBase | None,
) -> tuple[Questionnaire, dict[str, Question], tuple[str, ...]]:
    """The questions by key and the warning-sign keys, built once per questionnaire."""
    questionnaire = _kb(kb).questionnaire
    cached = _INDEX.get(id(questionnaire))
    if cached is None or cached[0] is not questionnaire:
        by_key = {q.key: q for q in questionnaire.questions()}
        warning = tuple(
            q.key for s in questionnaire.sections if s.warning_signs for q in s.questions
        )
        cached = _INDEX[id(questionnaire)] = (questionnaire, by_key, warning)
    return cached


def _index(kb: KnowledgeBase | None) -> dict[str, Question]:
    return _indexed(kb)[1]


def questions_by_key(kb: KnowledgeBase | None = None) -> Mapping[str, Question]:
    """Every question under its answer key (built once per questionnaire; do not modify)."""
    return _indexed(kb)[1]


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
    return _indexed(kb)[2]


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
    "answer_text",
    "choice_label",
    "compile_match",
    "compile_validated_match",
    "condition_holds",
    "conditions_hold",
    "has_answer",
    "has_question",
    "is_visible",
    "match",
    "matched_keys",
    "next_question",
    "progress",
    "prune_hidden",
    "question",
    "questions_by_key",
    "section_of",
    "sections",
    "text_of",
    "trigger_keys",
    "visible_questions",
    "warning_sign_keys",
]
