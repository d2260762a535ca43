"""The emergency stop runs on the answers so far, whichever screen they came from."""

from __future__ import annotations

from nightspine.assessment.stop import emergency_now


def test_an_emergency_warning_sign_stops() -> None:
    result = emergency_now({"bladder_bowel": ["retention"]})
    assert result is not None and result.triage.level == "emergency"


def test_a_later_answer_can_make_an_earlier_one_an_emergency() -> None:
    """Tingling hands alone is not an emergency; after a fall from a height it is (NEXUS,
    Canadian C-spine rule: a dangerous mechanism with new neurological symptoms)."""
    assert emergency_now({"numbness_or_tingling": ["hands"]}) is None
    later = {"numbness_or_tingling": ["hands"], "onset_event": "fall_from_height"}
    assert emergency_now(later) is not None


def test_answers_that_do_not_validate_yet_never_stop() -> None:
    assert emergency_now({"age": 5, "chest_pain_or_pressure": True}) is None
    assert emergency_now({}) is None
