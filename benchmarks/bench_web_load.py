"""Load on the web app through ``nightspine serve`` as deployed: on SQLite (the default, two
worker processes) and on PostgreSQL (4 worker processes).

``nightspine serve`` runs as its own process on a free loopback port; this script is the second
process, with 1, 8 and 32 concurrent keep-alive clients. The default run reports requests per
second and p50/p95/p99 latency of ``/healthz``, a diary write, a saved assessment and the
insights (each for ``--seconds`` per client count; the people have 120 nights each, so the
insights are real work whenever a diary changes). ``--soak`` instead checks that 10,000
concurrent diary writes leave exactly 10,000 entries (none lost, none duplicated; repeated
writes are refused as conflicts).

Usage: ``PYTHONPATH=src python benchmarks/bench_web_load.py [--only sqlite|postgresql]
[--seconds 5] [--soak]``.
PostgreSQL comes from ``BENCH_DATABASE_URL`` (a disposable database: it is emptied) or from a
throwaway cluster made with the installed server binaries, as the test suite does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 16
USERS = 20
NIGHTS_PER_USER = 500  # 20 x 500 = 10,000 writes
ASSESSMENTS = 2000
DUPLICATES = 500
PHASE_LIMIT_S = 300.0
ANSWERS = {
    "age": 44,
    "sex": "female",
    "pain_locations": ["upper_back", "neck"],
    "pain_now": 4,
    "pain_worst_night": 6,
    "sleep_position": "stomach",
    "pillow": "too_high",
    "when_worse": ["on_waking"],
    "relief": ["moving_around"],
    "duration_days": 40,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(database_url: str, data: Path, workers: int | None) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "NIGHTSPINE_DATA_DIR": str(data),
        "NIGHTSPINE_DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [sys.executable, "-m", "nightspine", "serve", "--port", str(port), "--quiet"]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://{url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise SystemExit(f"nightspine serve did not start:\n{out}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


class Client:
    """One keep-alive connection."""

    def __init__(self, address: str, token: str = "") -> None:
        host, port = address.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body) if body is not None else None
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed an idle keep-alive connection
                if attempt:
                    raise
        raise AssertionError("unreachable")


def run(
    name: str, jobs: list[Callable[[Client], int]], make_client: Callable[[int], Client]
) -> dict[str, Any]:
    """Run ``jobs`` on CLIENTS threads; each job returns the HTTP status."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    queue = list(reversed(jobs))
    stop_at = time.monotonic() + PHASE_LIMIT_S

    def worker(index: int) -> None:
        client = make_client(index)
        while time.monotonic() < stop_at:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            t0 = time.perf_counter()
            status = job(client)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return {
        "name": name,
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p95_ms": p95 * 1000,
        "statuses": statuses,
        "complete": not queue,
    }


def bench(label: str, database_url: str, workers: int | None) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="nightspine-bench-") as tmp,
        served(database_url, Path(tmp), workers) as address,
    ):
        tokens = []
        for i in range(USERS):
            status, body = Client(address).call(
                "POST",
                "/api/v1/auth/signup",
                {"username": f"bench{i}", "password": "a long bench password 1", "role": "person"},
            )
            if status != 201:
                raise SystemExit(f"signup failed: {status} {body}")
            tokens.append(body["token"])
        start = dt.date(2020, 1, 1)

        def write(user: int, night: int) -> Callable[[Client], int]:
            entry = {
                "date": (start + dt.timedelta(days=night)).isoformat(),
                "pain_on_waking": (user + night) % 11,
                "sleep_position": ("back", "side", "stomach", "mixed")[night % 4],
                "hours_slept": 6.5,
                "notes": f"night {night}",
            }

            def job(client: Client) -> int:
                client.token = tokens[user]
                return client.call("POST", "/api/v1/diary", entry)[0]

            return job

        # Interleave users so that every worker writes for many people at once.
        writes = [write(u, n) for n in range(NIGHTS_PER_USER) for u in range(USERS)]
        result = run("diary writes", writes, lambda i: Client(address))
        _print(label, result)

        def assess_job(client: Client) -> int:
            return client.call("POST", "/api/v1/assessments", {"answers": ANSWERS})[0]

        _print(label, run("assessments", [assess_job] * ASSESSMENTS, lambda i: Client(address)))

        dupes = [write(n % USERS, n % NIGHTS_PER_USER) for n in range(DUPLICATES)]
        dup = run("repeated writes", dupes, lambda i: Client(address))
        _print(label, dup)

        total, dates_ok = 0, True
        for u in range(USERS):
            status, entries = Client(address, tokens[u]).call("GET", "/api/v1/diary")
            dates = [e["date"] for e in entries]
            total += len(dates)
            dates_ok &= len(dates) == len(set(dates)) == NIGHTS_PER_USER
        expected = USERS * NIGHTS_PER_USER
        ok = (
            total == expected
            and dates_ok
            and result["statuses"] == {201: expected}
            and dup["statuses"] == {409: DUPLICATES}
        )
        print(
            f"{label:>26}  entries after {expected} concurrent writes: {total} "
            f"(each person's dates unique: {dates_ok}; repeats refused: "
            f"{dup['statuses'].get(409, 0)}/{DUPLICATES}) -> {'OK' if ok else 'MISMATCH'}",
            flush=True,
        )
        if not ok:
            raise SystemExit(1)


