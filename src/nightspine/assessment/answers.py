"""Validated answers: the only input the assessment engine accepts.

:func:`validate_answers` checks a raw mapping (parsed from JSON or YAML, or collected by the
questionnaire) against the assessment vocabulary and reports every problem at once.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping
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
        # many-of answers as sets, for :meth:`choices`
        self._sets = {k: frozenset(v) for k, v in self._values.items() if isinstance(v, tuple)}

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
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def to_json(self) -> dict[str, Any]:
        """A plain JSON-ready dict (many-of answers as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._values.items()}


def validate_answers(
    raw: Mapping[str, Any], vocabulary: AssessmentVocabulary | None = None
) -> Answers:
    """Check ``raw`` against the vocabulary and return :class:`Answers`.

    Raises :class:`~nightspine.errors.InvalidInputError` listing every unknown key and every
    value of the wrong type or out of range, each naming the key and what is allowed. A value of
    ``None`` is the same as leaving the key out.
    """
    if isinstance(raw, Answers):
        return raw
    if not isinstance(raw, Mapping):
        raise InvalidInputError(
            [
                Problem(
                    "answers",
                    f"expected a mapping of answer keys to values, got {type(raw).__name__}",
                )
            ],
            what="answers",
        )
    vocab = vocabulary or assessment_vocabulary()
    problems: list[Problem] = []
    values: dict[str, Value] = {}
    for key, value in raw.items():
        spec = vocab.answers.get(key) if isinstance(key, str) else None
        if spec is None:
            problems.append(
                Problem(str(key), "unknown answer key; see the vocabulary for the keys allowed")
            )
            continue
        if value is None:
            continue
        try:
            values[key] = check_value(spec, value)
        except FieldValueError as exc:
            young = _too_young(spec, key, value)
            problems.append(Problem(key, f"{exc}. {young}" if young else str(exc)))
    problems += impossible_combinations(values)
    if problems:
        raise InvalidInputError(problems, what="answers")
    return Answers(values)


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
