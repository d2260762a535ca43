"""Step 5: the in-bed window of each night, from the lying angle and stillness.

Trunk sensor: an epoch is lying when the head axis is within ``lying_max_elevation_deg`` of
horizontal, and reclined when within ``reclined_max_elevation_deg``; an epoch with the front
facing the floor by more than ``face_down_min_deg`` is lying whatever the head axis says (a
chest sensor face down is tilted 40-70° along the body by the mattress on real chests; nobody
sits or stands still leaning that far forward), and epochs with the front more than
``tilted_prone_min_deg`` below horizontal count as lying when they touch a lying stretch (prone
with the sensor tilted 70° along the body; nobody gets from bed to a desk without standing up).
Only lying epochs can make a night (reclined sitting in a chair is not lying: on the UCI sternum
recordings of older people the chair epochs sit 35-80° above horizontal, 5th-95th centile, lying
-11-21°); once a night is found it is extended over the reclined epochs that touch it, up to
``max_reclined_min`` each side (propped up on the pillows reading before lying down, or sitting
up before rising). Lying is smoothed with a ``smooth_min`` rolling majority, lying stretches
separated by less than ``max_gap_min`` (a trip to the bathroom) are joined, and a stretch
qualifies as a night in bed when it lasts ``min_in_bed_h`` hours and at least
``min_still_share`` of it is still (which keeps an evening on the sofa with the television out).
This follows the shape of van Hees et al. 2018's HDCZA sleep-period-time window (still blocks,
short gaps joined, one main block per noon-to-noon day) with the trunk's lying angle in place of
the arm angle. The lying angle is measured from the upright direction found in the recording
(``orientation``).

In the small hours (``night_core_h``) lying stretches are joined across gaps of up to
``night_gap_max_min`` (awake and sitting up for most of an hour at 3 a.m. is still the night).

Which stretch is the night: in each noon-to-noon day the qualifying stretch that covers most of
the small hours (``night_core_h``, 00:00-06:00 by default) is the night, keyed by the morning's
date (the date of that second noon), like the diary; when none touches the small hours (a night
shift), the longest is the night. Every other qualifying stretch of the day, and any still lying
stretch of ``min_nap_min`` or more outside the night, is reported as a nap, never dropped. A
stretch cut by the start or end of the recording is not a night.

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
    lying_max_elevation_deg: float = 30.0
    reclined_max_elevation_deg: float = 45.0
    face_down_min_deg: float = 30.0
    tilted_prone_min_deg: float = 15.0
    max_reclined_min: float = 90.0
    smooth_min: float = 5.0
    max_gap_min: float = 20.0
    min_in_bed_h: float = 3.0
    min_still_share: float = 0.5
    night_core_h: tuple[float, float] = (0.0, 6.0)
    min_nap_min: float = 20.0
    night_gap_max_min: float = 60.0
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


def _core_epochs(s: int, e: int, start_ns: int, epoch_s: int, core_h: tuple[float, float]) -> int:
    """How many epochs of [s, e) fall in the small hours (wall clock)."""
    t_s = (start_ns // NS + np.arange(s, e, dtype=np.int64) * epoch_s) % 86400
    lo, hi = core_h[0] * 3600, core_h[1] * 3600
    return int(np.count_nonzero((t_s >= lo) & (t_s < hi)))


def front_deg(body_mean: F64) -> F64:
    """Angle of the front axis above horizontal, in degrees (-90 = face down)."""
    norm = np.linalg.norm(body_mean, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(body_mean[:, 2] / np.where(norm > 0, norm, 1.0), -1.0, 1.0)
    out: F64 = np.degrees(np.arcsin(s))
    return out


def _choose(
    candidate: Mask, still: Mask, start_ns: int, epoch_s: int, params: WindowParams
) -> tuple[list[Window], list[Window]]:
    per_min = 60.0 / epoch_s
    n = candidate.size
    by_day: dict[dt.date, list[tuple[int, int, int]]] = {}
    naps: list[Window] = []
    for s, e in zip(*runs(candidate), strict=True):
        if s == 0 or e == n:  # cut by the start or the end of the recording
            continue
        mid_ns = int(start_ns + (s + e) // 2 * epoch_s * NS)
        mid = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=mid_ns // 1000)
        morning = (mid + dt.timedelta(hours=12)).date()
        still_share = float(still[s:e].mean())
        if (e - s) < params.min_in_bed_h * 60 * per_min or still_share < params.min_still_share:
            if (e - s) >= params.min_nap_min * per_min and still_share >= params.min_still_share:
                naps.append(Window(morning, int(s), int(e)))
            continue
        core = _core_epochs(int(s), int(e), start_ns, epoch_s, params.night_core_h)
        by_day.setdefault(morning, []).append((core, int(e - s), int(s)))
    nights: list[Window] = []
    for morning, cands in sorted(by_day.items()):
        cands.sort(reverse=True)  # most of the small hours first, then the longest
        _, length, s = cands[0]
        nights.append(Window(morning, s, s + length))
        naps.extend(Window(morning, c[2], c[2] + c[1]) for c in cands[1:])
    naps.sort(key=lambda w: w.start)
    return nights, naps


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
    """Nights in bed, at most one per noon-to-noon day (see :func:`find_windows_and_naps`)."""
    return find_windows_and_naps(body_mean, still, worn, start_ns, epoch_s, placement, params)[0]


def find_windows_and_naps(
    body_mean: F64,
    still: Mask,
    worn: Mask,
    start_ns: int,
    epoch_s: int,
    placement: str,
    params: WindowParams,
) -> tuple[list[Window], list[Window]]:
    """Nights in bed (at most one per noon-to-noon day) and the naps outside them."""
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
    elev = elevation_deg(body_mean)
    front = front_deg(body_mean)
    face_down = front < -params.face_down_min_deg
    width = int(params.smooth_min * per_min)
    lying = (elev < params.lying_max_elevation_deg) | face_down
    reclined = (elev < params.reclined_max_elevation_deg) | face_down
    lying = _majority(lying & worn, width) & worn
    reclined = _majority(reclined & worn, width) & worn
    # prone with the sensor tilted far along the body: front only a little below horizontal;
    # such epochs join a lying stretch they touch (one cannot reach a desk without standing up)
    tilted = _majority((front < -params.tilted_prone_min_deg) & worn, width) & worn
    lying = _touching(lying | tilted, lying)
    cand = fill_short_gaps(lying, int(params.max_gap_min * per_min))
    cand = _fill_small_hours_gaps(cand, start_ns, epoch_s, params)
    nights, naps = _choose(cand, still, start_ns, epoch_s, params)
    limit = int(params.max_reclined_min * per_min)
    nights = [_extend(w, reclined, limit) for w in nights]
    return nights, [n for n in naps if not any(_overlap(n, w) for w in nights)]


def _overlap(a: Window, b: Window) -> bool:
    return a.start < b.end and b.start < a.end


def _fill_small_hours_gaps(cand: Mask, start_ns: int, epoch_s: int, params: WindowParams) -> Mask:
    """Join lying stretches across a gap of up to ``night_gap_max_min`` whose middle falls in
    the small hours: awake for most of an hour at 3 a.m. is still the night (HDCZA joins gaps
    under 60 minutes at any hour; in the evening we keep 20, so the sofa stays apart)."""
    out = cand.copy()
    limit = int(params.night_gap_max_min * 60 / epoch_s)
    lo, hi = params.night_core_h[0] * 3600, params.night_core_h[1] * 3600
    gaps_s, gaps_e = runs(~cand)
    for s, e in zip(gaps_s, gaps_e, strict=True):
        if s == 0 or e == cand.size or e - s > limit:
            continue
        mid_clock = (start_ns // NS + (int(s) + int(e)) // 2 * epoch_s) % 86400
        if lo <= mid_clock < hi:
            out[s:e] = True
    return out


def _touching(mask: Mask, seed: Mask) -> Mask:
    """The runs of ``mask`` that hold at least one ``seed`` epoch."""
    out = np.zeros_like(mask)
    for s, e in zip(*runs(mask), strict=True):
        if seed[s:e].any():
            out[s:e] = True
    return out


def _extend(w: Window, reclined: Mask, limit: int) -> Window:
    """The night widened over the reclined epochs that touch it (at most ``limit`` each side)."""
    s, e = w.start, w.end
    lo = max(0, s - limit)
    while s > lo and reclined[s - 1]:
        s -= 1
    hi = min(reclined.size, e + limit)
    while e < hi and reclined[e]:
        e += 1
    return Window(w.date, s, e)
