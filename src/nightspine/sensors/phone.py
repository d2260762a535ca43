"""Step 1 for a phone: Sensor Logger and phyphox exports, read into epochs.

A phone in a chest pocket or a chest strap is the sensor most people own (the SomnoPose
approach). Both apps export the phone's accelerometer in m/s² with irregular timestamps; each
sample is binned into its 5-second epoch by its own timestamp (so irregular sampling needs no
interpolation) and divided by standard gravity (9.80665 m/s²) to give g.

Sensor Logger (documented in github.com/tszheichoi/awesome-sensor-logger: UNITS.md,
COORDINATES.md, CROSSPLATFORM.md): a zip of CSV files with columns ``time`` (UTC, ns since
1970), ``seconds_elapsed``, ``z``, ``y``, ``x``. ``TotalAcceleration.csv`` (Android) holds the
acceleration with gravity; ``Accelerometer.csv`` holds it *without* gravity (Android and iOS)
and ``Gravity.csv`` the gravity vector, so their sum is used when there is no total. iOS reports
every axis with the opposite sign to Android (Android: a phone flat on a table reads +z);
``Metadata.csv`` names the platform, and iOS values are turned to Android's sign unless the
"Standardise Units & Frames" setting was on. The clock is UTC; the recording's time zone from
``Metadata.csv`` turns it into the wall clock the nights are keyed by.

phyphox (the "Acceleration with g" experiment): columns ``Time (s)`` (seconds since the start)
and ``Acceleration x/y/z (m/s^2)``, in Android's sign on both platforms; ``meta/time.csv`` in the
zip export maps experiment time to the phone's clock at every START (a paused and resumed
recording has several), with the UTC offset in its text column. "Linear Acceleration" (without
g) cannot show the position and is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray

from nightspine.errors import RecordingError, missing_extra
from nightspine.sensors.epochs import NS, EpochAccumulator, Epochs, RecordingInfo

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
STANDARD_GRAVITY = 9.80665  # m/s² per g
GAP_S = 2.0  # a pause between samples longer than this is a gap
MIN_GRAVITY_G = 0.5  # a median vector below this holds no gravity
PHYPHOX_G = ("Acceleration x (m/s^2)", "Acceleration y (m/s^2)", "Acceleration z (m/s^2)")


@dataclass(frozen=True, slots=True)
class PhoneSamples:
    t_ns: I64  # wall clock, ns since 1970
    xyz_g: F64  # Android sign, in g
    app: str
    device: str


def is_phone_csv(header: str) -> bool:
    """True when a CSV header is one of the phone apps' layouts."""
    fields = _fields(header)
    return fields[:2] == ["time", "seconds_elapsed"] or "Time (s)" in fields


def _header(data: bytes) -> str:
    return data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip()


def _fields(header: str) -> list[str]:
    return [f.strip().strip('"') for f in next(csv.reader([header]), [])]


def _table(data: bytes, p: Path, name: str) -> dict[str, F64]:
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError as exc:
        raise missing_extra("sensors", "reading phone exports", exc) from exc

    try:
        table = pcsv.read_csv(io.BytesIO(data))
    except pa.ArrowInvalid as exc:
        raise RecordingError(f"{p}: {name} cannot be parsed ({exc})") from exc
    out: dict[str, F64] = {}
    for col in table.column_names:
        arr = table.column(col)
        if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
            out[col.strip()] = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=np.float64)
    return out


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8", errors="replace"))))


def _zone_offset_ns(zone: str, t_ns: int) -> int:
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    moment = dt.datetime.fromtimestamp(t_ns / NS, tz=dt.UTC).astimezone(tz)
    off = moment.utcoffset()
    return int(off.total_seconds()) * NS if off else 0


# --- Sensor Logger ---------------------------------------------------------------------------


