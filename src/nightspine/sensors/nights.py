"""Step 8: one summary per night, keyed by the morning's date like the diary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors.bouts import longest_still_epochs, restlessness
from nightspine.sensors.epochs import NS
from nightspine.sensors.position import POSITIONS, UNKNOWN, count_changes
from nightspine.sensors.window import Window

Mask = NDArray[np.bool_]
Codes = NDArray[np.int8]

MAIN_SHARE = 0.5  # a position is the night's main one when it holds half the lying time


@dataclass(frozen=True, slots=True)
class NightSummary:
    date: dt.date
    in_bed_start: dt.datetime
    in_bed_end: dt.datetime
    minutes: dict[str, float] | None  # None for a wrist sensor: position unknown
    position_changes: int | None
    longest_still_min: float
    main_position: str  # back | side | stomach | mixed | unknown
    restlessness: float
    nonwear_min: float
    brief_turns: int | None = None  # excursions shorter than the dwell that came back

    @property
    def in_bed_hours(self) -> float:
        return (self.in_bed_end - self.in_bed_start).total_seconds() / 3600.0

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "in_bed_start": self.in_bed_start.isoformat(timespec="seconds"),
            "in_bed_end": self.in_bed_end.isoformat(timespec="seconds"),
            "in_bed_hours": round(self.in_bed_hours, 2),
            "minutes": self.minutes,
            "position_changes": self.position_changes,
            "longest_still_min": self.longest_still_min,
            "main_position": self.main_position,
            "restlessness": self.restlessness,
            "nonwear_min": self.nonwear_min,
            "brief_turns": self.brief_turns,
        }


def _at(start_ns: int, epoch_s: int, i: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(
        microseconds=(start_ns + i * epoch_s * NS) // 1000
    )


def main_position(minutes: dict[str, float]) -> str:
    lying = minutes["supine"] + minutes["prone"] + minutes["left"] + minutes["right"]
    if lying <= 0:
        return "mixed"
    if minutes["supine"] >= MAIN_SHARE * lying:
        return "back"
    if minutes["left"] + minutes["right"] >= MAIN_SHARE * lying:
        return "side"
    if minutes["prone"] >= MAIN_SHARE * lying:
        return "stomach"
    return "mixed"


def summarise(
    window: Window,
    codes: Codes | None,
    still: Mask,
    worn: Mask,
    start_ns: int,
    epoch_s: int,
    min_dwell: int = 1,
) -> NightSummary:
    s, e = window.start, window.end
    w = worn[s:e]
    st = still[s:e] & w
    per_min = 60.0 / epoch_s
    minutes: dict[str, float] | None = None
    changes: int | None = None
    brief: int | None = None
    main = "unknown"
    if codes is not None:
        c = np.where(w, codes[s:e], UNKNOWN).astype(np.int8)
        minutes = {
            name: round(float(np.count_nonzero(c == k)) / per_min, 1)
            for k, name in enumerate(POSITIONS)
        }
        changes, brief = count_changes(c, min_dwell)
        main = main_position(minutes)
    return NightSummary(
        date=window.date,
        in_bed_start=_at(start_ns, epoch_s, s),
        in_bed_end=_at(start_ns, epoch_s, e),
        minutes=minutes,
        position_changes=changes,
        longest_still_min=round(longest_still_epochs(st) / per_min, 1),
        main_position=main,
        restlessness=round(restlessness(st, w), 3),
        nonwear_min=round(float((~w).sum()) / per_min, 1),
        brief_turns=brief,
    )
