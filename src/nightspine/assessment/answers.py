"""Validated answers: the only input the assessment engine accepts.

:func:`validate_answers` checks a raw mapping (parsed from JSON or YAML, or collected by the
questionnaire) against the assessment vocabulary and reports every problem at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping
from typing import Any

from nightspine.errors import InvalidInputError, Problem
from nightspine.knowledge.fields import FieldValueError, Value, check_value
from nightspine.knowledge.vocabulary import (
    AssessmentVocabulary,
    FieldSpec,
    assessment_vocabulary,
)

_NONE: frozenset[str] = frozenset()


class Answers(Mapping[str, Value]):
    """An immutable, validated set of answers.

    A key that is absent means "no / not present" for bool and many-of answers and "not known"
    otherwise, as the contract says; the accessors below encode that reading once.
    """

    __slots__ = ("_sets", "_values")

    def __init__(self, values: Mapping[str, Value]) -> None:
        self._values = dict(values)
        # many-of answers as sets, built once: the engine asks for them many times
        self._sets = {k: frozenset(v) for k, v in self._values.items() if isinstance(v, tuple)}

    @classmethod
    def _checked(cls, values: dict[str, Value], sets: dict[str, frozenset[str]]) -> Answers:
        """Answers from :func:`validate_answers`, which hands over its own dicts (no copies):
        ``sets`` holds every tuple answer of ``values`` as a frozenset."""
        made = cls.__new__(cls)
        made._values = values
        made._sets = sets
        return made

    def __getitem__(self, key: str) -> Value:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def keys(self) -> KeysView[str]:
        return self._values.keys()

    def items(self) -> ItemsView[str, Value]:
        return self._values.items()

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def as_dict(self) -> dict[str, Any]:
        """The validated values themselves as a plain dict, for code that reads dozens of them
        (plain dict lookups are the fastest). Read it, never change it: it is not a copy."""
        return self._values

    def __repr__(self) -> str:
        return f"Answers({self._values!r})"

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self._values.items())))

    def flag(self, key: str) -> bool:
        """A bool answer; absent means no."""
        return self._values.get(key) is True

    def choices(self, key: str) -> frozenset[str]:
        """A many-of answer as a set; absent means none."""
        return self._sets.get(key, _NONE)

    def choice(self, key: str) -> str | None:
        """A one-of answer, or None when not known."""
        value = self._values.get(key)
        return value if isinstance(value, str) else None

    def number(self, key: str) -> float | None:
        """A numeric answer, or None when not known."""
        value = self._values.get(key)
        # validated answers hold numbers as exactly int or float (never bool)
        if type(value) is int or type(value) is float:
            return float(value)
        return None

    def to_json(self) -> dict[str, Any]:
        """A plain JSON-ready dict (many-of answers as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._values.items()}


_SLOW: Any = object()
_MANY_MEMO_SIZE = 512  # normal forms remembered per many-of key; the memo is cleared when full

# The quick check of each answer key: the value's normal form, or _SLOW for anything else (which
# then goes through check_value, with its error messages). Only a many-of check returns a tuple:
# the normal form with its frozenset.
_QUICK: dict[int, tuple[AssessmentVocabulary, dict[str, Callable[[Any], Any]]]] = {}


def _quick_checks(vocab: AssessmentVocabulary) -> dict[str, Callable[[Any], Any]]:
    """The quick checks of every answer key of ``vocab``, built once per vocabulary."""
    cached = _QUICK.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        checks = {
            key: _many_check(spec) if spec.type == "many-of" else _quick_check(spec)
            for key, spec in vocab.answers.items()
        }
        cached = (vocab, checks)
        _QUICK[id(vocab)] = cached
    return cached[1]


def _many_check(spec: FieldSpec) -> Callable[[Any], Any]:
    """The quick check of a many-of answer: (normal form, its frozenset) or ``_SLOW``.

    The results for the last few hundred distinct values of this one key are remembered
    (questionnaires send the same few combinations again and again); the memo is keyed by the
    value alone and cleared when full, so it never grows without bound.
    """
    check = _quick_check(spec)
    memo: dict[tuple[Any, ...], tuple[tuple[str, ...], frozenset[str]]] = {}

    def many(v: Any) -> Any:
        if type(v) is list:
            v = tuple(v)
        elif type(v) is not tuple:
            return _SLOW
        try:
            known = memo.get(v)
        except TypeError:  # an unhashable item: check_value says what is wrong
            return _SLOW
        if known is None:
            normal = check(v)
            if normal is _SLOW:
                return _SLOW
            if len(memo) >= _MANY_MEMO_SIZE:
                memo.clear()
            known = memo[v] = (normal, frozenset(normal))
        return known

    return many


