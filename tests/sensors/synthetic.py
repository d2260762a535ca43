"""Synthetic body-worn accelerometer recordings with known truth.

Each simulated day: up at about 07:00, sitting, standing and walking by day, a 45-minute nap on
the sofa, the sensor taken off and left on a table for two hours in the afternoon, an evening
sitting, and a night in bed from about 22:45 with 8-20 postures (supine, prone, left, right),
3-second rolls between them, breathing, twitches, and on some nights a trip to the bathroom.
The device may be rotated (``axes``) and miscalibrated (offset and gain errors).

Samples are produced an hour at a time (:func:`chunks`) so a week at 100 Hz never sits in memory.
Used by the tests and by ``benchmarks/bench_sensors.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

NS = 1_000_000_000
SUPINE, PRONE, LEFT, RIGHT, UPRIGHT = range(5)
ROLL = {SUPINE: 0.0, RIGHT: 90.0, PRONE: 180.0, LEFT: -90.0}

# activities by day: (elevation of the head axis, degrees; walking?)
SIT, STAND, WALK, NAP, OFF, BED = "sit", "stand", "walk", "nap", "off", "bed"


@dataclass
class Segment:
    start: float  # seconds from the recording start
    kind: str
    elev: float
    roll: float
    position: int  # truth position code (UPRIGHT for day activities)


@dataclass
class Truth:
    start: dt.datetime
    fs: float
    seconds: float
    segments: list[Segment]
    nights: list[tuple[dt.date, float, float, int]] = field(default_factory=list)
    offbody: list[tuple[float, float]] = field(default_factory=list)

    def positions(self, start_ns: int, epoch_s: int, n: int) -> NDArray[np.int8]:
        """Truth position per epoch (mid-epoch), -1 outside the nights in bed."""
        t0 = (self.start - dt.datetime(1970, 1, 1)) / dt.timedelta(seconds=1)
        mids = (start_ns / NS - t0) + (np.arange(n) + 0.5) * epoch_s
        starts = np.array([s.start for s in self.segments])
        idx = np.clip(np.searchsorted(starts, mids, side="right") - 1, 0, len(starts) - 1)
        codes = np.array([s.position for s in self.segments], dtype=np.int8)[idx]
        inbed = np.zeros(n, dtype=bool)
        for _, s, e, _ in self.nights:
            inbed |= (mids >= s) & (mids < e)
        out: NDArray[np.int8] = np.where(inbed, codes, -1).astype(np.int8)
        return out


def make_truth(
    days: int, fs: float, seed: int = 0, start: dt.datetime | None = None, nap: bool = True
) -> Truth:
    rng = np.random.default_rng(seed)
    start = start or dt.datetime(2026, 3, 2, 12, 0, 0)
    segs: list[Segment] = []

    def add(t: float, kind: str, elev: float, roll: float, pos: int) -> None:
        segs.append(Segment(t, kind, elev, roll, pos))

    truth = Truth(start, fs, days * 86400.0, segs)
    t = 0.0  # recording starts at noon
    for d in range(days):
        noon = d * 86400.0
        # afternoon: nap 13:30-14:15 on the sofa (supine, propped 15 degrees), off-body 15-17
        add(noon, SIT, 72.0, 0.0, UPRIGHT)
        add(noon + 0.6 * 3600, WALK, 88.0, 0.0, UPRIGHT)
        if nap:
            add(noon + 1.5 * 3600, NAP, 15.0, rng.uniform(-15, 15), SUPINE)
            add(noon + 2.25 * 3600, STAND, 88.0, 0.0, UPRIGHT)
        else:
            add(noon + 1.5 * 3600, SIT, 75.0, 0.0, UPRIGHT)
        off_s = noon + 3 * 3600 + rng.uniform(-600, 600)
        off_e = off_s + 2 * 3600
        add(off_s, OFF, 0.0, 0.0, -1)
        truth.offbody.append((off_s, off_e))
        add(off_e, STAND, 88.0, 0.0, UPRIGHT)
        add(off_e + 600, SIT, 74.0, 0.0, UPRIGHT)
        add(noon + 7 * 3600, WALK, 88.0, 0.0, UPRIGHT)
        add(noon + 7.5 * 3600, SIT, 72.0, 0.0, UPRIGHT)
        add(noon + 9 * 3600, STAND, 88.0, 0.0, UPRIGHT)
        # night: in bed from ~22:45 to ~06:50
        bed_s = noon + 10.75 * 3600 + rng.uniform(-1800, 1800)
        bed_e = noon + 18.8 * 3600 + rng.uniform(-1800, 1800)
        add(bed_s - 600, SIT, 75.0, 0.0, UPRIGHT)
        # reading in bed first, propped up on the pillows (head axis 30-40 degrees up)
        add(bed_s, BED, rng.uniform(30, 40), rng.uniform(-10, 10), SUPINE)
        t = bed_s + rng.uniform(10, 30) * 60
        changes = 0
        bathroom = rng.random() < 0.5
        bath_at = bed_s + rng.uniform(3, 5) * 3600
        prev: int | None = SUPINE
        while t < bed_e:
            if bathroom and t >= bath_at:
                add(t, STAND, 88.0, 0.0, UPRIGHT)
                changes += 1 if prev is not None else 0
                prev = UPRIGHT
                t += rng.uniform(240, 420)
                bathroom = False
                continue
            choices = [p for p in (SUPINE, LEFT, RIGHT, PRONE) if p != prev]
            pos = int(rng.choice(choices))
            add(t, BED, rng.uniform(3, 12), ROLL[pos] + rng.uniform(-20, 20), pos)
            changes += 1 if prev is not None else 0
            prev = pos
            t += rng.uniform(10, 75) * 60
        add(bed_e, STAND, 88.0, 0.0, UPRIGHT)
        morning = (start + dt.timedelta(seconds=bed_e)).date()
        truth.nights.append((morning, bed_s, bed_e, changes))
        add(bed_e + 900, WALK, 88.0, 0.0, UPRIGHT)
        add(bed_e + 1800, SIT, 72.0, 0.0, UPRIGHT)
    segs.sort(key=lambda s: s.start)
    return truth


def chunks(
    truth: Truth,
    *,
    axes: NDArray[np.float64] | None = None,
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0),
    gain: tuple[float, float, float] = (1.0, 1.0, 1.0),
    seed: int = 1,
    chunk_s: float = 3600.0,
    misalign_deg: float = 12.0,
    wrist: bool = False,
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]]:
    """Yield (time ns, device xyz in g, temperature) an hour at a time.

    ``axes`` is the body = M @ device matrix (as ``--axes`` gives); the device reads M.T @ body.
    ``offset`` and ``gain`` are the device's calibration error: read = gain * true + offset.
    The sensor also sits tilted on the skin by up to ``misalign_deg`` about a random axis.
    With ``wrist`` the sensor is on a wrist instead: by day the forearm turns every few seconds,
    in bed it rests in one orientation per posture (twitches still show).
    """
    rng = np.random.default_rng(seed)
    fs = truth.fs
    m = np.eye(3) if axes is None else axes
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    ang = np.radians(rng.uniform(0.5, 1.0) * misalign_deg)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    tilt = np.eye(3) + np.sin(ang) * k + (1 - np.cos(ang)) * (k @ k)  # Rodrigues
    m = tilt.T @ m  # body -> tilted body -> device
    segs = truth.segments
    roll_t: list[float] = []
    roll_v: list[float] = []
    elev_v: list[float] = []
    prev_roll, prev_elev = segs[0].roll, segs[0].elev
    for s in segs:
        r = s.roll
        while r - prev_roll > 180:  # roll the short way round
            r -= 360
        while prev_roll - r > 180:
            r += 360
        roll_t += [s.start, s.start + 3.0]
        roll_v += [prev_roll, r]
        elev_v += [prev_elev, s.elev]
        prev_roll, prev_elev = r, s.elev
    kt = np.array(roll_t)
    kr = np.array(roll_v)
    ke = np.array(elev_v)
    starts = np.array([s.start for s in segs])
    names = [SIT, STAND, WALK, NAP, OFF, BED]
    kinds = np.array([names.index(s.kind) for s in segs], dtype=np.int8)
    k_stand, k_walk, k_sit = names.index(STAND), names.index(WALK), names.index(SIT)
    k_nap, k_off, k_bed = names.index(NAP), names.index(OFF), names.index(BED)
    wr = np.random.default_rng(seed + 7)
    knot_t = np.arange(0.0, truth.seconds + 8.0, 4.0)  # the forearm turns every 4 s by day
    knot_v = wr.normal(size=(knot_t.size, 3))
    seg_v = wr.normal(size=(len(segs), 3))
    seg_v /= np.linalg.norm(seg_v, axis=1, keepdims=True)
    t0_ns = int((truth.start - dt.datetime(1970, 1, 1)) / dt.timedelta(microseconds=1)) * 1000
    n_total = int(truth.seconds * fs)
    per_chunk = int(chunk_s * fs)
    temp_state = 33.0
    for lo in range(0, n_total, per_chunk):
        hi = min(n_total, lo + per_chunk)
        t = np.arange(lo, hi, dtype=np.float64) / fs
        seg = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(segs) - 1)
        kind = kinds[seg]
        roll = np.radians(np.interp(t, kt, kr))
        elev_deg = np.interp(t, kt, ke)
        lying = (kind == k_bed) | (kind == k_nap)
        elev_deg = elev_deg + lying * 1.5 * np.sin(2 * np.pi * 0.25 * t)  # breathing
        elev = np.radians(elev_deg)
        ce = np.cos(elev)
        g = np.column_stack([np.sin(elev), ce * np.sin(roll), ce * np.cos(roll)])
        if wrist:
            day = (kind == k_sit) | (kind == k_stand) | (kind == k_walk)
            arm = np.column_stack([np.interp(t, knot_t, knot_v[:, j]) for j in range(3)])
            arm = np.where(day[:, None], arm, seg_v[seg])
            g = arm / np.linalg.norm(arm, axis=1, keepdims=True)
        walk = kind == k_walk
        if walk.any():
            g[walk, 0] += 0.3 * np.sin(2 * np.pi * 1.8 * t[walk])
            g[walk, 1] += 0.1 * np.sin(2 * np.pi * 0.9 * t[walk])
        stand = kind == k_stand
        if stand.any():
            g[stand] += 0.02 * rng.standard_normal((int(stand.sum()), 3))
        sit = kind == k_sit
        if sit.any():
            g[sit] += 0.01 * rng.standard_normal((int(sit.sum()), 3))
        # twitches in bed: about one a quarter of an hour, half a second of jerks
        bed_idx = np.flatnonzero(kind == k_bed)
        if bed_idx.size:
            n_tw = rng.poisson(bed_idx.size / fs / 900.0)
            for c in rng.choice(bed_idx, size=n_tw):
                w = slice(int(c), int(min(c + fs * 0.5, hi - lo)))
                g[w] += rng.normal(0, 0.2, (w.stop - w.start, 3))
        # device = M.T @ body, row-wise (no BLAS call: tiny inner dimension)
        dev = g[:, 0:1] * m[0] + g[:, 1:2] * m[1] + g[:, 2:3] * m[2]
        off = kind == k_off
        if off.any():
            dev[off] = (0.0, 0.0, 1.0)  # flat on a table, face up
        dev = dev * np.asarray(gain) + np.asarray(offset)
        dev += rng.standard_normal(dev.shape) * np.where(off, 0.002, 0.003)[:, None]
        # temperature: skin ~33 C, towards 22 C off the body (time constant 15 min),
        # exponential smoothing at 1 s resolution, then held
        sec = max(1, round(fs))
        target = np.where(off, 22.0, 33.0)[::sec]
        a1 = 1 - np.exp(-1.0 / 900.0)
        smoothed, _zi = lfilter([a1], [1.0, a1 - 1.0], target, zi=[temp_state * (1 - a1)])
        temp_state = float(smoothed[-1])
        temp = np.repeat(smoothed, sec)[: hi - lo]
        times = t0_ns + np.round(t * NS).astype(np.int64)
        yield times, dev, temp


def epochs_from_chunks(
    truth: Truth, epoch_s: int = 5, **kw: object
) -> object:  # -> nightspine.sensors.epochs.Epochs
    """Accumulate the synthetic samples straight into epochs (no file)."""
    from nightspine.sensors.epochs import EpochAccumulator, RecordingInfo

    acc = EpochAccumulator("synthetic", epoch_s)
    n = 0
    for t, xyz, temp in chunks(truth, **kw):  # type: ignore[arg-type]
        acc.add(t, np.ones(t.size, dtype=np.int64), xyz, xyz * xyz)
        acc.add_temperature(t, temp)
        n += t.size
    return acc.result(RecordingInfo("synthetic", "synthetic", truth.fs, n))
