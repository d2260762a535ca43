"""Benchmark: `nightspine sensors analyze` on a 7-day, 100 Hz, ±8 g .cwa recording.

    PYTHONPATH=src python benchmarks/bench_sensors.py [--repeat 5] [--days 7] [--file F.cwa]

Writes a synthetic week (tests/sensors/synthetic.py through tests/sensors/cwa_writer.py) to a
cache folder once, then times the whole analysis (read + every step) in fresh child processes so
each run's peak RSS is its own, and prints best and median wall time and peak RSS against the
targets (1.5 s, 700 MB). Beside it, one peer run in a child process of the same benchmark:
scikit-digital-health's CWA reader and sleep step (optional: `pip install .[bench]`); without it
the peer is plain numpy (decode every sample to float arrays, then per-epoch statistics).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5
TARGET_MB = 700.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_file(path: Path, days: int) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "sensors"))
    from cwa_writer import CwaWriter
    from synthetic import chunks, make_truth

    truth = make_truth(days, 100.0, seed=7)
    t0 = time.perf_counter()
    tmp = path.with_suffix(".part")
    with CwaWriter(tmp, 100.0, truth.start, range_g=8) as w:
        for _, xyz, temp in chunks(truth):
            w.write(xyz, temp)
    tmp.rename(path)
    size = path.stat().st_size / 1e6
    print(f"wrote {path} ({size:.0f} MB) in {time.perf_counter() - t0:.0f} s", flush=True)


def child(which: str, path: str) -> None:
    """Run one analysis and print its wall time, CPU time and peak RSS as JSON."""
    if which == "ours":
        from nightspine.sensors import analyze

        cpu0 = _cpu()
        t0 = time.perf_counter()
        result = analyze(path, "chest")
        wall = time.perf_counter() - t0
        extra = {"nights": len(result.nights)}
    elif which == "skdh":
        import warnings

        import skdh

        warnings.simplefilter("ignore")
        cpu0 = _cpu()
        t0 = time.perf_counter()
        data = skdh.io.ReadCwa().predict(file=path)
        t_read = time.perf_counter() - t0
        days = skdh.preprocessing.GetDayWindowIndices(bases=[12], periods=[24]).predict(
            time=data["time"], fs=data["fs"]
        )
        sleep = skdh.sleep.Sleep(day_window=(12, 24))
        out = sleep.predict(
            time=data["time"],
            accel=data["accel"],
            temperature=data["temperature"],
            fs=data["fs"],
            **days,
        )
        wall = time.perf_counter() - t0
        extra = {"read_s": round(t_read, 2), "days": len(out.get("Day N", []))}
    else:  # plain numpy: every sample decoded to float, then epoch statistics
        import numpy as np

        cpu0 = _cpu()
        t0 = time.perf_counter()
        raw = np.fromfile(path, dtype=np.uint8)[1024:]
        n = raw.size // 512
        sec = raw[: n * 512].reshape(n, 512)
        words = np.ascontiguousarray(sec[:, 30:510]).view("<u4").ravel()
        e = (words >> 30).astype(np.int32)
        xyz = np.empty((words.size, 3), dtype=np.float32)
        for k, left in enumerate((22, 12, 2)):
            xyz[:, k] = (((words << left).view(np.int32) >> 22) << e) / 256.0
        m = (words.size // 500) * 500
        ep = xyz[:m].reshape(-1, 500, 3)
        mean = ep.mean(axis=1, dtype=np.float64)
        sd = ep.std(axis=1, dtype=np.float64)
        wall = time.perf_counter() - t0
        extra = {"epochs": int(mean.shape[0] + 0 * sd.shape[0])}
    cpu_s = _cpu() - cpu0
    print(json.dumps({"wall_s": wall, "cpu_s": cpu_s, "peak_mb": _peak_mb(), **extra}))


def run_child(which: str, path: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{which} failed: {out.stderr[-2000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    path = args.file or Path(tempfile.gettempdir()) / f"nightspine-bench-{args.days}d-100hz.cwa"
    if not path.exists():
        make_file(path, args.days)
    size_mb = path.stat().st_size / 1e6
    print(f"recording: {path} ({size_mb:.0f} MB, {args.days} days at 100 Hz, ±8 g)")
    run_child("ours", path)  # warm the page cache and the imports' byte code
    runs = [run_child("ours", path) for _ in range(args.repeat)]
    walls = sorted(r["wall_s"] for r in runs)
    peaks = sorted(r["peak_mb"] for r in runs)
    cpus = sorted(r["cpu_s"] for r in runs)
    best, med = walls[0], statistics.median(walls)
    print(
        f"nightspine analyze: best {best:.2f} s, median {med:.2f} s over {len(runs)} runs "
        f"(target <= {TARGET_S} s: {'met' if best <= TARGET_S else 'NOT met'}); "
        f"peak RSS best {peaks[0]:.0f} MB, median {statistics.median(peaks):.0f} MB "
        f"(target <= {TARGET_MB:.0f} MB: {'met' if peaks[0] <= TARGET_MB else 'NOT met'}); "
        f"CPU time best {cpus[0]:.2f} s, median {statistics.median(cpus):.2f} s "
        f"(wall above CPU means the machine was busy: load {os.getloadavg()[0]:.1f})"
    )
    if args.no_peer:
        return
    try:
        import skdh  # noqa: F401

        peer = "skdh"
        label = "scikit-digital-health ReadCwa + Sleep"
    except ImportError:
        peer = "numpy"
        label = "plain numpy decode + epoch statistics (scikit-digital-health not installed)"
    p = run_child(peer, path)
    print(
        f"peer, {label}: {p['wall_s']:.2f} s wall, {p['cpu_s']:.2f} s CPU, "
        f"peak RSS {p['peak_mb']:.0f} MB {p}"
    )
    print(
        f"ratio peer / nightspine (median): time {p['wall_s'] / med:.1f}x, "
        f"CPU {p['cpu_s'] / statistics.median(cpus):.1f}x, "
        f"memory {p['peak_mb'] / statistics.median(peaks):.1f}x"
    )


if __name__ == "__main__":
    main()
