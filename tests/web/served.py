"""`nightspine serve` on a free loopback port, for the tests that talk to a real server (the
browser tests, the slow clients): one start-up, one wait for `/healthz`, one shutdown."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_WITHIN_S = 60


def free_port() -> int:
    """A free port on 127.0.0.1, picked at random from 20000-60000 (several runs share a
    machine: random ports rarely meet)."""
    for _ in range(50):
        port = random.randint(20000, 60000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 60000")


@dataclass(frozen=True)
class Served:
    url: str
    env: dict[str, str]
    """The server's environment, for running other `nightspine` commands on the same data."""


@contextmanager
def serving(
    data: Path, database_url: str | None = None, env: Mapping[str, str] | None = None
) -> Iterator[Served]:
    """Run `nightspine serve` with its data in ``data`` (SQLite there unless ``database_url``)
    and ``env`` added; yields once `/healthz` answers, stops the server afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    full = {
        **os.environ,
        "NIGHTSPINE_DATA_DIR": str(data),
        "NIGHTSPINE_DATABASE_URL": database_url or f"sqlite:///{data / 'web.sqlite3'}",
        "NIGHTSPINE_PUBLIC_URL": url,
        **(env or {}),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    full.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nightspine", "serve", "--port", str(port), "--quiet"],
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(proc, url)
        yield Served(url, full)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_until_up(proc: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + START_WITHIN_S
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            output = proc.stdout.read() if proc.stdout else ""
            pytest.fail(f"nightspine serve did not start:\n{output}")
        time.sleep(0.2)


__all__ = ["ROOT", "Served", "free_port", "serving"]
