"""Benchmark: `nightspine sensors batch` on local files: the default process pool against one
process and against a local Dask cluster.

    PYTHONPATH=src python benchmarks/bench_sensors_batch.py [--files 8] [--days 2] [--workers 2]

Writes one synthetic .cwa recording (tests/sensors/synthetic.py through cwa_writer.py, 100 Hz)
into a temporary folder and copies it FILES times; then runs the batch three ways, each in a
fresh child process (peak RSS of the child and its workers is the larger of the two resource
counters): ``one process`` (workers=1, no pool), ``process pool`` (the default) and
``Dask local`` (``--scheduler dask``, the same worker count). Prints wall time and the ratio to
the process pool. Dask's local cluster pays about a second to start and its workers' memory
on top; it starts to win only when the recordings are spread over machines (``--scheduler
tcp://…``), which this single-machine benchmark cannot show.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_files(folder: Path, files: int, days: int) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "sensors"))
    from cwa_writer import CwaWriter
    from synthetic import chunks, make_truth

    truth = make_truth(days, 100.0, seed=7)
    first = folder / "rec0.cwa"
    with CwaWriter(first, 100.0, truth.start, range_g=8) as w:
        for _, xyz, temp in chunks(truth):
            w.write(xyz, temp)
    for i in range(1, files):
        shutil.copy(first, folder / f"rec{i}.cwa")


def child(how: str, folder: str, workers: int) -> None:
    from rich.console import Console

    from nightspine.cli.sensors_batch import run_batch

    out = Path(folder) / f"{how}.parquet"
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    t0 = time.perf_counter()
    summary = run_batch(
        str(Path(folder) / "*.cwa"),
        out,
        workers=1 if how == "one" else workers,
        processes=how != "one",
        scheduler="dask" if how == "dask" else None,
        memory_limit="4GiB",
        console=quiet,
    )
    wall = time.perf_counter() - t0
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(json.dumps({"wall_s": wall, "done": summary.done, "peak_mb": peak / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", choices=["one", "pool", "dask"])
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.workers)
        return
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    with tempfile.TemporaryDirectory(prefix="nightspine-batch-") as tmp:
        make_files(Path(tmp), args.files, args.days)
        found = {}
        for how in ("one", "pool", "dask"):
            for old in Path(tmp).glob("*.parquet*"):
                if old.is_dir():
                    shutil.rmtree(old)
                else:
                    old.unlink()
            command = [sys.executable, __file__, "--child", how, "--folder", tmp]
            done = subprocess.run(
                [*command, "--workers", str(args.workers)],
                capture_output=True,
                text=True,
                env=env,
                timeout=1800,
                check=False,
            )
            if done.returncode:
                raise SystemExit(done.stderr[-3000:])
            found[how] = json.loads(done.stdout.strip().splitlines()[-1])
    pool = found["pool"]["wall_s"]
    print(
        f"{args.files} files of {args.days} days at 100 Hz, {args.workers} workers, "
        f"{os.cpu_count()} cores"
    )
    names = {"one": "one process", "pool": "process pool (default)", "dask": "Dask local"}
    for how, r in found.items():
        print(
            f"{names[how]:<24} {r['wall_s']:7.2f} s  x{r['wall_s'] / pool:4.2f} of the pool  "
            f"peak {r['peak_mb']:6.0f} MB  ({r['done']} files)"
        )


if __name__ == "__main__":
    main()
