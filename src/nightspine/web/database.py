"""Django ``DATABASES`` for the web app (interim: replaced by the storage layer's function)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from nightspine.web.config import web_settings


def databases() -> dict[str, dict[str, Any]]:
    url = os.environ.get("NIGHTSPINE_DATABASE_URL", "")
    if not url:
        path = web_settings().data_dir / "nightspine.sqlite3"
        return {"default": _sqlite(path)}
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {"default": _sqlite(Path(unquote(parsed.path)))}
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": unquote(parsed.path.lstrip("/")),
                "USER": unquote(parsed.username or ""),
                "PASSWORD": unquote(parsed.password or ""),
                "HOST": parsed.hostname or "",
                "PORT": str(parsed.port or ""),
                "CONN_MAX_AGE": 60,
                "CONN_HEALTH_CHECKS": True,
            }
        }
    raise ValueError(f"NIGHTSPINE_DATABASE_URL: unsupported scheme {parsed.scheme!r}")


def _sqlite(path: Path) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }
