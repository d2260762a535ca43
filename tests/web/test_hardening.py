"""Bad input and bad luck answered clearly: no-store on health data, a full disk as 503,
out-of-range dates and ids refused (never a 500), one health check that leaks nothing."""

from __future__ import annotations

import datetime as dt
import errno
import json
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from nightspine.web import services

pytestmark = pytest.mark.usefixtures("web_db")

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def _post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), "application/json")


# --- Cache-Control: no-store -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/me", "/diary/", "/diary/history", "/diary/export/csv", "/api/v1/diary", "/"]
)
def test_every_answer_with_health_data_says_no_store(alice: Client, url: str) -> None:
    _post_json(alice, "/api/v1/diary", {"date": YESTERDAY, "pain_on_waking": 3})
    response = alice.get(url)
    assert response.status_code == 200, url
    assert response.headers["Cache-Control"] == "no-store"


def test_the_clinician_download_says_no_store(alice: Client, doctor: Client) -> None:
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    _, code = services.create_share(profile, "doctor")
    services.redeem_share(doctor.user, code)  # type: ignore[attr-defined]
    response = doctor.get(f"/clinician/{profile.pk}/export/csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


# --- a full disk -------------------------------------------------------------------------------

FULL_DISK = [OperationalError("database or disk is full"), OSError(errno.ENOSPC, "No space")]


@pytest.mark.parametrize("error", FULL_DISK, ids=["sqlite", "oserror"])
def test_a_full_disk_is_a_json_503_on_the_api(alice: Client, error: Exception) -> None:
    with mock.patch.object(services, "save_entry", side_effect=error):
        response = _post_json(alice, "/api/v1/diary", {"date": YESTERDAY, "pain_on_waking": 3})
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert "storage is full" in response.json()["detail"]
    assert "database or disk" not in response.content.decode()
    assert response.headers["Retry-After"]


def test_a_full_disk_is_a_503_page_for_people(alice: Client) -> None:
    form = {"date": YESTERDAY, "pain_on_waking": "3"}
    with mock.patch.object(services, "save_entry", side_effect=FULL_DISK[0]):
        response = alice.post("/diary/", form)
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "storage is full" in response.content.decode()


def test_healthz_reports_a_full_disk_without_error_text(anon: Client) -> None:
    with mock.patch("nightspine.web.health.connection.cursor", side_effect=FULL_DISK[0]):
        response = anon.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "storage": "full",
    }


def test_healthz_reports_little_free_space_beside_sqlite(anon: Client) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("free space is checked beside a SQLite file only")
    with mock.patch("nightspine.web.health.shutil.disk_usage") as usage:
        usage.return_value.free = 1024
        response = anon.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "full"


def test_healthz_never_shows_internal_error_text(anon: Client) -> None:
    secret = OperationalError('FATAL: password authentication failed for user "nightspine"')
    with mock.patch("nightspine.web.health.connection.cursor", side_effect=secret):
        response = anon.get("/healthz")
    assert response.status_code == 503
    assert "password" not in response.content.decode()
    assert response.json()["status"] == "unavailable"


# --- dates and ids out of range ----------------------------------------------------------------


@pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_extreme_dates_are_refused_with_a_clear_message(alice: Client, date: str) -> None:
    response = _post_json(alice, "/api/v1/diary", {"date": date, "pain_on_waking": 3})
    assert response.status_code == 422
    assert "expected a date from 1900-01-01" in response.content.decode() or (
        "today or in the past" in response.content.decode()
    )
    page = alice.post("/diary/", {"date": date, "pain_on_waking": "3"})
    assert page.status_code == 422


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "99999-01-01", "2026-13-40"])
def test_extreme_dates_in_addresses_are_not_500s(alice: Client, date: str) -> None:
    assert alice.get(f"/api/v1/diary/{date}").status_code in (404, 422)
    assert alice.get(f"/diary/{date}/edit").status_code in (200, 404, 422)
    listing = alice.get("/api/v1/diary", {"start": date, "end": date})
    assert listing.status_code in (200, 422)


def test_a_pdf_over_the_whole_calendar_range_renders(alice: Client) -> None:
    _post_json(alice, "/api/v1/diary", {"date": "1900-01-01", "pain_on_waking": 3})
    _post_json(alice, "/api/v1/diary", {"date": YESTERDAY, "pain_on_waking": 4})
    response = alice.get("/diary/export/pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


HUGE = str(2**80)


@pytest.mark.parametrize(
    "url",
    [
        f"/me/assessments/{HUGE}",
        f"/clinician/{HUGE}/",
        f"/clinician/{HUGE}/export/csv",
        f"/api/v1/assessments/{HUGE}",
        f"/api/v1/clinician/people/{HUGE}",
    ],
)
def test_huge_ids_are_not_found_never_500(alice: Client, doctor: Client, url: str) -> None:
    client = doctor if "clinician" in url else alice
    response = client.get(url)
    assert response.status_code in (403, 404, 422), response.content[:200]
