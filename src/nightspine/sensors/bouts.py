"""Step 7: movement, still bouts and the restlessness index inside the in-bed window.

Movement per epoch is the vector SD of the acceleration (the square root of the summed per-axis
variances), in g. Breathing alone stays below ``move_min_g``; turning over, a twitch or getting
up does not. An epoch is still below it. The longest still bout is the longest run of still
epochs; restlessness is the share of in-bed epochs with movement (0 = motionless, 1 = moving the
whole night).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors.epochs import runs

F64 = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class BoutParams:
    move_min_g: float = 0.03


def movement(var: F64) -> F64:
    out: F64 = np.sqrt(var.sum(axis=1))
    return out


def longest_still_epochs(still: Mask) -> int:
    starts, ends = runs(still)
    return int((ends - starts).max()) if starts.size else 0


def restlessness(still: Mask, worn: Mask) -> float:
    n = int(worn.sum())
    return float(((~still) & worn).sum() / n) if n else 0.0
