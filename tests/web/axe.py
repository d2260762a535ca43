"""axe-core in the browser tests: inject ``node_modules/axe-core/axe.min.js`` (installed from the
npm registry by ``.ci/run``: ``npm install --no-save --prefix . axe-core@4``) into a page and
list what it finds. Injected through the DevTools protocol (``page.evaluate``), so the page's own
Content-Security-Policy stays on and is tested as served. Missing axe-core fails in CI and skips
elsewhere, like Chromium itself."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def need_axe() -> str:
    """The axe-core source, or skip (fail in CI) when it is not installed."""
    if not AXE.is_file():
        reason = f"{AXE} is missing (npm install --no-save --prefix . axe-core@4)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"axe-core is required in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds on the page as it is now (WCAG 2.1 A/AA and best practice)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(need_axe())
    found: list[dict[str, Any]] = page.evaluate(_RUN, TAGS)
    return found


def assert_no_violations(page: Any, where: str) -> None:
    found = violations(page)
    assert not found, f"axe-core on {where}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in found
    )
