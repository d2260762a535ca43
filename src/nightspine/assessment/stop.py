"""The emergency stop: whether the answers given so far already call for emergency care.

The command line and the web app run this after every answer (terminal) and every screen (web),
not only after the warning signs, so the questions stop as soon as the answers show an
emergency. Answers that do not yet validate together (a half-filled screen) never stop the
questions; the full check runs when they do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.emergency import CALL_NOW, DEFAULT_EMERGENCY_NUMBER, DO_NOT_WAIT
from nightspine.assessment.engine import assess
from nightspine.assessment.result import Assessment, TriageLevel
from nightspine.errors import InvalidInputError
from nightspine.knowledge.loader import KnowledgeBase

STOP_TITLE = "Call {number} now"
STOP_TEXT = f"Stop here. {CALL_NOW}"
"""The stop screen's words, shared by the terminal and the web (``{number}``: the number); the
sentence that says what to do is the one call to action of :mod:`.emergency`."""


def emergency_now(
    answers: Mapping[str, Any],
    kb: KnowledgeBase | None = None,
    *,
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER,
) -> Assessment | None:
    """The assessment of the answers so far when it is an emergency, else None."""
    try:
        validated = validate_answers(dict(answers))
    except InvalidInputError:
        return None
    result = assess(validated, kb, emergency_number=emergency_number)
    return result if result.triage.level is TriageLevel.EMERGENCY else None


__all__ = ["DO_NOT_WAIT", "STOP_TEXT", "STOP_TITLE", "emergency_now"]
