"""The API fuzzed against its own OpenAPI document (in-process, a few examples per operation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.web.conftest import PASSWORD

from nightspine.web import services
from nightspine.web.wsgi import application

pytestmark = pytest.mark.usefixtures("web_db", "_keep_connection")


@pytest.fixture
def _keep_connection() -> Iterator[None]:
    """Calls through WSGI must not close the test's connection (Django's test client does the
    same): the test runs inside a transaction that is rolled back afterwards."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/openapi.json", application)


def _token() -> str:
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(username="fuzzer").first()
    return services.issue_token(existing or services.create_account("fuzzer", PASSWORD, "person"))


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case: schemathesis.Case) -> None:
    headers = {"Authorization": f"Bearer {_token()}"}
    case.call_and_validate(
        headers=headers,
        checks=[
            schemathesis.checks.not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
