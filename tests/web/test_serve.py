"""`nightspine serve`: worker counts per database, the command is registered, and the served
app is ready before its first request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from nightspine.cli.main import app
from nightspine.cli.serve import worker_count


def test_sqlite_runs_two_processes() -> None:
    assert worker_count("sqlite", None, 8) == 2
    assert worker_count("sqlite", 4, 8) == 2
    assert worker_count("sqlite", 1, 8) == 1


def test_postgresql_runs_several_processes() -> None:
    assert worker_count("postgresql", None, 2) == 2
    assert worker_count("postgresql", None, 6) == 6
    assert worker_count("postgresql", None, 64) == 8
    assert worker_count("postgresql", 6, 2) == 6
    assert worker_count("postgresql", None, 1) >= 2


def test_serve_is_a_command() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--host" in result.output


def test_serve_starts_one_task_worker_unless_turned_off() -> None:
    from nightspine.config import Settings
    from nightspine.web.worker import start_task_worker, worker_command

    command = worker_command()
    assert command[1:4] == ["-m", "django", "db_worker"]
    assert "--no-reload" in command  # a worker never restarts half-way through a task
    assert start_task_worker(Settings(task_worker=False)) is None


def _in_a_worker(script: str, tmp_path: Path) -> Any:
    """What ``script`` prints last (JSON), run as a served worker process runs, on SQLite."""
    env = {
        **os.environ,
        "NIGHTSPINE_DATA_DIR": str(tmp_path),
        "NIGHTSPINE_DATABASE_URL": f"sqlite:///{tmp_path}/served.sqlite3",
        "DJANGO_SETTINGS_MODULE": "nightspine.web.server_settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_served_app_is_ready_before_its_first_request(tmp_path: Path) -> None:
    """The served settings switch the SQLite file to the write-ahead log once (not on every
    request's connection); a worker has loaded what its first request would wait for and holds
    the file open, so that a request's connection closing does not flush and delete the log."""
    script = """
import json, os, sys
from django.db import connection
from nightspine.web import asgi  # what each worker process loads
from nightspine.knowledge.loader import load_knowledge
from nightspine.web.server_settings import DATABASES
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("CREATE TABLE written (id INTEGER PRIMARY KEY)")
    cursor.execute("INSERT INTO written DEFAULT VALUES")
connection.close()  # a request's connection closes: the log is not copied back and deleted
log = DATABASES["default"]["NAME"] + "-wal"
print(json.dumps({
    "init": DATABASES["default"]["OPTIONS"]["init_command"],
    "mode": mode,
    "knowledge": load_knowledge.cache_info().currsize,
    "urls": "nightspine.web.api" in sys.modules,
    "stats": "scipy.special" in sys.modules,
    "log kept": os.path.exists(log),
    "engine": DATABASES["default"]["ENGINE"],
    "frozen": __import__("gc").get_freeze_count() > 0,
}))
"""
    found = _in_a_worker(script, tmp_path)
    assert "journal_mode" not in found["init"] and "synchronous=NORMAL" in found["init"]
    assert found["mode"] == "wal"
    assert found["knowledge"] == 1 and found["urls"] and found["stats"]
    assert found["log kept"]  # one connection stays open in each worker
    assert found["engine"] == "nightspine.storage.backends.sqlite3"  # writers take turns
    assert found["frozen"]  # what the warm-up loaded is left out of full collections


def test_a_worker_runs_a_few_requests_at_a_time_in_order_of_arrival(tmp_path: Path) -> None:
    """Twelve requests at once: at most RUNNING_PER_PROCESS run their views together, and they
    start in the order they came."""
    script = """
import asyncio, json
from django.core.handlers.asgi import ASGIHandler
from nightspine.web import asgi

running, most, started = 0, 0, []

async def view(self, request):
    global running, most
    running += 1
    most = max(most, running)
    started.append(request)
    await asyncio.sleep(0.02)
    running -= 1
    return request

ASGIHandler.run_get_response = view  # what runs once a request has its place

async def main():
    return await asyncio.gather(*(asgi.application.run_get_response(i) for i in range(12)))

answers = asyncio.run(main())
print(json.dumps({"most": most, "limit": asgi.RUNNING_PER_PROCESS, "started": started,
                  "answers": answers}))
"""
    found = _in_a_worker(script, tmp_path)
    assert 1 < found["most"] == found["limit"] < 12
    assert found["started"] == found["answers"] == list(range(12))
