"""Insights are computed once per change of the diary, whichever path changed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
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
    real_look = bridges._look
    calls: list[int] = []

    def kept_after_the_other_view(profile: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:  # this view finds nothing and queues for the computation, while
            stamp, _ = real_look(profile)
            bridges.insights_page(profile)  # the other view computes and keeps it
            return stamp, None
        return real_look(profile)

    monkeypatch.setattr(bridges, "_look", kept_after_the_other_view)
    assert bridges.insights_json(profile)
    assert analyses == [1]  # computed once, by the other view


def _night_measured(date: dt.date) -> Any:
    """What ``fill_diary`` reads of a recording's analysis: its nights."""
    from nightspine.sensors.nights import NightSummary

    night = NightSummary(
        date=date,
        in_bed_start=dt.datetime.combine(date - dt.timedelta(days=1), dt.time(23)),
        in_bed_end=dt.datetime.combine(date, dt.time(7)),
        minutes={"supine": 300.0, "prone": 0.0, "left": 90.0, "right": 80.0, "upright": 10.0},
        position_changes=12,
        longest_still_min=60.0,
        main_position="back",
        restlessness=0.05,
        nonwear_min=0.0,
    )
    return SimpleNamespace(nights=[night])


def _write_paths() -> dict[str, Callable[[Client, Any], object]]:
    from nightspine.storage.recordings import fill_diary

    day = dt.date(2026, 1, 2)
    other = entry_from_values({"date": "2026-01-05", "pain_on_waking": 1})
    again = entry_from_values({"date": "2026-01-02", "pain_on_waking": 6})
    return {
        "web save": lambda c, p: c.post("/diary/", {"date": "2026-01-04", "pain_on_waking": "2"}),
        "web edit": lambda c, p: c.post("/diary/2026-01-02/edit", {"pain_on_waking": "7"}),
        "web delete": lambda c, p: c.post("/diary/2026-01-02/delete"),
        "api save": lambda c, p: c.post(
            "/api/v1/diary", {"date": "2026-01-04", "pain_on_waking": 2}, "application/json"
        ),
        "api edit": lambda c, p: c.put(
            "/api/v1/diary/2026-01-02", {"pain_on_waking": 7}, "application/json"
        ),
        "api delete": lambda c, p: c.delete("/api/v1/diary/2026-01-02"),
        "storage save": lambda c, p: repo.save_entry(p, other),
        "storage edit": lambda c, p: repo.save_entry(p, again, replace=True),
        "storage delete": lambda c, p: repo.delete_entry(p, day),
        "import": lambda c, p: repo.import_entries(p, [other]),
        "import replacing": lambda c, p: repo.import_entries(p, [again], replace=True),
        "fill from a recording": lambda c, p: fill_diary(p, _night_measured(day)),
    }


@pytest.mark.parametrize("path", list(_write_paths()))
def test_every_write_to_the_diary_changes_the_stamp_and_the_insights(
    alice: Client, analyses: list[int], path: str
) -> None:
    """A kept snapshot is never served after a write, whichever path wrote the diary."""
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    for day in range(1, 4):
        alice.post("/diary/", {"date": f"2026-01-0{day}", "pain_on_waking": str(day)})
    before = alice.get("/api/v1/insights").json()
    stamp = bridges.diary_stamp(profile)
    written = _write_paths()[path](alice, profile)
    assert getattr(written, "status_code", 200) < 400
    assert bridges.diary_stamp(profile) != stamp
    after = alice.get("/api/v1/insights").json()
    assert analyses == [3, len(repo.list_entries(profile))]  # computed again, on the new diary
    assert after != before or path == "fill from a recording"  # pain unchanged: same numbers


def test_the_stamp_read_with_the_snapshot_is_the_diarys(alice: Client) -> None:
    """The stamp is the count of entries and their latest save, the same until a write."""
    from django.db.models import Max

    from nightspine.storage.models import DiaryEntry as Row

    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    assert bridges.diary_stamp(profile) == "0@-"
    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "2"})
    alice.post("/diary/", {"date": "2026-01-02", "pain_on_waking": "4"})
    stamp = bridges.diary_stamp(profile)
    assert stamp == bridges.diary_stamp(profile)
    count, last = stamp.split("@")
    latest = Row.objects.filter(profile=profile).aggregate(last=Max("updated_at"))["last"]
    assert count == "2" and last.startswith(latest.strftime("%Y-%m-%d %H:%M:%S.%f"))


def test_insights_of_an_account_deleted_meanwhile_are_still_answered(alice: Client) -> None:
    """A view that found the profile just before the account went answers as it did before."""
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    alice.post("/diary/", {"date": "2026-01-01", "pain_on_waking": "3"})
    services.delete_account(alice.user)  # type: ignore[attr-defined]
    assert bridges.diary_stamp(profile) == "0@-"
    assert bridges.insights_page(profile).nights == 0
