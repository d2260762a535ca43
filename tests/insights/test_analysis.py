"""``analyze``: not enough data, gaps, numbers, label changes, the JSON shape and the text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
from diary_sim import simulate_diary
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError
from nightspine.insights import MIN_NIGHTS, MIN_PER_GROUP, analyze, render_text

START = dt.date(2026, 1, 1)


def _entries(pains: list[int], *, days: list[int] | None = None, **columns: list[Any]):  # type: ignore[no-untyped-def]
    days = days if days is not None else list(range(len(pains)))
    return [
        DiaryEntry(
            date=START + dt.timedelta(days=d),
            pain_on_waking=p,
            **{k: v[i] for k, v in columns.items()},
        )
        for i, (d, p) in enumerate(zip(days, pains, strict=True))
    ]


def _factor(result, factor: str, level: str | None = None):  # type: ignore[no-untyped-def]
    return next(f for f in result.factors if f.factor == factor and f.level == level)


def test_no_nights_at_all() -> None:
    result = analyze([])
    assert result.nights == 0
    assert not result.enough_data
    assert result.nights_needed == MIN_NIGHTS
    assert "Not enough data yet" in render_text(result)


def test_too_few_nights_says_how_many_more() -> None:
    result = analyze(_entries([3, 4, 5, 4, 3]))
    assert not result.enough_data
    assert result.nights_needed == MIN_NIGHTS - 5
    assert result.factors == ()
    assert f"at least {MIN_NIGHTS - 5} more nights" in result.message
    assert result.to_json()["nights"] == 5


def test_too_few_nights_with_a_level_is_not_guessed() -> None:
    rng = np.random.default_rng(1)
    pains = [int(p) for p in rng.integers(2, 7, size=30)]
    knee = [i < 4 for i in range(30)]  # four nights with a knee pillow
    result = analyze(_entries(pains, knee_pillow=knee))
    f = _factor(result, "knee_pillow")
    assert not f.enough_data
    assert f.effect is None and f.ci95 is None and not f.credible
    assert (f.n_with, f.n_without) == (4, 26)
    assert f.nights_needed == MIN_PER_GROUP - 4
    assert "not enough data yet" in f.message


def test_unrecorded_factors_are_not_reported_as_effects() -> None:
    result = analyze(_entries([4] * 20))
    assert all(not f.enough_data for f in result.factors)
    assert result.tests == 0
    assert "No factor has enough data" in result.message


def test_duplicate_dates_are_refused() -> None:
    entries = _entries([3, 4], days=[0, 0])
    with pytest.raises(InvalidInputError, match="two diary entries"):
        analyze(entries)


def test_a_strong_effect_is_credible_and_worded_like_a_clinician() -> None:
    rng = np.random.default_rng(5)
    result = analyze(simulate_diary(rng, stomach_effect=3.0, sigma=1.0))
    f = _factor(result, "sleep_position", "stomach")
    assert f.credible and f.effect is not None and f.ci95 is not None
    assert f.ci_adjusted is not None
    assert f.ci_adjusted[0] < f.ci95[0] and f.ci95[1] < f.ci_adjusted[1]
    assert f.ci_adjusted[0] > 0
    assert f.p_adjusted is not None and f.p_adjusted < 0.05
    assert f.n_with + (f.n_without or 0) <= result.nights
    assert f.message.startswith("Mornings after nights on the stomach were ")
    # people are shown the interval adjusted for the comparisons made (one convention everywhere)
    lo, hi = f.ci_adjusted
    assert f"points worse ({lo:.1f} to {hi:.1f}) over {f.n_with} such nights." in (f.message)
    text = render_text(result)
    assert "What stands out" in text and f.message in text
    assert "not proof of cause" in text


def test_json_has_the_issue_shape() -> None:
    rng = np.random.default_rng(6)
    data = analyze(simulate_diary(rng, stomach_effect=2.0)).to_json()
    json.dumps(data)  # serialisable as is
    assert {"nights", "trend", "factors", "changes"} <= set(data)
    stomach = next(f for f in data["factors"] if f["level"] == "stomach")
    for key in ("factor", "level", "effect", "ci95", "credible", "n_with", "n_without"):
        assert key in stomach
    assert isinstance(stomach["ci95"], list) and len(stomach["ci95"]) == 2
    assert "Bonferroni" in data["multiplicity"]


def test_numbers_are_per_unit() -> None:
    rng = np.random.default_rng(8)
    result = analyze(simulate_diary(rng, nights=120, stress_effect=0.5, sigma=0.8))
    f = _factor(result, "stress")
    assert f.kind == "number" and f.unit == "point" and f.n_without is None
    assert f.ci95 is not None and f.ci95[0] <= 0.5 <= f.ci95[1]
    assert f.credible
    assert "Each extra point of stress the day before went with mornings" in f.message


def test_a_number_without_variety_is_not_guessed() -> None:
    result = analyze(_entries([3, 4, 5] * 6, hours_slept=[7.0] * 18))
    f = _factor(result, "hours_slept")
    assert not f.enough_data and "variety" in f.message


def test_gaps_in_dates_are_handled() -> None:
    """Nights logged irregularly (gaps of 1-5 days) still give a sensible fit."""
    rng = np.random.default_rng(9)
    days = np.cumsum(rng.integers(1, 6, size=60)).tolist()
    side = [bool(i % 3 == 0) for i in range(60)]
    pains = [int(np.clip(round(4 + 2 * s + rng.normal(0, 1)), 0, 10)) for s in side]
    positions = ["side" if s else "back" for s in side]
    result = analyze(_entries(pains, days=days, sleep_position=positions))
    f = _factor(result, "sleep_position", "side")  # two levels: only the rarer one is tested
    assert [g.level for g in result.factors if g.factor == "sleep_position"] == ["side"]
    assert f.ci95 is not None and f.ci95[0] <= 2.0 <= f.ci95[1]
    assert result.trend.enough_data


def test_the_trend_sees_a_real_improvement() -> None:
    rng = np.random.default_rng(10)
    entries = simulate_diary(rng, nights=90, baseline=6.0, trend_per_30_days=-1.5, sigma=0.8)
    trend = analyze(entries).trend
    assert trend.enough_data and trend.clear and trend.direction == "better"
    assert trend.difference is not None and trend.difference < 0
    assert len(trend.curve.dates) == len(trend.curve.smoothed) == 90
    assert trend.curve.smoothed[0] > trend.curve.smoothed[-1]
    assert trend.message.startswith("Mornings have improved")


def test_a_short_diary_has_no_trend_yet() -> None:
    trend = analyze(_entries([4] * 20)).trend
    assert not trend.enough_data
    assert trend.nights_needed == 8
    assert "Not enough data yet for a trend" in trend.message


def test_a_new_mattress_is_compared_before_and_after() -> None:
    rng = np.random.default_rng(12)
    pains = [
        int(np.clip(round((5 if d < 40 else 3) + rng.normal(0, 0.8)), 0, 10)) for d in range(80)
    ]
    mattress = ["old spring" if d < 40 else "new medium" for d in range(80)]
    result = analyze(_entries(pains, mattress=mattress))
    (change,) = result.changes
    assert (change.factor, change.before, change.after) == ("mattress", "old spring", "new medium")
    assert change.date == START + dt.timedelta(days=40)
    assert change.before_window.nights == 40 and change.after_window.nights == 40
    assert change.effect is not None and change.ci95 is not None
    assert change.ci95[0] <= -2.0 <= change.ci95[1] and change.credible
    assert "the change of mattress from 'old spring' to 'new medium'" in change.message
    # the label factor says the same, flagged as bunched in time
    f = _factor(result, "mattress", "new medium")
    assert f.time_confounded


def test_a_change_during_a_steady_improvement_is_flagged() -> None:
    rng = np.random.default_rng(13)
    pains = [int(np.clip(round(7 - d / 12 + rng.normal(0, 0.5)), 0, 10)) for d in range(70)]
    pillow = ["old" if d < 35 else "cervical" for d in range(70)]
    (change,) = analyze(_entries(pains, pillow=pillow)).changes
    assert change.time_confounded
    assert "already changing over time" in change.message


def test_a_knee_pillow_started_is_a_change() -> None:
    pains = [5, 4, 5, 6, 5, 4, 5, 5, 6, 5, 3, 3, 2, 3, 4, 3, 2, 3, 3, 2]
    knee = [False] * 10 + [True] * 10
    (change,) = analyze(_entries(pains, knee_pillow=knee)).changes
    assert (change.before, change.after) == ("without", "with")
    assert "Since starting a knee pillow" in change.message


def test_alternating_pillows_are_a_factor_not_a_change() -> None:
    pains = [4, 5] * 15
    pillow = ["a", "b"] * 15
    result = analyze(_entries(pains, pillow=pillow))
    assert result.changes == ()
    assert [f.level for f in result.factors if f.factor == "pillow"] == ["b"]


def test_too_few_nights_after_a_change() -> None:
    pains = [4] * 25
    mattress = ["old"] * 22 + ["new"] * 3
    (change,) = analyze(_entries(pains, mattress=mattress)).changes
    assert not change.enough_data and change.nights_needed == MIN_PER_GROUP - 3
    assert "not enough data yet" in change.message


def test_labels_are_compared_case_and_space_insensitively() -> None:
    pains = [3, 5] * 10
    pillow = ["Old  foam", "cervical"] * 5 + ["old foam", "Cervical"] * 5
    levels = [
        f.level for f in analyze(_entries(pains, pillow=pillow)).factors if f.factor == "pillow"
    ]
    assert levels == ["cervical"]


def test_a_quiet_diary_is_noted() -> None:
    result = analyze(_entries([4] * 20), today=START + dt.timedelta(days=60))
    assert any("days ago" in c for c in result.caveats)


entry_strategy = st.builds(
    dict,
    pain=st.integers(0, 10),
    position=st.sampled_from([None, "back", "side", "stomach", "mixed"]),
    knee=st.sampled_from([None, True, False]),
    hours=st.one_of(st.none(), st.floats(3, 10)),
    pillow=st.sampled_from([None, "a", "b"]),
    gap=st.integers(1, 4),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(entry_strategy, min_size=0, max_size=60))
def test_invariants_hold_on_any_diary(rows: list[dict[str, Any]]) -> None:
    days = np.cumsum([r["gap"] for r in rows]).tolist()
    entries = _entries(
        [r["pain"] for r in rows],
        days=days,
        sleep_position=[r["position"] for r in rows],
        knee_pillow=[r["knee"] for r in rows],
        hours_slept=[r["hours"] for r in rows],
        pillow=[r["pillow"] for r in rows],
    )
    result = analyze(entries)
    assert result.nights == len(rows)
    for f in result.factors:
        if f.credible:
            assert f.ci_adjusted is not None
            assert f.ci_adjusted[0] > 0 or f.ci_adjusted[1] < 0
        if f.enough_data:
            assert f.ci95 is not None and f.effect is not None
            assert f.ci95[0] <= f.effect <= f.ci95[1]
            assert f.p_value is not None and f.p_adjusted is not None
            assert f.p_adjusted >= f.p_value
        else:
            assert not f.credible and f.message
    render_text(result)
    json.dumps(result.to_json())


def test_a_long_diary_is_analysed_over_its_latest_nights_and_says_so() -> None:
    from nightspine.insights import WINDOW_NIGHTS
    from nightspine.insights.text import basis_text

    rng = np.random.default_rng(11)
    entries = simulate_diary(rng, nights=WINDOW_NIGHTS + 60, missing_nights=0.0)
    result = analyze(entries)
    latest = sorted(entries, key=lambda e: e.date)[-WINDOW_NIGHTS:]
    assert (result.nights, result.nights_recorded) == (WINDOW_NIGHTS, WINDOW_NIGHTS + 60)
    assert result.first_date == latest[0].date and result.last_date == latest[-1].date
    # a caller that reads only the latest nights gets the very same insights
    assert analyze(latest, recorded=WINDOW_NIGHTS + 60) == result
    basis = basis_text(result)
    assert basis.startswith(f"Based on your last {WINDOW_NIGHTS} nights")
    assert "the 60 nights recorded before them are left out" in basis
    text = render_text(result)
    assert text.startswith(f"Your diary: {WINDOW_NIGHTS + 60} nights recorded.\n{basis}\n")


def test_a_diary_within_the_window_is_analysed_whole() -> None:
    from nightspine.insights.text import basis_text

    result = analyze(simulate_diary(np.random.default_rng(3), nights=90))
    assert result.nights == result.nights_recorded
    assert basis_text(result) == ""
    assert "left out" not in render_text(result)
