"""Real Chromium (Debian's, through Playwright) against `nightspine serve` on a free loopback
port: a full assessment on a phone, a diary entry, sharing with a clinician and the clinician's
view. Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pyotp
import pytest
from tests.web.served import ROOT, free_port, serving

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "test-artifacts" / "web"
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _need_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests are required in CI: {reason}", pytrace=False)
        pytest.skip(reason)


class Mailbox:
    """A local SMTP server (aiosmtpd) that keeps every message the app sends."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))  # type: ignore[arg-type]
        return "250 OK"

    def wait_for(self, count: int, timeout_s: float = 20) -> EmailMessage:
        deadline = time.monotonic() + timeout_s
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} e-mails, got {len(self.messages)}")
            time.sleep(0.1)
        return self.messages[count - 1]

    @staticmethod
    def link(message: EmailMessage, pattern: str) -> str:
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        found = re.search(pattern, text)
        if found is None:
            raise AssertionError(f"no link matching {pattern} in:\n{text}")
        return found[0]


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, mailbox: tuple[Mailbox, int]) -> Iterator[str]:
    _need_chromium()
    email = {
        "NIGHTSPINE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "NIGHTSPINE_EMAIL_HOST": "127.0.0.1",
        "NIGHTSPINE_EMAIL_PORT": str(mailbox[1]),
    }
    with serving(tmp_path_factory.mktemp("serve"), env=email) as served:
        yield served.url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Tab:
    """A page plus a record of console errors (CSP violations show up there)."""

    def __init__(
        self, browser: Any, viewport: dict[str, int] = PHONE, javascript: bool = True
    ) -> None:
        self.context = browser.new_context(
            viewport=viewport, device_scale_factor=1, java_script_enabled=javascript
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def fits(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        view = self.page.evaluate("window.innerWidth")
        assert width <= view, f"page is {width}px wide in a {view}px viewport"

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


def _post(url: str, body: Any, token: str | None = None) -> Any:
    """POST JSON to the API (with a bearer token when given); the answer's JSON."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _clinician(api: str, username: str, display_name: str) -> tuple[str, str, list[str]]:
    """A clinician signed up through the API with two-step sign-in on (clinicians turn it on
    before they see anyone's data): (API token, app secret, unused recovery codes). The app's
    current code was just spent, so browser sign-ins use the one-use recovery codes."""
    body = {"username": username, "password": PASSWORD, "role": "clinician"}
    token: str = _post(f"{api}/auth/signup", {**body, "display_name": display_name})["token"]
    secret: str = _post(f"{api}/auth/two-factor", {}, token)["secret"]
    confirmed = _post(f"{api}/auth/two-factor/confirm", {"code": pyotp.TOTP(secret).now()}, token)
    return token, secret, list(confirmed["recovery_codes"])


def _sign_in(tab: Tab, server: str, username: str, second_step: str | None = None) -> None:
    """Sign in on the web page; ``second_step``: the code for a clinician's second step."""
    page = tab.page
    page.goto(f"{server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if second_step is not None:
        page.wait_for_url(re.compile(r"/login/code$"))
        page.get_by_label("Code").fill(second_step)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()


def _sign_out(page: Any) -> None:
    """Press Sign out in the header; on phones it is in the "Menu" disclosure, opened first."""
    menu = page.locator("header.top summary", has_text="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _sign_up(tab: Tab, server: str, username: str) -> None:
    """Create a person's account on the sign-up page; ends on their dashboard."""
    page = tab.page
    page.goto(f"{server}/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/me$"))


def _answer_no_to_warning_signs(page: Any) -> None:
    for radio in page.locator("fieldset input[type=radio][value=no]").all():
        radio.check()
    for none in page.locator("input[type=checkbox][value=__none__]").all():
        none.check()


def _through_warning_signs(page: Any) -> None:
    """Answer every warning-sign screen "none of these" / "no" until "About you"."""
    page.wait_for_url(re.compile(r"/assess/warning_signs/"))
    while "/assess/warning" in page.url:
        _answer_no_to_warning_signs(page)
        before = page.url
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(lambda url, before=before: url != before)


def _assess(tab: Tab, server: str, prefix: str = "") -> None:
    page = tab.page
    page.goto(server)
    tab.shot(f"{prefix}01-home")
    tab.fits()
    page.get_by_role("link", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/assess/warning_signs/"))
    assert page.locator("progress").is_visible()
    _answer_no_to_warning_signs(page)
    tab.shot(f"{prefix}02-warning-signs")
    _through_warning_signs(page)
    page.wait_for_url(re.compile(r"/assess/about_you/"))
    page.get_by_label("How old are you?").fill("47")
    page.get_by_role("button", name="Back").click()  # back and forward keep the answers
    page.wait_for_url(re.compile(r"/assess/warning_general/"))
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/assess/about_you/"))
    assert page.get_by_label("How old are you?").input_value() == "47"
    while "/assess/result" not in page.url:
        for name, value in (
            ("sex", "male"),
            ("pain_locations", "lower_back"),
            ("sleep_position", "stomach"),
            ("pillow", "too_high"),
        ):
            box = page.locator(f"input[name={name}][value={value}]")
            if box.count():
                box.check()
        if page.locator("input[name=stress]").count():
            page.locator("input[name=stress][value='7']").check()
            page.locator("input[name=sitting_hours]").fill("9")
        tab.fits()
        button = page.get_by_role("button", name=re.compile("^(Next|See my result)$"))
        before = page.url
        button.click()
        page.wait_for_load_state()
        if page.url == before and "opened a few more questions" not in page.content():
            raise AssertionError(
                f"stuck on {before}: {page.locator('.error-summary').all_inner_texts()}"
            )
    assert page.get_by_text("How urgently").is_visible()
    assert page.locator("summary", has_text="For your doctor").is_visible()
    tab.shot(f"{prefix}03-result-phone")
    tab.fits()


def test_emergency_answer_shows_advice_at_once(chromium: Any, server: str) -> None:
    tab = Tab(chromium)
    page = tab.page
    page.goto(f"{server}/assess/warning_nerves/")
    page.locator("input[name=bladder_bowel][value=retention]").click()
    # htmx: the stop screen comes on the change itself, before the form is sent
    page.wait_for_url(re.compile(r"/assess/result\?stopped=1"))
    assert page.locator(".stop a[href^='tel:']").first.is_visible()
    tab.shot("05-emergency-result")
    tab.close()


def test_assessment_account_diary_sharing_and_clinician(chromium: Any, server: str) -> None:
    person = Tab(chromium)
    _assess(person, server)
    page = person.page
    page.get_by_role("link", name="Create an account and save").click()
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/me$"))
    assert page.get_by_text("Open it").is_visible()

    # This morning's entry: a few taps; the confirmation comes first, with focus on it.
    page.get_by_role("link", name="Add this morning's entry").click()
    start = time.monotonic()
    page.locator(".scale label", has_text="4").first.click()
    page.locator("input[name=sleep_position][value=side]").check()
    page.get_by_role("button", name="Save").first.click()
    page.get_by_text("Saved your entry").wait_for()
    assert page.evaluate("document.activeElement.id") == "saved"
    assert time.monotonic() - start < 30
    person.shot("06-diary-saved")
    person.fits()
    page.goto(f"{server}/diary/history")
    assert page.locator("svg.chart").is_visible()
    person.shot("07-diary-history")
    page.goto(f"{server}/diary/insights")
    assert page.get_by_role("heading", name="What your nights say").is_visible()
    person.shot("07b-insights")
    page.goto(f"{server}/diary/experiments")
    page.get_by_role("button", name="Plan the experiment").click()
    page.get_by_role("heading", name="This evening").wait_for()
    person.shot("07c-experiment")
    person.fits()

    # Share with a clinician.
    page.goto(f"{server}/me/sharing")
    page.get_by_label("Who is it for?").fill("Dr C")
    page.get_by_role("button", name="Create a sharing code").click()
    code = page.locator("#share-code").inner_text()
    person.shot("08-sharing-code")

    clinician = Tab(chromium, viewport={"width": 1280, "height": 900})
    cpage = clinician.page
    cpage.goto(f"{server}/signup")
    cpage.get_by_label("a clinician").check()
    cpage.get_by_label("Username").fill("drc")
    cpage.get_by_label("Name shown").fill("Dr Carter")
    cpage.get_by_label("Password", exact=False).first.fill(PASSWORD)
    cpage.get_by_role("button", name="Create account").click()
    # Clinicians turn on two-step sign-in before they see anyone's data.
    cpage.wait_for_url(re.compile(r"/account/two-factor\?required=1$"))
    secret = cpage.locator("#totp-secret").inner_text()
    assert cpage.locator(".qr svg").is_visible()
    clinician.shot("08a-clinician-two-step-setup")
    cpage.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    cpage.get_by_role("button", name="Turn two-step sign-in on").click()
    assert cpage.locator(".recovery-codes li").count() == 10
    clinician.shot("08b-clinician-two-step-on")
    cpage.get_by_role("link", name="go to your people").click()
    cpage.wait_for_url(re.compile(r"/clinician/$"))
    assert cpage.get_by_text("not verified yet").is_visible()
    cpage.get_by_label("Enter a sharing code").fill(code)
    cpage.get_by_role("button", name="Add").click()
    cpage.wait_for_url(re.compile(r"/clinician/\d+/$"))
    assert cpage.locator("svg.chart").is_visible()
    assert cpage.get_by_role("table", name="Triage history").is_visible()
    clinician.shot("09-clinician-person")
    cpage.goto(f"{server}/clinician/")
    clinician.shot("10-clinician-people")
    clinician.close()

    page.goto(f"{server}/me/audit")
    assert page.get_by_text("Dr Carter").first.is_visible()
    assert page.get_by_text("viewed your summary").first.is_visible()
    person.shot("11-audit-log")
    person.close()


def test_readable_at_320px(chromium: Any, server: str) -> None:
    tab = Tab(chromium, viewport={"width": 320, "height": 640})
    for path in ["/", "/assess/warning_signs/", "/login", "/signup"]:
        tab.page.goto(server + path)
        tab.fits()
    tab.shot("12-signup-320px")
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused  # the first stop on the keyboard
    tab.close()


SMALL_TARGETS = """() => [...document.querySelectorAll(
    "a, button, summary, select, textarea, input:not([type=hidden]), .scale label")]
  .filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const style = getComputedStyle(e);
    if (e.tagName === "A" && style.display === "inline" && e.closest("p, li")) return false;
    if (e.tagName === "INPUT" && e.closest("label")) return false;  // the label is the target
    return r.height < 44 || r.width < 44;
  })
  .map(e => `${e.tagName} "${(e.innerText || e.name || "").trim().slice(0, 30)}" `
            + `${Math.round(e.getBoundingClientRect().width)}x`
            + `${Math.round(e.getBoundingClientRect().height)}`)"""
"""Links and controls a finger may miss: smaller than 44 x 44 px (links inside running text
excepted: they are words in a sentence)."""


def test_tap_targets_are_44px_on_phones(chromium: Any, server: str) -> None:
    for width, height in ((320, 640), (390, 844)):
        tab = Tab(chromium, viewport={"width": width, "height": height})
        page = tab.page
        _sign_up(tab, server, f"fingers{width}")
        page.goto(f"{server}/diary/")
        page.locator(".scale label", has_text="3").first.click()
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Saved your entry").wait_for()
        for path in ("/me", "/diary/", "/diary/history", "/me/recordings", "/assess/about_you/"):
            page.goto(server + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            small = page.evaluate(SMALL_TARGETS)
            assert not small, f"{path} at {width} px: {small}"
        page.goto(f"{server}/diary/history")  # the Edit column in view, not scrolled away
        wrap = page.locator(".table-wrap")
        sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
        assert sizes[0] <= sizes[1], f"history at {width} px: {sizes}"
        tab.close()


def test_assessment_and_diary_work_without_javascript(chromium: Any, server: str) -> None:
    tab = Tab(chromium, javascript=False)
    _assess(tab, server, prefix="nojs-")
    page = tab.page
    page.get_by_role("link", name="Create an account and save").click()
    page.get_by_label("Username").fill("nojs")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/me$"))
    page.goto(f"{server}/diary/")
    page.locator(".scale label", has_text="2").first.click()
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(re.compile(r"/diary/history\?saved="))  # a plain form post, then the history
    assert page.evaluate("document.activeElement.id") == "saved"  # focus without JavaScript
    assert page.locator("table").get_by_text("2", exact=True).first.is_visible()
    tab.close()


def test_password_reset_by_email_on_a_phone(
    chromium: Any, server: str, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    already = len(box.messages)
    tab = Tab(chromium)
    page = tab.page
    page.goto(f"{server}/signup")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("E-mail address").fill("rosa@example.org")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    assert page.get_by_role("heading", name="Your data, plainly").is_visible()
    tab.shot("20-signup-privacy-notice")
    tab.fits()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/me$"))

    # Confirm the address with the link from the mail the app sent.
    verify = box.wait_for(already + 1)
    assert verify["To"] == "rosa@example.org"
    page.goto(box.link(verify, r"http://\S+/account/email/confirm/\S+"))
    page.get_by_role("button", name="Confirm this address").click()  # opening it changes nothing
    assert page.get_by_role("heading", name="E-mail confirmed").is_visible()
    _sign_out(page)

    # Forgot the password: ask for a link, open it, choose a new password.
    page.goto(f"{server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill("rosa@example.org")
    tab.shot("21-reset-request")
    tab.fits()
    page.get_by_role("button", name="Send me a link").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    tab.shot("22-reset-sent")
    reset = box.wait_for(already + 2)
    assert str(reset["Subject"]) == "Set a new nightspine password"
    page.goto(box.link(reset, r"http://\S+/password-reset/key/\S+"))
    page.get_by_label("New password").fill("a brand new long passphrase")
    page.get_by_label("The same password again").fill("a brand new long passphrase")
    tab.shot("23-reset-choose")
    tab.fits()
    page.get_by_role("button", name="Set the new password").click()
    assert page.get_by_role("heading", name="Your new password is set").is_visible()
    tab.shot("24-reset-done")

    # The old password no longer works; the new one does. The link works only once.
    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("do not match an account").is_visible()
    assert tab.errors == [
        "Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    ]
    tab.errors.clear()  # that 401 was the point
    page.get_by_label("Password").fill("a brand new long passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/me$"))
    tab.shot("25-signed-in-with-new-password")
    page.goto(box.link(reset, r"http://\S+/password-reset/key/\S+"))
    assert page.get_by_text("expired or was already used").is_visible()
    tab.close()
