"""``nightspine serve``: the web app on gunicorn with uvicorn workers, on SQLite by default.

Migrations run first; then gunicorn starts worker processes, each an event loop (uvicorn) running
Django's ASGI app (static files are served by the app itself through whitenoise). The event loop
reads each request whole before a view runs, so slow or idle clients hold a socket, not a
thread; views run in threads of their process, and CPU-bound pages spread over several
processes: two on SQLite (its write-ahead log lets two processes share the file; each write
waits its turn), more on PostgreSQL. Measured in ``benchmarks/bench_web_load.py``.
"""

from __future__ import annotations

import os
from typing import Any

import typer

SETTINGS = "nightspine.web.server_settings"


def _configure() -> str:
    """Set up Django, run migrations, return the database vendor."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django
    from django.db import connection, connections

    from nightspine.storage.database import run_migrations

    django.setup()
    run_migrations()  # safe when several processes start at once
    vendor = connection.vendor
    connections.close_all()  # never share a connection with forked workers ...
    for each in connections.all():
        if hasattr(each, "close_pool"):
            each.close_pool()  # ... nor a PostgreSQL pool (each worker opens its own)
    return str(vendor)


def worker_count(vendor: str, workers: int | None, cpus: int | None) -> int:
    """Worker processes: ``workers`` if given (on SQLite at most 2: one writer at a time, and
    more processes only queue behind it), else 2 on SQLite and one per core (2 to 8) on a server
    database. Each process runs several requests at once (``web/asgi.py``); with two per core,
    the processes, the database and the clients outran the cores and the operating system's
    turns showed in the tails: on 2 cores at 32 clients a diary write's p95 was 3.4 times
    /healthz's with 4 processes and 2.4 times with 2 (``benchmarks/bench_web_load.py``)."""
    if vendor == "sqlite":
        return min(workers or 2, 2)
    return workers or max(2, min(8, cpus or 1))


def run_server(host: str, port: int, workers: int | None = None, quiet: bool = False) -> None:
    from gunicorn.app.base import BaseApplication
    from uvicorn_worker import UvicornWorker

    from nightspine.config import Settings

    vendor = _configure()

    from nightspine.web.worker import start_task_worker

    start_task_worker()  # processes uploaded recordings in the background (web/worker.py)
    procs = worker_count(vendor, workers, os.cpu_count())

    class Worker(UvicornWorker):  # type: ignore[misc]
        # Django's ASGI handler has no lifespan events; no "server: uvicorn" header.
        CONFIG_KWARGS: dict[str, Any] = {  # noqa: RUF012
            "loop": "auto",
            "http": "auto",
            "lifespan": "off",
            "server_header": False,
        }

    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": procs,
        "worker_class": Worker,
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None if quiet else "-",
        "errorlog": "-",
        "loglevel": "warning",
        "forwarded_allow_ips": Settings().forwarded_allow_ips,
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from nightspine.web.asgi import application

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
        None,
        "--workers",
        min=1,
        max=64,
        help="Worker processes (default: 2 on SQLite, at most 2 there; 1 per core on PostgreSQL).",
    ),
    quiet: bool = typer.Option(False, "--quiet", help="Do not log each request."),
) -> None:
    """Run the web app (migrations first, then a production server)."""
    run_server(host, port, workers, quiet)
