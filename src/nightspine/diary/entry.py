"""One diary entry: the morning after one night (the diary contract's fields)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nightspine.errors import InvalidInputError, Problem
from nightspine.knowledge.fields import FieldValueError, check_value
from nightspine.knowledge.vocabulary import diary_vocabulary

Score = Annotated[int, Field(ge=0, le=10)]
Hours = Annotated[float, Field(ge=0, le=24)]
Location = Literal["neck", "upper_back", "mid_back", "lower_back", "shoulder_blade"]
Position = Literal["back", "side", "stomach", "mixed"]
Medication = Literal[
    "muscle_relaxant", "opioid", "sleeping_tablet", "nsaid", "paracetamol", "anticoagulant"
]
Origin = Literal["typed", "measured", "imported"]


class DiaryEntry(BaseModel):
    """A morning's entry. ``None`` means "not recorded" (an empty CSV cell).

    Every answer has three states: a value, "no" (``False``; for a list, the empty tuple:
    "none"), and not recorded (``None``). A list left ``None`` was never answered and is never
    counted as "none".

    ``date`` is the morning's date; there is one entry per date. ``origin`` says whether the
    person typed it, a sensor measured it, or it came from a file; ``measured_fields`` names the
    fields a sensor filled in (never overwritten silently by a measurement).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    pain_on_waking: Score
    pain_worst_night: Score | None = None
    stiffness_minutes: Annotated[int, Field(ge=0)] | None = None
    woke_from_pain: Annotated[int, Field(ge=0)] | None = None
    pain_locations: tuple[Location, ...] | None = None
    sleep_position: Position | None = None
    knee_pillow: bool | None = None
    pillow: str | None = None
    mattress: str | None = None
    hours_slept: Hours | None = None
    tosses_and_turns: bool | None = None
    exercise_minutes: Annotated[int, Field(ge=0)] | None = None
    sitting_hours: Hours | None = None
    stress: Score | None = None
    alcohol_evening: bool | None = None
    caffeine_evening: bool | None = None
    screens_in_bed: bool | None = None
    stretching: bool | None = None
    heat_or_ice: bool | None = None
    medications: tuple[Medication, ...] | None = None
    notes: str | None = None
    origin: Origin = "typed"
    measured_fields: tuple[str, ...] = ()


CONTRACT_FIELDS: tuple[str, ...] = tuple(diary_vocabulary().fields)
"""The diary contract's field names, in its order: the CSV columns."""


def entry_from_values(values: Mapping[str, Any], *, where: str = "entry") -> DiaryEntry:
    """Build an entry from already-typed values, reporting every contract breach at once.

    ``values`` holds contract fields (plus ``origin`` and ``measured_fields`` if wanted); a
    missing or ``None`` value means not recorded, and an empty list means "none" (recorded).
    Raises :class:`InvalidInputError` whose problems name ``where`` and the field, and say
    what is allowed.
    """
    fields = diary_vocabulary().fields
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("origin", "measured_fields"):
            clean[name] = value
            continue
        spec = fields.get(name)
        if spec is None:
            problems.append(Problem(f"{where}, {name}", "unknown diary field"))
            continue
        if value is None:
            continue
        try:
            clean[name] = check_value(spec, value)
        except FieldValueError as exc:
            problems.append(Problem(f"{where}, {name}", str(exc)))
    for name, spec in fields.items():
        if spec.required and values.get(name) is None:
            problems.append(Problem(f"{where}, {name}", "is required"))
    if problems:
        raise InvalidInputError(problems, what="diary entry")
    return DiaryEntry.model_validate(clean)
