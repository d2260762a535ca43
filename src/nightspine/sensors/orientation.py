"""Step 3b: the upright direction of the trunk, estimated from each recording's own walking.

A fixed "head axis" fails on real bodies: a sternum sensor sits tilted on a sloping chest, a
patch is stuck on at an angle, and a patch put back upside down turns the head axis round. Like
postuR's ``find.top`` (Etzkorn; the mean direction of the most active samples) and the
"standing calibration" of trunk inclinometry, the upright direction is the median gravity
direction over walking epochs: while a person walks the trunk is upright, whatever the sensor.

Walking epochs: movement (vector SD) between ``walk_min_g`` and ``walk_max_g`` for at least
``walk_min_s`` in a row while worn. The walking directions are followed in time; when their
running median (over ``window_walk_epochs`` walking epochs) turns more than ``change_deg`` away
from the current upright direction and stays, the sensor was re-attached in another orientation:
a new segment starts (at the longest non-wear stretch in between, else at the first walking in
the new orientation) with its own upright direction. With fewer than ``min_walk_epochs`` walking
epochs the upright direction of ``--axes`` is kept, and the output says so.

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
    min_walk_epochs: int = 12  # one minute of walking at 5-second epochs
    window_walk_epochs: int = 24
    change_deg: float = 60.0


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
    moving = (move >= params.walk_min_g) & (move <= params.walk_max_g) & worn
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
    half = max(1, params.window_walk_epochs // 2)
    starts = [0]  # positions in idx where a new orientation begins
    ref = np.median(dirs[: 2 * half], axis=0)
    i = 1
    while i < idx.size:
        local = np.median(dirs[i : i + 2 * half], axis=0)
        if i + 2 * half <= idx.size and _angle_deg(local, ref) > params.change_deg:
            # the first walking epoch of the new orientation inside the window
            new = _unit(local)
            j = i + int(
                np.argmax(dirs[i : i + 2 * half] @ new > np.cos(np.radians(params.change_deg)))
            )
            starts.append(j)
            ref = new
            i = j + 2 * half
            continue
        i += half
    segments: list[Segment] = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else idx.size
        up = _unit(np.median(dirs[s:e], axis=0))
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
    if len(segments) == 1 and segments[0].source == "axes":
        out.append(
            "no walking found in the recording: the upright direction is taken from --axes; "
            "check the sensor was worn as that mapping says"
        )
    for prev, seg in itertools.pairwise(segments):
        turn = _angle_deg(np.asarray(prev.up), np.asarray(seg.up))
        when = seg.to_json(start_ns, epoch_s)["from"]
        out.append(
            f"the sensor was put back in another orientation at {when} "
            f"(upright direction turned by {turn:.0f}°): the axes were re-mapped from then on"
        )
    return out
