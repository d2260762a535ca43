"""Fixtures of the report tests: one simulated person (see report_simulation.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import report_simulation as sim

from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import ReportContent, build_report

MADE_ON = dt.date(2026, 11, 21)


@pytest.fixture(scope="session")
def year_report() -> ReportContent:
    return build_report(
        knowledge=load_knowledge(),
        made_on=MADE_ON,
        answers=sim.answers(),
        assessment=sim.assessment(),
        assessed_on=dt.date(2026, 10, 1),
        entries=sim.entries(),
        insights=sim.insights_json(),
        experiments=sim.experiments(),
    )
