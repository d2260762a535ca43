"""The wording: intervals in the direction of the effect, honest about chance."""

from __future__ import annotations

import pytest

from nightspine.insights.result import FactorEffect
from nightspine.insights.text import factor_name, nights_phrase, signed_interval


@pytest.mark.parametrize(
    ("effect", "ci", "expected"),
    [
        (2.1, (1.2, 3.0), "2.1 points worse (1.2 to 3.0)"),
        (-1.5, (-2.3, -0.7), "1.5 points better (0.7 to 2.3)"),
        (0.4, (-0.3, 1.1), "0.4 points worse (from 0.3 better to 1.1 worse)"),
        (-1.0, (-1.9, -0.1), "1.0 point better (0.1 to 1.9)"),
    ],
)
def test_signed_interval(effect: float, ci: tuple[float, float], expected: str) -> None:
    assert signed_interval(effect, ci) == expected


def test_per_unit_effects_are_scaled_for_reading() -> None:
    assert signed_interval(0.02, (0.01, 0.03), step=30) == "0.6 points worse (0.3 to 0.9)"


def test_names_and_phrases() -> None:
    assert nights_phrase("sleep_position", "stomach") == "nights on the stomach"
    assert nights_phrase("pillow", "cervical") == "nights on the 'cervical' pillow"
    assert nights_phrase("alcohol_evening", None) == "evenings with alcohol"
    assert factor_name("mattress", "new medium") == "mattress 'new medium'"
    assert factor_name("exercise_minutes") == "exercise"


def _effect(**changes: object) -> FactorEffect:
    values: dict[str, object] = {
        "factor": "knee_pillow",
        "level": None,
        "kind": "boolean",
        "enough_data": True,
        "effect": -0.1,
        "ci95": (-0.3, 0.1),
        "ci_adjusted": (-0.4, 0.2),
        "n_with": 200,
        "n_without": 300,
        "method": "m",
        "message": "",
    }
    values.update(changes)
    return FactorEffect.model_validate(values)


def test_a_tight_interval_around_zero_says_the_difference_is_small() -> None:
    from nightspine.insights.text import factor_sentence

    text = factor_sentence(_effect(), tests=10)
    assert "under half a point either way" in text


def test_a_nominal_but_not_credible_difference_warns_about_chance() -> None:
    from nightspine.insights.text import factor_sentence

    text = factor_sentence(_effect(effect=0.9, ci95=(0.1, 1.7), ci_adjusted=(-0.3, 2.1)), tests=12)
    assert "With 12 comparisons made, a difference this size could still be chance" in text


def test_one_interval_name_and_plain_summaries() -> None:
    from nightspine.insights.text import interval_name, interval_note, signed_points, waiting_names

    assert interval_name(15) == "95% interval, adjusted for the 15 factors compared"
    assert interval_name(15) in interval_note(15)
    assert interval_note(1) == "Intervals are the 95% interval."
    assert (signed_points(2.04), signed_points(-0.5), signed_points(0.0)) == ("+2.0", "-0.5", "0.0")
    assert waiting_names([]) == ""


def test_top_findings_say_the_clear_effects_first_and_at_most_three() -> None:
    import numpy as np
    from diary_sim import simulate_diary

    from nightspine.insights import analyze
    from nightspine.insights.text import TOP_FINDINGS, top_findings

    result = analyze(simulate_diary(np.random.default_rng(5), stomach_effect=3.0, sigma=1.0))
    found = top_findings(result)
    assert 1 <= len(found) <= TOP_FINDINGS
    assert any("nights on the stomach" in f for f in found)
    quiet = analyze(simulate_diary(np.random.default_rng(5), sigma=1.0))
    assert any("No factor stands out clearly yet" in f for f in top_findings(quiet))


def test_counts_of_nights_agree_with_their_word() -> None:
    from nightspine.insights.text import nights_text

    assert nights_text(1) == "1 night"
    assert nights_text(0) == "0 nights"
    assert nights_text(1, "more") == "1 more night"
    assert nights_text(7, "such") == "7 such nights"
