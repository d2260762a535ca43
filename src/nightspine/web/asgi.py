"""The ASGI application that ``nightspine serve`` hands to its uvicorn workers.

Django's ASGI handler reads each request (headers and body) on the event loop before any view
runs, so a slow or idle client holds only a socket, never a thread.

At most :data:`RUNNING_PER_PROCESS` requests of a worker process run their views at once; the
others wait on the event loop, in the order they came, with their bodies read
(:class:`TakingTurns`). Views are Python and mostly CPU: sixteen of them in one process's
threads do not finish sooner than four, they only pass the interpreter's lock among
themselves every few milliseconds, and a request that holds SQLite's write turn waits its
share of that too. Measured in ``benchmarks/bench_web_load.py`` on SQLite at 32 clients: p95
of a diary write 161 ms without the limit and 133 ms with it against 63 ms for ``/healthz``;
at 8 clients the writes went from 284 to 343 a second. The cost: a view that waits (a long
report, a write while ``nightspine diary import`` holds the file) keeps its place meanwhile.

Each worker process loads, before it takes its first request, what that request would otherwise
load while a person waits (:func:`warm_up`): measured 0.9 s of CPU, and 5 s for a saved
assessment in ``benchmarks/bench_web_load.py`` when three of four workers met their first one
at once on 2 busy cores. On SQLite each worker also keeps one connection open for its whole
life (:func:`hold_sqlite_open`).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import sqlite3
from typing import Any

import django
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponseBase

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.server_settings")
django.setup(set_prefix=False)  # as django.core.asgi.get_asgi_application does

RUNNING_PER_PROCESS = 4
"""Most requests whose views run at once in one worker process."""


class TakingTurns(ASGIHandler):
    """Django's ASGI handler, running at most :data:`RUNNING_PER_PROCESS` requests' views at
    once. A request waits for its place only once its body is read, and leaves it before its
    response is sent: a slow client never holds one."""

    def __init__(self) -> None:
        super().__init__()
        self.places = asyncio.Semaphore(RUNNING_PER_PROCESS)  # wakes waiters in order

    async def run_get_response(self, request: Any) -> HttpResponseBase:
        async with self.places:
            response: HttpResponseBase = await super().run_get_response(request)
            return response


application = TakingTurns()


def warm_up() -> None:
    """Every URL's views with the API's schemas (0.65 s of CPU), the knowledge base the
    assessment reads (0.2 s) and the statistics library the insights import on first use."""
    from django.urls import get_resolver

    from nightspine.knowledge.loader import load_knowledge

    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration
    load_knowledge()
    importlib.import_module("scipy.special")


def hold_sqlite_open() -> sqlite3.Connection | None:
    """On SQLite, a connection this worker process keeps open (and never uses) for its life.

    SQLite copies the write-ahead log into the database file and deletes the log whenever the
    file's last connection closes. With a new connection per request (ASGI) that happened
    after nearly every write: four fdatasyncs and an unlink (counted with strace), about 20 ms
    of each diary write or saved assessment. With one connection always open the log stays, and
    SQLite's own checkpoint (every 1,000 pages) copies it. Opened after the fork, in the worker:
    an SQLite connection must never cross a fork.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    held = sqlite3.connect(str(connection.settings_dict["NAME"]), check_same_thread=False)
    held.execute("SELECT count(*) FROM sqlite_master").fetchall()  # opens the file and its log
    return held


warm_up()
HELD_CONNECTION = hold_sqlite_open()
# What is loaded by now lives as long as the process: the garbage collector's full passes
# stop walking it (about 156,000 objects, 43 ms a pass, during which no request of this
# process moves). Python's documentation advises this for long-lived loaded state.
gc.freeze()
