"""The served app's SQLite writers take turns (``storage/backends/sqlite3``): a second writer's
transaction begins only when the first one's commits, rolls back or closes, in another thread
or another process; a turn never had within the busy timeout is not waited for longer."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from nightspine.storage.backends.sqlite3.base import WriteTurns

SRC = Path(__file__).resolve().parents[2] / "src"

# Each scenario runs in a process of its own with Django set up on a fresh SQLite file through
# the served app's back-end; it prints what it saw, one line per event, with times in seconds.
_PRELUDE = textwrap.dedent(
    """
    import sys, threading, time
    import django
    from django.conf import settings
    from nightspine.storage.database import database_config

    config = database_config("sqlite:///" + sys.argv[1])
    config["ENGINE"] = "nightspine.storage.backends.sqlite3"
    config["OPTIONS"]["timeout"] = float(sys.argv[2])
    settings.configure(DATABASES={"default": config}, USE_TZ=True)
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    START = time.monotonic()

    def say(what):
        print(f"{what} {time.monotonic() - START:.3f}", flush=True)
    """
)


def _run(tmp_path: Path, body: str, timeout_s: float = 20) -> dict[str, float]:
    code = _PRELUDE + textwrap.dedent(body)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "db.sqlite3"), str(timeout_s)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return {line.split()[0]: float(line.split()[1]) for line in done.stdout.splitlines()}


_SECOND_WRITER_AFTER_FIRST = """
    from django.db import close_old_connections
    first_in = threading.Event()

    def first():
        with transaction.atomic():
            connection.cursor().execute("INSERT INTO t VALUES (1)")
            say("first-in")
            first_in.set()
            time.sleep(0.3)
            say("first-{end}")
            {how}
        connection.close()

    def second():
        first_in.wait()
        with transaction.atomic():
            say("second-in")
            connection.cursor().execute("INSERT INTO t VALUES (2)")
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads: t.start()
    for t in threads: t.join()
"""


@pytest.mark.parametrize(
    ("end", "how"),
    [
        ("commits", "pass"),
        ("rolls-back", "transaction.set_rollback(True)"),
    ],
)
def test_a_second_writer_in_this_process_begins_after_the_first_ends(
    tmp_path: Path, end: str, how: str
) -> None:
    seen = _run(tmp_path, _SECOND_WRITER_AFTER_FIRST.format(end=end, how=how))
    assert seen["second-in"] >= seen[f"first-{end}"] >= seen["first-in"] + 0.25


def test_a_connection_closed_in_a_transaction_ends_its_turn(tmp_path: Path) -> None:
    seen = _run(
        tmp_path,
        """
        connection.set_autocommit(False)  # BEGIN: the turn is taken
        say("began")
        connection.close()  # the request's connection goes away mid-transaction
        say("closed")
        with transaction.atomic():  # would wait the whole timeout if the turn were kept
            connection.cursor().execute("INSERT INTO t VALUES (1)")
        say("wrote")
        """,
        timeout_s=5,
    )
    assert seen["wrote"] - seen["closed"] < 1


def test_a_writer_waits_for_another_process_and_not_for_ever(tmp_path: Path) -> None:
    """Another process holds the turn for 0.4 s: the write waits for it. A turn held longer
    than the busy timeout (1 s here) is not waited for: SQLite itself decides, and the file is
    free, so the write goes ahead."""
    holder = textwrap.dedent(
        """
        import sys, time
        from filelock import FileLock
        lock = FileLock(sys.argv[1], thread_local=False)
        lock.acquire()
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
        """
    )
    turn = str(tmp_path / "db.sqlite3.write-turn")

    def hold(seconds: float) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", holder, turn, str(seconds)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        return proc

    write = """
    t0 = time.monotonic()
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO t VALUES (1)")
    say("waited")
    """
    _run(tmp_path, "")  # the file and its table exist before the turn is held
    short = hold(0.4)
    started = time.monotonic()
    _run(tmp_path, write, timeout_s=10)
    waited = time.monotonic() - started
    short.wait()
    assert waited >= 0.3  # it waited for the other process's turn to end ...
    long = hold(60)
    try:
        started = time.monotonic()
        _run(tmp_path, write, timeout_s=1)
        assert time.monotonic() - started < 10  # ... but not for one that never ends
    finally:
        long.kill()
        long.wait()


@pytest.fixture
def turns(tmp_path: Path) -> Iterator[WriteTurns]:
    yield WriteTurns(str(tmp_path / "db.sqlite3"), timeout_s=0.3)


def test_turns_are_one_at_a_time_and_given_back(turns: WriteTurns, tmp_path: Path) -> None:
    assert turns.take()
    order: list[str] = []

    def second() -> None:
        order.append("second asks")
        assert turns.take()
        order.append("second has it")
        turns.give_back()

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.1)
    order.append("first gives back")
    turns.give_back()
    thread.join()
    assert order == ["second asks", "first gives back", "second has it"]
    mode = stat.S_IMODE((tmp_path / "db.sqlite3.write-turn").stat().st_mode)
    assert mode & 0o077 == 0  # beside health data: the owner's only


def test_a_turn_not_had_in_time_leaves_nothing_held(turns: WriteTurns, tmp_path: Path) -> None:
    other: Any = FileLock(str(tmp_path / "db.sqlite3.write-turn"), thread_local=False)
    other.acquire()  # another process's turn (flock conflicts between open files)
    started = time.monotonic()
    assert not turns.take()
    assert 0.25 <= time.monotonic() - started < 2
    other.release()
    assert turns.take()  # this process's own lock was not left held by the failed attempt
    turns.give_back()
