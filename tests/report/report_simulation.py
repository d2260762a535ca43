"""A simulated person for the report tests and benchmark: a year of mornings, one assessment.

Morning pain follows an AR(1) process around a level that drops after a mattress change, with
nights on the stomach 2 points worse; positions, pillows and habits vary as in real diaries.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.questionnaire import warning_sign_keys
from nightspine.assessment.result import (
    Assessment,
    Concern,
    ForYourDoctor,
    PlanItem,
    SourceRef,
    Triage,
    TriageLevel,
)
from nightspine.diary.entry import DiaryEntry
from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import ExperimentInfo

START = dt.date(2025, 11, 1)
MATTRESS_CHANGE = START + dt.timedelta(days=150)
PILLOW_CHANGE = START + dt.timedelta(days=220)

ANSWERS: dict[str, Any] = {
    "age": 47,
    "sex": "female",
    "pain_locations": ["upper_back", "lower_back"],
    "side": "both",
    "pain_now": 4,
    "pain_worst_night": 7,
    "quality": ["aching", "tight"],
    "onset": "gradual",
    "onset_event": "none",
    "duration_days": 200,
    "course": "stable",
    "when_worse": ["after_hours_lying", "on_waking"],
    "wakes_from_sleep": True,
    "relief": ["getting_up", "moving_around", "stretching"],
    "morning_stiffness_minutes": 45,
    "nsaid_helps": True,
    "tried_self_care": ["pillow_change", "stretching", "pain_relief"],
    "sleep_position": "stomach",
    "pillow": "too_high",
    "mattress_firmness": "too_soft",
    "mattress_age_years": 12,
    "mattress_sagging": True,
    "conditions": ["psoriasis"],
    "medications": ["paracetamol", "nsaid"],
    # The questionnaire asks every warning sign; these were answered "no" (or "none").
    **dict.fromkeys(warning_sign_keys(), False),
    "numbness_or_tingling": [],
    "weakness": [],
    "bladder_bowel": [],
}
del ANSWERS["warning_signs_started_days"]  # a number, asked only when a sign is reported
del ANSWERS["numbness_both_sides"], ANSWERS["weakness_worsening"]  # follow-ups not shown


def answers() -> Answers:
    return validate_answers(ANSWERS)


def assessment() -> Assessment:
    """What the engine could say for :data:`ANSWERS` (written by hand until it lands)."""
    kb = load_knowledge()
    return Assessment(
        knowledge_version=kb.version,
        knowledge_checksum=kb.checksum,
        triage=Triage(
            level=TriageLevel.SOON,
            reasons=["Long morning stiffness that eases with movement, with psoriasis"],
            advice="Book an appointment with a doctor within about two weeks.",
        ),
        concerns=[
            Concern(
                id="inflammatory_back_pain",
                title="Inflammatory back pain",
                level=TriageLevel.SOON,
                because=["morning_stiffness_minutes", "relief", "conditions", "nsaid_helps"],
                reasons=["stiffness over 30 minutes", "better with movement", "psoriasis"],
            )
        ],
        plan=[
            PlanItem(
                id="side_sleeping",
                when="tonight",
                title="Try sleeping on your side",
                text="Lie on your side with a pillow between your knees.",
                because=["sleep_position"],
                why="You sleep on your stomach, which twists the neck and back.",
                sources=[SourceRef(id="nice_ng59", label="NICE NG59 (2016)")],
            ),
            PlanItem(
                id="see_doctor",
                when="next_two_weeks",
                title="See a doctor about the morning stiffness",
                text="Ask whether an inflammatory cause should be looked for.",
                because=["morning_stiffness_minutes"],
                why="Stiffness over 30 minutes that eases with movement.",
                sources=[SourceRef(id="nice_ng59", label="NICE NG59 (2016)")],
            ),
        ],
        for_your_doctor=ForYourDoctor(
            questions_to_ask=[
                "Could this be an inflammatory back condition?",
                "Which tests would help, and when?",
            ]
        ),
    )


def entries(nights: int = 365, seed: int = 1, start: dt.date = START) -> list[DiaryEntry]:
    rng = random.Random(seed)
    out: list[DiaryEntry] = []
    noise = 0.0
    for day in range(nights):
        date = start + dt.timedelta(days=day)
        if rng.random() < 0.06:  # a missed morning
            continue
        noise = 0.5 * noise + rng.gauss(0, 1.0)
        position = rng.choices(["back", "side", "stomach", "mixed"], [3, 4, 2, 1])[0]
        knee = rng.random() < 0.4
        level = 5.0 if date < MATTRESS_CHANGE else 3.5
        pain = level + (2.0 if position == "stomach" else 0.0) - (0.5 if knee else 0.0) + noise
        score = max(0, min(10, round(pain)))
        out.append(
            DiaryEntry(
                date=date,
                pain_on_waking=score,
                pain_worst_night=min(10, score + rng.randint(0, 3)),
                stiffness_minutes=rng.choice([10, 20, 30, 45, 60]),
                woke_from_pain=rng.choice([0, 0, 1, 2]),
                pain_locations=("upper_back", "lower_back")
                if rng.random() < 0.5
                else ("lower_back",),
                sleep_position=position,  # type: ignore[arg-type]
                knee_pillow=knee,
                pillow="old foam" if date < PILLOW_CHANGE else "cervical",
                mattress="old spring" if date < MATTRESS_CHANGE else "new medium",
                hours_slept=round(rng.uniform(5, 8.5), 1),
                tosses_and_turns=rng.random() < 0.3,
                exercise_minutes=rng.choice([0, 0, 20, 30, 60]),
                sitting_hours=round(rng.uniform(3, 10), 1),
                stress=rng.randint(1, 8),
                alcohol_evening=rng.random() < 0.2,
                caffeine_evening=rng.random() < 0.2,
                screens_in_bed=rng.random() < 0.5,
                stretching=rng.random() < 0.3,
                heat_or_ice=rng.random() < 0.1,
                medications=("paracetamol",) if score >= 6 else (),
                notes="slept badly" if score >= 8 else None,
            )
        )
    return out


def insights_json() -> dict[str, Any]:
    """Insights in their JSON contract's shape (stand-in until the insights package lands)."""
    return {
        "nights": 340,
        "trend": {"message": "Morning pain fell from about 5.8 to 4.2 over the year."},
        "tests": 17,
        "factors": [
            {
                "factor": "sleep_position",
                "level": "stomach",
                "effect": 2.1,
                "ci95": [1.8, 2.4],
                "ci_adjusted": [1.6, 2.6],
                "credible": True,
                "n_with": 68,
                "n_without": 272,
            },
            {
                "factor": "knee_pillow",
                "level": None,
                "effect": -0.5,
                "ci95": [-0.8, -0.2],
                "ci_adjusted": [-0.9, -0.1],
                "credible": True,
                "n_with": 136,
                "n_without": 204,
            },
            {
                "factor": "alcohol_evening",
                "level": None,
                "effect": 0.1,
                "ci95": [-0.4, 0.6],
                "credible": False,
                "n_with": 70,
                "n_without": 270,
            },
        ],
        "changes": [
            {
                "factor": "mattress",
                "effect": -1.6,
                "message": "Since the change of mattress, mornings were 1.6 points better"
                " (1.0 to 2.1).",
            }
        ],
    }


def experiments() -> list[ExperimentInfo]:
    return [
        ExperimentInfo(
            title="Knee pillow",
            start=START + dt.timedelta(days=260),
            end=START + dt.timedelta(days=288),
            status="finished",
            verdict="about 0.5 points better (0.1 to 0.9) with the knee pillow",
        )
    ]
