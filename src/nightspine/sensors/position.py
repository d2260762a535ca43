"""Step 6: the position in every 5-second epoch, from the gravity vector in the body frame.

A still accelerometer measures the reaction to gravity, pointing up. Body frame: x to the head
(the upright direction found from the recording's own walking, see ``orientation``), y to the
wearer's left, z out of the front. Upright when the head axis rises more than
``upright_min_elevation_deg`` above horizontal and the front does not face the floor by more
than ``upright_max_front_down_deg`` (in bed, where positions are reported, a still trunk with
its front turned to the floor is lying face down: on real chests a prone sensor is often tilted
40-70° along the body by the mattress, leaving the front only 20-50° below horizontal; sitting
up in bed leans back, and standing keeps the front within a few degrees of horizontal);
otherwise the roll angle atan2(y, z) picks the side: about 0° supine (front up), 180° prone,
+90° right side down (the left side faces up), -90° left side down. Each lying position owns the
90° sector around its direction; within ``hysteresis_deg`` of a sector edge the previous
position is kept, so lying on the edge between back and side does not flicker. Runs shorter than
``min_bout_s`` (a roll in progress, a twitch) take the position before them.

Position changes are counted between settled positions: a position held at least
``min_dwell_s``. Shorter excursions that come back to the same settled position (a brief turn, a
fidget held ``min_bout_s`` or more) are not changes; they are counted separately as brief turns.
Turns shorter than ``min_bout_s`` are movement only (restlessness).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors.window import elevation_deg, front_deg

F64 = NDArray[np.float64]
Codes = NDArray[np.int8]

POSITIONS = ("supine", "prone", "left", "right", "upright")
POSITION_WORDS = {
    "supine": "on the back",
    "prone": "on the stomach",
    "left": "on the left side",
    "right": "on the right side",
    "upright": "sitting up or standing",
}
"""Each position in plain words, for people (pages and reports)."""
SUPINE, PRONE, LEFT, RIGHT, UPRIGHT = range(5)
UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class PositionParams:
    upright_min_elevation_deg: float = 45.0
    upright_max_front_down_deg: float = 15.0
    hysteresis_deg: float = 10.0
    min_bout_s: float = 30.0
    min_dwell_s: float = 120.0


def _sector(roll_deg: F64) -> Codes:
    """The lying position owning each roll angle (90° sectors)."""
    roll = (roll_deg + 180.0) % 360.0 - 180.0
    codes = np.full(roll.shape[0], PRONE, dtype=np.int8)
    codes[np.abs(roll) <= 45.0] = SUPINE
    codes[(roll > 45.0) & (roll < 135.0)] = RIGHT
    codes[(roll < -45.0) & (roll > -135.0)] = LEFT
    return codes


def classify(body_mean: F64, params: PositionParams) -> Codes:
    """Position code of every epoch (no smoothing)."""
    elev = elevation_deg(body_mean)
    roll = np.degrees(np.arctan2(body_mean[:, 1], body_mean[:, 2]))
    codes = _sector(roll)
    # the two sectors either side of a nearby edge; equal away from the edges
    below, above = _sector(roll - params.hysteresis_deg), _sector(roll + params.hysteresis_deg)
    front = front_deg(body_mean)
    upright = (elev >= params.upright_min_elevation_deg) & (
        front >= -params.upright_max_front_down_deg
    )
    codes[upright] = UPRIGHT
    codes[~np.isfinite(elev)] = UNKNOWN
    edge = (below != above) & ~upright & np.isfinite(elev)
    return _hold_on_edges(codes, edge, below, above)


def _hold_on_edges(codes: Codes, edge: NDArray[np.bool_], below: Codes, above: Codes) -> Codes:
    """Epochs near a sector edge keep the last position decided away from an edge when it is one
    of the two sectors meeting there (hysteresis); otherwise they take their own sector."""
    if not edge.any():
        return codes
    idx = np.where(edge, 0, np.arange(codes.size))
    np.maximum.accumulate(idx, out=idx)
    prev = codes[idx]
    first = np.flatnonzero(~edge)
    if first.size == 0:
        return codes
    prev[: first[0]] = codes[first[0]]  # before the first clear epoch: the first clear one
    keep = edge & ((prev == below) | (prev == above))
    out: Codes = np.where(keep, prev, codes).astype(np.int8)
    return out


def smooth(codes: Codes, min_len: int) -> Codes:
    """Runs shorter than ``min_len`` epochs take the position before them (or after, at the
    start); unknown epochs stay unknown."""
    out = codes.copy()
    if out.size == 0 or min_len <= 1:
        return out
    change = np.flatnonzero(np.diff(out) != 0) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [out.size]])
    prev = UNKNOWN
    for s, e in zip(starts, ends, strict=True):
        c = int(out[s])
        if c != UNKNOWN and e - s < min_len:
            if prev != UNKNOWN:
                out[s:e] = prev
                continue
            # at the start: take the next long run's position
            for s2, e2 in zip(starts, ends, strict=True):
                if s2 >= e and e2 - s2 >= min_len and codes[s2] != UNKNOWN:
                    out[s:e] = codes[s2]
                    break
        prev = int(out[e - 1])
    return out


def count_changes(codes: Codes, min_dwell: int = 1) -> tuple[int, int]:
    """Changes between settled positions (held ``min_dwell`` epochs; unknown stretches are
    skipped over) and brief turns (shorter excursions that return to the same position)."""
    known = codes[codes != UNKNOWN]
    if known.size == 0:
        return 0, 0
    change = np.flatnonzero(np.diff(known) != 0) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [known.size]])
    changes = brief = 0
    settled: int | None = None
    excursion = False
    for s, e in zip(starts, ends, strict=True):
        c = int(known[s])
        if e - s < min_dwell:
            excursion = settled is not None
            continue
        if settled is not None and c != settled:
            changes += 1
        elif settled is not None and excursion:
            brief += 1
        settled, excursion = c, False
    return changes, brief
