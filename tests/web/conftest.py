"""Django for the web tests, on SQLite and on PostgreSQL (the storage layer's ``db_url``
fixture), without pytest-django: each test runs inside a transaction that is rolled back.

Modules that touch the database say ``pytestmark = pytest.mark.usefixtures("web_db")``; they
then run once per database.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

_DATA = tempfile.mkdtemp(prefix="nightspine-web-tests-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.settings")
os.environ.setdefault("NIGHTSPINE_DATA_DIR", _DATA)
# The secret and notes keys are generated in that temporary folder.

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from nightspine.web import services  # noqa: E402

PASSWORD = "correct horse battery staple"
_prepared: set[str] = set()


@pytest.fixture(scope="session")
def _test_environment() -> Iterator[None]:
    setup_test_environment()
    # Fast hashing in tests; test_security checks that the real settings put Argon2 first.
    real = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    settings.PASSWORD_HASHERS = real


@pytest.fixture
def web_db(db_url: str, _test_environment: None) -> Iterator[str]:
    """The web app on ``db_url`` (migrated, emptied once), inside a rolled-back transaction."""
    from nightspine.storage.database import empty_tables, setup

    setup(db_url)
    if db_url not in _prepared:
        empty_tables()
        _prepared.add(db_url)
    # django-allauth keeps its rate limits in the cache, which the rollback does not undo.
    cache.clear()
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield db_url
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def make_client(username: str | None = None, role: str = "person", **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if username:
        user = services.create_account(username, PASSWORD, role, display_name=username.title())
        if role == "clinician":  # clinicians' pages need two-step sign-in turned on
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def anon(web_db: str) -> Client:
    return Client()


@pytest.fixture
def alice(web_db: str) -> Client:
    return make_client("alice")


@pytest.fixture
def bob(web_db: str) -> Client:
    return make_client("bob")


@pytest.fixture
def doctor(web_db: str) -> Client:
    return make_client("drwho", role="clinician")


@pytest.fixture
def other_doctor(web_db: str) -> Client:
    return make_client("drno", role="clinician")
