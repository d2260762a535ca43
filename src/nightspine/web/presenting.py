"""Turning results into what the pages show: plain words for levels and answer keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nightspine.assessment.result import Assessment, PlanItem, TriageLevel
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
WHEN = (
    ("tonight", "Tonight"),
    ("next_two_weeks", "The next two weeks"),
    ("ongoing", "Ongoing"),
)


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
    return {
        "result": result,
        "level": level.value,
        "headline": headline,
        "todo": result.triage.advice or todo,
        "concerns": [(c, because_text(c.because)) for c in result.concerns],
        "contributors": [
            (c, because_text(c.because), round(c.score * 100)) for c in result.contributors
        ],
        "plan": [
            PlanGroup(w, t, [p for p in result.plan if p.when == w])
            for w, t in WHEN
            if any(p.when == w for p in result.plan)
        ],
        "doctor": result.for_your_doctor,
    }
