"""Step 0: raw samples become 5-second epochs in one streaming pass.

Every later step works on epochs, never on raw samples, so a week at 100 Hz (60 million samples
per axis) shrinks to 121 thousand rows while it is read. Each epoch keeps the sample count, the
per-axis sums and sums of squares (float64: float32 sums drift by 0.01 g over a week) and the
mean temperature, from which the mean (the gravity vector) and the standard deviation (movement)
follow exactly. Calibration and the axis mapping are linear, so they apply to epoch means
without a second pass over the samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.errors import RecordingError

EPOCH_S = 5
NS = 1_000_000_000
MAX_DAYS = 60

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    """What the reader learnt about a file: its format, device and sample rate."""

    path: str
    format: str
    sample_rate_hz: float
    samples: int
    device: str = ""
    skipped_blocks: int = 0
    gaps: int = 0  # pauses between samples longer than 2 s (phone exports)
    gap_min: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "sample_rate_hz": self.sample_rate_hz,
            "samples": self.samples,
            "device": self.device,
            "skipped_blocks": self.skipped_blocks,
            "gaps": self.gaps,
            "gap_min": self.gap_min,
        }


@dataclass(frozen=True, slots=True)
class Epochs:
    """Per-epoch statistics of a recording in the device frame, in g.

    ``start_ns`` is the start of epoch 0 as nanoseconds since 1970 on the device's wall clock
    (recordings carry local time without a zone). ``count`` is 0 where no samples arrived.
    """

    start_ns: int
    epoch_s: int
    count: I64
    sums: F64
    sumsq: F64
    temperature: F64
    info: RecordingInfo

    def __len__(self) -> int:
        return int(self.count.shape[0])

    @property
    def mean(self) -> F64:
        n = np.maximum(self.count, 1)[:, None].astype(np.float64)
        out: F64 = self.sums / n
        return out

    @property
    def variance(self) -> F64:
        n = np.maximum(self.count, 1)[:, None].astype(np.float64)
        m = self.sums / n
        out: F64 = np.maximum(self.sumsq / n - m * m, 0.0)
        return out

    def times(self) -> NDArray[np.datetime64]:
        """The start of every epoch as numpy datetimes (wall clock)."""
        idx = np.arange(len(self), dtype=np.int64) * (self.epoch_s * NS) + self.start_ns
        return idx.astype("datetime64[ns]")


class EpochAccumulator:
    """Adds blocks of samples (or of pre-summed sectors) into epochs as they are read.

    ``add`` takes, for each block, its mid time in ns, its sample count and its per-axis sums and
    sums of squares; a block of one sample is just a sample. Blocks are binned by their mid time,
    so a 120-sample CWA sector lands whole in one epoch.
    """

    def __init__(self, path: str, epoch_s: int = EPOCH_S) -> None:
        self.path = path
        self.epoch_ns = epoch_s * NS
        self.epoch_s = epoch_s
        self.origin: int | None = None
        self._n = 0
        self._count = np.zeros(0, dtype=np.int64)
        self._stats = np.zeros((0, 6), dtype=np.float64)
        self._temp = np.zeros((0, 2), dtype=np.float64)
        self.dropped = 0

    def _index(self, t_ns: I64) -> I64:
        if self.origin is None:
            first = int(t_ns.min())
            self.origin = (first // self.epoch_ns) * self.epoch_ns
        idx: I64 = (t_ns - self.origin) // self.epoch_ns
        return idx

    def _grow(self, size: int) -> None:
        if size > MAX_DAYS * 86400 // self.epoch_s:
            raise RecordingError(
                f"{self.path}: the timestamps span more than {MAX_DAYS} days; "
                "the file is corrupt or its clock was not set"
            )
        if size <= self._count.shape[0]:
            self._n = max(self._n, size)
            return
        cap = max(size, 2 * self._count.shape[0], 4096)
        count = np.zeros(cap, dtype=np.int64)
        count[: self._n] = self._count[: self._n]
        stats = np.zeros((cap, 6), dtype=np.float64)
        stats[: self._n] = self._stats[: self._n]
        temp = np.zeros((cap, 2), dtype=np.float64)
        temp[: self._n] = self._temp[: self._n]
        self._count, self._stats, self._temp = count, stats, temp
        self._n = size

    def add(self, t_ns: I64, count: I64, sums: F64, sumsq: F64) -> None:
        if t_ns.size == 0:
            return
        idx = self._index(t_ns)
        keep = idx >= 0
        if not keep.all():  # a clock stepping back before the first block: drop those samples
            self.dropped += int(count[~keep].sum())
            idx, count, sums, sumsq = idx[keep], count[keep], sums[keep], sumsq[keep]
            if idx.size == 0:
                return
        lo, size = int(idx.min()), int(idx.max()) + 1
        self._grow(max(size, self._n))
        rel, span = idx - lo, size - lo
        self._count[lo:size] += np.bincount(rel, weights=count, minlength=span).astype(np.int64)
        for k in range(3):
            self._stats[lo:size, k] += np.bincount(rel, weights=sums[:, k], minlength=span)
            self._stats[lo:size, 3 + k] += np.bincount(rel, weights=sumsq[:, k], minlength=span)

    def add_temperature(self, t_ns: I64, celsius: F64) -> None:
        if t_ns.size == 0:
            return
        idx = self._index(t_ns)
        keep = (idx >= 0) & np.isfinite(celsius)
        idx, celsius = idx[keep], celsius[keep]
        if idx.size == 0:
            return
        lo, size = int(idx.min()), int(idx.max()) + 1
        self._grow(max(size, self._n))
        rel, span = idx - lo, size - lo
        self._temp[lo:size, 0] += np.bincount(rel, weights=celsius, minlength=span)
        self._temp[lo:size, 1] += np.bincount(rel, minlength=span)

    def result(self, info: RecordingInfo) -> Epochs:
        if self.origin is None or self._n == 0 or int(self._count[: self._n].sum()) == 0:
            raise RecordingError(f"{self.path}: the recording holds no acceleration samples")
        n = self._n
        tc = self._temp[:n]
        with np.errstate(invalid="ignore", divide="ignore"):
            temperature = np.where(tc[:, 1] > 0, tc[:, 0] / np.maximum(tc[:, 1], 1), np.nan)
        return Epochs(
            start_ns=self.origin,
            epoch_s=self.epoch_s,
            count=self._count[:n].copy(),
            sums=self._stats[:n, :3].copy(),
            sumsq=self._stats[:n, 3:].copy(),
            temperature=temperature.astype(np.float64),
            info=info,
        )


def runs(mask: NDArray[np.bool_]) -> tuple[I64, I64]:
    """Start and end (exclusive) indices of the runs of True in ``mask``."""
    m = np.concatenate([[False], np.asarray(mask, dtype=np.bool_), [False]])
    d = np.flatnonzero(m[1:] != m[:-1])
    return d[0::2].astype(np.int64), d[1::2].astype(np.int64)


def fill_short_gaps(mask: NDArray[np.bool_], max_gap: int) -> NDArray[np.bool_]:
    """``mask`` with runs of False no longer than ``max_gap`` between two True runs set True."""
    out = np.asarray(mask, dtype=np.bool_).copy()
    starts, ends = runs(~out)
    for s, e in zip(starts, ends, strict=True):
        if s > 0 and e < out.size and e - s <= max_gap:
            out[s:e] = True
    return out


def drop_short_runs(mask: NDArray[np.bool_], min_len: int) -> NDArray[np.bool_]:
    """``mask`` with runs of True shorter than ``min_len`` set False."""
    out = np.asarray(mask, dtype=np.bool_).copy()
    starts, ends = runs(out)
    for s, e in zip(starts, ends, strict=True):
        if e - s < min_len:
            out[s:e] = False
    return out
