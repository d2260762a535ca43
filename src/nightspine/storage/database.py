"""Database configuration and the standalone Django set-up used by the command line.

:func:`database_config` turns a URL into Django's ``DATABASES["default"]`` entry (the web app's
settings module calls it too, so both shells open the database the same way). :func:`setup`
configures Django without a settings module, opens the database and brings its schema up to
date; :func:`migrate` is that last step on its own, safe when several processes start at once.
"""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from filelock import FileLock, Timeout

from nightspine.config import Settings, make_private_dir, make_private_file
from nightspine.errors import StorageError

SQLITE_TIMEOUT_SECONDS = 20
"""How long an SQLite writer waits for another writer before failing with "database is locked"."""

SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
"""Run on every new SQLite connection: write-ahead log, durable enough, foreign keys enforced."""

MIGRATION_LOCK_SECONDS = 300
_MIGRATION_LOCK_KEY = zlib.crc32(b"nightspine.migrate")
"""PostgreSQL advisory lock id held while migrating (a fixed 32-bit number)."""

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "nightspine.storage"]
"""The Django apps the storage layer needs; the web app adds its own after these."""

_lock = threading.RLock()
_migrated: set[str] = set()

_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def database_config(url: str, *, conn_max_age: int = 0) -> dict[str, Any]:
    """Django's ``DATABASES["default"]`` for ``url`` (``sqlite:///…`` or ``postgresql://…``).

    SQLite gets WAL mode, foreign keys and a busy timeout on every connection and takes its
    write lock at the start of each transaction (no "database is locked" half-way through);
    its folder is created if missing. PostgreSQL gets health checks for persistent
    connections. Raises :class:`StorageError` for anything else, saying what is accepted.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in _SCHEMES:
        raise StorageError(
            f"unsupported database URL {_redact(url)!r}; use sqlite:///path/to/file.sqlite3 or "
            "postgresql://user:password@host:5432/name"
        )
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        )
    except ValueError as exc:
        raise StorageError(f"cannot read the database URL {_redact(url)!r}: {exc}") from exc
    options: dict[str, Any] = dict(config.get("OPTIONS") or {})
    if scheme == "sqlite":
        name = str(config.get("NAME") or "")
        if not name or name == ":memory:":
            raise StorageError(
                "an SQLite database URL needs a file path, e.g. sqlite:////home/me/diary.sqlite3 "
                "(four slashes for an absolute path)"
            )
        config["NAME"] = name
        options.setdefault("timeout", SQLITE_TIMEOUT_SECONDS)
        options.setdefault("init_command", SQLITE_INIT)
        options.setdefault("transaction_mode", "IMMEDIATE")
        config["CONN_HEALTH_CHECKS"] = False
    config["OPTIONS"] = options
    config.setdefault("TEST", {})
    return config


def default_database(settings: Settings | None = None, *, conn_max_age: int = 0) -> dict[str, Any]:
    """``DATABASES["default"]`` from :class:`~nightspine.config.Settings` (the environment).

    The web app's settings module uses this, so the command line and the web always open the
    same database; pass ``conn_max_age`` (seconds) there to keep PostgreSQL connections open.
    """
    chosen = settings or Settings()
    return database_config(chosen.resolved_database_url, conn_max_age=conn_max_age)


def django_settings(database_url: str) -> dict[str, Any]:
    """The minimal Django settings the command line runs with (no web parts)."""
    return {
        "DEBUG": False,
        "INSTALLED_APPS": list(INSTALLED_APPS),
        "DATABASES": {"default": database_config(database_url)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "LOGGING_CONFIG": None,
    }


def setup(database_url: str | None = None, *, migrate: bool = True) -> str:
    """Make the storage layer ready to use and return the database URL in use.

    ``database_url`` defaults to :class:`~nightspine.config.Settings` (``NIGHTSPINE_DATABASE_URL``
    or the SQLite file in the data folder). The first call configures Django standalone and
    calls ``django.setup()``, unless a settings module (``DJANGO_SETTINGS_MODULE``, the web
    app) configures Django: then its database is kept when no URL is given. A call with another
    URL closes the open connections and switches to it (tests use this to run on both
    backends). With ``migrate`` the schema is brought up to date, once per process and database.
    """
    import django
    from django.apps import apps
    from django.conf import settings

    if not settings.configured and os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module named there
    if settings.configured and not apps.ready:
        django.setup()
    if database_url is None and settings.configured:
        # Django is set up already (the web app's settings, or an earlier call): keep its
        # database, whatever the environment says now.
        url = _describe(settings.DATABASES["default"])
    else:
        url = database_url or Settings().resolved_database_url
    with _lock:
        if not settings.configured:
            config = database_config(url)
            prepare_sqlite_folder(config)
            settings.configure(**django_settings(url))
            django.setup()
        elif database_url is not None:
            config = database_config(url)
            if not _same_database(settings.DATABASES.get("default", {}), config):
                prepare_sqlite_folder(config)
                _switch_default_database(config)
        if migrate and url not in _migrated:
            run_migrations()
            _migrated.add(url)
            restrict_sqlite_files(settings.DATABASES["default"])
    return url


def is_sqlite(config: dict[str, Any]) -> bool:
    """Whether a ``DATABASES`` entry is an SQLite file (Django's back-end or ours, which
    ``nightspine serve`` uses: ``storage/backends/sqlite3``)."""
    return str(config.get("ENGINE", "")).endswith("sqlite3")


PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


def restrict_sqlite_files(config: dict[str, Any]) -> None:
    """Make an SQLite database (and its WAL files) readable and writable by the owner only.

    Health data must not be readable by other accounts on the same computer; a file someone
    made deliberately more open is narrowed, never widened. Other databases keep their files
    on the server, which guards them.
    """
    if not is_sqlite(config):
        return
    path = Path(str(config["NAME"]))
    for candidate in (path, *(Path(f"{path}{end}") for end in ("-wal", "-shm", ".write-turn"))):
        try:
            if candidate.exists() and candidate.stat().st_mode & 0o077:
                candidate.chmod(PRIVATE_FILE_MODE)
        except OSError:
            continue  # not ours to change (a shared folder); nothing to narrow


def run_migrations() -> None:
    """Apply every unapplied migration of the installed apps, safely under concurrency.

    Idempotent and quick when the schema is current (the plan is checked first). When work is
    needed, one process at a time migrates: PostgreSQL through an advisory lock, SQLite through
    a lock file next to the database; the others wait, then find nothing left to do.
    """
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    if not _pending_migrations():
        return
    try:
        with _migration_lock():
            if _pending_migrations():
                call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise StorageError(
            f"could not bring the database {connection.settings_dict.get('NAME')!s} up to "
            f"date: {exc}"
        ) from exc


def _pending_migrations() -> bool:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        return bool(executor.migration_plan(targets))
    except DatabaseError as exc:
        raise StorageError(
            f"cannot open the database {connection.settings_dict.get('NAME')!s}: "
            f"{' '.join(str(exc).split())}; check "
            "NIGHTSPINE_DATABASE_URL (or --db) and that the server is running"
        ) from exc


@contextmanager
def _migration_lock() -> Iterator[None]:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK_KEY])
        return
    lock_path = f"{connection.settings_dict['NAME']}.migrate-lock"
    try:
        with FileLock(lock_path, timeout=MIGRATION_LOCK_SECONDS):
            yield
    except Timeout as exc:
        raise StorageError(
            f"another nightspine process has been updating the database for over "
            f"{MIGRATION_LOCK_SECONDS} s; if none is running, delete {lock_path}"
        ) from exc


def prepare_sqlite_folder(config: dict[str, Any]) -> None:
    """For an SQLite database, make its folder (0700) and file (0600) readable by their owner
    only, creating them if missing; nothing for other databases."""
    if not is_sqlite(config):
        return
    name = str(config["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return
    folder = Path(name).parent
    try:
        # Health data: the folder and the file are readable by their owner only (SQLite gives
        # its journal and WAL files the database file's mode).
        make_private_dir(folder)
        make_private_file(Path(name))
    except OSError as exc:
        raise StorageError(
            f"cannot create the database {name}: {exc}; choose another place "
            "with NIGHTSPINE_DATABASE_URL or --db"
        ) from exc


_IDENTITY = ("ENGINE", "NAME", "HOST", "PORT", "USER")


def _same_database(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(str(current.get(k) or "") == str(wanted.get(k) or "") for k in _IDENTITY)


def _describe(config: dict[str, Any]) -> str:
    """A password-free URL-like name of a configured database (for messages and bookkeeping)."""
    engine = str(config.get("ENGINE", "")).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"sqlite:///{config.get('NAME')}"
    host = f"{config.get('HOST') or ''}:{config.get('PORT') or ''}"
    return f"{engine}://{config.get('USER') or ''}@{host}/{config.get('NAME')}"


def _switch_default_database(config: dict[str, Any]) -> None:
    """Point the ``default`` alias at another database (connections are reopened lazily)."""
    from asgiref.local import Local
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES = {**settings.DATABASES, "default": config}
    connections._settings = None  # type: ignore[attr-defined]
    connections.__dict__.pop("settings", None)
    connections._connections = Local(connections.thread_critical)  # type: ignore[attr-defined]


def close_connections() -> None:
    """Close this thread's open database connections (they reopen on next use)."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def empty_tables() -> None:
    """Delete every row of every table except Django's own bookkeeping (for tests).

    Content types and permissions stay, as ``migrate`` made them; the schema is untouched.
    """
    from django.apps import apps
    from django.db import connection, transaction

    keep = {"contenttypes", "auth.permission"}
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in keep
        and model._meta.label_lower not in keep
        and model._meta.managed
        and not model._meta.proxy
    ]
    quote = connection.ops.quote_name
    # DELETE, not TRUNCATE: far quicker on the few rows tests leave. Django declares foreign
    # keys DEFERRABLE INITIALLY DEFERRED on both backends, so the order does not matter inside
    # one transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


__all__ = [
    "INSTALLED_APPS",
    "close_connections",
    "database_config",
    "default_database",
    "django_settings",
    "empty_tables",
    "run_migrations",
    "setup",
]
