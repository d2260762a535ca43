"""The one public health check: "ok" or "unavailable", never the error's text.

A load balancer needs to know whether to send people here; an attacker must learn nothing about
the database from it, so failures are logged for operators and answered with a word. A full
disk counts as unavailable (people could read but not save), checked for SQLite by the free
space beside the database file and on every database by the error the query raises.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.db import connection

from nightspine.web.middleware import is_storage_full

MIN_FREE_BYTES = 16 * 1024 * 1024
"""Below this much free space beside a SQLite database, saving is about to fail: report it."""

log = logging.getLogger("nightspine.web")


def check() -> tuple[int, dict[str, str]]:
    """The HTTP status and body of the health check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if _sqlite_free_bytes() < MIN_FREE_BYTES:
            return 503, {"status": "unavailable", "database": "ok", "storage": "full"}
    except Exception as exc:  # any failure means "do not send people here"
        log.error("health check failed", extra={"error": type(exc).__name__})
        storage = "full" if is_storage_full(exc) else "unknown"
        return 503, {"status": "unavailable", "database": "unavailable", "storage": storage}
    return 200, {"status": "ok", "database": "ok", "storage": "ok"}


def _sqlite_free_bytes() -> int:
    if connection.vendor != "sqlite":
        return MIN_FREE_BYTES  # the database server's disk is the server's to watch
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return MIN_FREE_BYTES
    return shutil.disk_usage(Path(name).resolve().parent).free
