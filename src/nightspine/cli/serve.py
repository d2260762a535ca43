"""``nightspine serve``: the web app behind gunicorn, on SQLite by default.

Migrations run first; then gunicorn serves the WSGI app (static files are served by the app
itself through whitenoise). On SQLite one worker process with threads serves requests (SQLite
allows one writer at a time); on PostgreSQL several worker processes do.
"""

from __future__ import annotations

import os
from typing import Any

import typer


def _configure() -> str:
    """Set up Django, run migrations, return the database vendor."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.settings")
    import django
    from django.db import connection, connections

    from nightspine.storage.database import run_migrations

    django.setup()
    run_migrations()  # safe when several processes start at once
    vendor = connection.vendor
    connections.close_all()  # never share a connection with forked workers
    return str(vendor)


def worker_counts(vendor: str, workers: int | None, cpus: int | None) -> tuple[int, int]:
    """(processes, threads each): SQLite takes one writer at a time, so one process with
    threads; a server database gets several processes (``workers``, else 2 per core, 2 to 8)."""
    if vendor == "sqlite":
        return 1, 8
    return workers or max(2, min(8, (cpus or 1) * 2)), 2


def run_server(host: str, port: int, workers: int | None = None, quiet: bool = False) -> None:
    from gunicorn.app.base import BaseApplication

    vendor = _configure()
    from nightspine.web.worker import start_task_worker

    start_task_worker()  # processes uploaded recordings in the background (web/worker.py)
    from nightspine.web.wsgi import application

    procs, threads = worker_counts(vendor, workers, os.cpu_count())
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": procs,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None if quiet else "-",
        "errorlog": "-",
        "loglevel": "warning",
        "forwarded_allow_ips": "127.0.0.1",
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    shown = f"[{host}]" if ":" in host else host
    typer.echo(
        f"nightspine is running at http://{shown}:{port}/ (database: {vendor}, "
        f"{procs} worker process{'es' if procs > 1 else ''}). Open it in your browser; "
        "press Ctrl+C to stop."
    )
    Server().run()


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int | None = typer.Option(
        None, "--workers", min=1, max=64, help="Worker processes (PostgreSQL only)."
    ),
    quiet: bool = typer.Option(False, "--quiet", help="Do not log each request."),
) -> None:
    """Run the web app (migrations first, then a production server)."""
    run_server(host, port, workers, quiet)