def _sensor_logger(files: dict[str, bytes], p: Path) -> PhoneSamples:
    meta = _rows(files["Metadata.csv"])[0] if "Metadata.csv" in files else {}
    meta = {k.strip().lower(): (v or "").strip() for k, v in meta.items() if k}
    platform = meta.get("platform", "").lower()
    standard = any("standardis" in k and v.lower() == "true" for k, v in meta.items())
    if "TotalAcceleration.csv" in files:
        tab = _table(files["TotalAcceleration.csv"], p, "TotalAcceleration.csv")
        t, xyz = _sl_xyz(tab, p, "TotalAcceleration.csv")
    elif "Accelerometer.csv" in files and "Gravity.csv" in files:
        t, user = _sl_xyz(_table(files["Accelerometer.csv"], p, "Accelerometer.csv"), p, "")
        tg, grav = _sl_xyz(_table(files["Gravity.csv"], p, "Gravity.csv"), p, "")
        g_at = np.column_stack([np.interp(t, tg, grav[:, k]) for k in range(3)])
        xyz = user + g_at
    elif "Gravity.csv" in files:
        t, xyz = _sl_xyz(_table(files["Gravity.csv"], p, "Gravity.csv"), p, "Gravity.csv")
    else:
        raise RecordingError(
            f"{p}: the Sensor Logger export has no TotalAcceleration.csv, Accelerometer.csv with "
            "Gravity.csv, or Gravity.csv; turn on the Accelerometer and Gravity sensors in the "
            "app and export the recording as a zip"
        )
    if platform == "ios" and not standard:
        xyz = -xyz  # iOS reports the opposite sign on every axis
    zone = meta.get("timezone") or meta.get("recording timezone") or meta.get("time zone") or ""
    local = t.astype(np.int64) + (_zone_offset_ns(zone, int(t[0])) if zone else 0)
    device = " ".join(v for v in (meta.get("device name", ""), platform) if v)
    return PhoneSamples(local, xyz / STANDARD_GRAVITY, "Sensor Logger", device)


def _sl_xyz(tab: dict[str, F64], p: Path, name: str) -> tuple[F64, F64]:
    if not {"time", "x", "y", "z"} <= set(tab):
        raise RecordingError(
            f"{p}: {name or 'a Sensor Logger file'} needs the columns time, x, y, z "
            f"(found {', '.join(sorted(tab))})"
        )
    order = np.argsort(tab["time"], kind="stable")
    xyz = np.column_stack([tab["x"], tab["y"], tab["z"]])[order]
    return tab["time"][order], xyz


# --- phyphox ---------------------------------------------------------------------------------

_OFFSET = re.compile(r"UTC([+-])(\d{1,2}):?(\d{2})?")


def _phyphox_clock(rows: list[dict[str, str]]) -> list[tuple[float, int]]:
    """(experiment time s, wall clock ns) at every START, local time from the UTC offset."""
    out: list[tuple[float, int]] = []
    for r in rows:
        if (r.get("event") or "").strip().upper() != "START":
            continue
        exp = float(r.get("experiment time") or 0.0)
        system = float(r.get("system time") or 0.0)
        m = _OFFSET.search(r.get("system time text") or "")
        offset_s = 0
        if m:
            sign = -1 if m.group(1) == "-" else 1
            offset_s = sign * (int(m.group(2)) * 3600 + int(m.group(3) or 0) * 60)
        out.append((exp, round((system + offset_s) * NS)))
    return out


