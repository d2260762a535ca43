"""Django for the web tests, without pytest-django: one test database for the session, each test
inside a transaction that is rolled back. ``NIGHTSPINE_DATABASE_URL`` picks the database (the
PostgreSQL run sets it; SQLite otherwise)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

_DATA = tempfile.mkdtemp(prefix="nightspine-web-tests-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.settings")
os.environ.setdefault("NIGHTSPINE_DATA_DIR", _DATA)
os.environ.setdefault("NIGHTSPINE_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("NIGHTSPINE_NOTES_KEY", "x6KcGf1eQhQ7d2vW8v9a4bKk3m0N5pL2sR7tU1wY3zA=")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from nightspine.web import services  # noqa: E402

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db() -> Iterator[None]:
    setup_test_environment()
    # Fast hashing in tests; test_security checks that the real settings put Argon2 first.
    real_hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    yield
    connection.creation.destroy_test_db(old_name, verbosity=0)
    settings.PASSWORD_HASHERS = real_hashers
    teardown_test_environment()


@pytest.fixture(autouse=True)
def db(django_db: None) -> Iterator[None]:
    """Every web test runs in a transaction that is rolled back."""
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def make_client(username: str | None = None, role: str = "person", **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if username:
        user = services.create_account(username, PASSWORD, role, display_name=username.title())
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def anon() -> Client:
    return Client()


@pytest.fixture
def alice() -> Client:
    return make_client("alice")


@pytest.fixture
def bob() -> Client:
    return make_client("bob")


@pytest.fixture
def doctor() -> Client:
    return make_client("drwho", role="clinician")


@pytest.fixture
def other_doctor() -> Client:
    return make_client("drno", role="clinician")
