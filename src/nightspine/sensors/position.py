"""Step 6: the position in every 5-second epoch, from the gravity vector in the body frame.

A still accelerometer measures the reaction to gravity, pointing up. Body frame: x to the head,
y to the wearer's left, z out of the front. Upright when the head axis rises more than
``upright_min_elevation_deg`` above horizontal; otherwise the roll angle atan2(y, z) picks the
side: about 0° supine (front up), 180° prone, +90° right side down (the left side faces up), -90°
left side down. Each lying position owns the 90° sector around its direction. Runs shorter than
``min_bout_s`` (a roll in progress, a twitch) take the position before them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors.window import elevation_deg

F64 = NDArray[np.float64]
Codes = NDArray[np.int8]

POSITIONS = ("supine", "prone", "left", "right", "upright")
SUPINE, PRONE, LEFT, RIGHT, UPRIGHT = range(5)
UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class PositionParams:
    upright_min_elevation_deg: float = 55.0
    min_bout_s: float = 30.0


def classify(body_mean: F64, params: PositionParams) -> Codes:
    """Position code of every epoch (no smoothing)."""
    elev = elevation_deg(body_mean)
    roll = np.degrees(np.arctan2(body_mean[:, 1], body_mean[:, 2]))
    codes = np.full(body_mean.shape[0], PRONE, dtype=np.int8)
    codes[np.abs(roll) <= 45.0] = SUPINE
    codes[(roll > 45.0) & (roll < 135.0)] = RIGHT
    codes[(roll < -45.0) & (roll > -135.0)] = LEFT
    codes[elev >= params.upright_min_elevation_deg] = UPRIGHT
    codes[~np.isfinite(elev)] = UNKNOWN
    return codes


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


def count_changes(codes: Codes) -> int:
    """Changes from one known position to another (unknown stretches are skipped over)."""
    known = codes[codes != UNKNOWN]
    return int(np.count_nonzero(np.diff(known) != 0))
