"""Step 1: read a raw recording into epochs in one streaming pass.

- Axivity ``.cwa``: our own vectorised reader streams the file in chunks of 512-byte sectors
  (open format: OpenMovement's ax3-technical docs; the same layout actfast reads), sums each
  sector's samples as exact integers and never holds the week of samples in memory.
- GENEActiv ``.bin`` and ActiGraph ``.gt3x``: actfast (MIT), then epoch sums in slices.
- Phone exports (``.zip``, or a CSV with their header): Sensor Logger and phyphox, see
  :mod:`nightspine.sensors.phone`.
- CSV ``time,x,y,z`` in g: pyarrow's streaming CSV reader. ``time`` is
  unix time (s, ms, us or ns, told apart by size) or an ISO date-time. Without a header the first
  four columns are taken as time, x, y, z.

Every failure becomes a :class:`~nightspine.errors.RecordingError` naming the file and the fault.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nightspine.errors import RecordingError, missing_extra
from nightspine.sensors.epochs import EPOCH_S, NS, EpochAccumulator, Epochs, RecordingInfo
from nightspine.sensors.phone import is_phone_csv, read_phone_csv, read_phone_zip

F64 = NDArray[np.float64]

FORMATS = {
    ".cwa": "Axivity CWA",
    ".bin": "GENEActiv BIN",
    ".gt3x": "ActiGraph GT3X",
    ".csv": "CSV",
    ".zip": "phone export",
}
SECTOR = 512
CWA_HEADER = 1024
CHUNK_SECTORS = 8192  # 4 MB: big enough to amortise, small enough for the cache
WORKERS = 2

_SECTOR_DTYPE = np.dtype(
    {
        "names": [
            "magic",
            "length",
            "fractional",
            "timestamp",
            "light",
            "temperature",
            "rate",
            "axes_bps",
            "ts_offset",
            "count",
        ],
        "formats": ["S2", "<u2", "<u2", "<u4", "<u2", "<u2", "u1", "u1", "<i2", "<u2"],
        "offsets": [0, 2, 4, 14, 18, 20, 24, 25, 26, 28],
        "itemsize": SECTOR,
    }
)


def read_epochs(path: str | Path, epoch_s: int = EPOCH_S) -> Epochs:
    """Read ``path`` (format from its extension) into per-epoch statistics."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise RecordingError(
            f"{p}: unknown recording format {p.suffix!r}; "
            f"nightspine reads {', '.join(sorted(FORMATS))}"
        )
    if not p.is_file():
        raise RecordingError(f"{p}: no such file")
    try:
        if fmt == "Axivity CWA":
            return _read_cwa(p, epoch_s)
        if fmt == "CSV":
            return _read_csv(p, epoch_s)
        if fmt == "phone export":
            return read_phone_zip(p, epoch_s)
        return _read_actfast(p, fmt, epoch_s)
    except OSError as exc:
        raise RecordingError(f"{p}: cannot be read ({exc.strerror or exc})") from exc


# --- Axivity CWA -----------------------------------------------------------------------------


def _cwa_times(hdr: NDArray[Any], rate: float) -> NDArray[np.int64]:
    """Start time (ns) of every sector from its packed timestamp and sample offset."""
    ts = hdr["timestamp"].astype(np.int64)
    year = ((ts >> 26) & 0x3F) + 2000
    month = (ts >> 22) & 0x0F
    day = (ts >> 17) & 0x1F
    hms = ((ts >> 12) & 0x1F) * 3600 + ((ts >> 6) & 0x3F) * 60 + (ts & 0x3F)
    months = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]").astype(np.int64) + np.clip(day, 1, 31) - 1
    t = (days * 86400 + hms) * NS
    nsps = NS / rate
    frac = hdr["fractional"].astype(np.int64)
    fractional = (frac & 0x8000) != 0
    f = (frac & 0x7FFF) << 1
    shift = hdr["ts_offset"].astype(np.float64)
    shift = np.where(fractional, shift + ((f * int(rate)) >> 16), shift)
    frac_ns = np.where(fractional, (f * NS) >> 16, 0)
    start: NDArray[np.int64] = (t + frac_ns - shift * nsps).astype(np.int64)
    return start


def _cwa_valid(
    raw: NDArray[np.uint8], hdr: NDArray[Any], axes_bps: int, rate_code: int
) -> NDArray[np.bool_]:
    ts = hdr["timestamp"]
    month = (ts >> 22) & 0x0F
    day = (ts >> 17) & 0x1F
    ok = (
        (hdr["magic"] == b"AX")
        & (hdr["length"] == 508)
        & (hdr["axes_bps"] == axes_bps)
        & (hdr["rate"] == rate_code)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
    )
    checksum = raw.view("<u2").sum(axis=1, dtype=np.uint16)
    ok &= checksum == 0
    return np.asarray(ok, dtype=np.bool_)


