"""The diary and reminders in Debian's Chromium at 390 px and 320 px, as a person uses them:
three-state yes/no and lists ("none" apart from not recorded) where an unopened section stores
nothing, messages that take the focus, a future date refused, an unusual value questioned, and
reminders through a real SMTP server (aiosmtpd on loopback) sent by `nightspine reminders send`
run twice, unsubscribed in one click.
Screenshots go to test-artifacts/web/diary-*.png."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.served import Served, serving
from tests.web.test_browser import (
    Mailbox,
    Tab,
    _need_chromium,
    _sign_up,
    chromium,
    mailbox,
)

__all__ = ["chromium", "mailbox"]  # the fixtures, shared with test_browser.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"390": {"width": 390, "height": 844}, "320": {"width": 320, "height": 640}}


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, mailbox: tuple[Mailbox, int]
) -> Iterator[Served]:
    _need_chromium()
    email = {"NIGHTSPINE_EMAIL_HOST": "127.0.0.1", "NIGHTSPINE_EMAIL_PORT": str(mailbox[1])}
    with serving(tmp_path_factory.mktemp("serve-diary"), env=email) as running:
        yield running


def _checked(page: Any, name: str) -> str:
    value: str = page.locator(f"input[name={name}]:checked").get_attribute("value")
    return value


@pytest.mark.parametrize("width", list(WIDTHS))
def test_diary_three_states_and_messages(chromium: Any, served: Served, width: str) -> None:
    tab = Tab(chromium, viewport=WIDTHS[width])
    page = tab.page
    shot = f"diary-{width}px"
    _sign_up(tab, served.url, f"diary{width}")
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)

    # Yesterday: the set-up, and one answer in the details section (Yes).
    page.goto(f"{served.url}/diary/")
    page.locator("#in-date").fill(yesterday.isoformat())
    page.locator(".scale label", has_text="5").first.click()
    page.locator("input[name=sleep_position][value=side]").check()
    page.locator("input[name=knee_pillow][value=yes]").check()
    page.get_by_text("More about last night").click()
    page.locator("input[name=stretching][value=yes]").check()
    page.get_by_label("None taken").check()  # medicines: an explicit "none"
    page.locator("#f-medications").scroll_into_view_if_needed()
    tab.shot(f"{shot}-00-list-none")
    page.locator("main details button[type=submit]").click()
    page.get_by_text("Saved your entry").wait_for()
    assert page.evaluate("document.activeElement.id") == "saved"
    assert page.locator("#saved").is_visible()  # in view where the person is looking
    tab.shot(f"{shot}-01-saved")
    tab.fits()

    # This morning: the set-up is carried over and marked; two taps plus one change (No).
    page.goto(f"{served.url}/diary/")
    assert page.locator("#carried-note").is_visible()
    assert _checked(page, "sleep_position") == "side"
    assert _checked(page, "knee_pillow") == "yes"
    tab.shot(f"{shot}-02-carried-over")
    tab.fits()
    page.locator(".scale label", has_text="3").first.click()
    page.locator("input[name=knee_pillow][value=no]").check()
    page.get_by_role("button", name="Save").first.click()  # "More about last night" unopened
    page.get_by_text("Saved your entry").wait_for()

    # Stored: yes carried (position), no (knee pillow), not recorded (the unopened section).
    page.goto(f"{served.url}/diary/{today.isoformat()}/edit")
    assert _checked(page, "sleep_position") == "side"
    assert _checked(page, "knee_pillow") == "no"
    for name in ("stretching", "alcohol_evening", "tosses_and_turns", "heat_or_ice"):
        assert _checked(page, name) == "", name  # not recorded, never "No"
    for name in ("medications", "pain_locations"):  # not recorded, never "none"
        assert page.locator(f"input[name={name}]:checked").count() == 0, name
    page.goto(f"{served.url}/diary/{yesterday.isoformat()}/edit")
    assert _checked(page, "stretching") == "yes"
    assert _checked(page, "medications") == "__none__"
    tab.shot(f"{shot}-03-edit-three-states")

    # A future morning is refused; the message takes the focus and keeps what was typed.
    page.goto(f"{served.url}/diary/")
    page.locator("#in-date").fill((today + dt.timedelta(days=3)).isoformat())
    page.locator(".scale label", has_text="2").first.click()
    page.locator("#in-hours_slept").fill("7,5")
    page.get_by_role("button", name="Save").first.click()
    page.locator("#error-summary").wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_text("The date must be today or in the past").first.is_visible()
    assert page.locator("#in-hours_slept").input_value() == "7,5"
    tab.shot(f"{shot}-04-future-date")
    tab.fits()

    # An unusual value is asked about, then stored once confirmed.
    two_days = (today - dt.timedelta(days=2)).isoformat()
    page.locator("#in-date").fill(two_days)
    page.locator("#in-hours_slept").fill("14")
    page.get_by_role("button", name="Save").first.click()
    page.get_by_text("You entered 14 hours slept. Is that right?").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    tab.shot(f"{shot}-05-unusual-value")
    tab.fits()
    page.get_by_label("Yes, 14 hours slept is right").check()
    page.get_by_role("button", name="Save").first.click()
    page.get_by_text("Saved your entry").wait_for()
    # the two pages above were answered 422 on purpose (not saved); nothing else may fail
    tab.errors = [e for e in tab.errors if "status of 422" not in e]
    tab.close()


def test_reminders_by_e_mail_and_calendar(
    chromium: Any, served: Served, mailbox: tuple[Mailbox, int]
) -> None:
    from icalendar import Calendar

    tab = Tab(chromium, viewport=WIDTHS["390"])
    page = tab.page
    _sign_up(tab, served.url, "remind")
    page.goto(f"{served.url}/diary/experiments")
    page.get_by_role("button", name="Plan the experiment").click()
    page.get_by_role("heading", name="This evening").wait_for()
    page.goto(f"{served.url}/me")
    assert page.get_by_role("heading", name="Tonight's experiment").is_visible()
    tab.shot("diary-390px-06-dashboard-tonight")

    # A phone in New Zealand is offered its own time zone (until the person chooses one).
    kiwi = chromium.new_context(viewport=WIDTHS["390"], timezone_id="Pacific/Auckland")
    kiwi.add_cookies(tab.context.cookies())
    kiwi_page = kiwi.new_page()
    kiwi_page.goto(f"{served.url}/me/reminders")
    assert kiwi_page.locator("#in-time_zone").input_value() == "Pacific/Auckland"
    kiwi.close()

    page.goto(f"{served.url}/me/reminders")
    now = dt.datetime.now(dt.UTC)
    if now.hour == 0 and now.minute < 2:
        pytest.skip("too close to midnight (UTC) to test 'due now'")
    page.get_by_label("E-mail address for reminders").fill("remind@example.org")
    page.get_by_label("Your time zone").fill("UTC")
    page.get_by_label("E-mail me in the morning").check()
    page.get_by_label("Morning reminder time").fill(
        (now - dt.timedelta(minutes=1)).strftime("%H:%M")
    )
    page.get_by_role("button", name="Save reminder settings").click()
    page.get_by_text("Saved your reminder settings").wait_for()
    assert page.evaluate("document.activeElement.id") == "saved"
    page.get_by_role("button", name="Make a calendar address").click()
    feed_url = page.locator("#feed-url").inner_text()
    tab.shot("diary-390px-07-reminders")
    tab.fits()

    # The calendar feed, as a phone would fetch it.
    with urllib.request.urlopen(feed_url, timeout=10) as response:
        calendar = Calendar.from_ical(response.read())
    events = list(calendar.walk("VEVENT"))
    assert events and all(e.walk("VALARM") for e in events)

    # The command, twice (cron): one e-mail.
    before = len(mailbox[0].messages)
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "nightspine", "reminders", "send"],
            env=served.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    mine = [m for m in mailbox[0].messages[before:] if m["To"] == "remind@example.org"]
    assert len(mine) == 1
    body = mine[0].get_content()
    stop = re.search(r"(http://127\.0\.0\.1:\d+/reminders/unsubscribe/\S+)", body)
    assert stop is not None
    page.goto(stop.group(1))  # one click, in a fresh context: no sign-in needed
    other = Tab(chromium, viewport=WIDTHS["320"])
    other.page.goto(stop.group(1))
    assert other.page.get_by_role("heading", name="Reminder stopped").is_visible()
    other.shot("diary-320px-08-unsubscribed")
    other.fits()
    other.close()
    page.goto(f"{served.url}/me/reminders")
    assert not page.get_by_label("E-mail me in the morning").is_checked()
    tab.close()


def test_without_javascript_errors_and_confirmation_take_the_focus(
    chromium: Any, served: Served
) -> None:
    tab = Tab(chromium, viewport=WIDTHS["320"], javascript=False)
    page = tab.page
    _sign_up(tab, served.url, "nojsdiary")
    page.goto(f"{served.url}/diary/")
    page.locator("#in-date").fill((dt.date.today() + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save").first.click()
    page.locator("#error-summary").wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_text("Select how much your back hurt on waking").first.is_visible()
    assert page.get_by_text("The date must be today or in the past").first.is_visible()
    tab.shot("diary-320px-09-no-javascript-errors")
    tab.fits()
    page.locator("#in-date").fill(dt.date.today().isoformat())
    page.locator(".scale label", has_text="1").first.click()
    page.get_by_role("button", name="Save").first.click()
    page.locator("#saved").wait_for()
    assert page.evaluate("document.activeElement.id") == "saved"
    tab.errors = [e for e in tab.errors if "status of 422" not in e]
    tab.close()
