"""`nightspine serve` is not starved by slow clients: 64 half-sent requests held open while the
server still answers `/healthz` and a diary write (loopback only, bounded in time)."""

from __future__ import annotations

import json
import random
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest
from tests.web.served import serving

SLOW_CLIENTS = 64
ANSWER_WITHIN_S = 5.0


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    data = tmp_path_factory.mktemp("slow")
    # on PostgreSQL the served app runs several workers, each with a connection pool
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with serving(data, database_url=url) as served:
        yield served.url


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
