"""Checking one value against its :class:`~nightspine.knowledge.vocabulary.FieldSpec`.

Shared by the assessment answers and the diary entries so that both contracts are enforced by
one piece of code, with the same wording in their error messages.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from nightspine.knowledge.vocabulary import FieldSpec

Value = int | float | bool | str | dt.date | tuple[str, ...]


class FieldValueError(ValueError):
    """A value does not fit its field; the message says what is allowed."""


def check_value(spec: FieldSpec, value: Any) -> Value:
    """Return ``value`` normalised for ``spec`` or raise :class:`FieldValueError`.

    Normalising means: a many-of list becomes a tuple in the vocabulary's order without
    duplicates; a whole float such as ``3.0`` is accepted for an int field; a date string
    becomes a :class:`datetime.date`. Nothing else is guessed: ``"7"`` is not a number here
    (text formats such as CSV parse their cells before calling this).
    """
    kind = spec.type
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    if kind in ("int", "0-10", "number"):
        return _check_number(spec, value)
    if kind == "one-of":
        if isinstance(value, str) and value in spec.values:
            return value
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    if kind == "many-of":
        return _check_many(spec, value)
    if kind == "date":
        return _check_date(spec, value)
    if isinstance(value, str):  # text
        return value
    raise FieldValueError(f"got {value!r}; expected {spec.describe()}")


def _check_number(spec: FieldSpec, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    number: int | float = value
    if spec.type in ("int", "0-10"):
        if isinstance(value, float):
            if not value.is_integer():
                raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
            number = int(value)
    else:
        number = float(value)
    if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    return number


def _check_many(spec: FieldSpec, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    unknown = [v for v in value if not isinstance(v, str) or v not in spec.values]
    if unknown:
        shown = ", ".join(repr(v) for v in unknown)
        raise FieldValueError(f"{shown} not allowed; expected {spec.describe()}")
    chosen = set(value)
    return tuple(v for v in spec.values if v in chosen)


EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
"""The dates a diary morning may have. Year 1 or 9999 is always a typing slip, and at the edge
of the calendar "the day after" and the charts' date arithmetic cannot be computed."""


def _check_date(spec: FieldSpec, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise FieldValueError(f"got a date and time {value!r}; expected {spec.describe()}")
    date: dt.date | None = value if isinstance(value, dt.date) else None
    if isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            date = None
    if date is None:
        raise FieldValueError(f"got {value!r}; expected {spec.describe()}")
    return check_date_in_range(date)


def check_date_in_range(date: dt.date) -> dt.date:
    """``date`` when it lies from :data:`EARLIEST_DATE` to :data:`LATEST_DATE`, else an error."""
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise FieldValueError(
            f"got {date.isoformat()}; expected a date from {EARLIEST_DATE.isoformat()} "
            f"to {LATEST_DATE.isoformat()}"
        )
    return date


def plain_problem(label: str, spec: FieldSpec) -> str:
    """A form's error message in the GOV.UK style: say what to do, name the field, never echo
    the program's view of the value ("got 30.0"). ``label`` is the field's name on the form.

    >>> from nightspine.knowledge.vocabulary import FieldSpec
    >>> plain_problem("Morning pain", FieldSpec(type="0-10", min=0, max=10))
    'Enter morning pain as a whole number from 0 to 10'
    """
    what = label[:1].lower() + label[1:]
    if spec.type in ("int", "0-10", "number"):
        return f"Enter {what} as {spec.describe()}"
    if spec.type == "date":
        return f"Enter {what} as a real date, for example 2 Mar 2026 (2026-03-02)"
    if spec.type in ("one-of", "many-of", "bool"):
        return f"Choose {what} from the options shown"
    return f"Check {what}"
