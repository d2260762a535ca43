"""Opening databases: URLs, SQLite pragmas, migrations that are idempotent and concurrency-safe."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nightspine.errors import StorageError
from nightspine.storage.database import database_config

SRC = Path(__file__).resolve().parents[2] / "src"


def test_sqlite_config_has_wal_foreign_keys_and_timeout(tmp_path: Path) -> None:
    config = database_config(f"sqlite:///{tmp_path}/a.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == f"{tmp_path}/a.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "foreign_keys=ON" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_default_database_follows_the_settings(tmp_path: Path) -> None:
    from nightspine.config import Settings
    from nightspine.storage import default_database

    config = default_database(Settings(data_dir=tmp_path, database_url=None), conn_max_age=60)
    assert config["NAME"] == str(tmp_path.resolve() / "nightspine.sqlite3")
    pg = default_database(Settings(database_url="postgresql://u@h/n"), conn_max_age=60)
    assert (pg["NAME"], pg["CONN_MAX_AGE"], pg["CONN_HEALTH_CHECKS"]) == ("n", 60, True)


def test_postgresql_config() -> None:
    config = database_config("postgresql://ann:s3cret@db.example:6543/night")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "ann",
        "s3cret",
        "db.example",
        6543,
    )
    assert config["NAME"] == "night"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:p@h/db", "unsupported database URL 'mysql://u:\\*\\*\\*@h/db'"),
        ("sqlite://:memory:", "needs a file path"),
        ("nonsense", "use sqlite:///"),
    ],
)
def test_bad_urls_say_what_is_accepted(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        database_config(url)


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    from django.db import connection

    from nightspine.storage import setup

    setup(f"sqlite:///{tmp_path / 'new' / 'pragmas.sqlite3'}")  # the folder is created
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_foreign_keys_are_enforced(storage: str) -> None:
    from django.db import IntegrityError, transaction

    from nightspine.storage.models import DiaryEntry

    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(
            profile_id=987654, date="2026-01-01", health_values={"pain_on_waking": 1}
        )


def test_migrations_are_applied_and_a_second_run_does_nothing(storage: str) -> None:
    from django.db import connection

    from nightspine.storage.database import _pending_migrations, run_migrations

    tables = set(connection.introspection.table_names())
    assert {"nightspine_diaryentry", "nightspine_profile", "auth_user"} <= tables
    assert not _pending_migrations()
    run_migrations()  # idempotent
    assert set(connection.introspection.table_names()) == tables


def test_models_match_the_migrations(storage: str) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "nightspine", "--check", "--dry-run", verbosity=0)


_START = textwrap.dedent(
    """
    import sys
    from nightspine.storage import setup
    from nightspine.storage import repository as repo
    setup(sys.argv[1])
    repo.get_or_create_default_profile()
    print("ok")
    """
)


def _fresh_database(db_url: str, tmp_path: Path) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'fresh' / 'db.sqlite3'}"
    import psycopg

    name = "nightspine_fresh"
    try:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.skip(f"cannot create a fresh PostgreSQL database: {exc}")
    return db_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.slow
def test_concurrent_first_starts_migrate_once(db_url: str, tmp_path: Path) -> None:
    url = _fresh_database(db_url, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _START, url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("select count(*) from nightspine_profile").fetchone()[0] == 1


def test_setup_without_url_keeps_the_configured_database(storage: str) -> None:
    from django.conf import settings

    from nightspine.storage import setup

    before = dict(settings.DATABASES["default"])
    setup()
    assert settings.DATABASES["default"]["NAME"] == before["NAME"]
    assert setup(storage) == storage


@pytest.mark.slow
def test_a_settings_module_reuses_the_database_config(tmp_path: Path) -> None:
    (tmp_path / "web_settings.py").write_text(
        textwrap.dedent(
            """
            from nightspine.config import Settings
            from nightspine.storage.database import INSTALLED_APPS, default_database

            SETTINGS = Settings()
            SECRET_KEY = SETTINGS.resolved_secret_key()
            INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.sessions"]
            DATABASES = {"default": default_database(SETTINGS, conn_max_age=60)}
            USE_TZ = True
            """
        )
    )
    code = (
        "from nightspine.storage import setup, repository as r; setup(); "
        "print(r.get_or_create_default_profile().local_key)"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{tmp_path}",
        "DJANGO_SETTINGS_MODULE": "web_settings",
        "NIGHTSPINE_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("NIGHTSPINE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "default"
    assert (tmp_path / "data" / "nightspine.sqlite3").exists()
    assert (tmp_path / "data" / "secret_key").exists()
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "nightspine.sqlite3") as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert "django_session" in names  # the web's own apps are migrated too