_scratch = threading.local()


def _buffer(name: str, shape: tuple[int, int], dtype: type[np.generic]) -> NDArray[Any]:
    """A per-thread scratch array reused across chunks (fresh pages cost a fault each)."""
    have: NDArray[Any] | None = getattr(_scratch, name, None)
    if have is None or have.shape[0] < shape[0] or have.shape[1:] != shape[1:]:
        have = np.empty(shape, dtype=dtype)
        setattr(_scratch, name, have)
    return have[: shape[0]]


def _packed_sums(words: NDArray[np.uint32]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per-sector sums and sums of squares of packed 10-bit samples (exact integers).

    A packed value is at most 511 << 3, so 120 squares sum below 2**31: int32 is exact here.
    """
    e = _buffer("exp", words.shape, np.uint32)
    np.right_shift(words, np.uint32(30), out=e)
    e = e.view(np.int32)
    scaled = bool(e.any())  # exponents are 0 below 2 g: then the shift can be skipped
    sums = np.empty((words.shape[0], 3), dtype=np.int64)
    sumsq = np.empty((words.shape[0], 3), dtype=np.int64)
    tmp = _buffer("tmp", words.shape, np.uint32)
    v = tmp.view(np.int32)
    for k, left in enumerate((22, 12, 2)):
        np.left_shift(words, np.uint32(left), out=tmp)
        np.right_shift(v, 22, out=v)
        if scaled:
            np.left_shift(v, e, out=v)
        sums[:, k] = np.add.reduce(v, axis=1, dtype=np.int32)
        sumsq[:, k] = np.einsum("ij,ij->i", v, v)
    return sums, sumsq


@dataclass(frozen=True, slots=True)
class _Layout:
    rate: float
    rate_code: int
    axes_bps: int
    packed: bool
    n_axes: int
    scale: float


Block = tuple[NDArray[np.int64], NDArray[np.int64], F64, F64, F64]


def _cwa_chunk(buf: bytes | memoryview, lay: _Layout) -> tuple[int, Block | None]:
    """Decode one chunk of sectors: (sectors skipped, (mid time, count, sums, sumsq, temp))."""
    n = len(buf) // SECTOR
    raw = np.frombuffer(buf, dtype=np.uint8, count=n * SECTOR).reshape(n, SECTOR)
    hdr = np.frombuffer(buf, dtype=_SECTOR_DTYPE, count=n)
    valid = _cwa_valid(raw, hdr, lay.axes_bps, lay.rate_code)
    skipped = int(n - valid.sum())
    if not valid.any():
        return skipped, None
    if skipped:
        raw, hdr = raw[valid], hdr[valid]
    per_sector = 120 if lay.packed else 480 // (2 * lay.n_axes)
    counts = np.minimum(hdr["count"].astype(np.int64), per_sector)
    width = per_sector * (4 if lay.packed else 2 * lay.n_axes)
    data = _buffer("data", (raw.shape[0], width), np.uint8)
    np.copyto(data, raw[:, 30 : 30 + width])
    if lay.packed:
        words = data.view("<u4")
        for i in np.flatnonzero(counts < per_sector):  # a zero word adds nothing to the sums
            words[i, counts[i] :] = 0
        isums, isumsq = _packed_sums(words)
        sums = isums.astype(np.float64) * lay.scale
        sumsq = isumsq.astype(np.float64) * (lay.scale * lay.scale)
    else:
        vals = data.view("<i2").reshape(len(hdr), per_sector, lay.n_axes)
        cols = vals[:, :, 0:3] if lay.n_axes == 3 else vals[:, :, 3:6]
        a = cols.astype(np.float64) * lay.scale
        a *= (np.arange(per_sector)[None, :] < counts[:, None])[:, :, None]
        sums = a.sum(axis=1)
        sumsq = (a * a).sum(axis=1)
    start = _cwa_times(hdr, lay.rate)
    mid = start + (counts * NS / (2 * lay.rate)).astype(np.int64)
    temp = (hdr["temperature"] & 0x3FF).astype(np.float64) * 75.0 / 256.0 - 50.0
    return skipped, (mid, counts, sums, sumsq, temp)


def _cwa_layout(p: Path, first: NDArray[Any]) -> _Layout:
    rate_code = int(first["rate"])
    axes_bps = int(first["axes_bps"])
    packed = (axes_bps & 0x0F) == 0
    n_axes = axes_bps >> 4
    if not packed and ((axes_bps & 0x0F) != 2 or n_axes not in (3, 6, 9)):
        raise RecordingError(f"{p}: unsupported sample layout 0x{axes_bps:02x} in the data sectors")
    return _Layout(
        rate=3200.0 / float(1 << (15 - (rate_code & 0x0F))),
        rate_code=rate_code,
        axes_bps=axes_bps,
        packed=packed,
        n_axes=n_axes,
        scale=1.0 / float(1 << (8 + ((int(first["light"]) >> 13) & 7))),
    )


def _read_cwa(p: Path, epoch_s: int) -> Epochs:
    """Stream the file: one thread reads chunks, a pool of two decodes them, in order."""
    acc = EpochAccumulator(str(p), epoch_s)
    samples = 0
    skipped = 0
    with p.open("rb") as fh:
        header = fh.read(CWA_HEADER)
        if len(header) < 64 or header[:2] != b"MD":
            raise RecordingError(
                f"{p}: not an Axivity .cwa file (it should start with 'MD', "
                f"it starts with {header[:2]!r})"
            )
        hardware = {0x64: "AX6"}.get(header[4], "AX3")
        lay: _Layout | None = None
        pending: deque[Future[tuple[int, Block | None]]] = deque()

        def drain(keep: int) -> None:
            nonlocal samples, skipped
            while len(pending) > keep:
                bad, block = pending.popleft().result()
                skipped += bad
                if block is not None:
                    mid, counts, sums, sumsq, temp = block
                    acc.add(mid, counts, sums, sumsq)
                    acc.add_temperature(mid, temp)
                    samples += int(counts.sum())

        rings = [bytearray(CHUNK_SECTORS * SECTOR) for _ in range(WORKERS + 2)]
        turn = 0
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            while True:
                ring = rings[turn % len(rings)]  # its last chunk was decoded by now (drain)
                turn += 1
                got = fh.readinto(ring)
                if got < SECTOR:
                    break
                buf = memoryview(ring)[: (got // SECTOR) * SECTOR]
                if lay is None:
                    n = len(buf) // SECTOR
                    hdr = np.frombuffer(buf, dtype=_SECTOR_DTYPE, count=n)
                    cand = np.flatnonzero(
                        (hdr["magic"] == b"AX") & (hdr["length"] == 508) & (hdr["rate"] != 0)
                    )
                    if cand.size == 0:
                        skipped += n
                        continue
                    lay = _cwa_layout(p, hdr[cand[0]])
                pending.append(pool.submit(_cwa_chunk, buf, lay))
                drain(WORKERS)
            drain(0)
    if lay is None:
        raise RecordingError(f"{p}: the .cwa file holds no valid data sectors (empty or corrupt)")
    if samples == 0:
        raise RecordingError(f"{p}: every data sector failed its checksum; the file is corrupt")
    info = RecordingInfo(str(p), "Axivity CWA", lay.rate, samples, hardware, skipped)
    return acc.result(info)


# --- GENEActiv / ActiGraph through actfast ---------------------------------------------------

_SLICE = 1 << 20


def _add_samples(acc: EpochAccumulator, t_ns: NDArray[np.int64], xyz: NDArray[Any]) -> int:
    n = int(t_ns.shape[0])
    ones = np.ones(min(n, _SLICE), dtype=np.int64)
    for lo in range(0, n, _SLICE):
        hi = min(n, lo + _SLICE)
        a = np.asarray(xyz[lo:hi], dtype=np.float64)
        good = np.isfinite(a).all(axis=1)
        t = t_ns[lo:hi]
        if not good.all():
            a, t = a[good], t[good]
        acc.add(t, ones[: a.shape[0]], a, a * a)
    return n


def _read_actfast(p: Path, fmt: str, epoch_s: int) -> Epochs:
    try:
        import actfast
    except ImportError as exc:
        raise missing_extra("sensors", f"reading {fmt} files", exc) from exc

    try:
        data = actfast.read(str(p))
    except ValueError as exc:
        raise RecordingError(f"{p}: not a readable {fmt} file ({exc})") from exc
    except Exception as exc:  # actfast raises its own types for truncated input
        raise RecordingError(f"{p}: not a readable {fmt} file ({exc})") from exc
    acc = EpochAccumulator(str(p), epoch_s)
    samples = 0
    rate = 0.0
    for table in data["timeseries"].values():
        t = np.asarray(table["datetime"], dtype=np.int64)
        if "acceleration" in table:
            xyz = np.asarray(table["acceleration"])
            if xyz.ndim != 2 or xyz.shape[1] != 3 or xyz.shape[0] != t.shape[0]:
                raise RecordingError(f"{p}: the acceleration table has an unexpected shape")
            samples += _add_samples(acc, t, xyz)
            if t.shape[0] > 1:
                rate = float(NS * (t.shape[0] - 1) / max(int(t[-1] - t[0]), 1))
        if "temperature" in table:
            acc.add_temperature(t, np.asarray(table["temperature"], dtype=np.float64))
    if samples == 0:
        raise RecordingError(f"{p}: the {fmt} file holds no acceleration samples")
    device = ""
    for section in data.get("metadata", {}).values():
        for key in ("hardware_type", "Device Type"):
            if key in section:
                device = str(section[key])
    return acc.result(RecordingInfo(str(p), fmt, round(rate, 2), samples, device))


# --- CSV -------------------------------------------------------------------------------------


def _time_to_ns(col: Any, p: Path) -> NDArray[np.int64]:
    import pyarrow as pa  # present: _read_csv checked it
    import pyarrow.compute as pc

    if pa.types.is_timestamp(col.type):
        out: NDArray[np.int64] = (
            pc.cast(col, pa.timestamp("ns")).cast(pa.int64()).to_numpy(zero_copy_only=False)
        )
        return out
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
        v = np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)
        big = float(np.nanmax(np.abs(v))) if v.size else 0.0
        unit = NS if big < 1e11 else 1e6 if big < 1e14 else 1e3 if big < 1e17 else 1.0
        return np.round(v * unit).astype(np.int64)
    try:
        ts = pc.strptime(col, format="%Y-%m-%dT%H:%M:%S", unit="ns")
    except Exception as exc:
        raise RecordingError(
            f"{p}: the time column holds {col.type} values; "
            "expected unix time or ISO date-times like 2026-03-05T22:10:00.000"
        ) from exc
    out2: NDArray[np.int64] = ts.cast(pa.int64()).to_numpy(zero_copy_only=False)
    return out2


def _read_csv(p: Path, epoch_s: int) -> Epochs:
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError as exc:
        raise missing_extra("sensors", "reading CSV recordings", exc) from exc

    with p.open("rb") as fh:
        head_raw = fh.readline().decode("utf-8-sig", errors="replace").strip()
    head = head_raw.lower()
    if not head:
        raise RecordingError(f"{p}: the CSV file is empty")
    if is_phone_csv(head_raw):
        return read_phone_csv(p, head_raw, epoch_s)
    fields = [f.strip().strip('"') for f in head.split(",")]
    if {"time", "x", "y", "z"} <= set(fields):
        read_opts = pcsv.ReadOptions(block_size=16 << 20)
        names = ["time", "x", "y", "z"]
        cols = names
    else:
        try:
            [float(f) for f in fields[:4]]
        except ValueError:
            raise RecordingError(
                f"{p}: the CSV needs a header with columns time,x,y,z (found {head[:80]!r})"
            ) from None
        if len(fields) < 4:
            raise RecordingError(f"{p}: the CSV needs at least four columns: time,x,y,z")
        names = ["time", "x", "y", "z"] + [f"extra{i}" for i in range(len(fields) - 4)]
        read_opts = pcsv.ReadOptions(block_size=16 << 20, column_names=names)
        cols = names[:4]
    convert = pcsv.ConvertOptions(
        include_columns=cols,
        column_types={"x": pa.float64(), "y": pa.float64(), "z": pa.float64()},
    )
    acc = EpochAccumulator(str(p), epoch_s)
    samples = 0
    try:
        reader = pcsv.open_csv(p, read_options=read_opts, convert_options=convert)
        for batch in reader:
            if batch.num_rows == 0:
                continue
            t = _time_to_ns(batch.column("time"), p)
            xyz = np.column_stack(
                [batch.column(c).to_numpy(zero_copy_only=False) for c in ("x", "y", "z")]
            )
            order_ok = t.size < 2 or bool(np.all(np.diff(t) >= 0))
            if not order_ok:
                o = np.argsort(t, kind="stable")
                t, xyz = t[o], xyz[o]
            samples += _add_samples(acc, t, xyz)
    except pa.ArrowInvalid as exc:
        raise RecordingError(f"{p}: the CSV cannot be parsed ({exc})") from exc
    if samples == 0:
        raise RecordingError(f"{p}: the CSV holds no samples")
    info = RecordingInfo(str(p), "CSV", 0.0, samples)
    ep = acc.result(info)
    span = max(len(ep) * epoch_s, 1)
    rate = round(samples / span, 2)
    return Epochs(
        ep.start_ns,
        ep.epoch_s,
        ep.count,
        ep.sums,
        ep.sumsq,
        ep.temperature,
        RecordingInfo(str(p), "CSV", rate, samples),
    )
