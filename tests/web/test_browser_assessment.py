"""The questionnaire and its result as a person on a phone meets them (Debian's Chromium):
a full assessment, the result's first screen at 390 x 844, and the emergency stop on a later
screen with and without JavaScript. Screenshots go to test-artifacts/web/ to be looked at."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.web import test_browser as browser
from tests.web.test_browser import Tab, _answer_no_to_warning_signs, _assess, _through_warning_signs

server = browser.server  # the fixtures: a served app and Debian's Chromium
chromium = browser.chromium
mailbox = browser.mailbox  # the server fixture sends its e-mail there

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def _inside(page: Any, selector: str, height: int) -> int:
    """How many elements match ``selector``; each must lie wholly within the first screen."""
    boxes = [e.bounding_box() for e in page.locator(selector).all()]
    assert boxes, f"nothing matches {selector}"
    for box in boxes:
        assert box is not None and box["y"] >= 0, selector
        assert box["y"] + box["height"] <= height, f"{selector} ends at {box['y'] + box['height']}"
    return len(boxes)


def test_full_assessment_and_the_result_first_screen(chromium: Any, server: str) -> None:
    tab = Tab(chromium, viewport=PHONE)
    _assess(tab, server, prefix="q-")
    page = tab.page
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(_shots() / "q-04-result-first-screen-390.png"))
    height = PHONE["height"]
    assert _inside(page, ".first-screen h2", height) == 1  # the level
    assert _inside(page, ".first-screen .why", height) == 1
    assert _inside(page, "#top-causes li", height) == 3
    assert _inside(page, "#try-tonight li", height) == 3
    assert _inside(page, "#save .button", height) == 1
    assert "/100" not in page.content()
    # everything else is collapsed and opens without JavaScript
    details = page.locator("details.more")
    assert details.count() >= 3
    assert all(d.get_attribute("open") is None for d in details.all())
    first_thing = page.locator("#try-tonight a").first
    target = first_thing.get_attribute("href")
    first_thing.click()  # the browser opens the collapsed plan at that item
    assert page.locator(str(target)).is_visible()
    cookies = page.context.cookies()
    tab.close()

    wide = Tab(chromium, viewport=DESKTOP)
    wide.page.context.add_cookies(cookies)
    wide.page.goto(f"{server}/assess/result")
    wide.shot("q-05-result-1280")
    wide.fits()
    wide.page.goto(f"{server}/")
    wide.shot("q-06-home-1280")
    wide.close()


def _shots() -> Any:
    from tests.web.test_browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def _to_the_pain_screen(page: Any, server: str) -> None:
    """Warning signs answered no except tingling hands (urgent, not an emergency alone)."""
    page.goto(f"{server}/assess/")
    _through_warning_signs(page)
    page.goto(f"{server}/assess/warning_nerves/")
    _answer_no_to_warning_signs(page)
    page.locator("input[name=numbness_or_tingling][value=__none__]").uncheck()
    page.locator("input[name=numbness_or_tingling][value=hands]").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_text("opened a few more questions").wait_for()
    page.locator("input[name=numbness_both_hands][value=no]").check()
    page.get_by_label("How many days ago did the newest").fill("1")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/assess/warning_general/"))
    page.goto(f"{server}/assess/about_you/")
    page.get_by_label("How old are you?").fill("40")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/assess/the_pain/"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_emergency_on_a_later_screen_stops_at_once(
    chromium: Any, server: str, javascript: bool
) -> None:
    tab = Tab(chromium, viewport=PHONE, javascript=javascript)
    page = tab.page
    _to_the_pain_screen(page, server)
    page.locator("input[name=onset_event][value=fall_from_height]").click()
    if not javascript:
        page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/assess/result\?stopped=1"))
    call = page.locator(".stop a.call")
    assert call.get_attribute("href") == "tel:112"
    assert _inside(page, ".stop a.call", PHONE["height"]) == 1
    assert page.locator("#top-causes").count() == 0  # no likely causes under an emergency
    tab.shot(f"q-07-stop-screen-{'js' if javascript else 'nojs'}")
    tab.close()


def test_narrow_phone_stop_screen_and_checklists_fit(chromium: Any, server: str) -> None:
    tab = Tab(chromium, viewport=NARROW)
    page = tab.page
    page.goto(f"{server}/assess/")
    tab.fits()
    tab.shot("q-08-first-screen-320")
    page.locator("input[name=group-now][value=chest_pain_or_pressure]").click()
    page.wait_for_url(re.compile(r"/assess/result\?stopped=1"))
    tab.fits()
    assert _inside(page, ".stop a.call", NARROW["height"]) == 1
    tab.shot("q-09-stop-320")
    tab.close()


def test_full_assessment_at_320px(chromium: Any, server: str) -> None:
    tab = Tab(chromium, viewport=NARROW)
    _assess(tab, server, prefix="q320-")  # every screen on the way fits; so does the result
    tab.close()
