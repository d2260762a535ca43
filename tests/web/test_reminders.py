"""Reminders end to end: settings, e-mails through a real SMTP server (aiosmtpd on loopback),
the unsubscribe link, the calendar feed parsed back with icalendar, and sending only once."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client, override_settings
from icalendar import Calendar

from nightspine.storage.models import Profile, ReminderSettings, SentReminder
from nightspine.web import experiments, reminders, services

pytestmark = pytest.mark.usefixtures("web_db")
BASE = "https://nightspine.example"


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 and a free port; Django's mail goes to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            NIGHTSPINE_PUBLIC_URL=BASE,
        ):
            yield inbox
    finally:
        controller.stop()


def _profile(client: Client) -> Profile:
    return services.profile_of(client.user)  # type: ignore[attr-defined]


def _settings(client: Client, **changes: str) -> Any:
    form = {
        "action": "save",
        "email": "alice@example.org",
        "time_zone": "Europe/London",
        "morning": "on",
        "morning_time": "07:30",
        "evening_time": "21:00",
    } | changes
    return client.post("/me/reminders", form)


def _utc(zone: str, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    from zoneinfo import ZoneInfo

    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def test_reminders_are_off_until_the_person_turns_them_on(alice: Client, smtp: Inbox) -> None:
    page = alice.get("/me/reminders").content.decode()
    assert "Reminders" in page and 'name="morning" checked' not in page
    assert reminders.send_due(_utc("UTC", dt.date.today(), 8)) == []
    assert smtp.messages == []


def test_settings_errors_are_plain_and_keep_what_was_typed(alice: Client) -> None:
    response = _settings(alice, email="alice at example", time_zone="Londres", morning_time="7h")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter an e-mail address in the right form, like name@example.com" in page
    assert "Enter your time zone as a place, for example Europe/London" in page
    assert "Enter a time on the 24-hour clock, like 07:30" in page
    assert 'value="alice at example"' in page and 'value="Londres"' in page
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in page
    assert not ReminderSettings.objects.filter(profile=_profile(alice)).exists()


def test_the_address_is_prefilled_from_the_account(web_db: str) -> None:
    from tests.web.conftest import make_client

    client = make_client("erin")
    client.user.email = "erin@example.org"  # type: ignore[attr-defined]
    client.user.save()  # type: ignore[attr-defined]
    assert 'value="erin@example.org"' in client.get("/me/reminders").content.decode()


def test_the_morning_e_mail_arrives_once_and_its_link_unsubscribes(
    alice: Client, smtp: Inbox
) -> None:
    assert _settings(alice).status_code == 200
    day = dt.date(2026, 7, 1)  # summer time in London: 07:30 there is 06:30 UTC
    assert reminders.send_due(_utc("UTC", day, 6, 0)) == []  # 07:00 in London: not yet
    now = _utc("Europe/London", day, 7, 35)
    sent = reminders.send_due(now)
    assert [(s.kind, s.local_date, s.to) for s in sent] == [("morning", day, "alice@example.org")]
    assert reminders.send_due(now + dt.timedelta(minutes=5)) == []  # the second run: nothing
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert smtp.recipients == [["alice@example.org"]]
    assert message["Subject"] == "How was last night? Your morning diary"
    body = message.get_content()
    assert f"{BASE}/diary/" in body and "1 July 2026" in body
    stop = re.search(rf"{re.escape(BASE)}(/reminders/unsubscribe/\S+)", body)
    assert stop is not None
    assert str(message["List-Unsubscribe"]).strip() == f"<{BASE}{stop.group(1)}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # one click, no sign-in
    page = Client().get(stop.group(1))
    assert page.status_code == 200 and "Reminder stopped" in page.content.decode()
    assert ReminderSettings.objects.get(profile=_profile(alice)).morning is False
    assert reminders.send_due(_utc("Europe/London", day + dt.timedelta(days=1), 7, 35)) == []
    assert Client().get("/reminders/unsubscribe/forged:token").status_code == 404


def test_no_morning_reminder_once_the_entry_is_in(alice: Client, smtp: Inbox) -> None:
    _settings(alice, time_zone="UTC")
    day = dt.date.today()
    services.save_entry(_profile(alice), {"date": day, "pain_on_waking": 2})
    assert reminders.send_due(_utc("UTC", day, 7, 45)) == []
    assert smtp.messages == []


def test_the_command_run_twice_sends_once(alice: Client, smtp: Inbox) -> None:
    from zoneinfo import ZoneInfo

    zone = "America/Chicago"
    now = dt.datetime.now(ZoneInfo(zone))
    at = (now - dt.timedelta(minutes=1)).strftime("%H:%M")
    if now.hour == 0 and now.minute < 2:
        pytest.skip("too close to midnight in Chicago to test 'due now'")
    _settings(alice, time_zone=zone, morning_time=at)
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(smtp.messages) == 1
    assert SentReminder.objects.filter(profile=_profile(alice)).count() == 1


def test_a_failed_send_is_tried_again_on_the_next_run(alice: Client) -> None:
    _settings(alice, time_zone="UTC")
    now = _utc("UTC", dt.date(2026, 3, 2), 7, 40)
    closed = _free_port()  # nothing listens there
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed,
        EMAIL_TIMEOUT=2,
    ):
        assert reminders.send_due(now) == []
    assert not SentReminder.objects.filter(profile=_profile(alice)).exists()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert len(reminders.send_due(now)) == 1


def test_tonight_s_experiment_e_mail(alice: Client, smtp: Inbox) -> None:
    _settings(alice, time_zone="UTC", morning="", evening="on")
    today = dt.date.today()
    experiments.start(_profile(alice), "knee_pillow", weeks=2, first=today)
    running = experiments.active(_profile(alice), today)
    assert running is not None
    sent = reminders.send_due(_utc("UTC", today, 21, 5))
    assert [s.kind for s in sent] == ["evening"]
    body = smtp.messages[0].get_content()
    assert running.tonight.instruction in " ".join(body.split())
    assert "/reminders/unsubscribe/" in body


def test_the_calendar_feed_parses_with_alarms_in_the_person_s_time_zone(alice: Client) -> None:
    _settings(alice, time_zone="Europe/Berlin", morning_time="06:45", evening_time="22:15")
    experiments.start(_profile(alice), "stretching", weeks=2, first=dt.date.today())
    page = alice.post("/me/reminders", {"action": "new_feed"}).content.decode()
    found = re.search(r'id="feed-url">([^<]+)<', page)
    assert found is not None
    path = urlsplit(found.group(1)).path
    response = Client().get(path)  # a phone's calendar: no cookies
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    morning = next(e for e in events if "Morning diary" in str(e["SUMMARY"]))
    start = morning.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (6, 45, "Europe/Berlin")
    assert morning["RRULE"]["FREQ"] == ["DAILY"]
    evenings = [e for e in events if str(e["SUMMARY"]) == "Tonight's experiment"]
    assert evenings and all(e.decoded("DTSTART").hour == 22 for e in evenings)
    assert all(len(e.walk("VALARM")) == 1 for e in events)
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Berlin"}
    # a new address revokes the old one; stopping revokes it too
    alice.post("/me/reminders", {"action": "new_feed"})
    assert Client().get(path).status_code == 404
    alice.post("/me/reminders", {"action": "revoke_feed"})
    assert ReminderSettings.objects.get(profile=_profile(alice)).feed_token_hash == ""


def test_an_unknown_feed_address_is_not_found(anon: Client) -> None:
    assert anon.get("/reminders/feed/not-a-real-token.ics").status_code == 404


def test_old_send_records_are_dropped_and_deleting_the_account_drops_everything(
    alice: Client, smtp: Inbox
) -> None:
    _settings(alice, time_zone="UTC")
    profile = _profile(alice)
    old = SentReminder.objects.create(
        profile=profile, kind="morning", local_date=dt.date(2026, 1, 1)
    )
    reminders.send_due(_utc("UTC", dt.date(2026, 3, 1), 7, 40))
    assert not SentReminder.objects.filter(pk=old.pk).exists()
    assert SentReminder.objects.filter(profile=profile).count() == 1  # today's
    services.delete_account(alice.user)  # type: ignore[attr-defined]
    assert not ReminderSettings.objects.filter(profile_id=profile.pk).exists()
    assert not SentReminder.objects.filter(profile_id=profile.pk).exists()
