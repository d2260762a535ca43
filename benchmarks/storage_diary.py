"""How fast the storage layer reads and writes a diary: ten years of nights, both databases.

Usage: ``PYTHONPATH=src python benchmarks/storage_diary.py [DATABASE_URL ...]`` (default: a
temporary SQLite file). Prints one line per operation with its wall-clock time.
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


def _time(label: str, func: object) -> None:
    began = time.perf_counter()
    func()  # type: ignore[operator]
    print(f"  {label:<40} {1000 * (time.perf_counter() - began):8.1f} ms")


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
    empty_tables()


def _save_many(profile: object) -> None:
    start = dt.date(2030, 1, 1)
    for i in range(100):
        repo.save_entry(profile, DiaryEntry(date=start + dt.timedelta(days=i), pain_on_waking=3))  # type: ignore[arg-type]


if __name__ == "__main__":
    urls = sys.argv[1:] or [f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"]
    for url in urls:
        run(url)
