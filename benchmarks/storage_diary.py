"""How fast the storage layer reads and writes a diary: ten years of nights, both databases.

Usage: ``PYTHONPATH=src python benchmarks/storage_diary.py [DATABASE_URL ...]`` (default: a
temporary SQLite file). Prints one line per operation with its wall-clock time.

Reading a year and ten years of full entries (every contract field recorded) shows the cost of
decrypting them: each row's health values are one sealed token (one decryption a row); when
they were one token per column, a full row cost about 21 decryptions. Reads are the best of
``REPEATS`` runs, because the machine is shared.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from nightspine.diary.entry import DiaryEntry
from nightspine.storage import repository as repo
from nightspine.storage import setup
from nightspine.storage.database import empty_tables

NIGHTS = 3650
REPEATS = 3


def _entries() -> list[DiaryEntry]:
    rng = random.Random(1)
    start = dt.date(2016, 1, 1)
    return [
        DiaryEntry(
            date=start + dt.timedelta(days=i),
            pain_on_waking=rng.randint(0, 10),
            sleep_position=rng.choice(["back", "side", "stomach", "mixed"]),
            knee_pillow=rng.random() < 0.5,
            pillow=rng.choice(["old foam", "cervical"]),
            hours_slept=round(rng.uniform(4, 9), 2),
            pain_locations=("lower_back",),
        )
        for i in range(NIGHTS)
    ]


def _full_entries(count: int) -> list[DiaryEntry]:
    """``count`` mornings with every contract field recorded (the costliest rows to read)."""
    rng = random.Random(2)
    start = dt.date(2040, 1, 1)
    return [
        DiaryEntry(
            date=start + dt.timedelta(days=i),
            pain_on_waking=rng.randint(0, 10),
            pain_worst_night=rng.randint(0, 10),
            stiffness_minutes=rng.randint(0, 60),
            woke_from_pain=rng.randint(0, 4),
            pain_locations=("lower_back", "neck"),
            sleep_position=rng.choice(["back", "side", "stomach", "mixed"]),
            knee_pillow=rng.random() < 0.5,
            pillow=rng.choice(["old foam", "cervical"]),
            mattress="new medium",
            hours_slept=round(rng.uniform(4, 9), 2),
            tosses_and_turns=rng.random() < 0.5,
            exercise_minutes=rng.randint(0, 90),
            sitting_hours=round(rng.uniform(2, 10), 1),
            stress=rng.randint(0, 10),
            alcohol_evening=rng.random() < 0.3,
            caffeine_evening=rng.random() < 0.3,
            screens_in_bed=rng.random() < 0.5,
            stretching=rng.random() < 0.5,
            heat_or_ice=rng.random() < 0.2,
            medications=("paracetamol",),
            notes="slept badly after a long drive",
        )
        for i in range(count)
    ]


def _time(label: str, func: object) -> None:
    began = time.perf_counter()
    func()  # type: ignore[operator]
    print(f"  {label:<40} {1000 * (time.perf_counter() - began):8.1f} ms")


def _best(label: str, func: object) -> None:
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    print(f"  {label:<40} {1000 * min(times):8.1f} ms (best of {REPEATS})")


def read_full_diaries() -> None:
    """Read 365 and 3,650 full entries (one profile each): what a year's and ten years' pages,
    insights and exports cost in decryption."""
    for count in (365, 3650):
        profile = repo.create_profile()
        repo.import_entries(profile, _full_entries(count))
        _best(f"list_entries ({count} full entries)", lambda p=profile: repo.list_entries(p))


def run(url: str) -> None:
    print(url.split("@")[-1])
    setup(url)
    empty_tables()
    profile = repo.get_or_create_default_profile()
    entries = _entries()
    _time(f"import_entries ({NIGHTS} nights)", lambda: repo.import_entries(profile, entries))
    _time(f"list_entries ({NIGHTS} nights)", lambda: repo.list_entries(profile))
    _time("save_entry x 100 (one transaction each)", lambda: _save_many(profile))
    _time("get_entry x 100", lambda: [repo.get_entry(profile, e.date) for e in entries[:100]])
    read_full_diaries()
    empty_tables()


def _save_many(profile: object) -> None:
    start = dt.date(2030, 1, 1)
    for i in range(100):
        repo.save_entry(profile, DiaryEntry(date=start + dt.timedelta(days=i), pain_on_waking=3))  # type: ignore[arg-type]


if __name__ == "__main__":
    urls = sys.argv[1:] or [f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"]
    for url in urls:
        run(url)
