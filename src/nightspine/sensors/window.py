"""Step 5: the in-bed window of each night, from the lying angle and stillness.

Trunk sensor: an epoch is lying when the head axis is within ``lying_max_elevation_deg`` of
horizontal. Lying is smoothed with a ``smooth_min`` rolling majority, lying stretches separated by
less than ``max_gap_min`` (a trip to the bathroom) are joined, and a stretch qualifies as a night
in bed when it lasts ``min_in_bed_h`` hours and at least ``min_still_share`` of it is still (which
keeps an evening on the sofa with the television out). In each noon-to-noon day the longest
qualifying stretch is the night, keyed by the morning's date (the date of that second noon), like
the diary. A stretch cut by the start or end of the recording is not a night.

Wrist sensor: the sleep window comes from stillness of the arm angle (van Hees et al. 2018
HDCZA, simplified): epochs where the 5-minute median of the change in arm angle stays below
``wrist_angle_change_deg``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter, uniform_filter1d

from nightspine.sensors.epochs import NS, fill_short_gaps, runs

F64 = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class WindowParams:
    lying_max_elevation_deg: float = 55.0
    smooth_min: float = 5.0
    max_gap_min: float = 20.0
    min_in_bed_h: float = 3.0
    min_still_share: float = 0.5
    wrist_angle_change_deg: float = 5.0
    wrist_max_gap_min: float = 60.0


@dataclass(frozen=True, slots=True)
class Window:
    date: dt.date  # the morning's date
    start: int  # first epoch in bed
    end: int  # one past the last epoch in bed


def elevation_deg(body_mean: F64) -> F64:
    """Angle of the head axis above horizontal, in degrees (90 = upright)."""
    norm = np.linalg.norm(body_mean, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(body_mean[:, 0] / np.where(norm > 0, norm, 1.0), -1.0, 1.0)
    out: F64 = np.degrees(np.arcsin(s))
    return out


def _choose(
    candidate: Mask, still: Mask, start_ns: int, epoch_s: int, params: WindowParams
) -> list[Window]:
    per_min = 60.0 / epoch_s
    n = candidate.size
    best: dict[dt.date, tuple[int, int]] = {}
    for s, e in zip(*runs(candidate), strict=True):
        if s == 0 or e == n:  # cut by the start or the end of the recording
            continue
        if (e - s) < params.min_in_bed_h * 60 * per_min:
            continue
        if float(still[s:e].mean()) < params.min_still_share:
            continue
        mid_ns = int(start_ns + (s + e) // 2 * epoch_s * NS)
        mid = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=mid_ns // 1000)
        morning = (mid + dt.timedelta(hours=12)).date()
        if morning not in best or (e - s) > best[morning][1] - best[morning][0]:
            best[morning] = (int(s), int(e))
    return [Window(d, s, e) for d, (s, e) in sorted(best.items())]


def _majority(mask: Mask, width: int) -> Mask:
    if width <= 1:
        return mask
    out: Mask = uniform_filter1d(mask.astype(np.float64), size=width, mode="nearest") > 0.5
    return out


def find_windows(
    body_mean: F64,
    still: Mask,
    worn: Mask,
    start_ns: int,
    epoch_s: int,
    placement: str,
    params: WindowParams,
) -> list[Window]:
    """Nights in bed, at most one per noon-to-noon day."""
    per_min = 60.0 / epoch_s
    if placement == "wrist":
        norm = np.linalg.norm(body_mean, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.clip(body_mean[:, 2] / np.where(norm > 0, norm, 1.0), -1.0, 1.0)
        angle = np.degrees(np.arcsin(z))
        change = np.abs(np.diff(angle, prepend=angle[:1]))
        med = median_filter(change, size=max(1, int(5 * per_min)), mode="nearest")
        quiet = (med < params.wrist_angle_change_deg) & worn
        cand = fill_short_gaps(quiet, int(params.wrist_max_gap_min * per_min))
        return _choose(cand, quiet, start_ns, epoch_s, params)
    lying = (elevation_deg(body_mean) < params.lying_max_elevation_deg) & worn
    lying = _majority(lying, int(params.smooth_min * per_min)) & worn
    cand = fill_short_gaps(lying, int(params.max_gap_min * per_min))
    return _choose(cand, still, start_ns, epoch_s, params)
