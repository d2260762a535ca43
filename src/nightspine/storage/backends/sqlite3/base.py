"""Django's SQLite back-end, with the served app's writers taking turns.

SQLite lets one connection write at a time. A writer that finds the file taken waits in
SQLite's busy handler, which sleeps in steps of up to 100 ms and does not queue: under load a
waiting writer wakes, finds the file taken again and sleeps again, while writers that came
later slip in first. In ``benchmarks/bench_web_load.py`` (two worker processes, 32 clients)
that gave diary writes a p95 of 360 ms and a p99 of 1.15 s, against 62 ms for ``/healthz``.

Here each write transaction first takes a turn: one thread of this process at a time (a
lock that wakes the next waiter at once), then the file's lock file among processes
(:mod:`filelock`, polled every millisecond). With turns the same run gave writes a p95 of
196 ms and a p99 of 242 ms. The turn only orders the writers; SQLite's own lock still keeps
the data safe, so a turn not had within the busy timeout (a stuck process) is not waited for
any longer: the write goes ahead and SQLite decides, as it did before.

Reads take no turn. ``nightspine serve`` names this back-end (``web/server_settings.py``);
the command line and the tests keep Django's own.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base
from filelock import FileLock, Timeout

POLL_SECONDS = 0.001
"""How often a process waiting for another process's turn looks again."""


class WriteTurns:
    """Turns at writing one SQLite file: one thread of this process, then one process."""

    def __init__(self, database: str, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._threads = threading.Lock()
        self._processes = FileLock(f"{database}.write-turn", mode=0o600, thread_local=False)

    def take(self) -> bool:
        """Wait for this thread's turn (at most ``timeout_s``); whether it was had."""
        deadline = time.monotonic() + self.timeout_s
        if not self._threads.acquire(timeout=self.timeout_s):
            return False
        try:
            self._processes.acquire(
                timeout=max(0.0, deadline - time.monotonic()), poll_interval=POLL_SECONDS
            )
        except Timeout:
            self._threads.release()
            return False
        except BaseException:
            self._threads.release()
            raise
        return True

    def give_back(self) -> None:
        """End the turn :meth:`take` gave."""
        try:
            self._processes.release()
        finally:
            self._threads.release()


_turns: dict[str, WriteTurns] = {}
_turns_lock = threading.Lock()
# A forked worker process starts with turns of its own: neither a lock file opened by the
# parent nor a thread lock held there at the fork may be used by the child.
os.register_at_fork(after_in_child=_turns.clear)


def turns_for(database: str, timeout_s: float) -> WriteTurns:
    """The one :class:`WriteTurns` of ``database`` in this process."""
    with _turns_lock:
        found = _turns.get(database)
        if found is None:
            found = _turns[database] = WriteTurns(database, timeout_s)
        return found


_Django: Any = base.DatabaseWrapper  # its type stubs leave out the hooks overridden below


class DatabaseWrapper(_Django):  # type: ignore[misc]
    """Each transaction's ``BEGIN`` waits for its turn; commit, rollback or close ends it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn: WriteTurns | None = None

    def _start_transaction_under_autocommit(self) -> None:
        turns = turns_for(
            str(self.settings_dict["NAME"]), float(self.settings_dict["OPTIONS"].get("timeout", 5))
        )
        if turns.take():
            self._turn = turns
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _end_turn(self) -> None:
        turns, self._turn = self._turn, None
        if turns is not None:
            turns.give_back()

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._end_turn()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._end_turn()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._end_turn()
