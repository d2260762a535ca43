"""The result of an N-of-1 experiment: a block-level paired analysis and a plain verdict.

Each pair of blocks gives one difference: mean morning pain on the block of the change (B)
minus the block of the usual way (A), using only nights that followed the plan (and leaving out
wash-out nights). Averaging within blocks absorbs the night-to-night correlation; pairing
removes slow drifts. The effect is the mean difference with a t interval on ``pairs - 1``
degrees of freedom; the exact randomisation test (every way the A/B order could have fallen in
each pair) is reported beside it. No verdict is given before the last night: stopping on a good
run is how chance fools people.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from nightspine.diary.entry import DiaryEntry
from nightspine.insights.ar1 import t_cdf, t_quantile
from nightspine.insights.experiments.catalogue import Arm
from nightspine.insights.experiments.plan import (
    MIN_PAIRS,
    Adherence,
    ExperimentPlan,
    check_adherence,
)
from nightspine.insights.text import signed_interval

MIN_BLOCK_NIGHTS = 2
"""A block counts when at least this many of its (non-wash-out) nights followed the plan."""
GOOD_ADHERENCE = 0.7
MEANINGFUL = 1.0
"""Differences under a point on the 0-10 scale are treated as too small to matter."""

METHOD = (
    "paired comparison of block means (change minus usual) over pairs of randomised blocks; "
    "95% t interval on pairs - 1 df; exact randomisation test over the A/B order in each pair"
)

Verdict = Literal[
    "helped", "made_worse", "no_meaningful_difference", "inconclusive", "not_finished"
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PairResult(_Model):
    """One pair of blocks: their means (``None`` when too few nights followed the plan)."""

    pair: int
    usual_mean: float | None
    change_mean: float | None
    usual_nights: int
    change_nights: int
    difference: float | None


class ExperimentReport(_Model):
    """What the experiment showed, or why it cannot say."""

    change: str
    title: str
    status: Literal["in_progress", "complete"]
    pairs_planned: int
    pairs_used: int
    pairs: tuple[PairResult, ...]
    adherence: Adherence
    effect: float | None = None  # change minus usual: negative means the change helped
    ci95: tuple[float, float] | None = None
    p_value: float | None = None
    p_randomisation: float | None = None
    mean_usual: float | None = None
    mean_change: float | None = None
    verdict: Verdict
    reasons: tuple[str, ...]
    pairs_needed: int = 0
    method: str = METHOD
    message: str

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _randomisation_p(diffs: np.ndarray) -> float:
    """Two-sided exact p: the share of the 2^k sign patterns with a mean at least as extreme."""
    k = diffs.size
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=k)))
    means = np.abs(signs @ diffs) / k
    observed = abs(float(diffs.mean()))
    return float(np.mean(means >= observed - 1e-9))


def _pairs(plan: ExperimentPlan, adherence: Adherence) -> list[PairResult]:
    usable: dict[int, list[int]] = {b.index: [] for b in plan.blocks}
    for night in adherence.nights:
        if night.followed and not night.washout and night.pain is not None:
            usable[night.block].append(night.pain)
    results = []
    for pair in range(plan.pairs):
        blocks = {b.arm: b for b in plan.blocks if b.pair == pair}
        means: dict[Arm, float | None] = {}
        counts: dict[Arm, int] = {}
        for arm in ("A", "B"):
            pains = usable[blocks[arm].index]
            counts[arm] = len(pains)
            means[arm] = float(np.mean(pains)) if len(pains) >= MIN_BLOCK_NIGHTS else None
        a, b = means["A"], means["B"]
        results.append(
            PairResult(
                pair=pair,
                usual_mean=None if a is None else round(a, 3),
                change_mean=None if b is None else round(b, 3),
                usual_nights=counts["A"],
                change_nights=counts["B"],
                difference=None if a is None or b is None else round(b - a, 3),
            )
        )
    return results


def report_experiment(
    plan: ExperimentPlan, entries: Sequence[DiaryEntry], *, today: dt.date | None = None
) -> ExperimentReport:
    """Analyse the experiment ``plan`` against the diary ``entries``.

    With ``today`` before the last planned morning the report is interim (``not_finished``, no
    verdict); ``today=None`` treats the experiment as over.
    """
    spec = plan.spec
    complete = today is None or today >= plan.end
    adherence = check_adherence(plan, entries, today=today)
    pairs = _pairs(plan, adherence)
    diffs = np.array([p.difference for p in pairs if p.difference is not None], dtype=np.float64)
    k = int(diffs.size)
    reasons: list[str] = []
    dropped = plan.pairs - k if complete else 0
    if dropped:
        reasons.append(
            f"{dropped} of {plan.pairs} pairs of blocks could not be used: each block needs at "
            f"least {MIN_BLOCK_NIGHTS} logged nights that followed the plan."
        )
    if adherence.rate is not None and adherence.rate < GOOD_ADHERENCE:
        reasons.append(
            f"Only {adherence.rate:.0%} of the nights with a record followed the plan; the "
            "comparison is weaker and less fair than it should be."
        )
    base: dict[str, Any] = {
        "change": plan.change,
        "title": spec.title,
        "status": "complete" if complete else "in_progress",
        "pairs_planned": plan.pairs,
        "pairs_used": k,
        "pairs": tuple(pairs),
        "adherence": adherence,
    }
    means_a = [p.usual_mean for p in pairs if p.usual_mean is not None and p.difference is not None]
    means_b = [
        p.change_mean for p in pairs if p.change_mean is not None and p.difference is not None
    ]
    numbers: dict[str, Any] = {}
    if k >= 2:
        effect = float(diffs.mean())
        se = float(diffs.std(ddof=1)) / math.sqrt(k)
        q = t_quantile(k - 1, 0.95)
        ci = (effect - q * se, effect + q * se)
        p = 2.0 * t_cdf(k - 1, -abs(effect) / se) if se > 0 else float(effect == 0)
        numbers = {
            "effect": round(effect, 3),
            "ci95": (round(ci[0], 3), round(ci[1], 3)),
            "p_value": float(f"{p:.3g}"),
            "p_randomisation": round(_randomisation_p(diffs), 4),
            "mean_usual": round(float(np.mean(means_a)), 2),
            "mean_change": round(float(np.mean(means_b)), 2),
        }
        if k < 6:
            reasons.append(
                f"With {k} pairs the randomisation test cannot go below p = {2.0 ** (1 - k):.3g}; "
                "the verdict rests on the t interval."
            )
    if not complete:
        left = (plan.last_evening - today).days + 1 if today is not None else 0
        return ExperimentReport(
            verdict="not_finished",
            reasons=tuple(reasons),
            message=(
                f"The experiment is under way: {max(left, 0)} night"
                f"{'s' if left != 1 else ''} to go. {adherence.message} The verdict waits for the "
                "last night: stopping on a good run is how chance fools us."
            ),
            **numbers,
            **base,
        )
    if k < MIN_PAIRS:
        reasons.insert(
            0,
            f"Only {k} complete pair{'s' if k != 1 else ''} of blocks; at least {MIN_PAIRS} are "
            "needed to tell a change from chance.",
        )
        return ExperimentReport(
            verdict="inconclusive",
            reasons=tuple(reasons),
            pairs_needed=MIN_PAIRS - k,
            message="Inconclusive: " + " ".join(reasons),
            **numbers,
            **base,
        )
    effect, ci = numbers["effect"], numbers["ci95"]
    said = signed_interval(effect, ci)
    head = (
        f"With {spec.title.lower()}, mornings were {said} than the usual way, over {k} pairs of "
        f"blocks ({adherence.followed} nights followed the plan)."
    )
    verdict: Verdict
    pairs_needed = 0
    if ci[1] < 0:
        verdict = "helped"
        tail = "The change helped you: the whole interval is on the better side."
        if ci[0] > -MEANINGFUL:
            tail += " The benefit may be small (under a point)."
    elif ci[0] > 0:
        verdict = "made_worse"
        tail = "The change made your mornings worse: the whole interval is on the worse side."
    elif ci[0] > -MEANINGFUL and ci[1] < MEANINGFUL:
        verdict = "no_meaningful_difference"
        tail = "No difference that matters: any effect is under a point either way."
    else:
        verdict = "inconclusive"
        sd = float(diffs.std(ddof=1))
        q = t_quantile(max(k - 1, 1), 0.95)
        total = max(k + 1, math.ceil((q * sd / MEANINGFUL) ** 2)) if sd > 0 else k + 1
        pairs_needed = total - k
        tail = (
            "Inconclusive: the interval includes both a real benefit and none at all. About "
            f"{pairs_needed} more pair{'s' if pairs_needed != 1 else ''} of blocks would narrow it "
            "to within a point."
        )
        reasons.insert(0, "The 95% interval includes 0 and differences of a point or more.")
    return ExperimentReport(
        verdict=verdict,
        reasons=tuple(reasons),
        pairs_needed=pairs_needed,
        message=f"{head} {tail}",
        **numbers,
        **base,
    )


def render_report(report: ExperimentReport) -> str:
    """The report as plain text for a person."""
    lines = [f"Experiment: {report.title} ({report.status.replace('_', ' ')})", "", report.message]
    if report.reasons and report.verdict != "inconclusive":
        lines += ["", "Keep in mind"] + [f"  - {r}" for r in report.reasons]
    elif report.reasons:
        lines += ["", "Why"] + [f"  - {r}" for r in report.reasons]
    lines += [
        "",
        f"Adherence: {report.adherence.message}",
        "This is one person's experiment: it tells you about your nights, not about everyone's.",
    ]
    return "\n".join(lines) + "\n"
