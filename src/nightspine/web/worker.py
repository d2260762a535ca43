"""The background worker ``nightspine serve`` starts beside the web server.

One ``django-admin db_worker`` process (django-tasks' database backend) runs the tasks the web
app queues, such as processing an uploaded recording. It is stopped when the server stops; set
``NIGHTSPINE_TASK_WORKER=false`` to run workers yourself instead (several on PostgreSQL).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys

import typer

from nightspine.config import Settings

WORKER_INTERVAL_S = 1.0
"""How long the worker waits between looks at an empty queue."""

STOP_TIMEOUT_S = 10.0


def worker_command() -> list[str]:
    """The worker's command line (the same Python and settings as the web server)."""
    return [
        sys.executable,
        "-m",
        "django",
        "db_worker",
        "--interval",
        f"{WORKER_INTERVAL_S:g}",
        "--no-startup-delay",
        "--no-reload",
        "--verbosity",
        "0",
    ]


def start_task_worker(settings: Settings | None = None) -> subprocess.Popen[bytes] | None:
    """Start one task worker process (unless turned off) and stop it when this process exits."""
    if not (settings or Settings()).task_worker:
        return None
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nightspine.web.settings"}
    process = subprocess.Popen(worker_command(), env=env)
    owner = os.getpid()

    def stop() -> None:
        if os.getpid() != owner or process.poll() is not None:
            return  # a forked web worker exiting, or the worker has already stopped
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()

    atexit.register(stop)
    typer.echo("A background worker processes uploaded recordings.")
    return process


__all__ = ["start_task_worker", "worker_command"]
