"""Settings of the served web app (``nightspine serve``, ``deploy/``): the web app's settings
plus what its ASGI server needs.

Under ASGI every request runs its views in a fresh thread, so Django must not keep a connection
per thread (``CONN_MAX_AGE`` 0, as Django's documentation advises for ASGI). PostgreSQL
connections are kept open instead in a pool per worker process (psycopg's pool, checked before
each reuse; the server process closes its own pool before forking the workers). An SQLite
connection is a file open, cheap enough per request.
"""

from __future__ import annotations

import warnings

from nightspine.web.settings import *  # noqa: F403
from nightspine.web.settings import DATABASES

# whitenoise 6 hands static files to Django as a synchronous iterator, which Django's ASGI
# handler serves correctly but warns about on every file.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators", category=Warning
)

POOL_SIZE = 8
"""Most PostgreSQL connections a worker process opens; more requests at once wait for one."""

DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # Django has the pool check each reuse
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": POOL_SIZE,
        "timeout": 20,
    }
