"""Insights are computed once per change of the diary, whichever path changed it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nightspine.diary.entry import entry_from_values
from nightspine.storage import repository as repo
from nightspine.web import bridges, services

pytestmark = pytest.mark.usefixtures("web_db")


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entries each computation of insights saw, in order."""
    seen: list[int] = []
    real = bridges.analyze

    def counting(entries: Any, **kwargs: Any) -> Any:
        seen.append(len(entries))
        return real(entries, **kwargs)

    monkeypatch.setattr(bridges, "analyze", counting)
    return seen


def test_insights_are_computed_once_per_change(alice: Client, analyses: list[int]) -> None:
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    for day in range(1, 4):
        alice.post("/diary/", {"date": f"2026-01-0{day}", "pain_on_waking": str(day)})
    assert alice.get("/diary/insights").status_code == 200
    assert alice.get("/diary/insights").status_code == 200
    assert alice.get("/api/v1/insights").status_code == 200
    assert analyses == [3]
    alice.post("/diary/2026-01-02/edit", {"pain_on_waking": "7"})  # an edit: count unchanged
    alice.get("/diary/insights")
    assert analyses == [3, 3]
    alice.post("/diary/2026-01-02/delete")
    alice.get("/diary/insights")
    assert analyses == [3, 3, 2]
    # the command line's path (the storage layer directly) invalidates it too
    entry = entry_from_values({"date": "2026-01-09", "pain_on_waking": 2})
    repo.save_entry(profile, entry)
    alice.get("/api/v1/insights")
    assert analyses == [3, 3, 2, 3]


def test_a_person_never_sees_another_persons_cached_insights(
    alice: Client, bob: Client, analyses: list[int]
) -> None:
    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "2"})
    bob.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "2"})
    alice.get("/diary/insights")
    bob.get("/diary/insights")
    assert analyses == [1, 1]  # each person's own computation, never the other's


def test_computed_insights_are_kept_sealed_and_shared_by_every_process(
    alice: Client, analyses: list[int]
) -> None:
    from nightspine.web.models import InsightsSnapshot

    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "7", "notes": "sore neck"})
    assert alice.get("/diary/insights").status_code == 200
    snapshot = InsightsSnapshot.objects.get(profile=services.profile_of(alice.user))  # type: ignore[attr-defined]
    sealed = bytes(snapshot.sealed)
    assert sealed.startswith(b"gAAAAA")  # a Fernet token: nothing readable in the database file
    assert b"<svg" not in sealed and b'"nights"' not in sealed  # neither chart nor numbers
    # another worker process has nothing in memory: it reads the database's copy
    assert alice.get("/api/v1/insights").json()["nights"] == 1
    assert analyses == [1]


def test_a_snapshot_that_cannot_be_decrypted_is_computed_again(
    alice: Client, analyses: list[int]
) -> None:
    from nightspine.web.models import InsightsSnapshot

    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "3"})
    alice.get("/diary/insights")
    InsightsSnapshot.objects.update(sealed=b"gAAAAA-written-with-a-retired-key")
    assert alice.get("/api/v1/insights").json()["nights"] == 1
    assert analyses == [1, 1]
    assert alice.get("/diary/insights").status_code == 200
    assert analyses == [1, 1]  # sealed again with the current key


def test_the_snapshot_goes_with_the_account(alice: Client) -> None:
    from nightspine.web.models import InsightsSnapshot

    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "3"})
    alice.get("/diary/insights")
    services.delete_account(alice.user)  # type: ignore[attr-defined]
    assert not InsightsSnapshot.objects.exists()


def test_insights_are_shown_when_they_cannot_be_kept(
    alice: Client, analyses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from nightspine.web.models import InsightsSnapshot

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database or disk is full")

    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "3"})
    monkeypatch.setattr(InsightsSnapshot.objects, "update_or_create", full)
    assert alice.get("/api/v1/insights").json()["nights"] == 1
    assert alice.get("/diary/insights").status_code == 200
    assert analyses == [1, 1]  # nothing kept: computed for each view until it can be


def test_a_view_waiting_for_another_views_computation_uses_its_result(
    alice: Client, analyses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two views of one changed diary in one worker: the second waits, then finds the result."""
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "3"})
    real_kept = bridges._kept
    calls: list[int] = []

    def kept_after_the_other_view(profile: Any, stamp: str) -> Any:
        calls.append(1)
        if len(calls) == 1:  # this view finds nothing and queues for the computation, while
            bridges.insights_page(profile)  # the other view computes and keeps it
            return None
        return real_kept(profile, stamp)

    monkeypatch.setattr(bridges, "_kept", kept_after_the_other_view)
    assert bridges.insights_json(profile)
    assert analyses == [1]  # computed once, by the other view
