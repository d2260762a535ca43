"""axe-core on every page of the web app that test_browser_pictures.py does not already check:
the account pages, the password-reset pages, the second sign-in step, reminders, recordings,
every questionnaire screen, the emergency stop screen, the result page and the error states of
the forms, at 390 px (the clinician's pages at 1280 px). Issue 11: zero violations everywhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyotp
import pytest
from tests.web.axe import assert_no_violations, need_axe
from tests.web.recordings import write_night_cwa
from tests.web.test_browser import (
    PASSWORD,
    PHONE,
    Mailbox,
    Tab,
    _clinician,
    _post,
    _sign_in,
    _sign_out,
)

# isort: split
from tests.web.test_browser import chromium, mailbox, server  # the fixtures

__all__ = ["chromium", "mailbox", "server"]  # the fixtures, shared with test_browser.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESK = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def people(server: str) -> dict[str, str]:
    """A person with an e-mail address and a clinician with two-step sign-in on."""
    need_axe()
    api = f"{server}/api/v1"
    token = _post(f"{api}/auth/signup", {"username": "axel", "password": PASSWORD})["token"]
    _post(f"{api}/diary", {"date": "2026-03-02", "pain_on_waking": 4}, token)
    _, secret, _ = _clinician(api, "draxe", "Dr Axe")
    return {"person": "axel", "clinician": "draxe", "secret": secret}


class Checker:
    """Runs axe-core on each page and keeps every finding, so one run lists them all."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}
        self.labels: list[str] = []

    def __call__(self, tab: Tab, where: str) -> None:
        self.labels.append(where)
        try:
            assert_no_violations(tab.page, where)
        except AssertionError as exc:
            self.found[where] = str(exc)

    def done(self) -> None:
        assert not self.found, "\n".join(self.found.values())


def _summary_has_the_focus(page: Any) -> None:
    """The error summary took the focus on load, so a screen reader reads it first."""
    assert page.evaluate("document.activeElement.id") == "error-summary", page.url


def _no_browser_checks(page: Any) -> None:
    """Let the server's own error messages show (the browser's checks would stop the form)."""
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")


def _submit(page: Any, button: str) -> None:
    _no_browser_checks(page)
    page.get_by_role("button", name=button).first.click()
    page.wait_for_load_state()


def test_axe_on_the_signed_out_pages_and_their_errors(
    chromium: Any, server: str, people: dict[str, str]
) -> None:
    check = Checker()
    tab = Tab(chromium, viewport=PHONE)
    page = tab.page
    page.goto(f"{server}/signup")
    assert page.get_by_role("heading", name="Your data, plainly").is_visible()  # privacy notice
    page.get_by_label("Username").fill("shorty")
    page.get_by_label("Password", exact=False).first.fill("short")
    _submit(page, "Create account")
    assert page.locator(".error-summary").is_visible()
    check(tab, "/signup with a too-short password")
    for path in (
        "/password-reset",
        "/password-reset/sent",
        "/password-reset/done",
        "/password-reset/key/1-not-a-token",  # an expired or used link
        "/login/recover",
    ):
        page.goto(server + path)
        check(tab, path)
    page.goto(f"{server}/password-reset")
    page.get_by_label("E-mail address").fill("not an address")
    _submit(page, "Send me a link")
    _summary_has_the_focus(page)
    check(tab, "/password-reset with a bad address")
    page.goto(f"{server}/login/recover")
    page.get_by_label("Username").fill(people["person"])
    page.get_by_label("Recovery code").fill("wrong")
    page.get_by_label("New password", exact=False).fill("a brand new long passphrase")
    _submit(page, "Set the new password")
    _summary_has_the_focus(page)
    check(tab, "/login/recover with a wrong code")
    page.goto(f"{server}/login")
    page.get_by_label("Username").fill(people["person"])
    page.get_by_label("Password").fill("not the password")
    _submit(page, "Sign in")
    _summary_has_the_focus(page)
    assert page.get_by_label("Username").input_value() == people["person"]  # kept as typed
    check(tab, "/login with a wrong password")
    page.goto(f"{server}/reminders/unsubscribe/not-a-token")  # the page for a bad link (404)
    check(tab, "/reminders/unsubscribe with a bad link")
    tab.errors.clear()  # the browser logs the 4xx statuses themselves
    tab.close()
    check.done()
    assert len(check.labels) >= 9


