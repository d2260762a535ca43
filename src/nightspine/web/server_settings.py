"""Settings of the served web app (``nightspine serve``, ``deploy/``): the web app's settings
plus what its ASGI server needs.

Under ASGI every request runs its views in a fresh thread, so Django must not keep a connection
per thread (``CONN_MAX_AGE`` 0, as Django's documentation advises for ASGI). PostgreSQL
connections are kept open instead in a pool per worker process (psycopg's pool, checked before
each reuse; the server process closes its own pool before forking the workers). An SQLite
connection is a file open, cheap enough per request once it no longer switches the file to the
write-ahead log each time (that pragma, a no-op on a file already in WAL mode, still waited on
the file: 2-9 ms of each request's wall time on a busy machine, against 0.1 ms for the rest of
the opening; measured with sqlite3 on the served database). The file is switched once, here.
"""

from __future__ import annotations

import sqlite3
import warnings
from contextlib import closing

from nightspine.storage.database import SQLITE_TIMEOUT_SECONDS, is_sqlite
from nightspine.web.settings import *  # noqa: F403
from nightspine.web.settings import DATABASES

# whitenoise 6 hands static files to Django as a synchronous iterator, which Django's ASGI
# handler serves correctly but warns about on every file.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators", category=Warning
)

SQLITE_EACH_CONNECTION = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
"""What every new SQLite connection needs: durable enough, foreign keys enforced."""

POOL_SIZE = 8
"""Most PostgreSQL connections a worker process opens; more requests at once wait for one."""

DATABASES["default"]["CONN_MAX_AGE"] = 0
if is_sqlite(DATABASES["default"]):
    # The write-ahead log is a property of the file: switched on once as the server starts
    with closing(sqlite3.connect(DATABASES["default"]["NAME"], SQLITE_TIMEOUT_SECONDS)) as _db:
        _db.execute("PRAGMA journal_mode=WAL")
    DATABASES["default"]["OPTIONS"]["init_command"] = SQLITE_EACH_CONNECTION
    # writers take turns instead of sleeping in SQLite's busy handler (the module says why)
    DATABASES["default"]["ENGINE"] = "nightspine.storage.backends.sqlite3"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # Django has the pool check each reuse
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": POOL_SIZE,
        "timeout": 20,
    }
