"""The clinician's list and page at a desk (1280 px) and on a phone (390 px, no overflow), in
real Chromium, each checked with axe-core. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from tests.web.axe import assert_no_violations, need_axe
from tests.web.test_browser import PASSWORD, PHONE, Tab, _clinician, _post, _sign_in

# isort: split
from tests.web.test_browser import chromium, mailbox, server  # noqa: F401 (fixtures)

__all__ = ["chromium", "server"]  # the fixtures, shared with test_browser.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESK = {"width": 1280, "height": 900}
START = dt.date(2026, 3, 2)
RECOVERY_CODES: dict[str, list[str]] = {}
"""The unused recovery codes of each clinician the fixture made (their second step)."""
TOKENS: dict[str, str] = {}
"""Each clinician's API token, from the fixture."""
WARNING = {"age": 58, "pain_now": 6, "sleep_position": "stomach", "numbness_or_tingling": ["arms"]}


@pytest.fixture(scope="module")
def shared(server: str) -> int:
    """A person with an assessment reporting a warning sign and 45 nights of diary, shared with
    the clinician "drlee"; returns the profile id."""
    need_axe()
    api = f"{server}/api/v1"
    token = _post(f"{api}/auth/signup", {"username": "ruth", "password": PASSWORD})["token"]
    _post(f"{api}/assessments", {"answers": WARNING, "save": True}, token)
    rng = random.Random(7)
    for day in range(45):
        stomach = rng.random() < 0.35
        _post(
            f"{api}/diary",
            {
                "date": (START + dt.timedelta(days=day)).isoformat(),
                "pain_on_waking": max(0, min(10, round(3 + 3 * stomach + rng.gauss(0, 0.8)))),
                "sleep_position": "stomach" if stomach else "side",
                "caffeine_evening": rng.random() < 0.4,
            },
            token,
        )
    code = _post(f"{api}/shares", {"label": "Dr Lee"}, token)["code"]
    doctor, _, RECOVERY_CODES["drlee"] = _clinician(api, "drlee", "Dr Lee")
    TOKENS["drlee"] = doctor
    profile_id: int = _post(f"{api}/clinician/redeem", {"code": code}, doctor)["profile_id"]
    return profile_id


def test_the_clinician_list_and_page_at_a_desk(chromium: Any, server: str, shared: int) -> None:
    tab = Tab(chromium, viewport=DESK)
    _sign_in(tab, server, "drlee", RECOVERY_CODES["drlee"].pop())
    page = tab.page
    page.goto(f"{server}/clinician/")
    assert page.get_by_text("New since your last look").is_visible()
    tab.fits()
    tab.shot("clinician-people-1280")
    assert_no_violations(page, "clinician list at 1280 px")

    page.get_by_role("link", name="Ruth").click()
    page.wait_for_url(f"**/clinician/{shared}/")
    for heading in ("Warning signs and triage", "Summary", "Morning pain", "Diary effects"):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.get_by_role("table", name="Triage history").is_visible()
    # two columns at a desk: the effects sit beside the triage, not below it
    triage = page.get_by_role("heading", name="Warning signs and triage").bounding_box()
    trend = page.get_by_role("heading", name="Morning pain").bounding_box()
    assert triage is not None and trend is not None and trend["x"] > triage["x"] + 300
    tab.fits()
    tab.shot("clinician-page-1280")
    assert_no_violations(page, "clinician page at 1280 px")

    page.goto(f"{server}/clinician/")  # looked at: no longer flagged
    assert page.get_by_text("New since your last look").count() == 0
    tab.close()


def test_the_clinician_page_fits_a_phone(chromium: Any, server: str, shared: int) -> None:
    tab = Tab(chromium, viewport=PHONE)
    _sign_in(tab, server, "drlee", RECOVERY_CODES["drlee"].pop())
    tab.page.goto(f"{server}/clinician/{shared}/")
    tab.fits()
    tab.shot("clinician-page-390")
    assert_no_violations(tab.page, "clinician page at 390 px")
    tab.page.goto(f"{server}/clinician/")
    tab.fits()
    tab.shot("clinician-people-390")
    assert_no_violations(tab.page, "clinician list at 390 px")
    tab.close()


def test_a_long_list_comes_in_pages_with_accessible_links(
    chromium: Any, server: str, shared: int
) -> None:
    """Runs last in this file: it adds 25 more people to Dr Lee's list (two pages of 25)."""
    api = f"{server}/api/v1"
    for i in range(25):
        token = _post(f"{api}/auth/signup", {"username": f"many{i:02d}", "password": PASSWORD})[
            "token"
        ]
        code = _post(f"{api}/shares", {}, token)["code"]
        _post(f"{api}/clinician/redeem", {"code": code}, TOKENS["drlee"])
    for viewport, width in ((DESK, 1280), (PHONE, 390)):
        tab = Tab(chromium, viewport=viewport)
        _sign_in(tab, server, "drlee")
        page = tab.page
        page.goto(f"{server}/clinician/")
        assert page.get_by_text("26 people, showing 1 to 25 (page 1 of 2).").is_visible()
        pages = page.get_by_role("navigation", name="Pages of the list of people")
        assert pages.get_by_role("link", name="Page 2").is_visible()
        assert page.get_by_role("link", name="Ruth").is_visible()  # the most urgent first
        tab.fits()
        tab.shot(f"clinician-people-paged-{width}")
        assert_no_violations(page, f"paged clinician list at {width} px")
        pages.get_by_role("link", name="Next page").click()
        page.wait_for_url("**/clinician/?sort=level&page=2")
        assert page.get_by_text("showing 26 to 26 (page 2 of 2)").is_visible()
        tab.close()
