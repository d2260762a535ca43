"""The ASGI application that ``nightspine serve`` hands to its uvicorn workers.

Django's ASGI handler reads each request (headers and body) on the event loop before any view
runs, so a slow or idle client holds only a socket, never a thread.

Each worker process loads, before it takes its first request, what that request would otherwise
load while a person waits (:func:`warm_up`): measured 0.9 s of CPU, and 5 s for a saved
assessment in ``benchmarks/bench_web_load.py`` when three of four workers met their first one
at once on 2 busy cores.
"""

from __future__ import annotations

import importlib
import os

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


warm_up()