LEVELS = (1, 8, 32)
SEED_NIGHTS = 120


def timed(
    job: Callable[[Client, int], int], clients: int, seconds: float, make: Callable[[], Client]
) -> dict[str, Any]:
    """``clients`` threads call ``job(client, n)`` (n counts calls overall) for ``seconds``."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        client = make()
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter)
            t0 = time.perf_counter()
            status = job(client, n)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[int(q * (len(latencies) - 1))] * 1000 if latencies else float("nan")

    return {
        "rps": len(latencies) / wall,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "statuses": statuses,
    }


def latency(label: str, database_url: str, workers: int | None, seconds: float) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="nightspine-bench-") as tmp,
        served(database_url, Path(tmp), workers) as address,
    ):
        tokens = []
        for i in range(USERS):
            status, body = Client(address).call(
                "POST",
                "/api/v1/auth/signup",
                {"username": f"bench{i}", "password": "a long bench password 1", "role": "person"},
            )
            if status != 201:
                raise SystemExit(f"signup failed: {status} {body}")
            tokens.append(body["token"])
        start = dt.date(2010, 1, 1)
        for u, token in enumerate(tokens):  # a diary of SEED_NIGHTS nights each
            seeder = Client(address, token)
            for night in range(SEED_NIGHTS):
                entry = {
                    "date": (start + dt.timedelta(days=night)).isoformat(),
                    "pain_on_waking": (u + night * 7) % 11,
                    "sleep_position": ("back", "side", "stomach", "mixed")[night % 4],
                    "knee_pillow": night % 3 == 0,
                    "hours_slept": 5.5 + night % 4,
                }
                seeder.call("POST", "/api/v1/diary", entry)
        written = iter(range(10**9))
        later = dt.date(2014, 1, 1)

        def healthz(client: Client, n: int) -> int:
            return client.call("GET", "/healthz")[0]

        def write(client: Client, n: int) -> int:
            k = next(written)  # a new night each call, across the people
            client.token = tokens[k % USERS]
            entry = {
                "date": (later + dt.timedelta(days=k // USERS)).isoformat(),
                "pain_on_waking": k % 11,
                "sleep_position": "side",
            }
            return client.call("POST", "/api/v1/diary", entry)[0]

        def assess(client: Client, n: int) -> int:
            client.token = tokens[n % USERS]
            return client.call("POST", "/api/v1/assessments", {"answers": ANSWERS, "save": True})[0]

        def insights(client: Client, n: int) -> int:
            client.token = tokens[n % USERS]
            return client.call("GET", "/api/v1/insights")[0]

        # insights first at each level: each person's diary changed at the level before, so
        # its first view computes afresh and later views are served from the cache
        endpoints = {
            "/healthz": healthz,
            "insights": insights,
            "saved assessment": assess,
            "diary write": write,
        }
        for clients in LEVELS:
            for name, job in endpoints.items():
                r = timed(job, clients, seconds, lambda: Client(address))
                codes = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
                print(
                    f"{label:>22} {clients:>3} clients  {name:<17} {r['rps']:7.1f} req/s  "
                    f"p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  p99 {r['p99']:7.1f} ms  [{codes}]",
                    flush=True,
                )


def _print(label: str, r: dict[str, Any]) -> None:
    codes = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
    print(
        f"{label:>26}  {r['name']:<16} {r['requests']:>6} requests  {r['rps']:8.1f} req/s  "
        f"p95 {r['p95_ms']:7.1f} ms  [{codes}]{'' if r['complete'] else '  (time limit hit)'}",
        flush=True,
    )


@contextmanager
def postgres() -> Iterator[str]:
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        yield given
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from database_plugin import _Cluster  # the test suite's throwaway cluster

    cluster = _Cluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=5.0, help="per client count and call")
    parser.add_argument("--soak", action="store_true", help="the 10,000-write correctness run")
    args = parser.parse_args()
    if not args.soak:
        print(
            f"loopback; {USERS} people with {SEED_NIGHTS} nights each; {args.seconds:g} s per "
            f"measurement; {os.cpu_count()} CPU cores (shared with this client)",
            flush=True,
        )
        if args.only in (None, "sqlite"):
            with tempfile.TemporaryDirectory() as tmp:
                latency("SQLite, 2 workers", f"sqlite:///{tmp}/bench.sqlite3", None, args.seconds)
        if args.only in (None, "postgresql"):
            with postgres() as url:
                latency("PostgreSQL, 4 workers", url, 4, args.seconds)
        return
    print(
        f"{CLIENTS} concurrent clients on loopback; {USERS * NIGHTS_PER_USER} diary writes "
        f"by {USERS} people, {ASSESSMENTS} assessments, {DUPLICATES} repeated writes; "
        f"{os.cpu_count()} CPU cores",
        flush=True,
    )
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            bench("SQLite, 2 workers", f"sqlite:///{tmp}/bench.sqlite3", None)
    if args.only in (None, "postgresql"):
        with postgres() as url:
            bench("PostgreSQL, 4 workers", url, 4)


if __name__ == "__main__":
    main()
