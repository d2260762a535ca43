"""The ASGI application that ``nightspine serve`` hands to its uvicorn workers.

Django's ASGI handler reads each request (headers and body) on the event loop before any view
runs, so a slow or idle client holds only a socket, never a thread.
"""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.server_settings")
application = get_asgi_application()
