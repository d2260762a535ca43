"""The for-your-doctor summary says what was answered, in clinicians' words, and nothing else."""

from __future__ import annotations

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.result import (
    Concern,
    Contributor,
    ForYourDoctor,
    Triage,
    TriageLevel,
)
from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()

ANSWERS = {
    "age": 52,
    "sex": "male",
    "pain_locations": ["upper_back", "shoulder_blade"],
    "side": "left",
    "radiates_to": ["arm"],
    "pain_now": 4,
    "pain_worst_night": 8,
    "quality": ["aching", "sharp"],
    "onset": "gradual",
    "onset_event": "lifting",
    "duration_days": 35,
    "course": "worsening",
    "when_worse": ["after_hours_lying", "on_waking", "while_sitting"],
    "wakes_from_sleep": True,
    "relief": ["changing_position", "pillow_support"],
    "morning_stiffness_minutes": 20,
    "worse_with_cough_or_strain": False,
    "tried_self_care": ["heat_or_ice", "pain_relief"],
    "numbness_or_tingling": ["arms"],
    "weakness": [],
    "fever": False,
    "chest_pain_or_pressure": False,
    "conditions": ["osteoarthritis"],
    "medications": ["nsaid"],
    "smoker": True,
    "sleep_position": "side",
    "pillow": "flat",
}


def _summary() -> ForYourDoctor:
    triage = Triage(level=TriageLevel.SOON, reasons=["arm tingling with neck and back pain"])
    concerns = [
        Concern(
            id="nerve_root_compression",
            title="Nerve root compression",
            level=TriageLevel.SOON,
            because=["numbness_or_tingling", "radiates_to"],
        )
    ]
    contributors = [
        Contributor(id="unsuitable_pillow", title="A flat pillow", score=0.6, because=["pillow"])
    ]
    return build_for_your_doctor(KB, validate_answers(ANSWERS), triage, concerns, contributors)


def test_summary_in_clinical_order_and_words() -> None:
    d = _summary()
    text = "\n".join(d.summary)
    for words in (
        "Patient: 52 years old, male",
        "Site: upper back, shoulder blade (left)",
        "Radiation: arm",
        "Severity: 4/10 now; 8/10 at worst at night",
        "gradual onset; after lifting; duration 35 days (about 5 weeks)",
        "course: worsening",
        "Night pattern: worse after some hours lying, on waking; wakes from sleep",
        "Also worse: while sitting",
        "Morning stiffness: 20 minutes",
        "Relieved by: changing position, propping up on pillows",
        "Worse with cough or strain: no",
        "Conditions to rule out: Nerve root compression",
        "not a diagnosis",
    ):
        assert words in text, words


def test_warning_signs_reported_and_denied() -> None:
    d = _summary()
    assert d.warning_signs_reported == ["numbness or tingling: arms"]
    assert set(d.warning_signs_denied) == {"weakness", "fever", "chest pain or pressure"}


def test_history_medicines_and_what_was_tried() -> None:
    d = _summary()
    assert "Conditions: osteoarthritis" in d.history
    assert "Medicines: NSAID" in d.history
    assert "smoker" in d.history
    assert d.tried == ["Tried: heat or ice", "Tried: pain relief"]


def test_guidance_and_questions_included() -> None:
    d = _summary()
    assert any("X-ray" in line for line in d.what_a_doctor_may_do)
    assert any("propping" in line for line in d.write_down)
    assert d.questions_to_ask[0].startswith("Could this be nerve root compression")


def test_nothing_is_invented_for_absent_answers() -> None:
    triage = Triage(level=TriageLevel.SELF_CARE, reasons=[])
    d = build_for_your_doctor(KB, validate_answers({}), triage, [], [])
    assert d.summary == ["nightspine triage (decision support, not a diagnosis): self-care"]
    assert not d.warning_signs_reported and not d.warning_signs_denied
    assert not d.history and not d.tried
