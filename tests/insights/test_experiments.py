"""N-of-1 experiments: the planner, tonight's instruction, adherence and the verdicts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from importlib import resources
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError, KnowledgeError
from nightspine.insights.experiments import (
    ExperimentPlan,
    catalogue,
    check_adherence,
    plan_experiment,
    render_report,
    report_experiment,
    tonight,
)
from nightspine.insights.experiments.catalogue import parse_catalogue
from nightspine.knowledge.loader import load_knowledge

START = dt.date(2026, 3, 2)


def _follow(
    plan: ExperimentPlan,
    rng: np.random.Generator,
    *,
    effect: float = 0.0,
    adherence: float = 1.0,
    logged: float = 1.0,
    phi: float = 0.4,
    sigma: float = 1.0,
) -> list[DiaryEntry]:
    """Diary entries of a person following ``plan`` (the change adds ``effect`` points)."""
    spec = plan.spec
    values: dict[str, dict[bool, Any]] = {
        "knee_pillow": {True: True, False: False},
        "stretching": {True: True, False: False},
        "sleep_position": {True: "back", False: "stomach"},
        "pillow": {True: plan.labels.get("new"), False: plan.labels.get("usual")},
        "mattress": {True: plan.labels.get("new"), False: plan.labels.get("usual")},
    }
    entries = []
    noise = 0.0
    for block in plan.blocks:
        for evening in block.evenings:
            noise = phi * noise + rng.normal(0, sigma * np.sqrt(1 - phi * phi))
            planned = block.arm == "B"
            did = planned if rng.random() < adherence else not planned
            if rng.random() > logged:
                continue
            pain = 5.0 + effect * did + noise
            entries.append(
                DiaryEntry(
                    date=evening + dt.timedelta(days=1),
                    pain_on_waking=int(np.clip(round(pain), 0, 10)),
                    **{spec.field: values[spec.field][did]},
                )
            )
    return entries


def test_the_catalogue_is_valid_and_sourced() -> None:
    changes = catalogue()
    assert {"knee_pillow", "back_not_stomach", "pillow", "stretching", "mattress_topper"} <= set(
        changes
    )
    for spec in changes.values():
        assert spec.sources and spec.why
        assert 3 <= spec.block_nights <= 4
        known = load_knowledge().sources
        assert spec.source_labels() == tuple(known[s].label for s in spec.sources)


def test_a_change_citing_an_unknown_source_is_refused() -> None:
    text = (
        resources.files("nightspine.insights")
        .joinpath("data/experiments.yaml")
        .read_text(encoding="utf-8")
    )
    assert "- kravitz_2014" in text
    bad = text.replace("- kravitz_2014", "- kravitz_duan_guide", 1)
    with pytest.raises(KnowledgeError, match="cites unknown source 'kravitz_duan_guide'"):
        parse_catalogue(bad)
    assert set(parse_catalogue(text)) == set(catalogue())


@pytest.mark.parametrize(("weeks", "nights"), [(2, 3), (4, 3), (4, 4), (6, 3), (6, 4)])
def test_plans_are_balanced_paired_blocks(weeks: int, nights: int) -> None:
    plan = plan_experiment("knee_pillow", START, seed=1, weeks=weeks, block_nights=nights)
    assert plan.pairs >= 3
    assert plan.nights >= min(weeks * 7, plan.pairs * 2 * nights)
    assert all(b.nights == nights for b in plan.blocks)
    for pair in range(plan.pairs):
        arms = sorted(b.arm for b in plan.blocks if b.pair == pair)
        assert arms == ["A", "B"]
    # consecutive, no gaps, no overlaps
    evenings = [e for b in plan.blocks for e in b.evenings]
    assert evenings == [START + dt.timedelta(days=i) for i in range(plan.nights)]
    assert Counter(b.arm for b in plan.blocks) == {"A": plan.pairs, "B": plan.pairs}


def test_plans_are_reproducible_and_randomised() -> None:
    one = plan_experiment("stretching", START, seed=42, weeks=6)
    again = plan_experiment("stretching", START, seed=42, weeks=6)
    assert one == again
    assert ExperimentPlan.from_json(one.to_json()) == one
    orders = {
        tuple(b.arm for b in plan_experiment("stretching", START, seed=s, weeks=6).blocks)
        for s in range(20)
    }
    assert len(orders) > 10  # the A/B order really is drawn


def test_bad_plans_are_refused_with_every_problem() -> None:
    with pytest.raises(InvalidInputError) as info:
        plan_experiment("pillow", START, seed=1, weeks=9, block_nights=5)
    locations = {p.location for p in info.value.problems}
    assert locations == {"weeks", "block_nights", "usual_label", "new_label"}
    with pytest.raises(InvalidInputError, match="unknown change"):
        plan_experiment("acupuncture", START, seed=1)
    with pytest.raises(InvalidInputError, match="damaged"):
        ExperimentPlan.from_json({"change": "knee_pillow"})


def test_tonight_says_what_to_do() -> None:
    plan = plan_experiment("knee_pillow", START, seed=3, weeks=2)
    before = tonight(plan, START - dt.timedelta(days=2))
    assert before.status == "before" and "starts in 2 days" in before.message
    first = plan.blocks[0]
    now = tonight(plan, START)
    assert now.status == "during" and now.arm == first.arm and now.night_in_block == 1
    assert now.nights_left == plan.nights
    expected = "with a pillow between your knees" if first.arm == "B" else "without a pillow"
    assert expected in now.instruction
    after = tonight(plan, plan.last_evening + dt.timedelta(days=1))
    assert after.status == "after" and "experiment report" in after.message


def test_label_changes_fill_in_the_labels() -> None:
    plan = plan_experiment("pillow", START, seed=5, usual_label="old  foam", new_label="cervical")
    b_evening = next(b for b in plan.blocks if b.arm == "B").first_evening
    assert "new pillow (cervical)" in tonight(plan, b_evening).instruction
    entries = [
        DiaryEntry(date=b_evening + dt.timedelta(days=1), pain_on_waking=3, pillow="Cervical")
    ]
    checks = check_adherence(plan, entries).nights
    assert [c.followed for c in checks if c.logged] == [True]


def test_adherence_is_checked_from_the_diary() -> None:
    plan = plan_experiment("knee_pillow", START, seed=7, weeks=2)
    a_block = next(b for b in plan.blocks if b.arm == "A")
    b_block = next(b for b in plan.blocks if b.arm == "B")

    def entry(evening: dt.date, knee: bool | None) -> DiaryEntry:
        return DiaryEntry(date=evening + dt.timedelta(days=1), pain_on_waking=4, knee_pillow=knee)

    entries = [
        entry(b_block.evenings[0], True),  # followed
        entry(b_block.evenings[1], False),  # not followed
        entry(a_block.evenings[0], False),  # followed
        entry(a_block.evenings[1], None),  # field not recorded
    ]
    result = check_adherence(plan, entries)
    assert result.nights_due == plan.nights
    assert (result.logged, result.followed, result.not_followed) == (4, 2, 1)
    assert result.unknown == plan.nights - 3
    assert result.rate == pytest.approx(2 / 3, abs=1e-3)
    # nights whose morning has not come yet are not due
    partial = check_adherence(plan, entries, today=START + dt.timedelta(days=2))
    assert partial.nights_due == 2


def test_a_clear_benefit_gives_helped() -> None:
    plan = plan_experiment("knee_pillow", START, seed=11, weeks=6)
    entries = _follow(plan, np.random.default_rng(1), effect=-2.5)
    result = report_experiment(plan, entries)
    assert result.status == "complete" and result.verdict == "helped"
    assert result.ci95 is not None and result.ci95[1] < 0
    assert result.ci95[0] <= -2.5 <= result.ci95[1]
    assert result.pairs_used == plan.pairs
    assert "The change helped you" in result.message
    assert "points better" in render_report(result)


def test_a_harmful_change_gives_made_worse() -> None:
    plan = plan_experiment("back_not_stomach", START, seed=12, weeks=6)
    result = report_experiment(plan, _follow(plan, np.random.default_rng(2), effect=2.5))
    assert result.verdict == "made_worse"


def test_no_verdict_before_the_end() -> None:
    plan = plan_experiment("stretching", START, seed=13, weeks=4)
    entries = _follow(plan, np.random.default_rng(3), effect=-3.0)
    midway = plan.start + dt.timedelta(days=plan.nights // 2)
    result = report_experiment(plan, entries, today=midway)
    assert result.status == "in_progress" and result.verdict == "not_finished"
    assert "to go" in result.message


def test_too_few_adherent_nights_is_inconclusive_and_says_why() -> None:
    plan = plan_experiment("knee_pillow", START, seed=14, weeks=4)
    entries = _follow(plan, np.random.default_rng(4), effect=-2.0, logged=0.3)
    result = report_experiment(plan, entries)
    assert result.verdict == "inconclusive"
    assert result.pairs_used < 3
    assert any("complete pair" in r for r in result.reasons)
    assert result.pairs_needed >= 1


def test_noisy_small_trial_is_inconclusive_with_more_pairs_needed() -> None:
    plan = plan_experiment("knee_pillow", START, seed=15, weeks=2)
    entries = _follow(plan, np.random.default_rng(5), effect=-1.0, sigma=2.5)
    result = report_experiment(plan, entries)
    assert result.verdict == "inconclusive"
    assert result.pairs_needed > 0
    assert "Inconclusive" in result.message


def test_poor_adherence_is_reported() -> None:
    plan = plan_experiment("stretching", START, seed=16, weeks=6)
    entries = _follow(plan, np.random.default_rng(6), effect=-2.0, adherence=0.6)
    result = report_experiment(plan, entries)
    assert result.adherence.rate is not None and result.adherence.rate < 0.7
    assert any("followed the plan" in r for r in result.reasons)


def test_washout_nights_are_left_out() -> None:
    plan = plan_experiment("mattress_topper", START, seed=17, usual_label="a", new_label="b")
    assert plan.washout_nights == 1 and plan.block_nights == 4
    entries = _follow(plan, np.random.default_rng(7))
    checks = check_adherence(plan, entries).nights
    assert sum(c.washout for c in checks) == len(plan.blocks)
    result = report_experiment(plan, entries)
    assert all(p.usual_nights == 3 and p.change_nights == 3 for p in result.pairs)


@pytest.mark.slow
def test_verdicts_are_calibrated_on_simulated_trials() -> None:
    """Six-week trials: a true 2-point benefit is found most of the time; no effect rarely
    gives a verdict either way."""
    rng = np.random.default_rng(2026)
    helped = wrong = 0
    runs = 200
    for i in range(runs):
        plan = plan_experiment("knee_pillow", START, seed=i, weeks=6)
        helped += report_experiment(plan, _follow(plan, rng, effect=-2.0)).verdict == "helped"
        null = report_experiment(plan, _follow(plan, rng, effect=0.0)).verdict
        wrong += null in ("helped", "made_worse")
    assert helped / runs >= 0.8
    assert wrong / runs <= 0.08


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    weeks=st.integers(2, 6),
    nights=st.sampled_from([3, 4]),
    change=st.sampled_from(["knee_pillow", "stretching", "back_not_stomach"]),
)
def test_every_plan_is_balanced_and_contiguous(
    seed: int, weeks: int, nights: int, change: str
) -> None:
    plan = plan_experiment(change, START, seed=seed, weeks=weeks, block_nights=nights)
    assert plan.pairs >= 3 and plan.nights >= weeks * 7 - 2 * nights
    for pair in range(plan.pairs):
        assert sorted(b.arm for b in plan.blocks if b.pair == pair) == ["A", "B"]
    evenings = [e for b in plan.blocks for e in b.evenings]
    assert evenings == [START + dt.timedelta(days=i) for i in range(plan.nights)]
    assert ExperimentPlan.from_json(plan.to_json()) == plan


def test_tonight_reminds_about_last_night() -> None:
    plan = plan_experiment("knee_pillow", START, seed=21, weeks=2)
    second = START + dt.timedelta(days=1)
    first_arm = plan.blocks[0].arm
    missing = tonight(plan, second, [])
    assert missing.last_night is not None and "missing" in missing.last_night
    wrong = DiaryEntry(date=second, pain_on_waking=4, knee_pillow=first_arm == "A")
    off_plan = tonight(plan, second, [wrong])
    assert off_plan.last_night is not None and "did not follow the plan" in off_plan.message
    said = "yes" if wrong.knee_pillow else "no"
    assert f"knee pillow was recorded as {said})" in off_plan.message  # words, not True/False
    right = DiaryEntry(date=second, pain_on_waking=4, knee_pillow=first_arm == "B")
    assert tonight(plan, second, [right]).last_night is None
    assert tonight(plan, START, []).last_night is None  # no planned night before the first


def test_the_suggested_change_addresses_the_top_contributor() -> None:
    from nightspine.insights.experiments import suggested_change

    change, why = suggested_change(["stomach_sleeping", "unsupported_side_sleeping"])
    assert (change.id, why) == ("side_not_stomach", "stomach_sleeping")
    change, why = suggested_change(["smoking", "unsupportive_mattress", "stomach_sleeping"])
    assert (change.id, why) == ("mattress_topper", "unsupportive_mattress")
    change, why = suggested_change(["smoking"])
    assert (change.id, why) == ("knee_pillow", None)


def test_a_change_addressing_an_unknown_contributor_is_refused() -> None:
    from nightspine.errors import KnowledgeError
    from nightspine.insights.experiments.catalogue import parse_catalogue

    text = """
version: 1
changes:
  - id: odd
    title: Odd
    field: stretching
    usual: {equals: false}
    change: {equals: true}
    tonight_usual: a
    tonight_change: b
    block_nights: 3
    washout_nights: 0
    addresses: [no_such_thing]
    why: c
    sources: [kravitz_2014]
"""
    with pytest.raises(KnowledgeError, match="unknown contributor 'no_such_thing'"):
        parse_catalogue(text)
