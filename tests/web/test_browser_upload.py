"""Real Chromium at 390 px against `nightspine serve` (web server plus its task worker): a person
uploads a short chest recording and sees the night beside their diary entry. JavaScript is off:
the person follows the background work with the page's "Check again" link. Screenshots go to
test-artifacts/web/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from tests.web.axe import assert_no_violations
from tests.web.recordings import Truth, write_night_cwa
from tests.web.test_browser import PHONE, Tab, _sign_in, _sign_up

# isort: split
from tests.web.test_browser import chromium, mailbox, server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["chromium", "server"]  # the browser and `nightspine serve` fixtures, shared


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    path = tmp_path_factory.mktemp("browser-upload") / "chest-night.cwa"
    return path, write_night_cwa(path)


def _check_until_done(page: Any, timeout_s: float = 180) -> None:
    """Follow "Check again" as a person without JavaScript would, until the work is over."""
    deadline = time.monotonic() + timeout_s
    while page.get_by_role("link", name="Check again").count():
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        if time.monotonic() > deadline:
            raise AssertionError(f"still processing after {timeout_s} s")
        time.sleep(1)
        page.get_by_role("link", name="Check again").click()
        page.wait_for_load_state()


def test_upload_a_recording_and_see_the_night(
    chromium: Any, server: str, night: tuple[Path, Truth]
) -> None:
    path, truth = night
    morning = truth.nights[0][0]
    tab = Tab(chromium, viewport=PHONE, javascript=False)
    page = tab.page
    _sign_up(tab, server, "sleeper")

    # The morning's own entry first: the pain on waking, which no sensor measures.
    page.goto(f"{server}/diary/")
    page.locator("#in-date").fill(morning.isoformat())
    page.locator(".scale label", has_text="5").first.click()
    page.locator("input[name=sleep_position][value=side]").check()
    page.get_by_role("button", name="Save").first.click()
    page.get_by_text("Saved your entry").wait_for()

    # From the dashboard to the upload page.
    page.goto(f"{server}/me")
    page.get_by_role("link", name="Nights from a sensor or your phone").click()
    page.wait_for_url(re.compile(r"/me/recordings$"))
    tab.fits()
    tab.shot("upload-390-01-form")
    page.locator("#in-recording").set_input_files(str(path))
    page.get_by_role("button", name="Upload and find my nights").click()
    page.wait_for_url(re.compile(r"/me/recordings/\d+$"))
    # The worker beside the server processes it; without JavaScript, "Check again" shows it.
    _check_until_done(page)
    tab.fits()
    tab.shot("upload-390-02-nights")
    body = page.locator("main").inner_text()
    assert "Done: 1 night found" in body
    assert "Most of the night:" in body and "of position" in body
    assert "Pain on waking: 5/10" in body and "How you slept: side" in body
    assert re.search(r"In bed \d\d:\d\d to \d\d:\d\d", body)
    assert "measured" in page.locator("section.card").inner_text()  # hours filled from it
    page.set_viewport_size({"width": 1280, "height": 900})
    tab.fits()
    tab.shot("upload-1280-02-nights")
    page.set_viewport_size(PHONE)

    # A file it cannot read: the reader's own words, and the diary untouched.
    broken = path.with_name("broken.cwa")
    broken.write_bytes(b"not a recording " * 64)
    page.goto(f"{server}/me/recordings")
    page.locator("#in-recording").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and find my nights").click()
    page.wait_for_url(re.compile(r"/me/recordings/\d+$"))
    _check_until_done(page)
    assert page.get_by_text("This file could not be read").is_visible()
    assert "broken.cwa" in page.locator("#upload-error").inner_text()
    assert "Nothing was written to your diary." in page.locator("#upload-error").inner_text()
    tab.fits()
    tab.shot("upload-390-03-unreadable")
    failed_url = page.url
    page.goto(f"{server}/me/recordings")
    nights_url = server + str(page.locator(".rows a").last.get_attribute("href"))
    tab.close()

    # axe-core (it needs JavaScript) on the form, the nights and the unreadable file.
    tab = Tab(chromium, viewport=PHONE)
    page = tab.page
    _sign_in(tab, server, "sleeper")
    page.wait_for_url(re.compile(r"/me$"))
    for url in (f"{server}/me/recordings", nights_url, failed_url):
        page.goto(url)
        assert_no_violations(page, url)
    tab.close()
