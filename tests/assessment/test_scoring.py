"""The scoring of vignettes follows the contract's definitions, including its edge cases."""

from __future__ import annotations

from typing import Any

from nightspine.assessment.result import Assessment, Concern, Contributor, Triage, TriageLevel
from nightspine.assessment.scoring import check, score


def _assessment(level: str, concerns: list[str] = [], contributors: list[str] = []) -> Assessment:  # noqa: B006
    return Assessment(
        knowledge_version="test",
        knowledge_checksum="0",
        triage=Triage(level=TriageLevel(level), reasons=["r"]),
        concerns=[
            Concern(id=c, title=c, level=TriageLevel(level), because=["age"]) for c in concerns
        ],
        contributors=[Contributor(id=c, title=c, score=0.5, because=["age"]) for c in contributors],
    )


def _vignette(**expect: Any) -> dict[str, Any]:
    return {"id": "V", "answers": {}, "expect": expect}


def test_under_triage_of_an_urgent_vignette_breaks_safety() -> None:
    checks = [
        check(_vignette(triage_in=["urgent", "emergency"]), _assessment("soon")),
        check(_vignette(triage="urgent"), _assessment("emergency")),
    ]
    scores = score(checks)
    assert scores.safety == 0.5
    assert scores.exact_triage == 0.0  # emergency is safe but not the right level
    assert scores.over_triage is None
    assert "safety" in scores.unmet()


def test_over_triage_counts_only_levels_above_every_right_level() -> None:
    checks = [
        check(_vignette(triage="self_care"), _assessment("soon")),
        check(_vignette(triage_in=["self_care", "soon"]), _assessment("soon")),
        check(_vignette(triage_in=["self_care", "soon"]), _assessment("self_care")),
        check(_vignette(triage="self_care"), _assessment("self_care")),
    ]
    scores = score(checks)
    assert scores.over_triage == 0.25
    assert scores.exact_triage == 0.75
    assert scores.safety is None


def test_concern_and_contributor_scores() -> None:
    checks = [
        check(
            _vignette(concerns=["cancer", "spinal_infection"]),
            _assessment("urgent", concerns=["cancer"]),
        ),
        check(_vignette(concerns_none=True), _assessment("self_care", concerns=["angina"])),
        check(
            _vignette(contributors_top3=["smoking", "injury"]),
            _assessment("self_care", contributors=["a", "b", "smoking", "injury"]),
        ),
    ]
    scores = score(checks)
    assert scores.concern_recall == 0.5
    assert scores.false_concerns == 1.0
    assert scores.contributor_hit == 0.5
    assert set(scores.unmet()) == {"concern_recall", "false_concerns", "contributor_hit"}
    assert scores.failures["V"]
    assert "concern recall 50.0%" in scores.summary()