def _quick_check(spec: FieldSpec) -> Callable[[Any], Any]:
    """A fast path for values that are already in their normal form.

    It returns the value exactly as :func:`check_value` would, or ``_SLOW`` for anything else
    (which then goes through :func:`check_value`, with its error messages). Answers arrive
    from JSON or the questionnaire in normal form nearly always; a property test checks that
    both paths agree.
    """
    low = -math.inf if spec.min is None else spec.min
    high = math.inf if spec.max is None else spec.max
    if spec.type == "bool":
        return lambda v: v if v is True or v is False else _SLOW
    if spec.type == "one-of":
        allowed = frozenset(spec.values)
        return lambda v: v if type(v) is str and v in allowed else _SLOW
    if spec.type == "many-of":
        order = {value: index for index, value in enumerate(spec.values)}
        names = spec.values

        def many(v: Any) -> Any:
            if type(v) is not list and type(v) is not tuple:
                return _SLOW
            try:
                indices = sorted({order[x] for x in v})
            except (KeyError, TypeError):  # an unknown or unhashable item
                return _SLOW
            return tuple([names[i] for i in indices])

        return many
    if spec.type in ("int", "0-10"):
        return lambda v: v if type(v) is int and low <= v <= high else _SLOW
    if spec.type == "number":
        return lambda v: (
            float(v)
            if (type(v) is float or type(v) is int) and math.isfinite(v) and low <= v <= high
            else _SLOW
        )
    return lambda v: _SLOW


def validate_answers(
    raw: Mapping[str, Any], vocabulary: AssessmentVocabulary | None = None
) -> Answers:
    """Check ``raw`` against the vocabulary and return :class:`Answers`.

    Raises :class:`~nightspine.errors.InvalidInputError` listing every unknown key and every
    value of the wrong type or out of range, each naming the key and what is allowed. A value of
    ``None`` is the same as leaving the key out.
    """
    plain = type(raw) is dict  # a plain dict is neither Answers nor anything but a Mapping
    if not plain and isinstance(raw, Answers):
        return raw
    vocab = vocabulary or assessment_vocabulary()
    if not plain and not isinstance(raw, Mapping):
        raise InvalidInputError(
            [
                Problem(
                    "answers",
                    f"expected a mapping of answer keys to values, got {type(raw).__name__}",
                )
            ],
            what="answers",
        )
    problems: list[Problem] = []
    values: dict[str, Value] = {}
    sets: dict[str, frozenset[str]] = {}
    checks = _quick_checks(vocab)
    for key, value in raw.items():
        check = checks.get(key)
        if check is not None and value is not None:  # the quick path: a value in normal form
            quick = check(value)
            if quick is not _SLOW:
                if type(quick) is tuple:  # a many-of answer and its set
                    values[key], sets[key] = quick
                else:
                    values[key] = quick
                continue
        spec = vocab.answers.get(key) if isinstance(key, str) else None
        if spec is None:
            problems.append(
                Problem(str(key), "unknown answer key; see the vocabulary for the keys allowed")
            )
            continue
        if value is None:
            continue
        try:
            checked = values[key] = check_value(spec, value)
        except FieldValueError as exc:
            young = _too_young(spec, key, value)
            problems.append(Problem(key, f"{exc}. {young}" if young else str(exc)))
            continue
        if isinstance(checked, tuple):
            sets[key] = frozenset(checked)
    problems += impossible_combinations(values)
    if problems:
        raise InvalidInputError(problems, what="answers")
    return Answers._checked(values, sets)


HOURS_IN_A_DAY = 24

TOO_YOUNG = (
    "nightspine is made for people aged {minimum} and over. Back pain is uncommon in younger "
    "children and more often has a cause that needs finding: please ask a doctor to see the "
    "child rather than using this questionnaire."
)


def _too_young(spec: FieldSpec, key: str, value: object) -> str | None:
    """The message for an age below the youngest the product is made for (a clear next step
    instead of a bare range error)."""
    if key != "age" or spec.min is None or type(value) not in (int, float):
        return None
    if value < spec.min and value >= 0:  # type: ignore[operator]
        return TOO_YOUNG.format(minimum=int(spec.min))
    return None


def impossible_combinations(values: Mapping[str, Value]) -> list[Problem]:
    """Answers that cannot all be true together, each with how to fix it (one answer is
    probably a slip, and triage built on it could be wrong). The problem is reported at both
    answers, so a screen that asks either one shows it."""
    problems: list[Problem] = []
    if values.get("pregnant") is True and values.get("sex") == "male":
        fix = (
            "pregnant is answered yes and sex 'male'; please check both answers (choose "
            "'female' or 'other' for sex, or answer no to pregnant)"
        )
        problems += [Problem("pregnant", fix), Problem("sex", fix)]
    bed, sitting = values.get("hours_in_bed"), values.get("sitting_hours")
    numbers = type(bed) in (int, float) and type(sitting) in (int, float)  # validated: never bool
    if numbers and bed + sitting > HOURS_IN_A_DAY:  # type: ignore[operator]
        fix = (
            f"{_hours(sitting)} hours sitting and {_hours(bed)} hours in bed make more than "  # type: ignore[arg-type]
            f"the {HOURS_IN_A_DAY} hours of a day; please check both answers (sitting counts "
            "waking hours only)"
        )
        problems += [Problem("hours_in_bed", fix), Problem("sitting_hours", fix)]
    return problems


def _hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
