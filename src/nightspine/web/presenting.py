"""Turning results into what the pages show: plain words for levels and answer keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from nightspine.assessment.markdown import fit_words
from nightspine.assessment.plan import WHEN_ORDER, WHEN_TITLES
from nightspine.assessment.result import Assessment, PlanItem, TriageLevel
from nightspine.assessment.stop import DO_NOT_WAIT, STOP_TEXT, STOP_TITLE
from nightspine.web.questions import question_texts

LEVELS: dict[str, tuple[str, str]] = {
    # level: (headline in plain words, what to do)
    TriageLevel.EMERGENCY: (
        "Emergency",
        "Call the emergency number or go to an emergency department now.",
    ),
    TriageLevel.URGENT: ("Urgent", "See a doctor today, or within 24 hours."),
    TriageLevel.SOON: (
        "See a professional soon",
        "Book an appointment with a doctor or physiotherapist within about two weeks.",
    ),
    TriageLevel.SELF_CARE: (
        "Self-care",
        "You can start with the self-care plan below. See a professional if you are not clearly "
        "better in 4 to 6 weeks, or if anything new appears.",
    ),
}
FIRST_SCREEN = 3
"""How many likely causes and things to try tonight the result's first screen shows."""


@dataclass(frozen=True)
class PlanGroup:
    when: str
    title: str
    items: list[PlanItem]


def because_text(keys: list[str]) -> list[str]:
    texts = question_texts()
    return [texts.get(k, k.replace("_", " ")) for k in keys]


def present_assessment(result: Assessment) -> dict[str, Any]:
    level = result.triage.level
    headline, todo = LEVELS[level]
    emergency = level is TriageLevel.EMERGENCY
    # Under an emergency the likely causes are not shown: nothing should come before the call.
    contributors = [] if emergency else result.contributors
    ordered = sorted(result.plan, key=lambda p: WHEN_ORDER.index(p.when))
    number = settings.NIGHTSPINE_EMERGENCY_NUMBER
    return {
        "emergency": emergency,
        "emergency_number": number,
        "stop_title": STOP_TITLE.format(number=number),
        "stop_text": STOP_TEXT.format(number=number),
        "do_not_wait": DO_NOT_WAIT,
        "why": result.triage.reasons[:1],
        "more_why": result.triage.reasons[1:],
        "top_causes": [(c, fit_words(c.score)) for c in contributors[:FIRST_SCREEN]],
        "first_things": ordered[:FIRST_SCREEN],
        "result": result,
        "level": level.value,
        "headline": headline,
        "todo": result.triage.advice or todo,
        "concerns": [(c, because_text(c.because)) for c in result.concerns],
        "contributors": [(c, because_text(c.because), fit_words(c.score)) for c in contributors],
        "plan": [
            PlanGroup(w, WHEN_TITLES[w], [p for p in result.plan if p.when == w])
            for w in WHEN_ORDER
            if any(p.when == w for p in result.plan)
        ],
        "doctor": result.for_your_doctor,
    }
