"""The diary page as a person uses it: three-state yes/no and list questions, carried-over set-up,
messages where the person is looking, future dates refused and unusual values questioned."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest
from django.test import Client

from nightspine.diary.entry import DiaryEntry
from nightspine.insights import analyze
from nightspine.storage.models import Profile, ReminderSettings
from nightspine.web import experiments, services

pytestmark = pytest.mark.usefixtures("web_db")

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
BOOLS = (
    "knee_pillow",
    "tosses_and_turns",
    "alcohol_evening",
    "caffeine_evening",
    "screens_in_bed",
    "stretching",
    "heat_or_ice",
)


def _profile(client: Client) -> Profile:
    return services.profile_of(client.user)  # type: ignore[attr-defined]


def _blank_form(date: str, pain: str) -> dict[str, str]:
    """What the page submits untouched: every yes/no left on "Not recorded" (an empty value)."""
    return {"date": date, "pain_on_waking": pain, **{name: "" for name in BOOLS}}


def test_an_untouched_yes_no_is_stored_as_not_recorded_never_no(alice: Client) -> None:
    assert alice.post("/diary/", _blank_form(YESTERDAY, "3")).status_code == 303
    entry = services.list_entries(_profile(alice))[0]
    assert all(getattr(entry, name) is None for name in BOOLS)


def test_yes_no_and_not_recorded_each_round_trip(alice: Client) -> None:
    form = _blank_form(YESTERDAY, "3") | {"stretching": "yes", "alcohol_evening": "no"}
    assert alice.post("/diary/", form).status_code == 303
    entry = services.list_entries(_profile(alice))[0]
    assert (entry.stretching, entry.alcohol_evening, entry.caffeine_evening) == (True, False, None)
    page = alice.get(f"/diary/{YESTERDAY}/edit").content.decode()
    assert 'name="stretching" value="yes" checked' in page
    assert 'name="alcohol_evening" value="no" checked' in page
    assert 'name="caffeine_evening" value="" checked' in page
    # editing without touching anything keeps all three states
    edit = {"pain_on_waking": "3", "stretching": "yes", "alcohol_evening": "no"}
    alice.post(f"/diary/{YESTERDAY}/edit", edit)
    again = services.list_entries(_profile(alice))[0]
    assert (again.stretching, again.alcohol_evening, again.caffeine_evening) == (True, False, None)


def test_not_recorded_nights_are_not_counted_as_no_in_insights(alice: Client) -> None:
    today = dt.date.today()
    for days in range(1, 25):
        form = _blank_form((today - dt.timedelta(days=days)).isoformat(), str(days % 5))
        if days % 3 == 0:
            form["alcohol_evening"] = "yes"
        alice.post("/diary/", form)
    entries = services.list_entries(_profile(alice))
    assert sum(e.alcohol_evening is False for e in entries) == 0

    def nights_without(diary: list[DiaryEntry]) -> int:
        found = [f for f in analyze(diary).factors if f.factor == "alcohol_evening"]
        return max((f.n_without or 0 for f in found), default=0)

    assert nights_without(entries) == 0  # no "No" night was invented
    # the old form stored an untouched box as "No": those would be 16 "No" nights
    as_no = [e.model_copy(update={"alcohol_evening": bool(e.alcohol_evening)}) for e in entries]
    assert nights_without(as_no) == 16


def test_a_list_question_has_three_states_and_an_unopened_one_stores_nothing(
    alice: Client,
) -> None:
    """Nothing ticked is not recorded; the "none" box is a recorded "none" (an empty list)."""
    form = _blank_form(YESTERDAY, "3") | {"medications": "__none__", "pain_locations": "neck"}
    assert alice.post("/diary/", form).status_code == 303
    entry = services.list_entries(_profile(alice))[0]
    assert (entry.medications, entry.pain_locations) == ((), ("neck",))
    page = alice.get(f"/diary/{YESTERDAY}/edit").content.decode()
    assert 'name="medications" value="__none__" checked' in page
    assert 'name="pain_locations" value="__none__" checked' not in page
    # unticking everything takes the answer back to not recorded
    alice.post(f"/diary/{YESTERDAY}/edit", {"pain_on_waking": "3"})
    again = services.list_entries(_profile(alice))[0]
    assert (again.medications, again.pain_locations) == (None, None)
    page = alice.get(f"/diary/{YESTERDAY}/edit").content.decode()
    assert 'value="__none__" checked' not in page


def test_none_and_a_choice_together_are_questioned(alice: Client) -> None:
    form = _blank_form(YESTERDAY, "3")
    response = alice.post("/diary/", {**form, "medications": ["__none__", "paracetamol"]})
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert 'Tick "None taken" or the ones that apply, not both' in page
    assert 'name="medications" value="paracetamol" checked' in page  # kept as ticked
    assert 'name="medications" value="__none__" checked' in page
    assert services.list_entries(_profile(alice)) == []


def test_the_morning_is_two_taps_with_the_set_up_carried_over(alice: Client) -> None:
    first = _blank_form("2026-01-01", "5") | {"sleep_position": "side", "knee_pillow": "yes"}
    alice.post("/diary/", first)
    page = alice.get("/diary/").content.decode()
    assert page.count("From your last entry") >= 3  # the note and each carried field
    assert 'name="knee_pillow" value="yes" checked' in page
    assert "your entry for Thu 1 Jan 2026" in page  # which entry it came from
    # tap the pain, tap Save: the page sends the carried set-up as shown
    second = _blank_form(YESTERDAY, "2") | {"sleep_position": "side", "knee_pillow": "yes"}
    response = alice.post("/diary/", second)
    assert response.status_code == 303
    entry = services.get_entry(_profile(alice), dt.date.fromisoformat(YESTERDAY))
    assert (entry.sleep_position, entry.knee_pillow, entry.stretching) == ("side", True, None)


def test_after_save_the_confirmation_is_at_the_top_with_focus(alice: Client) -> None:
    response = alice.post("/diary/", _blank_form(YESTERDAY, "3"), follow=True)
    page = response.content.decode()
    banner = page.index('id="saved"')
    assert banner < page.index("<h1>")  # first thing in the page
    assert 'role="status" tabindex="-1" autofocus' in page
    day = dt.date.fromisoformat(YESTERDAY)
    assert f"Saved your entry for the morning of {day.day} {day:%b %Y}." in page  # one format


def test_errors_come_first_with_focus_and_keep_what_was_typed(alice: Client) -> None:
    form = _blank_form(YESTERDAY, "") | {"hours_slept": "seven", "pillow": "old foam"}
    response = alice.post("/diary/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert page.index('id="error-summary"') < page.index("<h1>")
    assert 'tabindex="-1" autofocus' in page
    assert '<a href="#f-hours_slept">Enter hours slept as a number from 0 to 24</a>' in page
    assert 'value="seven"' in page and 'value="old foam"' in page
    assert 'aria-describedby="hours_slept-error"' in page
    assert "<title>Error:" in page


def test_a_future_date_is_refused_with_a_clear_message(alice: Client) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = alice.post("/diary/", _blank_form(future, "3"))
    assert response.status_code == 422
    assert "The date must be today or in the past" in response.content.decode()
    assert services.list_entries(_profile(alice)) == []
    both = alice.post("/diary/", _blank_form(future, "")).content.decode()
    assert "The date must be today or in the past" in both  # told together, not one by one
    assert "Select how much your back hurt on waking" in both


def test_the_future_is_judged_in_the_persons_time_zone(alice: Client) -> None:
    profile = _profile(alice)
    ReminderSettings.objects.create(profile=profile, time_zone="Pacific/Kiritimati")
    ahead = services.today_for(profile)
    response = alice.post("/diary/", _blank_form(ahead.isoformat(), "3"))
    assert response.status_code == 303
    too_far = (ahead + dt.timedelta(days=1)).isoformat()
    assert alice.post("/diary/", _blank_form(too_far, "3")).status_code == 422


def test_the_api_refuses_a_future_date(alice: Client) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = alice.post(
        "/api/v1/diary", json.dumps({"date": future, "pain_on_waking": 2}), "application/json"
    )
    assert response.status_code == 422
    assert "today or in the past" in response.content.decode()


def test_an_unusual_value_is_questioned_then_stored_once_confirmed(alice: Client) -> None:
    form = _blank_form(YESTERDAY, "3") | {"hours_slept": "14"}
    asked = alice.post("/diary/", form)
    assert asked.status_code == 422
    page = asked.content.decode()
    assert "You entered 14 hours slept. Is that right?" in page
    assert 'name="confirm_hours_slept" value="14"' in page and 'value="14"' in page
    assert services.list_entries(_profile(alice)) == []  # not stored silently
    # a confirmation for another number does not count
    changed = alice.post("/diary/", form | {"hours_slept": "15", "confirm_hours_slept": "14"})
    assert changed.status_code == 422
    saved = alice.post("/diary/", form | {"confirm_hours_slept": "14"})
    assert saved.status_code == 303
    assert services.list_entries(_profile(alice))[0].hours_slept == 14


def test_tonight_s_experiment_shows_on_the_diary_and_the_dashboard(alice: Client) -> None:
    experiments.start(_profile(alice), "knee_pillow", weeks=2)
    running = experiments.active(_profile(alice))
    assert running is not None
    instruction = running.tonight.instruction
    assert instruction in alice.get("/diary/").content.decode()
    assert instruction in alice.get("/me").content.decode()


def test_the_experiment_page_suggests_the_change_that_fits_the_assessment(alice: Client) -> None:
    from nightspine.web.engine import assess

    answers = {"age": 40, "sleep_position": "stomach"}
    result = assess(answers)
    assert result.contributors[0].id == "stomach_sleeping"
    services.save_assessment(_profile(alice), answers, result)
    page = alice.get("/diary/experiments").content.decode()
    assert 'value="side_not_stomach" checked' in page
    assert 'value="knee_pillow" checked' not in page
    assert "Suggested for you" in page


def test_the_diary_page_says_when_this_morning_is_already_recorded(alice: Client) -> None:
    assert "already saved this morning" not in alice.get("/diary/").content.decode()
    today = dt.date.today().isoformat()
    alice.post("/diary/", _blank_form(today, "2"))
    page = alice.get("/diary/").content.decode()
    assert "already saved this morning" in page and f"/diary/{today}/edit" in page


def test_the_api_keeps_three_states(alice: Client) -> None:
    body = {"date": YESTERDAY, "pain_on_waking": 2, "stretching": True, "alcohol_evening": False}
    created = alice.post("/api/v1/diary", json.dumps(body), "application/json")
    assert created.status_code == 201
    got = json.loads(alice.get(f"/api/v1/diary/{YESTERDAY}").content)
    assert (got["stretching"], got["alcohol_evening"], got["caffeine_evening"]) == (
        True,
        False,
        None,
    )


def test_the_api_keeps_none_apart_from_not_recorded_for_lists(alice: Client) -> None:
    body = {"date": YESTERDAY, "pain_on_waking": 2, "medications": []}
    assert alice.post("/api/v1/diary", json.dumps(body), "application/json").status_code == 201
    got = json.loads(alice.get(f"/api/v1/diary/{YESTERDAY}").content)
    assert (got["medications"], got["pain_locations"]) == ([], None)


def test_the_api_questions_an_unusual_value_until_confirmed(alice: Client) -> None:
    body = json.dumps({"date": YESTERDAY, "pain_on_waking": 2, "hours_slept": 14})
    asked = alice.post("/api/v1/diary", body, "application/json")
    assert asked.status_code == 422
    assert "You entered 14 hours slept. Is that right?" in asked.content.decode()
    assert services.list_entries(_profile(alice)) == []
    kept = alice.post("/api/v1/diary?confirm_unusual=true", body, "application/json")
    assert kept.status_code == 201


def test_a_second_entry_for_a_morning_says_how_to_go_on_and_can_replace(alice: Client) -> None:
    alice.post("/diary/", _blank_form("2026-02-03", "3"))
    again = alice.post("/diary/", _blank_form("2026-02-03", "6"))
    assert again.status_code == 422
    page = again.content.decode()
    assert "You already have an entry for the morning of 3 Feb 2026" in page
    assert 'href="/diary/2026-02-03/edit"' in page and 'name="replace" value="yes"' in page
    replaced = alice.post("/diary/", _blank_form("2026-02-03", "6") | {"replace": "yes"})
    assert replaced.status_code == 303
    assert services.list_entries(_profile(alice))[0].pain_on_waking == 6


def test_an_optional_scale_can_go_back_to_not_recorded(alice: Client) -> None:
    alice.post("/diary/", _blank_form("2026-02-04", "3") | {"stress": "7"})
    page = alice.get("/diary/2026-02-04/edit").content.decode()
    assert 'name="stress" value=""' in page and 'name="pain_on_waking" value=""' not in page
    alice.post("/diary/2026-02-04/edit", {"pain_on_waking": "3", "stress": ""})
    assert services.list_entries(_profile(alice))[0].stress is None


def test_one_entry_is_one_night_in_the_chart_and_its_caption(alice: Client) -> None:
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    services.save_entry(profile, {"date": dt.date(2026, 3, 2), "pain_on_waking": 4})
    page = alice.get("/diary/history").content.decode()
    assert "Morning pain on 2 Mar 2026, 1 night, average 4.0" in page
    assert "1 nights" not in page
    assert "all your entries</figcaption>" in page  # not "last 90 entries" under one entry
