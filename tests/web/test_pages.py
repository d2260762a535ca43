"""Every page through Django's test client: what a person and a clinician see and do."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils.html import escape
from tests.web.conftest import PASSWORD, make_client

from nightspine.assessment import questionnaire as qn
from nightspine.storage.models import AssessmentRecord, Profile
from nightspine.web import services
from nightspine.web.models import EncryptedNote
from nightspine.web.questions import NONE_VALUE, Checklist, Section, sections

pytestmark = pytest.mark.usefixtures("web_db")


def _profile(client: Client) -> Profile:
    return services.profile_of(client.user)  # type: ignore[attr-defined]


def test_home_says_what_it_is_and_is_not(anon: Client) -> None:
    page = anon.get("/").content.decode()
    assert "does not diagnose" in page
    assert 'href="/assess/"' in page
    assert "No account needed" in page
    items, minutes = qn.estimate()
    assert f"Answer about {items} questions (about {minutes} minutes" in page  # one source
    assert "call 112 now" in page


def test_assessment_starts_with_warning_signs(anon: Client) -> None:
    response = anon.get("/assess/", follow=True)
    first = sections()[0]
    assert first.warning
    assert response.redirect_chain[-1][0] == f"/assess/{first.id}/"
    page = response.content.decode()
    assert f"Step 1 of {len(sections())}" in page
    assert "<progress" in page


def no_warning_signs(section: Section | None = None) -> dict[str, object]:
    """A warning-sign screen answered "none of these" and "no" throughout."""
    warning = section or sections()[0]
    data: dict[str, object] = {}
    for item in warning.items({}):
        if isinstance(item, Checklist):
            data[item.field] = NONE_VALUE
        elif item.kind in ("bool", "many-of"):
            data[item.key] = "no" if item.kind == "bool" else NONE_VALUE
    return data


def _walk(client: Client, answers_by_section: dict[str, dict[str, object]]) -> Client:
    for section in sections():
        given = answers_by_section.get(section.id, {})
        if section.warning:
            given = {**no_warning_signs(section), **given}
        data = {"go": "next", "shown": [q.key for q in section.questions], **given}
        response = client.post(f"/assess/{section.id}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_full_assessment_gives_a_result_with_every_part(anon: Client) -> None:
    _walk(
        anon,
        {
            "about_you": {"age": "44", "sex": "female"},
            "sleep": {"sleep_position": "stomach", "pillow": "too_high"},
        },
    )
    page = anon.get("/assess/result").content.decode()
    assert "How urgently" in page
    assert "Most likely feeding your pain" in page and "Try tonight" in page
    assert "/100" not in page  # causes in words, not scores
    assert "<summary>For your doctor</summary>" in page  # the rest is collapsible
    assert "Create an account and save" in page


def _section(section_id: str) -> Section:
    return next(s for s in sections() if s.id == section_id)


def test_one_not_sure_per_question(anon: Client) -> None:
    """The mattress has its own "I am not sure" (it opens a follow-up): no second one."""
    _answer_warning_signs(anon)
    page = anon.get("/assess/sleep/").content.decode()
    mattress = page[
        page.index("How does your mattress feel?") : page.index(
            "</fieldset>", page.index("How does your mattress feel?")
        )
    ]
    assert "I am not sure" in mattress
    assert "Not sure</label>" not in mattress
    pillow = page[page.index("How would you describe your pillow?") :]
    assert "Not sure</label>" in pillow[: pillow.index("</fieldset>")]  # others keep theirs


def _answer_warning_signs(client: Client) -> None:
    for section in sections():
        if section.warning:
            client.post(f"/assess/{section.id}/", {"go": "next", **no_warning_signs(section)})


def test_back_and_forward_keep_answers(anon: Client) -> None:
    _answer_warning_signs(anon)
    about = _section("about_you")
    response = anon.post(f"/assess/{about.id}/", {"go": "back", "age": "52", "sex": "male"})
    assert response.status_code == 302 and response["Location"] == "/assess/warning_general/"
    page = anon.get(f"/assess/{about.id}/").content.decode()
    assert 'value="52"' in page
    assert 'value="male" checked' in page


def test_nothing_is_pre_selected_and_unanswered_stays_unanswered(anon: Client) -> None:
    _answer_warning_signs(anon)
    for section_id in ("about_you", "the_pain", "sleep", "the_day", "history"):
        page = anon.get(f"/assess/{section_id}/").content.decode()
        assert " checked" not in page, section_id
        shown = re.findall(r'name="shown" value="([a-z_]+)"', page)
        response = anon.post(f"/assess/{section_id}/", {"go": "next", "shown": shown})
        assert response.status_code == 302, section_id
    answers = anon.session["assessment_answers"]
    # only the warning signs were answered; every optional question stays unanswered
    assert all(k in {q.key for s in sections() if s.warning for q in s.questions} for k in answers)
    assert "smoker" not in answers


def test_a_checklist_records_ticks_as_yes_and_the_rest_as_no(anon: Client) -> None:
    _answer_warning_signs(anon)
    shown = re.findall(
        r'name="shown" value="([a-z_]+)"', anon.get("/assess/the_day/").content.decode()
    )
    habits = {"go": "next", "group-habits": ["smoker"], "shown": shown}
    assert anon.post("/assess/the_day/", habits).status_code == 302
    answers = anon.session["assessment_answers"]
    assert answers["smoker"] is True and answers["heavy_drinking"] is False
    both = {**habits, "group-habits": ["smoker", NONE_VALUE]}
    response = anon.post("/assess/the_day/", both)
    assert response.status_code == 422
    assert "not both" in response.content.decode()


def test_bad_answer_names_the_question(anon: Client) -> None:
    _answer_warning_signs(anon)
    response = anon.post("/assess/about_you/", {"go": "next", "age": "7"})
    assert response.status_code == 422
    assert "age" in response.content.decode()
    assert "12" in response.content.decode()


def test_emergency_answer_stops_and_shows_emergency_advice(anon: Client) -> None:
    nerves = _section("warning_nerves")
    data = {
        **no_warning_signs(nerves),
        "bladder_bowel": ["retention"],
        "warning_signs_started_days": "1",
    }
    response = anon.post(f"/assess/{nerves.id}/", {"go": "next", **data})
    assert response.status_code == 302
    assert response["Location"] == "/assess/result?stopped=1"
    page = anon.get(response["Location"]).content.decode()
    assert 'href="tel:112"' in page
    assert "Call 112 now" in page
    assert "Most likely feeding your pain" not in page  # no likely causes under an emergency
    assert page.count("does not diagnose") == 1  # the disclaimer once (the footer), not twice
    assert "Knowledge version" in page


def test_an_emergency_on_a_later_screen_stops_at_once(anon: Client) -> None:
    """Tingling hands alone is not an emergency; after a fall from a height it is."""
    _answer_warning_signs(anon)
    nerves = _section("warning_nerves")
    data = {**no_warning_signs(nerves), "numbness_or_tingling": ["hands"]}
    data.update({"numbness_both_hands": "no", "warning_signs_started_days": "1"})
    anon.post(f"/assess/{nerves.id}/", {"go": "next", **data})
    anon.post("/assess/about_you/", {"go": "next", "age": "40"})
    response = anon.post("/assess/the_pain/", {"go": "next", "onset_event": "fall_from_height"})
    assert response.status_code == 302
    assert response["Location"] == "/assess/result?stopped=1"


def test_warning_signs_must_be_answered(anon: Client) -> None:
    response = anon.post(f"/assess/{sections()[0].id}/", {"go": "next"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Tick any that apply, or \u201cNone of these\u201d" in page  # a sentence: capital first
    # the summary takes the focus, with or without JavaScript
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in page


def test_an_answer_opens_its_follow_up_on_the_same_screen(anon: Client) -> None:
    nerves = _section("warning_nerves")
    shown = [q.key for q in nerves.visible({})]
    data = {**no_warning_signs(nerves), "weakness": ["one_leg"], "shown": shown, "go": "next"}
    response = anon.post(f"/assess/{nerves.id}/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "opened a few more questions" in page and 'name="weakness_worsening"' in page
    now_shown = re.findall(r'name="shown" value="([a-z_]+)"', page)
    assert "weakness_worsening" in now_shown
    data = {**data, "weakness_worsening": "no", "shown": now_shown}
    data["warning_signs_started_days"] = "2"
    assert anon.post(f"/assess/{nerves.id}/", data).status_code == 302


def test_live_check_goes_to_the_stop_screen_at_once(anon: Client) -> None:
    data = {"section": "warning_nerves", "bladder_bowel": ["retention"]}
    response = anon.post("/assess/check", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/assess/result?stopped=1"
    calm = {"section": "warning_nerves", "bladder_bowel": [NONE_VALUE]}
    response = anon.post("/assess/check", calm, HTTP_HX_REQUEST="true")
    assert "HX-Redirect" not in response


def test_signup_from_result_saves_the_assessment(anon: Client) -> None:
    _walk(anon, {"about_you": {"age": "60"}})
    response = anon.post(
        "/signup?save=1",
        {"username": "carol", "password": PASSWORD, "role": "person", "save": "1"},
    )
    assert response.status_code == 302
    assert AssessmentRecord.objects.filter(profile__user__username="carol").count() == 1
    page = anon.get("/me").content.decode()
    assert "Latest assessment" in page and "Open it" in page


def test_signup_problems_are_listed(anon: Client) -> None:
    response = anon.post("/signup", {"username": "", "password": "short", "role": "person"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "username" in page and "password" in page


def test_login_and_logout(anon: Client) -> None:
    services.create_account("dave", PASSWORD, "person")
    assert anon.post("/login", {"username": "dave", "password": "nope"}).status_code == 401
    response = anon.post("/login", {"username": "dave", "password": PASSWORD})
    assert response.status_code == 302
    assert anon.get("/me").status_code == 200
    anon.post("/logout")
    assert anon.get("/me").status_code == 302


def test_saved_assessment_page(alice: Client) -> None:
    _walk(alice, {"about_you": {"age": "30"}})
    response = alice.post("/assess/save")
    assert response.status_code == 302
    assert alice.get(response["Location"]).status_code == 200
    assert "saved " in alice.get(response["Location"]).content.decode()
    assert alice.get("/me/assessments").status_code == 200


def test_diary_entry_in_one_tap_with_the_set_up_carried_from_last_entry(alice: Client) -> None:
    today = dt.date.today()
    first = {
        "date": (today - dt.timedelta(days=1)).isoformat(),
        "pain_on_waking": "6",
        "sleep_position": "stomach",
        "pillow": "old foam",
        "knee_pillow": "yes",
        "hours_slept": "6.5",
        "notes": "woke at 3 with a stiff back",
    }
    assert alice.post("/diary/", first).status_code == 303
    page = alice.get("/diary/").content.decode()
    assert f'value="{today.isoformat()}"' in page
    assert 'value="stomach" checked' in page and 'value="old foam"' in page
    assert "From your last entry" in page  # carried-over values are marked
    assert 'value="6.5"' not in page  # last night's hours are not this night's
    assert "woke at 3" not in page  # notes are not carried over
    second = {"date": today.isoformat(), "pain_on_waking": "4", "sleep_position": "back"}
    assert alice.post("/diary/", second).status_code == 303
    entries = services.list_entries(_profile(alice))
    assert [e.pain_on_waking for e in entries] == [6, 4]
    assert entries[0].notes == "woke at 3 with a stiff back"


def test_diary_entry_errors_name_fields(alice: Client) -> None:
    response = alice.post("/diary/", {"date": "2026-01-02", "hours_slept": "thirty"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Select how much your back hurt on waking, from 0 to 10" in page
    assert "Enter hours slept as a number from 0 to 24" in page
    assert 'value="thirty"' in page  # what the person typed stays
    assert "got " not in page


def test_notes_are_encrypted_at_rest(alice: Client) -> None:
    alice.post("/diary/", {"date": "2026-01-03", "pain_on_waking": "2", "notes": "secret words"})
    from django.db import connection

    from nightspine.storage import crypto

    # the note is kept in the entry, encrypted the same way the command line encrypts it
    assert not EncryptedNote.objects.filter(profile=_profile(alice)).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT health_values FROM nightspine_diaryentry")
        stored = str(cursor.fetchone()[0])
    assert "secret words" not in stored and stored.startswith(crypto.TOKEN_PREFIX)
    assert services.get_entry(_profile(alice), dt.date(2026, 1, 3)).notes == "secret words"


def test_history_edit_delete(alice: Client) -> None:
    alice.post("/diary/", {"date": "2026-01-04", "pain_on_waking": "5"})
    page = alice.get("/diary/history").content.decode()
    assert "<svg" in page and "2026-01-04" in page
    assert alice.get("/diary/2026-01-04/edit").status_code == 200
    alice.post("/diary/2026-01-04/edit", {"pain_on_waking": "1"})
    assert services.get_entry(_profile(alice), dt.date(2026, 1, 4)).pain_on_waking == 1
    assert alice.post("/diary/2026-01-04/delete").status_code == 302
    assert services.list_entries(_profile(alice)) == []
    assert alice.get("/diary/2026-01-04/edit").status_code == 404


def test_insights_page(alice: Client) -> None:
    alice.post("/diary/", {"date": "2026-01-04", "pain_on_waking": "5"})
    assert alice.get("/diary/insights").status_code == 200


def test_exports(alice: Client) -> None:
    alice.post("/diary/", {"date": "2026-01-05", "pain_on_waking": "5", "stretching": "yes"})
    csv_text = alice.get("/diary/export/csv").content.decode()
    assert csv_text.splitlines()[0].startswith("date,pain_on_waking")
    assert "2026-01-05,5" in csv_text
    data = json.loads(alice.get("/diary/export/json").content)
    assert data["entries"][0]["stretching"] is True
    assert data["format"] == "nightspine-export"
    assert alice.get("/diary/export/xml").status_code == 404
    pdf = alice.get("/diary/export/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    fhir = json.loads(alice.get("/diary/export/fhir").content)
    assert fhir["resourceType"] == "Bundle"


def test_sharing_and_clinician_view(alice: Client, doctor: Client) -> None:
    alice.post("/diary/", {"date": "2026-01-05", "pain_on_waking": "5"})
    page = alice.post("/me/sharing", {"label": "my GP"}).content.decode()
    code = page.split('id="share-code">')[1].split("<")[0]
    response = doctor.post("/clinician/", {"code": code.lower()})
    assert response.status_code == 302
    person_url = response["Location"]
    people = doctor.get("/clinician/").content.decode()
    assert "Alice" in people
    detail = doctor.get(person_url).content.decode()
    assert "Morning pain" in detail and "<svg" in detail
    log = alice.get("/me/audit").content.decode()
    assert "Drwho" in log and "viewed your summary" in log
    assert "shared with" in alice.get("/me/sharing").content.decode()


def test_code_is_single_use(alice: Client, doctor: Client, other_doctor: Client) -> None:
    page = alice.post("/me/sharing", {}).content.decode()
    code = page.split('id="share-code">')[1].split("<")[0]
    assert doctor.post("/clinician/", {"code": code}).status_code == 302
    assert other_doctor.post("/clinician/", {"code": code}).status_code == 422


def test_delete_account_deletes_data_and_says_so(alice: Client) -> None:
    alice.post("/diary/", {"date": "2026-01-05", "pain_on_waking": "5", "notes": "n"})
    profile_id = _profile(alice).pk
    wrong = alice.post("/account", {"password": "wrong", "confirm": "delete"})
    assert wrong.status_code == 400
    response = alice.post("/account", {"password": PASSWORD, "confirm": "delete"})
    page = response.content.decode()
    assert "has been deleted" in page and "1 diary entry" in page
    assert not Profile.objects.filter(pk=profile_id).exists()
    assert not EncryptedNote.objects.filter(profile_id=profile_id).exists()
    assert alice.get("/me").status_code == 302


def test_clinician_pages_need_a_clinician(alice: Client) -> None:
    assert alice.get("/clinician/").status_code == 403
    assert make_client().get("/clinician/").status_code == 302


def test_healthz(anon: Client) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}


def test_experiment_start_tonight_and_abandon(alice: Client) -> None:
    page = alice.get("/diary/experiments").content.decode()
    assert "Test one change" in page and 'name="change"' in page
    from nightspine.insights.experiments import catalogue

    for spec in catalogue().values():  # every change shows where its advice comes from
        assert all(escape(label) in page for label in spec.source_labels()), spec.id
    change = re.search(r'name="change" value="([a-z_]+)"', page)
    assert change is not None
    response = alice.post(
        "/diary/experiments",
        {
            "change": "knee_pillow" if "knee_pillow" in page else change.group(1),
            "weeks": "2",
            "usual": "old",
            "new": "new",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    running = alice.get("/diary/experiments").content.decode()
    assert "This evening" in running and "Abandon" in running
    evenings = re.search(r"Evenings (\S+ \S+ \S+) to (\S+ \S+ \S+) ·", running)
    assert evenings is not None, "the plan's dates in the app's one format (2 Mar 2026)"
    assert alice.post("/diary/experiments/abandon").status_code == 302
    assert "abandoned" in alice.get("/diary/experiments").content.decode()


def test_experiment_problems_are_shown(alice: Client) -> None:
    response = alice.post("/diary/experiments", {"change": "knee_pillow", "weeks": "12"})
    assert response.status_code == 422
    assert "weeks" in response.content.decode()
    assert 'class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus' in (
        response.content.decode()
    )


def test_sign_up_errors_take_the_focus(anon: Client) -> None:
    response = anon.post("/signup", {"username": "sam", "password": "short", "role": "person"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in page  # without JS too
    assert 'value="sam"' in page  # what was typed stays
    summary = re.search(r'id="error-summary".*?</div>', page, re.S)
    assert summary is not None and "This password is too short" in summary[0]
    assert "password:" not in summary[0].lower()  # the field's words, never its key
    services.create_account("taken", PASSWORD, "person")
    page = anon.post("/signup", {"username": "taken", "password": PASSWORD}).content.decode()
    assert '<a href="#in-username">Username is taken; choose another.</a>' in page
    page = anon.post("/signup", {"username": "", "password": PASSWORD}).content.decode()
    assert '<a href="#in-username">Username is required (at most 150 characters).</a>' in page
