"""Shared fixtures of the assessment tests, and the vignette scores in the terminal summary."""

from __future__ import annotations

from typing import Any

import pytest

SCORE_LINES: list[str] = []


@pytest.fixture(scope="session")
def score_lines() -> list[str]:
    """Lines appended here are printed in pytest's terminal summary."""
    return SCORE_LINES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCORE_LINES:
        terminalreporter.section("assessment vignette scores")
        for line in SCORE_LINES:
            terminalreporter.write_line(line)
