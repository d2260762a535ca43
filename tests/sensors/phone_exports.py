"""Phone exports written from the apps' documented layouts (test fixtures, not real files).

Sensor Logger (github.com/tszheichoi/awesome-sensor-logger UNITS.md, COORDINATES.md,
CROSSPLATFORM.md): CSVs ``time`` (UTC ns), ``seconds_elapsed``, ``z``, ``y``, ``x`` in m/s²;
``TotalAcceleration.csv`` with gravity (Android), ``Accelerometer.csv`` without gravity and
``Gravity.csv``; iOS has the opposite sign on every axis. phyphox ("Acceleration with g"):
``Time (s)``, ``Acceleration x/y/z (m/s^2)``, ``Absolute acceleration (m/s^2)``, and
``meta/time.csv`` with the START/PAUSE events.

The night: the phone upright in a chest pocket, screen to the chest (device y to the head,
x to the wearer's left, z into the chest), 21:45 walk, 22:00 sit, 22:30 in bed on the back,
02:00 on the left side, 06:30 up and walking; samples at about ``fs`` Hz with jitter and one
10-minute gap (the app paused by the phone).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

G = 9.80665
START_LOCAL = dt.datetime(2026, 3, 2, 21, 45)
BED = (dt.datetime(2026, 3, 2, 22, 30), dt.datetime(2026, 3, 3, 6, 30))
TURN = dt.datetime(2026, 3, 3, 2, 0)
GAP = (dt.datetime(2026, 3, 3, 4, 0), dt.datetime(2026, 3, 3, 4, 10))

# (minutes, head-axis elevation deg, roll deg, movement SD in g)
SCRIPT = [
    (15, 88.0, 0.0, 0.2),  # walking to the bedroom
    (30, 75.0, 0.0, 0.01),  # sitting
    (210, 8.0, 0.0, 0.006),  # on the back until 02:00
    (270, 8.0, -90.0, 0.006),  # left side down until 06:30
    (15, 88.0, 0.0, 0.2),  # up and walking
    (5, 75.0, 0.0, 0.01),
]


def samples(fs: float = 5.0, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Seconds since START_LOCAL and the device-frame acceleration with gravity in m/s²
    (Android sign: the axis pointing up reads +9.8)."""
    rng = np.random.default_rng(seed)
    total_s = sum(m for m, *_ in SCRIPT) * 60.0
    n = int(total_s * fs)
    t = np.sort(np.arange(n) / fs + rng.uniform(-0.3, 0.3, n) / fs)  # irregular timestamps
    t = t[(t >= 0) & (t < total_s)]
    gap_a = (GAP[0] - START_LOCAL).total_seconds()
    gap_b = (GAP[1] - START_LOCAL).total_seconds()
    t = t[(t < gap_a) | (t >= gap_b)]
    bounds = np.cumsum([0.0] + [m * 60.0 for m, *_ in SCRIPT])
    part = np.clip(np.searchsorted(bounds, t, side="right") - 1, 0, len(SCRIPT) - 1)
    elev = np.radians(np.array([s[1] for s in SCRIPT]))[part]
    roll = np.radians(np.array([s[2] for s in SCRIPT]))[part]
    sd = np.array([s[3] for s in SCRIPT])[part]
    head = np.sin(elev)
    left = np.cos(elev) * np.sin(roll)
    front = np.cos(elev) * np.cos(roll)
    body = np.column_stack([head, left, front]) + rng.normal(0, 1, (t.size, 3)) * sd[:, None]
    # device: x = left, y = head, z = into the chest (-front)
    device = np.column_stack([body[:, 1], body[:, 0], -body[:, 2]]) * G
    return t, device


def _csv(header: list[str], cols: list[NDArray[np.float64]], fmt: list[str]) -> bytes:
    out = io.StringIO()
    np.savetxt(
        out, np.column_stack(cols), fmt=fmt, delimiter=",", header=",".join(header), comments=""
    )
    return out.getvalue().encode()


def _sl_csv(
    t_utc_ns: NDArray[np.float64], t_rel: NDArray[np.float64], xyz: NDArray[np.float64]
) -> bytes:
    return _csv(
        ["time", "seconds_elapsed", "z", "y", "x"],
        [t_utc_ns, t_rel, xyz[:, 2], xyz[:, 1], xyz[:, 0]],
        ["%d", "%.4f", "%.5f", "%.5f", "%.5f"],
    )


def sensor_logger_zip(path: Path, platform: str, zone: str = "Europe/Berlin") -> Path:
    """Android: TotalAcceleration.csv; iOS: Accelerometer.csv (no gravity) + Gravity.csv with
    the iOS sign. Times in UTC ns; the wall clock is START_LOCAL in ``zone``."""
    from zoneinfo import ZoneInfo

    t, acc = samples()
    start_utc = START_LOCAL.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
    t0_ns = int(start_utc.timestamp()) * 1_000_000_000
    t_ns = t0_ns + np.round(t * 1e9)
    meta = (
        "version,device name,recording time,platform,recording timezone\n"
        f"3,test phone,{start_utc:%Y-%m-%d_%H-%M-%S},{platform},{zone}\n"
    ).encode()
    files = {"Metadata.csv": meta}
    if platform == "android":
        files["TotalAcceleration.csv"] = _sl_csv(t_ns, t, acc)
        gravity = acc.copy()
        files["Gravity.csv"] = _sl_csv(t_ns, t, gravity)
    else:
        # iOS: user acceleration and gravity apart, both with the opposite sign
        unit = acc / np.linalg.norm(acc, axis=1, keepdims=True) * G
        user = acc - unit
        files["Accelerometer.csv"] = _sl_csv(t_ns, t, -user)
        files["Gravity.csv"] = _sl_csv(t_ns, t, -unit)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def phyphox_zip(path: Path, linear: bool = False) -> Path:
    """'Acceleration with g' export, paused for the gap and resumed (two STARTs)."""
    t, acc = samples()
    gap_a = (GAP[0] - START_LOCAL).total_seconds()
    gap_len = (GAP[1] - GAP[0]).total_seconds()
    exp_t = np.where(t >= gap_a, t - gap_len, t)  # experiment time stops while paused
    start_unix = START_LOCAL.replace(tzinfo=dt.timezone(dt.timedelta(hours=1))).timestamp()
    name = "Linear Acceleration" if linear else "Acceleration"
    data = _csv(
        ['"Time (s)"']
        + [f'"{name} {a} (m/s^2)"' for a in "xyz"]
        + ['"Absolute acceleration (m/s^2)"'],
        [exp_t, acc[:, 0], acc[:, 1], acc[:, 2], np.linalg.norm(acc, axis=1)],
        ["%.4f", "%.5f", "%.5f", "%.5f", "%.5f"],
    )
    time_csv = (
        '"event","experiment time","system time","system time text"\n'
        f'"START",0.000,{start_unix:.3f},"2026-03-02 21:45:00.000 UTC+01:00"\n'
        f'"PAUSE",{gap_a:.3f},{start_unix + gap_a:.3f},"2026-03-03 04:00:00.000 UTC+01:00"\n'
        f'"START",{gap_a:.3f},{start_unix + gap_a + gap_len:.3f},'
        '"2026-03-03 04:10:00.000 UTC+01:00"\n'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Accelerometer.csv", data)
        z.writestr("meta/time.csv", time_csv)
        z.writestr("meta/device.csv", b'"property","value"\n"deviceModel","test phone"\n')
    return path
