"""Step 9: a measured night as diary values, merged into the person's own entry.

The diary's fields a sensor can fill: ``sleep_position`` (the night's main position, chest or
back sensor only), ``hours_slept`` (the time in bed: an upper bound on the hours slept, which a
trunk sensor cannot separate from lying awake) and ``tosses_and_turns`` (restlessness at or
above ``restless_min``, or position changes and brief turns together at or above
``changes_per_hour_min`` an hour: a turn that comes back is still tossing and turning).

A diary entry needs the person's ``pain_on_waking``, which no sensor measures, so a measured
night only ever fills an entry the person has typed; nights without one wait until they do
(importing the same recording again is cheap). A value the person typed is kept unless
``replace``; a value measured before is updated. The fields filled are listed in the entry's
``measured_fields``.
"""

from __future__ import annotations

from dataclasses import dataclass

from nightspine.diary.entry import DiaryEntry
from nightspine.sensors.nights import NightSummary

MEASURABLE = ("sleep_position", "hours_slept", "tosses_and_turns")


@dataclass(frozen=True, slots=True)
class DiaryParams:
    restless_min: float = 0.10
    changes_per_hour_min: float = 3.0


@dataclass(frozen=True, slots=True)
class Merge:
    entry: DiaryEntry
    written: tuple[str, ...]  # fields set from the sensor
    kept: tuple[str, ...]  # fields the person typed, left as they were


def measured_values(night: NightSummary, params: DiaryParams | None = None) -> dict[str, object]:
    """The diary values this night supports (no position from a wrist sensor)."""
    prm = params or DiaryParams()
    hours = night.in_bed_hours
    values: dict[str, object] = {"hours_slept": round(min(hours, 24.0), 2)}
    changes = night.position_changes
    restless = night.restlessness >= prm.restless_min
    if changes is not None and hours > 0:
        turns = changes + (night.brief_turns or 0)
        restless = restless or turns / hours >= prm.changes_per_hour_min
    values["tosses_and_turns"] = restless
    if night.main_position in ("back", "side", "stomach", "mixed"):
        values["sleep_position"] = night.main_position
    return values


def merge(entry: DiaryEntry, values: dict[str, object], *, replace: bool = False) -> Merge:
    """``entry`` with the measured ``values`` filled in where allowed."""
    already = set(entry.measured_fields)
    data = entry.model_dump()
    written: list[str] = []
    kept: list[str] = []
    for name, value in values.items():
        typed = data.get(name) is not None and name not in already
        if typed and not replace:
            kept.append(name)
            continue
        data[name] = value
        written.append(name)
    measured = [f for f in entry.measured_fields if f not in kept]
    measured += [f for f in written if f not in measured]
    data["measured_fields"] = tuple(measured)
    return Merge(DiaryEntry.model_validate(data), tuple(written), tuple(kept))
