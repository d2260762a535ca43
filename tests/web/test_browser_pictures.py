"""Pictures with the plan, the insights page, the 404 page and the narrow layouts in real
Chromium at 390, 320 and 1280 px, each page checked with axe-core. Screenshots go to
test-artifacts/web/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.web.axe import assert_no_violations, need_axe
from tests.web.test_browser import PASSWORD, PHONE, Tab, _clinician, _post, _sign_in

# isort: split
from tests.web.test_browser import chromium, mailbox, server  # noqa: F401 (fixtures)

__all__ = ["chromium", "server"]  # the fixtures, shared with test_browser.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VIGNETTES = Path(__file__).parents[1] / "assessment" / "data" / "vignettes-public.yaml"
NARROW = {"width": 320, "height": 640}
DESK = {"width": 1280, "height": 900}
START = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def person(server: str) -> dict[str, Any]:
    """A person with two saved assessments (plans with pictures) and 60 nights of diary."""
    need_axe()
    api = f"{server}/api/v1"
    token = _post(f"{api}/auth/signup", {"username": "pia", "password": PASSWORD})["token"]
    answers = {v["id"]: v["answers"] for v in yaml.safe_load(VIGNETTES.read_text("utf-8"))}
    saved = {
        vid: _post(f"{api}/assessments", {"answers": answers[vid], "save": True}, token)["id"]
        for vid in ("P01", "P18")
    }
    rng = random.Random(3)
    for day in range(60):
        stomach = rng.random() < 0.3
        entry = {
            "date": (START + dt.timedelta(days=day)).isoformat(),
            "pain_on_waking": max(0, min(10, round(3 + 3 * stomach + rng.gauss(0, 0.8)))),
            "sleep_position": "stomach" if stomach else "side",
            "knee_pillow": rng.random() < 0.5,
            "sitting_hours": round(rng.uniform(4, 10), 1),
        }
        _post(f"{api}/diary", entry, token)
    code = _post(f"{api}/shares", {"label": "Dr Ash"}, token)["code"]
    doctor, _, recovery_codes = _clinician(api, "drash", "Dr Ash")
    shared = _post(f"{api}/clinician/redeem", {"code": code}, doctor)["profile_id"]
    return {
        "username": "pia",
        "assessments": saved,
        "clinician": "drash",
        "clinician_codes": recovery_codes,  # one a sign-in
        "shared": shared,
    }


def _chart_text_px(page: Any, selector: str) -> float:
    """The smallest text in an SVG chart, in CSS pixels as drawn (font size times the scale)."""
    smallest: float = page.evaluate(
        """(selector) => {
          let least = Infinity;
          for (const svg of document.querySelectorAll(selector)) {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            for (const t of svg.querySelectorAll("text")) {
              least = Math.min(least, parseFloat(getComputedStyle(t).fontSize) * scale);
            }
          }
          return least;
        }""",
        selector,
    )
    return smallest


def test_plan_pictures_on_the_result_page(
    chromium: Any, server: str, person: dict[str, Any]
) -> None:
    for name, viewport in (("390", PHONE), ("1280", DESK)):
        tab = Tab(chromium, viewport=viewport)
        _sign_in(tab, server, person["username"])
        for vid, record in person["assessments"].items():
            tab.page.goto(f"{server}/me/assessments/{record}")
            plan = tab.page.locator("details#plan")
            if plan.get_attribute("open") is None:  # the whole plan is folded under the result
                plan.locator("summary").click()
            figures = tab.page.locator("figure.plan-picture")
            assert figures.count() >= 2
            for img in figures.locator("img").all():
                img.scroll_into_view_if_needed()
                assert img.get_attribute("alt")
                loaded = "(i) => i.complete && i.naturalWidth > 0"
                tab.page.wait_for_function(loaded, arg=img.element_handle())
            tab.fits()
            first = figures.first
            first.scroll_into_view_if_needed()
            tab.page.screenshot(path=str(_shots() / f"pictures-{vid}-{name}.png"), full_page=False)
            assert_no_violations(tab.page, f"result {vid} at {name} px")
        tab.close()


def _shots() -> Path:
    from tests.web.test_browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def test_insights_page_findings_first_and_chart_readable_on_a_phone(
    chromium: Any, server: str, person: dict[str, Any]
) -> None:
    for name, viewport in (("390", PHONE), ("320", NARROW), ("1280", DESK)):
        tab = Tab(chromium, viewport=viewport)
        _sign_in(tab, server, person["username"])
        page = tab.page
        page.goto(f"{server}/diary/insights")
        findings = page.get_by_role("heading", name="What matters most")
        assert findings.is_visible()
        assert page.locator("svg.forest").count() == 1
        least = _chart_text_px(page, "svg.chart")
        if viewport["width"] == 390:
            assert least >= 12, name  # the bar: 12 px at 390 px
        if viewport["width"] == 320:
            assert least >= 10, name
        tab.fits()
        tab.shot(f"insights-{name}")
        assert_no_violations(page, f"insights at {name} px")
        tab.close()


def test_history_and_entry_error_fit_at_320_and_390(
    chromium: Any, server: str, person: dict[str, Any]
) -> None:
    for name, viewport in (("320", NARROW), ("390", PHONE)):
        tab = Tab(chromium, viewport=viewport)
        _sign_in(tab, server, person["username"])
        page = tab.page
        page.goto(f"{server}/diary/history")
        wide = page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                 .filter(e => !e.closest(".table-wrap") || e.classList.contains("table-wrap"))
                 .map(e => e.tagName + "." + e.className)
                 .slice(0, 8)"""
        )
        assert not wide, wide
        tab.fits()
        tab.shot(f"history-{name}")
        assert_no_violations(page, f"history at {name} px")
        tab.close()


