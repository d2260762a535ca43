"""How long ``analyze`` takes on ten years of nightly diary entries (target: under 200 ms).

Run: ``PYTHONPATH=src python benchmarks/bench_insights.py``. Prints the median and best wall
time of several runs after one warm-up run, and the CPU time (steadier on a busy machine), on a
simulated diary of 3,650 nights (missing nights, a mattress and a pillow changed, every factor
recorded).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import numpy as np

from nightspine.diary.entry import DiaryEntry
from nightspine.insights import analyze, render_text

POSITIONS = ("back", "side", "stomach", "mixed")


def ten_years(seed: int = 1) -> list[DiaryEntry]:
    rng = np.random.default_rng(seed)
    start = dt.date(2016, 1, 1)
    entries: list[DiaryEntry] = []
    noise = 0.0
    day = 0
    while len(entries) < 3650:
        noise = 0.4 * noise + rng.normal(0.0, 1.1)
        day += 1
        if rng.random() < 0.05:  # a night not logged
            continue
        position = POSITIONS[int(rng.integers(0, 4))]
        pain = 4.0 + 1.5 * (position == "stomach") + noise
        entries.append(
            DiaryEntry(
                date=start + dt.timedelta(days=day),
                pain_on_waking=int(np.clip(round(pain), 0, 10)),
                sleep_position=position,  # type: ignore[arg-type]
                knee_pillow=bool(rng.random() < 0.4),
                pillow=("old foam", "cervical", "feather")[min(2, day // 1300)],
                mattress="old spring" if day < 1800 else "new medium",
                hours_slept=float(round(rng.normal(7, 1) * 2) / 2),
                tosses_and_turns=bool(rng.random() < 0.3),
                exercise_minutes=int(rng.integers(0, 7)) * 10,
                sitting_hours=float(np.clip(round(rng.normal(7, 2)), 0, 16)),
                stress=int(rng.integers(0, 11)),
                alcohol_evening=bool(rng.random() < 0.2),
                caffeine_evening=bool(rng.random() < 0.2),
                screens_in_bed=bool(rng.random() < 0.5),
                stretching=bool(rng.random() < 0.4),
                heat_or_ice=bool(rng.random() < 0.1),
            )
        )
    return entries


def main() -> None:
    entries = ten_years()
    analyze(entries)  # warm-up (imports, caches)
    times, cpu = [], []
    for _ in range(7):
        t0, c0 = time.perf_counter(), time.process_time()
        result = analyze(entries)
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    t0 = time.perf_counter()
    render_text(result)
    json_ms = (time.perf_counter() - t0) * 1000.0
    print(
        f"analyze on {len(entries)} nights: wall median {statistics.median(times):.1f} ms, "
        f"best {min(times):.1f} ms; CPU median {statistics.median(cpu):.1f} ms "
        f"over {len(times)} runs (target < 200 ms)"
    )
    print(
        f"render_text: {json_ms:.1f} ms; factors {len(result.factors)}, changes "
        f"{len(result.changes)}, tests {result.tests}"
    )


if __name__ == "__main__":
    main()
