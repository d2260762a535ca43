"""A person's pages cost the same with a long diary: paged history and API, labels by query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nightspine.diary.entry import entry_from_values
from nightspine.storage import repository as repo
from nightspine.web import services

pytestmark = pytest.mark.usefixtures("web_db")
START = dt.date(2020, 1, 1)


def _fill(client: Client, days: int, first: int = 0) -> None:
    profile = services.profile_of(client.user)  # type: ignore[attr-defined]
    rows = [
        {
            "date": (START + dt.timedelta(days=i)).isoformat(),
            "pain_on_waking": i % 11,
            "pillow": f"pillow {i % 3}",
            "mattress": "firm" if i % 2 else "",
        }
        for i in range(first, first + days)
    ]
    for row in rows:
        repo.save_entry(profile, entry_from_values({k: v for k, v in row.items() if v != ""}))


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen.captured_queries), response.content.decode()


def test_history_pages_back_by_date(alice: Client) -> None:
    _fill(alice, 200)
    _, first = _queries(alice, "/diary/history")
    newest = START + dt.timedelta(days=199)
    assert newest.strftime("%-d %b %Y") in first
    assert "?before=" in first
    older = first.split('href="?before=')[1].split('"')[0]
    assert older == (newest - dt.timedelta(days=89)).isoformat()
    _, second = _queries(alice, f"/diary/history?before={older}")
    shown = (newest - dt.timedelta(days=90)).strftime("%-d %b %Y")
    assert shown in second and newest.strftime("%-d %b %Y") not in second
    assert alice.get("/diary/history?before=nonsense").status_code == 404


def test_pages_read_no_more_rows_for_a_longer_diary(alice: Client) -> None:
    _fill(alice, 100)
    short = {url: _queries(alice, url)[0] for url in ("/diary/history", "/diary/")}
    _fill(alice, 400, first=100)
    for url, count in short.items():
        with CaptureQueriesContext(connection) as seen:
            alice.get(url)
        assert len(seen.captured_queries) == count, url
        # no query reads the whole diary: every entries query is limited or aggregated
        for query in seen.captured_queries:
            sql = query["sql"].upper()
            if "NIGHTSPINE_DIARYENTRY" in sql.replace('"', "") and "SELECT" in sql:
                assert "LIMIT" in sql or "DISTINCT" in sql or "COUNT" in sql, sql


def test_labels_come_from_a_distinct_query(alice: Client) -> None:
    _fill(alice, 30)
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    assert services.labels_used(profile) == {
        "pillow": ["pillow 0", "pillow 1", "pillow 2"],
        "mattress": ["firm"],
    }


def test_the_api_diary_list_is_paged_with_a_next_link(alice: Client) -> None:
    _fill(alice, 12)
    response = alice.get("/api/v1/diary?limit=5")
    assert response.json()[0]["date"] == START.isoformat()
    assert len(response.json()) == 5
    link = response["Link"]
    assert link.endswith('>; rel="next"') and "start=2020-01-06" in link and "limit=5" in link
    last = alice.get("/api/v1/diary?limit=5&start=2020-01-11")
    assert len(last.json()) == 2 and "Link" not in last
    assert alice.get("/api/v1/diary?limit=0").status_code == 422


def test_insights_state_the_nights_they_are_based_on(
    alice: Client, doctor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nightspine.insights import analysis

    monkeypatch.setattr(analysis, "WINDOW_NIGHTS", 20)
    _fill(alice, 30)
    page = alice.get("/diary/insights").content.decode()
    assert "30 nights recorded." in page
    assert "Based on your last 20 nights, " in page
    assert "the 10 nights recorded before them are left out" in page
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    _, code = services.create_share(profile)
    services.redeem_share(doctor.user, code)  # type: ignore[attr-defined]
    assert (
        "Based on your last 20 nights, " in doctor.get(f"/clinician/{profile.pk}/").content.decode()
    )
