"""Step 2: calibration from still periods (van Hees et al. 2014 style, on epoch means).

While the sensor is still it measures gravity alone, so every still epoch's mean should lie on
the unit sphere. We fit a per-axis offset and gain that bring them there (iterated closest-point
least squares, in float64). The fit is applied only when the still epochs cover enough of the
sphere to constrain it and it lowers the error; otherwise the recording is left as read and the
output says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CalibrationParams:
    still_sd_g: float = 0.025  # every axis SD below this (breathing moves a chest sensor)
    min_still_epochs: int = 50
    min_axis_range_g: float = 0.8  # each axis' still means must span this much (a trunk
    # sensor's head axis never points down, so both signs cannot be asked for)
    max_points: int = 5000
    iterations: int = 25


@dataclass(frozen=True, slots=True)
class Calibration:
    offset: tuple[float, float, float]
    scale: tuple[float, float, float]
    applied: bool
    reason: str
    still_epochs: int
    error_before_g: float
    error_after_g: float

    def apply(self, mean: F64, sd: F64) -> tuple[F64, F64]:
        if not self.applied:
            return mean, sd
        off = np.asarray(self.offset)
        sc = np.asarray(self.scale)
        return (mean + off) * sc, sd * np.abs(sc)

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items()}


def calibrate(
    mean: F64, sd: F64, valid: NDArray[np.bool_], params: CalibrationParams
) -> Calibration:
    still = valid & (sd.max(axis=1) < params.still_sd_g)
    pts = mean[still]
    n = int(pts.shape[0])
    ident = ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))

    def skip(reason: str, before: float = float("nan")) -> Calibration:
        return Calibration(*ident, False, reason, n, before, before)

    if n < params.min_still_epochs:
        return skip(f"only {n} still epochs (need {params.min_still_epochs})")
    if n > params.max_points:
        pts = pts[np.linspace(0, n - 1, params.max_points).astype(np.int64)]
    before = float(np.mean(np.abs(np.linalg.norm(pts, axis=1) - 1.0)))
    spread = (pts.max(axis=0) - pts.min(axis=0)) >= params.min_axis_range_g
    if not spread.all():
        return skip("the still periods do not cover enough orientations to fit", before)
    off = np.zeros(3)
    sc = np.ones(3)
    for _ in range(params.iterations):
        cur = (pts + off) * sc
        target = cur / np.linalg.norm(cur, axis=1, keepdims=True)
        # per axis, least squares target = g * x + c (closed form, all three axes at once)
        xm, ym = pts.mean(axis=0), target.mean(axis=0)
        dx = pts - xm
        new_sc = (dx * (target - ym)).sum(axis=0) / (dx * dx).sum(axis=0)
        new_off = (ym - new_sc * xm) / new_sc
        if np.allclose(new_off, off, atol=1e-5) and np.allclose(new_sc, sc, atol=1e-5):
            off, sc = new_off, new_sc
            break
        off, sc = new_off, new_sc
    after = float(np.mean(np.abs(np.linalg.norm((pts + off) * sc, axis=1) - 1.0)))
    if not after < before or not np.all(np.abs(sc - 1) < 0.2) or not np.all(np.abs(off) < 0.3):
        return skip("the fit did not improve the still epochs; left as read", before)
    return Calibration(
        (float(off[0]), float(off[1]), float(off[2])),
        (float(sc[0]), float(sc[1]), float(sc[2])),
        True,
        "fitted on still epochs",
        n,
        before,
        after,
    )