def test_404_in_the_apps_own_style(chromium: Any, server: str) -> None:
    need_axe()
    for name, viewport in (("320", NARROW), ("390", PHONE)):
        tab = Tab(chromium, viewport=viewport)
        response = tab.page.goto(f"{server}/no/such/page")
        assert response is not None and response.status == 404
        assert tab.page.get_by_role("heading", name="Page not found").is_visible()
        assert tab.page.locator("a.brand").is_visible()  # our header, not Django's bare page
        tab.fits()
        tab.shot(f"404-{name}")
        assert_no_violations(tab.page, f"404 at {name} px")
        tab.errors.clear()  # the browser logs the 404 status itself
        tab.close()


PAGES_SIGNED_OUT = ["/", "/login", "/signup", "/assess/warning_signs/"]
PAGES_SIGNED_IN = [
    "/me",
    "/diary/",
    "/diary/history",
    "/diary/insights",
    "/diary/experiments",
    "/me/sharing",
    "/me/audit",
    "/me/assessments",
    "/account",
]


def test_axe_finds_nothing_on_the_pages_and_their_error_states(
    chromium: Any, server: str, person: dict[str, Any]
) -> None:
    found: dict[str, str] = {}

    def check(tab: Tab, where: str) -> None:
        try:
            assert_no_violations(tab.page, where)
        except AssertionError as exc:
            found[where] = str(exc)

    tab = Tab(chromium, viewport=PHONE)
    for path in PAGES_SIGNED_OUT:
        tab.page.goto(server + path)
        check(tab, path)
    tab.page.goto(f"{server}/login")  # an error state: a wrong password
    tab.page.get_by_label("Username").fill(person["username"])
    tab.page.get_by_label("Password").fill("not the password")
    tab.page.get_by_role("button", name="Sign in").click()
    tab.page.wait_for_load_state()
    check(tab, "/login with a wrong password")
    tab.errors.clear()
    tab.close()

    tab = Tab(chromium, viewport=PHONE)  # axe-core needs JavaScript to run
    tab.page.set_default_timeout(20000)
    _sign_in(tab, server, person["username"])
    for path in PAGES_SIGNED_IN:
        tab.page.goto(server + path)
        check(tab, path)
    tab.page.goto(f"{server}/diary/")  # an error state: a value out of range
    tab.page.get_by_text("More about last night").click()  # the section holding hours slept
    tab.page.locator("input[name=hours_slept]").fill("30")
    # the browser's own check would stop this first; the server's message is the one tested
    tab.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    tab.page.get_by_role("button", name="Save").first.click()
    tab.page.get_by_text("Enter hours slept as a number from 0 to 24").first.wait_for()
    assert tab.page.locator("input[name=hours_slept]").input_value() == "30"  # kept as typed
    tab.shot("diary-error-390")
    check(tab, "/diary/ with an error")
    tab.errors.clear()
    tab.close()
    assert not found, "\n".join(found.values())


def test_the_axe_check_catches_a_real_problem(chromium: Any) -> None:
    need_axe()
    tab = Tab(chromium, viewport=PHONE)
    tab.page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_violations(tab.page, "a page with an image without alt text")
    tab.errors.clear()
    tab.close()


def test_axe_finds_nothing_on_the_clinicians_pages_at_a_desk(
    chromium: Any, server: str, person: dict[str, Any]
) -> None:
    tab = Tab(chromium, viewport=DESK)
    _sign_in(tab, server, person["clinician"], person["clinician_codes"].pop())
    for path in ("/clinician/", f"/clinician/{person['shared']}/"):
        tab.page.goto(server + path)
        tab.fits()
        assert_no_violations(tab.page, f"{path} at 1280 px")
    tab.shot("clinician-person-1280")
    tab.close()
