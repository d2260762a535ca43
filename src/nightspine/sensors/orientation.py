"""Step 3b: the upright direction of the trunk, estimated from each recording's own walking.

A fixed "head axis" fails on real bodies: a sternum sensor sits tilted on a sloping chest, a
patch is stuck on at an angle, and a patch put back upside down turns the head axis round. Like
postuR's ``find.top`` (Etzkorn; the mean direction of the most active samples) and the
"standing calibration" of trunk inclinometry, the upright direction is the median gravity
direction over walking epochs: while a person walks the trunk is upright, whatever the sensor.

Walking epochs: movement (vector SD) between ``walk_min_g`` and ``walk_max_g`` for at least
``walk_min_s`` in a row while worn, from epochs with at least ``walk_min_samples`` samples. The
movement must also stand ``walk_noise_factor`` times above the recording's own noise (the
``noise_centile``-th centile of movement): a sparse or noisy sensor (the batteryless sternum
sensor of the UCI set reads 0.1 g SD lying still) otherwise makes lying look like walking. The
walking directions are followed in time in chunks of ``window_walk_epochs``; when a chunk's
median turns more than ``change_deg`` away from the current upright direction and the next chunk
confirms it, and the new orientation lasts ``min_segment_walk_epochs`` of walking (an hour), the
sensor was re-attached in another orientation: a new segment starts (at the longest non-wear
stretch in between, else at the first walking in the new orientation) with its own upright
direction. With fewer than ``min_walk_epochs`` walking epochs, or walking directions that do not
agree (less than ``min_agreeing_share`` of them within ``agree_deg`` of their median: real
walking keeps the trunk near upright, while noise taken for walking points anywhere), the
upright direction of ``--axes`` is kept, and the output says so.

Each segment's mapping turns the body frame so that its head axis is the upright direction and
its front axis stays as close as possible to the skin normal given by ``--axes`` (a sensor is
re-attached face to the skin; only its turn on the skin and its tilt change).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors.epochs import NS, drop_short_runs, runs

F64 = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class OrientationParams:
    walk_min_g: float = 0.06
    walk_max_g: float = 1.5
    walk_min_s: float = 15.0
    walk_min_samples: int = 5
    walk_noise_factor: float = 3.0
    noise_centile: float = 25.0
    min_walk_epochs: int = 60  # five minutes of walking at 5-second epochs
    window_walk_epochs: int = 120  # ten minutes of walking per chunk
    change_deg: float = 60.0
    min_segment_walk_epochs: int = 720  # an orientation must last an hour of walking
    agree_deg: float = 30.0
    min_agreeing_share: float = 0.5


@dataclass(frozen=True, slots=True)
class Segment:
    start: int  # first epoch
    end: int  # one past the last epoch
    up: tuple[float, float, float]  # upright direction in the --axes body frame
    source: str  # "walking" or "axes"
    walk_epochs: int

    def to_json(self, start_ns: int, epoch_s: int) -> dict[str, object]:
        def at(i: int) -> str:
            t = dt.datetime(1970, 1, 1) + dt.timedelta(
                microseconds=(start_ns + i * epoch_s * NS) // 1000
            )
            return t.isoformat(timespec="seconds")

        tilt = float(np.degrees(np.arccos(np.clip(self.up[0], -1.0, 1.0))))
        return {
            "from": at(self.start),
            "to": at(self.end),
            "upright_direction": [round(v, 3) for v in self.up],
            "tilt_from_axes_deg": round(tilt, 1),
            "source": self.source,
            "walking_min": round(self.walk_epochs * epoch_s / 60.0, 1),
        }


def _unit(v: F64) -> F64:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    out: F64 = v / np.where(n > 0, n, 1.0)
    return out


def _angle_deg(a: F64, b: F64) -> float:
    return float(np.degrees(np.arccos(np.clip(float(np.dot(_unit(a), _unit(b))), -1.0, 1.0))))


def walking(move: F64, worn: Mask, epoch_s: int, params: OrientationParams) -> Mask:
    """Epochs that belong to a sustained stretch of walking-like movement."""
    if not worn.any():
        return worn.copy()
    noise = float(np.percentile(move[worn], params.noise_centile))
    floor = max(params.walk_min_g, params.walk_noise_factor * noise)
    moving = (move >= floor) & (move <= params.walk_max_g) & worn
    return drop_short_runs(moving, max(1, round(params.walk_min_s / epoch_s)))


def find_segments(
    body_mean: F64, move: F64, worn: Mask, epoch_s: int, params: OrientationParams
) -> list[Segment]:
    """Stretches of the recording with one sensor orientation, each with its upright direction."""
    n = body_mean.shape[0]
    walk = walking(move, worn, epoch_s, params)
    idx = np.flatnonzero(walk)
    if idx.size < params.min_walk_epochs:
        return [Segment(0, n, (1.0, 0.0, 0.0), "axes", int(idx.size))]
    dirs = _unit(body_mean[idx])
    starts = _merge(_change_points(dirs, params), dirs, params)
    segments: list[Segment] = []
    cos_ok = np.cos(np.radians(params.agree_deg))
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else idx.size
        up = _unit(np.median(dirs[s:e], axis=0))
        agree = float(np.mean(dirs[s:e] @ up > cos_ok))
        if e - s < params.min_walk_epochs or agree < params.min_agreeing_share:
            segments.append(Segment(0, 0, (1.0, 0.0, 0.0), "axes", e - s))
            continue
        segments.append(Segment(0, 0, (float(up[0]), float(up[1]), float(up[2])), "walking", e - s))
    # epoch boundaries: the longest non-wear run between the two walking stretches, else the
    # first walking epoch of the new orientation
    bounds = [0]
    for k in range(1, len(starts)):
        a, b = int(idx[starts[k] - 1]) + 1, int(idx[starts[k]])
        cut = b
        off_s, off_e = runs(~worn[a:b])
        if off_s.size:
            longest = int(np.argmax(off_e - off_s))
            cut = a + int(off_s[longest])
        bounds.append(cut)
    bounds.append(n)
    return [
        Segment(bounds[k], bounds[k + 1], seg.up, seg.source, seg.walk_epochs)
        for k, seg in enumerate(segments)
        if bounds[k + 1] > bounds[k]
    ]


def _change_points(dirs: F64, params: OrientationParams) -> list[int]:
    """Indices into ``dirs`` (walking directions in time order) where a lasting new orientation
    starts: the median of a chunk of ``window_walk_epochs`` walking epochs turns more than
    ``change_deg`` from the current orientation and the next chunk confirms it."""
    w = max(1, params.window_walk_epochs)
    n_chunks = max(1, dirs.shape[0] // w)
    chunk = [
        _unit(np.median(dirs[c * w : (c + 1) * w if c + 1 < n_chunks else None], axis=0))
        for c in range(n_chunks)
    ]
    starts = [0]
    seg_first = 0
    for c in range(1, n_chunks - 1):
        if c - seg_first < 1:
            continue
        ref = _unit(np.median(np.stack(chunk[seg_first:c]), axis=0))
        turned = _angle_deg(chunk[c], ref) > params.change_deg
        confirmed = _angle_deg(chunk[c + 1], chunk[c]) <= params.change_deg
        if not (turned and confirmed):
            continue
        # the exact walking epoch: most epochs before it nearer the old direction, after it
        # nearer the new one (a count-based change point within the previous and this chunk)
        lo, hi = (c - 1) * w, (c + 1) * w
        nearer_new = (dirs[lo:hi] @ chunk[c]) > (dirs[lo:hi] @ ref)
        before_old = np.concatenate([[0], np.cumsum(~nearer_new)])
        after_new = np.concatenate([np.cumsum(nearer_new[::-1])[::-1], [0]])
        starts.append(max(lo + int(np.argmax(before_old + after_new)), starts[-1] + 1))
        seg_first = c
    return starts


def _merge(starts: list[int], dirs: F64, params: OrientationParams) -> list[int]:
    """Drop orientations held for less than ``min_segment_walk_epochs`` of walking (movement in
    bed taken for walking, a patch pressed for a moment) and join neighbours that agree."""
    starts = list(starts)
    while len(starts) > 1:
        ends = [*starts[1:], dirs.shape[0]]
        short = [
            k
            for k, (s, e) in enumerate(zip(starts, ends, strict=True))
            if e - s < params.min_segment_walk_epochs
        ]
        if short:
            k = short[0]
            del starts[k if k > 0 else 1]
            continue
        ups = [_unit(np.median(dirs[s:e], axis=0)) for s, e in zip(starts, ends, strict=True)]
        same = [
            k for k in range(1, len(ups)) if _angle_deg(ups[k - 1], ups[k]) <= params.change_deg
        ]
        if not same:
            break
        del starts[same[0]]
    return starts


def rotation(up: tuple[float, float, float]) -> F64:
    """Rows: the new head, left and front axes in the old body frame (head = ``up``)."""
    x = _unit(np.asarray(up, dtype=np.float64))
    z0 = np.array([0.0, 0.0, 1.0])
    z = z0 - float(np.dot(z0, x)) * x
    if float(np.linalg.norm(z)) < 0.3:  # up almost along the skin normal: keep the front axis
        return np.eye(3)
    z = _unit(z)
    y = np.cross(z, x)
    return np.stack([x, y, z])


def apply(body_mean: F64, segments: list[Segment]) -> F64:
    """Epoch means in each segment's own body frame."""
    out = body_mean.copy()
    for seg in segments:
        if seg.source != "walking":
            continue
        r = rotation(seg.up)
        out[seg.start : seg.end] = body_mean[seg.start : seg.end] @ r.T
    return out


def notes(segments: list[Segment], start_ns: int, epoch_s: int) -> list[str]:
    """Sentences for the output about how the sensor's orientation was found."""
    out: list[str] = []
    if any(seg.source == "axes" for seg in segments):
        out.append(
            "no clear walking found in (part of) the recording: there the upright direction is "
            "taken from --axes; check the sensor was worn as that mapping says"
        )
    for prev, seg in itertools.pairwise(segments):
        turn = _angle_deg(np.asarray(prev.up), np.asarray(seg.up))
        when = seg.to_json(start_ns, epoch_s)["from"]
        out.append(
            f"the sensor was put back in another orientation at {when} "
            f"(upright direction turned by {turn:.0f}°): the axes were re-mapped from then on"
        )
    return out
