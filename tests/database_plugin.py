"""pytest plugin: the databases the tests run on, SQLite and a throwaway PostgreSQL.

Fixtures:

- ``postgres_url`` (session): a PostgreSQL database for this test session. ``TEST_DATABASE_URL``
  wins when set (it must name a disposable database: tests empty its tables). Otherwise a
  private cluster is made with the installed server binaries (``initdb`` + ``pg_ctl`` from
  ``/usr/lib/postgresql/*/bin`` or the ``PATH``) in a temporary folder, listening on a free
  loopback port, and removed at the end; as root it runs as the ``postgres`` user through
  ``runuser``. Without either the PostgreSQL tests are skipped with the reason, except when
  ``CI=true``: then they fail, because CI must test both databases.
- ``db_url`` (session, parametrised ``sqlite`` / ``postgresql``): the database URL to test on.
- ``storage`` (function): the storage layer set up on ``db_url`` with empty tables; returns
  the URL. Tests that take it run once per backend.
- ``profile`` (function): the default local profile on that database.

The cluster is started lazily, on the first test that needs it, and once per session.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_USER = "nightspine"
PG_DB = "nightspine_test"


class _NoPostgres(Exception):
    """No PostgreSQL can be had; the message says why and how to get one."""


def _find_bin(name: str) -> str | None:
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Cluster:
    """A private PostgreSQL cluster in a temporary folder."""

    def __init__(self) -> None:
        initdb = _find_bin("initdb")
        pg_ctl = _find_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise _NoPostgres(
                "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or "
                "on PATH; install the postgresql package or set TEST_DATABASE_URL"
            )
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.prefix: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="nightspine-pg-"))
        if os.geteuid() == 0:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.root, ignore_errors=True)
                raise _NoPostgres(
                    "running as root and there is no 'postgres' user to run the server as; "
                    "install the postgresql package or set TEST_DATABASE_URL"
                ) from None
            runuser = shutil.which("runuser")
            if runuser is None:
                shutil.rmtree(self.root, ignore_errors=True)
                raise _NoPostgres("running as root and `runuser` is missing (util-linux)")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.prefix = [runuser, "-u", "postgres", "--"]
        self.data = self.root / "data"
        self.port = _free_port()
        self.started = False

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, check=False, timeout=120
        )
        if result.returncode != 0:
            raise _NoPostgres(
                f"`{' '.join(args[:2])}` failed ({result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-800:]}"
            )

    def start(self) -> str:
        self._run(
            self.initdb,
            "-D",
            str(self.data),
            "-U",
            PG_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
            "--no-instructions",
        )
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=50",
            ]
        )
        self._run(
            self.pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w",
            "start",
        )  # fmt: skip
        self.started = True
        base = f"postgresql://{PG_USER}@127.0.0.1:{self.port}"
        _create_database(f"{base}/postgres", PG_DB)
        return f"{base}/{PG_DB}"

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(Exception):
                self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _create_database(admin_url: str, name: str) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI (CI=true): {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    try:
        cluster = _Cluster()
    except _NoPostgres as exc:
        _unavailable(str(exc))
        return
    try:
        url = cluster.start()
    except (_NoPostgres, OSError, subprocess.SubprocessError) as exc:
        cluster.stop()
        _unavailable(f"could not start a throwaway cluster: {exc}")
        return
    try:
        yield url
    finally:
        from nightspine.storage.database import close_connections

        close_connections()
        cluster.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def storage(db_url: str) -> Iterator[str]:
    from nightspine.storage import setup
    from nightspine.storage.database import empty_tables

    setup(db_url)
    empty_tables()
    yield db_url


@pytest.fixture
def profile(storage: str) -> Any:
    from nightspine.storage import repository

    return repository.get_or_create_default_profile()