def _phyphox(data: bytes, clock: list[tuple[float, int]], p: Path) -> PhoneSamples:
    fields = _fields(_header(data))
    if any(f.startswith("Linear Acceleration") for f in fields):
        raise RecordingError(
            f"{p}: this phyphox export holds linear acceleration (without g), which cannot "
            "show the lying position; record with the 'Acceleration with g' experiment"
        )
    if not set(PHYPHOX_G) <= set(fields) or "Time (s)" not in fields:
        raise RecordingError(
            f"{p}: a phyphox export needs the columns Time (s) and Acceleration x/y/z (m/s^2) "
            f"(found {', '.join(fields)})"
        )
    if not clock:
        raise RecordingError(
            f"{p}: a phyphox CSV alone does not say when the recording started; export the "
            "whole experiment as a zip ('CSV (comma, decimal point)' in a zip), which holds "
            "meta/time.csv with the start time"
        )
    tab = _table(data, p, "the phyphox CSV")
    t_s = tab["Time (s)"]
    starts = np.array([c[0] for c in clock])
    walls = np.array([c[1] for c in clock], dtype=np.int64)
    which = np.clip(np.searchsorted(starts, t_s, side="right") - 1, 0, len(clock) - 1)
    t_ns = walls[which] + np.round((t_s - starts[which]) * NS).astype(np.int64)
    xyz = np.column_stack([tab[c] for c in PHYPHOX_G])
    return PhoneSamples(t_ns, xyz / STANDARD_GRAVITY, "phyphox", "")


# --- entry points ----------------------------------------------------------------------------


def _zip_files(p: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(p) as z:
            out: dict[str, bytes] = {}
            for info in z.infolist():
                if info.is_dir() or not info.filename.lower().endswith(".csv"):
                    continue
                out[info.filename] = z.read(info)
            return out
    except zipfile.BadZipFile as exc:
        raise RecordingError(f"{p}: not a readable zip file ({exc})") from exc


def read_phone_zip(p: Path, epoch_s: int) -> Epochs:
    files = _zip_files(p)
    base = {Path(k).name: v for k, v in files.items()}
    if any(_fields(_header(v))[:2] == ["time", "seconds_elapsed"] for v in base.values()):
        return _epochs(_sensor_logger(base, p), p, epoch_s)
    clock = _phyphox_clock(_rows(base["time.csv"])) if "time.csv" in base else []
    for data in files.values():
        header = _header(data)
        if "Acceleration" in header and "Time (s)" in header:
            return _epochs(_phyphox(data, clock, p), p, epoch_s)
    raise RecordingError(
        f"{p}: the zip holds neither a Sensor Logger recording (TotalAcceleration.csv or "
        "Accelerometer.csv with Gravity.csv) nor a phyphox 'Acceleration with g' export"
    )


def read_phone_csv(p: Path, header: str, epoch_s: int) -> Epochs:
    """A single CSV: Sensor Logger's (Android sign and UTC assumed: no Metadata.csv beside it)
    or phyphox's (refused: it does not carry its start time)."""
    data = p.read_bytes()
    if _fields(header)[:2] == ["time", "seconds_elapsed"]:
        return _epochs(_sensor_logger({"TotalAcceleration.csv": data}, p), p, epoch_s)
    return _epochs(_phyphox(data, [], p), p, epoch_s)


def _epochs(s: PhoneSamples, p: Path, epoch_s: int) -> Epochs:
    if s.t_ns.size < 2:
        raise RecordingError(f"{p}: the export holds fewer than two samples")
    good = np.isfinite(s.xyz_g).all(axis=1)
    t, xyz = s.t_ns[good], s.xyz_g[good]
    median_g = float(np.median(np.linalg.norm(xyz, axis=1)))
    if median_g < MIN_GRAVITY_G:
        raise RecordingError(
            f"{p}: the acceleration holds no gravity (median {median_g:.2f} g); this is "
            "acceleration without gravity (Sensor Logger's Accelerometer.csv); export the whole "
            "recording as a zip with the Gravity sensor on, or use TotalAcceleration.csv"
        )
    acc = EpochAccumulator(str(p), epoch_s)
    acc.add(t, np.ones(t.size, dtype=np.int64), xyz, xyz * xyz)
    dt_s = np.diff(t) / NS
    steps = dt_s[dt_s > 0]
    rate = round(1.0 / float(np.median(steps)), 2) if steps.size else 0.0
    gaps = dt_s > GAP_S
    info = RecordingInfo(
        str(p),
        s.app,
        rate,
        int(t.size),
        device=s.device,
        gaps=int(gaps.sum()),
        gap_min=round(float(dt_s[gaps].sum()) / 60.0, 1),
    )
    return acc.result(info)
