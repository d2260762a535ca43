"""`nightspine serve` is not starved by slow clients: 64 half-sent requests held open while the
server still answers `/healthz` and a diary write (loopback only, bounded in time)."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 64
ANSWER_WITHIN_S = 5.0


def _free_port() -> int:
    for _ in range(50):
        port = random.randint(20000, 60000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 60000")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    data = tmp_path_factory.mktemp("slow")
    if request.param == "sqlite":
        url = f"sqlite:///{data / 'web.sqlite3'}"
    else:  # the served app on PostgreSQL: several workers, each with a connection pool
        url = request.getfixturevalue("postgres_url")
    port = _free_port()
    env = {
        **os.environ,
        "NIGHTSPINE_DATA_DIR": str(data),
        "NIGHTSPINE_DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nightspine", "serve", "--port", str(port), "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            output = proc.stdout.read() if proc.stdout else ""
            pytest.fail(f"nightspine serve did not start:\n{output}")
        time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _post(url: str, body: dict[str, object], token: str | None = None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=ANSWER_WITHIN_S) as response:
        return response.status, response.read().decode()


def _half_sent(port: int, index: int) -> socket.socket:
    """A client that sends part of a request and then waits: half stop in the headers, half in
    the body of a diary write."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if index % 2:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    else:
        sock.sendall(
            b"POST /api/v1/diary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"date": '
        )
    return sock


def test_64_slow_clients_do_not_starve_the_server(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    status, text = _post(
        f"{server}/api/v1/auth/signup",
        {"username": f"slow-{random.randrange(10**9)}", "password": "a long enough pass 7"},
    )
    assert status == 201
    token = json.loads(text)["token"]
    slow = [_half_sent(port, i) for i in range(SLOW_CLIENTS)]
    try:
        time.sleep(0.5)  # every slow client is connected and waiting
        started = time.monotonic()
        with urllib.request.urlopen(f"{server}/healthz", timeout=ANSWER_WITHIN_S) as response:
            assert response.status == 200
        status, text = _post(
            f"{server}/api/v1/diary",
            {"date": "2026-03-05", "pain_on_waking": 3, "sleep_position": "side"},
            token,
        )
        assert status == 201 and json.loads(text)["pain_on_waking"] == 3
        assert time.monotonic() - started < ANSWER_WITHIN_S
        # ... and the slow clients are still connected, not dropped to make room
        alive = 0
        for sock in slow:
            sock.setblocking(False)
            try:
                alive += sock.recv(1) != b""
            except BlockingIOError:
                alive += 1
        assert alive == SLOW_CLIENTS
    finally:
        for sock in slow:
            sock.close()
