"""A streaming writer of Axivity ``.cwa`` files (AX3, packed 10-bit samples), for synthetic data.

Follows the open CWA layout (OpenMovement ax3-technical docs): a 1024-byte 'MD' header, then
512-byte 'AX' data sectors of 120 packed samples each with a packed timestamp, the sample offset
at which it applies, the temperature and a checksum that makes the 16-bit words sum to zero.
Used by the tests (round trip against actfast) and by ``benchmarks/bench_sensors.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
from numpy.typing import NDArray

NS = 1_000_000_000
PER_SECTOR = 120
RATE_CODES = {25.0: 8, 50.0: 9, 100.0: 10, 200.0: 11, 400.0: 12}
RANGE_BITS = {16: 0, 8: 1, 4: 2, 2: 3}

_DTYPE = np.dtype(
    {
        "names": [
            "magic",
            "length",
            "fractional",
            "session",
            "sequence",
            "timestamp",
            "light",
            "temperature",
            "events",
            "battery",
            "rate",
            "axes_bps",
            "ts_offset",
            "count",
            "data",
            "checksum",
        ],
        "formats": [
            "S2",
            "<u2",
            "<u2",
            "<u4",
            "<u4",
            "<u4",
            "<u2",
            "<u2",
            "u1",
            "u1",
            "u1",
            "u1",
            "<i2",
            "<u2",
            ("<u4", 120),
            "<u2",
        ],
        "offsets": [0, 2, 4, 6, 10, 14, 18, 20, 22, 23, 24, 25, 26, 28, 30, 510],
        "itemsize": 512,
    }
)


def pack_timestamp(t: dt.datetime) -> int:
    return (
        ((t.year - 2000) & 0x3F) << 26
        | (t.month & 0x0F) << 22
        | (t.day & 0x1F) << 17
        | (t.hour & 0x1F) << 12
        | (t.minute & 0x3F) << 6
        | (t.second & 0x3F)
    )


def pack_samples(xyz_g: NDArray[np.float64]) -> NDArray[np.uint32]:
    """Packed 32-bit words: 10-bit signed x, y, z in 1/256 g with a shared 2-bit exponent."""
    v = np.round(xyz_g * 256.0).astype(np.int64)
    big = np.abs(v).max(axis=1)
    e = np.zeros(v.shape[0], dtype=np.int64)
    for k in (1, 2, 3):
        e[big > (511 << (k - 1))] = k
    scaled = xyz_g * 256.0 / (1 << e)[:, None]
    m = np.clip(np.round(scaled).astype(np.int64), -512, 511) & 0x3FF
    words = m[:, 0] | (m[:, 1] << 10) | (m[:, 2] << 20) | (e << 30)
    out: NDArray[np.uint32] = words.astype(np.uint32)
    return out


class CwaWriter:
    """``with CwaWriter(path, fs, start) as w: w.write(xyz, temperature)`` (chunks in order)."""

    def __init__(self, path: str | Path, fs: float, start: dt.datetime, range_g: int = 8) -> None:
        if fs not in RATE_CODES:
            raise ValueError(f"sample rate {fs} not writable; use one of {sorted(RATE_CODES)}")
        self.fs = fs
        self.start = start
        self.rate_byte = RATE_CODES[fs] | (RANGE_BITS[range_g] << 6)
        self._fh: BinaryIO = Path(path).open("wb")  # noqa: SIM115 (closed by close())
        self._pending_xyz = np.zeros((0, 3))
        self._pending_temp = np.zeros(0)
        self._sector = 0
        self._fh.write(self._header())

    def _header(self) -> bytes:
        h = bytearray(1024)
        h[0:2] = b"MD"
        h[2:4] = (1020).to_bytes(2, "little")
        h[4] = 0x00  # AX3
        h[5:7] = (12345).to_bytes(2, "little")
        h[7:11] = (1).to_bytes(4, "little")
        h[11:13] = (0).to_bytes(2, "little")
        h[13:17] = pack_timestamp(self.start).to_bytes(4, "little")
        h[17:21] = (0xFFFFFFFF).to_bytes(4, "little")
        h[36] = self.rate_byte
        h[41] = 45
        h[64:512] = b"\xff" * 448
        h[512:1024] = b"\xff" * 512
        return bytes(h)

    def write(self, xyz: NDArray[np.float64], temperature: NDArray[np.float64]) -> None:
        xyz = np.concatenate([self._pending_xyz, xyz])
        temp = np.concatenate([self._pending_temp, temperature])
        n = (xyz.shape[0] // PER_SECTOR) * PER_SECTOR
        self._pending_xyz, self._pending_temp = xyz[n:], temp[n:]
        if n:
            self._sectors(xyz[:n], temp[:n])

    def _sectors(self, xyz: NDArray[np.float64], temp: NDArray[np.float64]) -> None:
        s = xyz.shape[0] // PER_SECTOR
        rec = np.zeros(s, dtype=_DTYPE)
        rec["magic"] = b"AX"
        rec["length"] = 508
        rec["session"] = 1
        idx = np.arange(self._sector, self._sector + s, dtype=np.int64)
        rec["sequence"] = idx
        start_s = idx * PER_SECTOR / self.fs  # seconds from the recording start
        whole = np.ceil(start_s - 1e-9)
        ts = [
            pack_timestamp(self.start + dt.timedelta(seconds=float(w)))
            for w in whole  # one conversion per second boundary
        ]
        rec["timestamp"] = ts
        rec["ts_offset"] = np.round((whole - start_s) * self.fs).astype(np.int16)
        rec["light"] = 0
        t = temp.reshape(s, PER_SECTOR).mean(axis=1)
        rec["temperature"] = np.clip(np.round((t + 50.0) * 256.0 / 75.0), 0, 1023).astype(np.uint16)
        rec["battery"] = 200
        rec["rate"] = self.rate_byte
        rec["axes_bps"] = 0x30
        rec["count"] = PER_SECTOR
        rec["data"] = pack_samples(xyz).reshape(s, PER_SECTOR)
        words = rec.view(np.uint16).reshape(s, 256)
        total = words[:, :255].sum(axis=1, dtype=np.uint64)
        rec["checksum"] = ((-total.astype(np.int64)) & 0xFFFF).astype(np.uint16)
        self._fh.write(rec.tobytes())
        self._sector += s

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> CwaWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
