"""The ASGI application that ``nightspine serve`` hands to its uvicorn workers.

Django's ASGI handler reads each request (headers and body) on the event loop before any view
runs, so a slow or idle client holds only a socket, never a thread.

Each worker process loads, before it takes its first request, what that request would otherwise
load while a person waits (:func:`warm_up`): measured 0.9 s of CPU, and 5 s for a saved
assessment in ``benchmarks/bench_web_load.py`` when three of four workers met their first one
at once on 2 busy cores. On SQLite each worker also keeps one connection open for its whole
life (:func:`hold_sqlite_open`).
"""

from __future__ import annotations

import importlib
import os
import sqlite3

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.server_settings")
application = get_asgi_application()


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
