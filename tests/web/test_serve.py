"""`nightspine serve`: worker counts per database, and the command is registered."""

from __future__ import annotations

from typer.testing import CliRunner

from nightspine.cli.main import app
from nightspine.cli.serve import worker_count


def test_sqlite_runs_two_processes() -> None:
    assert worker_count("sqlite", None, 8) == 2
    assert worker_count("sqlite", 4, 8) == 2
    assert worker_count("sqlite", 1, 8) == 1


def test_postgresql_runs_several_processes() -> None:
    assert worker_count("postgresql", None, 2) == 4
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