def test_axe_on_the_pages_reached_from_the_e_mails(
    chromium: Any, server: str, mailbox: tuple[Mailbox, int], people: dict[str, str]
) -> None:
    """The e-mail confirmation page with its Confirm button and the valid password-reset form
    (with and without its error state): the pages a person reaches from the links we send."""
    box, _ = mailbox
    already = len(box.messages)
    check = Checker()
    tab = Tab(chromium, viewport=PHONE)
    page = tab.page
    page.goto(f"{server}/signup")
    page.get_by_label("Username").fill("axmail")
    page.get_by_label("E-mail address").fill("axmail@example.org")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/me$"))
    page.goto(box.link(box.wait_for(already + 1), r"http://\S+/account/email/confirm/\S+"))
    assert page.get_by_role("button", name="Confirm this address").is_visible()
    check(tab, "/account/email/confirm with a valid link")
    page.get_by_role("button", name="Confirm this address").click()
    page.wait_for_load_state()
    _sign_out(page)
    page.goto(f"{server}/password-reset")
    page.get_by_label("E-mail address").fill("axmail@example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_load_state()
    page.goto(box.link(box.wait_for(already + 2), r"http://\S+/password-reset/key/\S+"))
    assert page.get_by_label("New password").is_visible()
    check(tab, "/password-reset/key with a valid link")
    page.get_by_label("New password").fill("a brand new long passphrase")
    page.get_by_label("The same password again").fill("not the same passphrase")
    _submit(page, "Set the new password")
    _summary_has_the_focus(page)
    check(tab, "/password-reset/key with passwords that differ")
    tab.errors.clear()  # the browser logs the 4xx status of the error state itself
    tab.close()
    check.done()


def _walk_the_questions(tab: Tab, server: str, check: Checker) -> None:
    """Every questionnaire screen, one error state on "About you", then the result page."""
    page = tab.page
    page.goto(f"{server}/assess/")
    page.wait_for_url(re.compile(r"/assess/warning_signs/"))
    seen: set[str] = set()
    while "/assess/result" not in page.url:
        here = page.url
        if here not in seen:
            check(tab, here.removeprefix(server))
            seen.add(here)
        if "/assess/about_you/" in here and "about_you error" not in check.labels:
            page.get_by_label("How old are you?").fill("two hundred")
            _submit(page, "Next")
            assert page.locator(".error-summary").is_visible()
            check(tab, "about_you error")
            continue
        for radio in page.locator("fieldset input[type=radio][value=no]").all():
            radio.check()
        for none in page.locator("input[type=checkbox][value=__none__]").all():
            none.check()
        if page.get_by_label("How old are you?").count():
            page.get_by_label("How old are you?").fill("47")
        for name, value in (
            ("sex", "male"),
            ("pain_locations", "lower_back"),
            ("sleep_position", "stomach"),
            ("pillow", "too_high"),
        ):
            box = page.locator(f"input[name={name}][value={value}]")
            if box.count():
                box.first.check()
        if page.locator("input[name=stress]").count():
            page.locator("input[name=stress][value='7']").check()
            page.locator("input[name=sitting_hours]").fill("9")
        page.get_by_role("button", name=re.compile("^(Next|See my result)$")).click()
        page.wait_for_load_state()
        if page.url == here and "opened a few more questions" not in page.content():
            shown = page.locator(".error-summary").all_inner_texts()
            raise AssertionError(f"stuck on {here}: {shown}")
    check(tab, "/assess/result")
    assert len(seen) >= 5
    tab.errors.clear()  # the browser logs the 422 of the error state itself


def test_axe_on_every_questionnaire_screen_the_stop_screen_and_the_result(
    chromium: Any, server: str, people: dict[str, str]
) -> None:
    check = Checker()
    tab = Tab(chromium, viewport=PHONE)
    _walk_the_questions(tab, server, check)
    tab.close()
    tab = Tab(chromium, viewport=PHONE)  # a fresh start: no answers yet
    page = tab.page
    page.goto(f"{server}/assess/warning_nerves/")
    page.locator("input[name=bladder_bowel][value=retention]").click()
    page.wait_for_url(re.compile(r"/assess/result\?stopped=1"))
    check(tab, "the emergency stop screen")
    tab.close()
    check.done()


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A day-long chest recording with one night in it (some seconds of work for the worker)."""
    path = tmp_path_factory.mktemp("axe-upload") / "chest-night.cwa"
    write_night_cwa(path)
    return path


def _check_a_recording_while_it_is_processed(
    tab: Tab, server: str, night: Path, check: Checker
) -> None:
    """The page of a recording being processed: a status region that htmx keeps up to date
    (no meta refresh), checked with its polling held, then reloaded by htmx once done."""
    page = tab.page
    page.goto(f"{server}/me/recordings")
    page.get_by_label("Recording file").set_input_files(str(night))
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route("**/status", hold)  # the page stays in its processing state meanwhile
    page.get_by_role("button", name="Upload and find my nights").click()
    page.wait_for_url(re.compile(r"/me/recordings/\d+$"))
    region = page.get_by_role("status")
    assert region.locator("progress").is_visible()
    assert page.get_by_role("link", name="Check again").is_visible()
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    tab.fits()
    tab.shot("upload-390-processing")
    check(tab, "a recording being processed")
    page.unroute("**/status")
    for route in held:
        route.continue_()
    page.get_by_text("Night before").wait_for(timeout=180_000)  # htmx reloaded the page


def test_axe_on_a_persons_account_reminders_and_recordings_pages(
    chromium: Any, server: str, people: dict[str, str], night: Path
) -> None:
    check = Checker()
    tab = Tab(chromium, viewport=PHONE)
    page = tab.page
    _sign_in(tab, server, people["person"])
    page.wait_for_url(re.compile(r"/me$"))
    for path in (
        "/account/email",
        "/account/password",
        "/account/password/done",
        "/account/recovery-codes",
        "/account/two-factor",
        "/account/confirm-password?next=/account/two-factor",  # django-allauth's, our template
        "/account/sessions",
        "/me/reminders",
        "/me/recordings",
    ):
        page.goto(server + path)
        check(tab, path)
    # the result of a saved assessment
    _walk_the_questions(tab, server, Checker())
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{server}/me/assessments")
    page.locator("a[href^='/me/assessments/']").first.click()
    page.wait_for_load_state()
    check(tab, "a saved result")
    # error states
    page.goto(f"{server}/account/email")
    page.get_by_label("E-mail address").fill("not an address")
    _submit(page, "Send a confirmation link")
    check(tab, "/account/email with a bad address")
    page.goto(f"{server}/account/password")
    page.locator("input[type=password]").first.fill("not the password")
    _submit(page, "Change the password")
    check(tab, "/account/password with a wrong password")
    page.goto(f"{server}/account/two-factor")
    if page.get_by_label("Code from the app").count():
        page.get_by_label("Code from the app").fill("000000")
        _submit(page, "Turn two-step sign-in on")
        check(tab, "/account/two-factor with a wrong code")
    page.goto(f"{server}/me/reminders")
    page.get_by_label("E-mail address for reminders").fill("not an address")
    page.get_by_label("Morning reminder time").fill("25:99")
    _submit(page, "Save reminder settings")
    check(tab, "/me/reminders with errors")
    page.goto(f"{server}/me/reminders")
    page.get_by_role("button", name="Make a calendar address").click()
    page.wait_for_load_state()
    check(tab, "/me/reminders with a calendar address")
    page.goto(f"{server}/me/recordings")
    _submit(page, "Upload and find my nights")  # no file chosen
    check(tab, "/me/recordings without a file")
    _check_a_recording_while_it_is_processed(tab, server, night, check)
    page.goto(f"{server}/me/recordings")
    page.get_by_label("Recording file").set_input_files(
        files=[{"name": "night.csv", "mimeType": "text/csv", "buffer": b"not,a,recording\n1,2,3\n"}]
    )
    page.get_by_role("button", name="Upload and find my nights").click()
    page.wait_for_url(re.compile(r"/me/recordings/\d+$"))
    page.get_by_text("This file could not be read").wait_for(timeout=60_000)
    check(tab, "a recording that could not be read")
    page.goto(f"{server}/me/recordings")
    check(tab, "/me/recordings with a recording")
    page.goto(f"{server}/diary/2026-03-02/edit")
    check(tab, "/diary/<date>/edit")
    page.goto(f"{server}/account/email/confirm/not-a-token")
    check(tab, "/account/email/confirm with a bad link")
    tab.errors.clear()  # the browser logs the 4xx statuses of the error states themselves
    tab.close()
    check.done()


def test_axe_on_the_clinicians_sign_in_and_account_pages_at_a_desk(
    chromium: Any, server: str, people: dict[str, str]
) -> None:
    check = Checker()
    tab = Tab(chromium, viewport=DESK)
    page = tab.page
    _sign_in(tab, server, people["clinician"])
    page.wait_for_url(re.compile(r"/login/code$"))
    check(tab, "/login/code")
    page.get_by_label("Code").fill("000000")
    _submit(page, "Sign in")
    _summary_has_the_focus(page)
    check(tab, "/login/code with a wrong code")
    page.get_by_label("Code").fill(pyotp.TOTP(people["secret"]).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/clinician/$"))
    for path in (
        "/account",
        "/account/two-factor",  # on: the page that turns it off (django-allauth's)
        "/account/two-factor/codes",
        "/account/two-factor/codes/new",
        "/account/recovery-codes",
        "/account/sessions",
    ):
        page.goto(server + path)
        tab.fits()
        check(tab, f"{path} at 1280 px")
    page.goto(f"{server}/clinician/")
    page.get_by_label("Enter a sharing code").fill("NOPE-NOPE")
    _submit(page, "Add")
    check(tab, "/clinician/ with a wrong sharing code")
    tab.errors.clear()
    tab.close()
    check.done()
