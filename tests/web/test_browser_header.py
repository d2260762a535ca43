"""The header of a signed-in person on phones (issue 11 §9): one row (the brand and a "Menu"
disclosure) at 320 px and 390 px instead of three rows of links, the links a tap away with or
without JavaScript, every target 44 px; on a desk the links stay in the row, no toggle."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.web.axe import assert_no_violations, need_axe
from tests.web.test_browser import SMALL_TARGETS, Tab, _sign_up

# isort: split
from tests.web.test_browser import chromium, mailbox, server  # the fixtures

__all__ = ["chromium", "mailbox", "server"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROW_PX = 60
"""One row of 44 px targets and the header's padding."""


def _header_px(page: Any) -> float:
    height: float = page.locator("header.top").evaluate("h => h.getBoundingClientRect().height")
    return height


@pytest.mark.parametrize("width", [320, 390])
def test_the_header_is_one_row_on_phones_and_the_menu_opens(
    chromium: Any, server: str, width: int
) -> None:
    need_axe()
    tab = Tab(chromium, viewport={"width": width, "height": 700})
    page = tab.page
    _sign_up(tab, server, f"header{width}")
    assert _header_px(page) <= ROW_PX, f"header {_header_px(page)} px tall at {width} px"
    header = page.locator("header.top")
    assert not header.get_by_role("link", name="Diary").is_visible()
    tab.shot(f"30-header-{width}px-closed")
    assert_no_violations(page, f"/me at {width} px, menu closed")
    page.get_by_text("Menu", exact=True).click()
    for name in ("Diary", "History", "Insights", "Experiments", "Me", "Account"):
        assert header.get_by_role("link", name=name, exact=True).is_visible(), name
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert _header_px(page) <= ROW_PX  # the open menu lies over the page, the row stays
    assert not page.evaluate(SMALL_TARGETS), page.evaluate(SMALL_TARGETS)
    tab.fits()
    tab.shot(f"31-header-{width}px-open")
    assert_no_violations(page, f"/me at {width} px, menu open")
    header.get_by_role("link", name="History", exact=True).click()
    page.wait_for_url(re.compile(r"/diary/history$"))
    tab.close()


def test_the_menu_works_without_javascript(chromium: Any, server: str) -> None:
    tab = Tab(chromium, viewport={"width": 320, "height": 640})
    _sign_up(Tab(chromium), server, "headernojs")  # the account, made in another browser
    page = tab.page
    page.goto(f"{server}/login")
    page.get_by_label("Username").fill("headernojs")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/me$"))
    page.get_by_text("Menu", exact=True).click()
    page.locator("header.top").get_by_role("link", name="Insights", exact=True).click()
    page.wait_for_url(re.compile(r"/diary/insights"))
    tab.close()


def test_on_a_desk_the_links_are_in_the_row_without_a_toggle(chromium: Any, server: str) -> None:
    tab = Tab(chromium, viewport={"width": 1280, "height": 800})
    page = tab.page
    _sign_up(tab, server, "headerdesk")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.locator("header.top").get_by_role("link", name="Experiments").is_visible()
    assert _header_px(page) <= ROW_PX
    page.keyboard.press("Tab")  # Skip to content
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Diary"  # reachable by keys
    tab.shot("32-header-1280px")
    tab.close()
