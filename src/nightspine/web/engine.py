"""The assessment engine as the web app calls it (the one in ``nightspine.assessment``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.result import Assessment, Triage, TriageLevel


def assess(raw: Mapping[str, Any]) -> Assessment:
    """Validate ``raw`` (raises InvalidInputError) and run the engine on it."""
    answers = validate_answers(raw)
    try:
        from nightspine.assessment.engine import assess as engine_assess  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # interim, until the engine lands
        return _placeholder(answers)
    result: Assessment = engine_assess(answers)
    return result


def _placeholder(answers: Answers) -> Assessment:
    emergency = bool(answers.choices("bladder_bowel")) or answers.flag("chest_pain_or_pressure")
    level = TriageLevel.EMERGENCY if emergency else TriageLevel.SELF_CARE
    return Assessment(
        knowledge_version="interim",
        knowledge_checksum="",
        triage=Triage(
            level=level,
            reasons=["interim result: the assessment engine is not installed"],
            advice="Call the emergency number now." if emergency else "",
        ),
    )
