"""The clinical safety case cannot rot: every test that the hazard log and the red-flag coverage
matrix name as proof of a control is a real test that pytest collects."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAFETY = ROOT / "docs" / "safety"
DOCS = ("hazard-log.md", "red-flag-coverage.md")
NODE_ID = re.compile(r"`(tests/[\w/]+\.py::[\w\[\]\-]+)`")


def _named(doc: str) -> set[str]:
    return set(NODE_ID.findall((SAFETY / doc).read_text(encoding="utf-8")))


@cache
def _collected(files: tuple[str, ...]) -> frozenset[str]:
    """The node ids pytest collects from ``files`` (run apart, so this run is not disturbed)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return frozenset(line.strip() for line in proc.stdout.splitlines() if "::" in line)


def test_the_safety_documents_name_tests() -> None:
    for doc in DOCS:
        assert len(_named(doc)) >= 20, doc


def test_every_test_named_in_the_safety_case_exists() -> None:
    named = set().union(*(_named(doc) for doc in DOCS))
    files = tuple(sorted({n.split("::")[0] for n in named}))
    collected = _collected(files)
    # a test named without a parameter stands for all its parametrized cases
    functions = {node.split("[")[0] for node in collected}
    missing = sorted(n for n in named if n not in collected and n not in functions)
    assert missing == [], f"docs/safety names tests that do not exist: {missing}"


def test_every_hazard_has_controls_and_a_test() -> None:
    text = (SAFETY / "hazard-log.md").read_text(encoding="utf-8")
    hazards = re.split(r"\n## ", text)[1:]
    assert len(hazards) >= 10
    for hazard in hazards:
        title = hazard.splitlines()[0]
        for field in ("**Cause**", "**Effect**", "**Severity**", "**Likelihood", "**Controls**"):
            assert field in hazard, (title, field)
        assert NODE_ID.search(hazard), f"hazard {title} names no test"
