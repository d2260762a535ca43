"""The web app's assessments name the configured emergency number (one call to action)."""

from __future__ import annotations

from django.test import override_settings

from nightspine.assessment.emergency import call_now
from nightspine.web.engine import assess

RETENTION = {"bladder_bowel": ["retention"], "pain_locations": ["lower_back"]}


def test_the_web_assessment_names_the_configured_number() -> None:
    with override_settings(NIGHTSPINE_EMERGENCY_NUMBER="999"):
        result = assess(RETENTION)
    assert result.triage.advice.startswith(call_now("999"))
    assert result.plan[0].text.startswith(call_now("999"))
    assert "112" not in result.triage.advice and "911" not in result.triage.advice
