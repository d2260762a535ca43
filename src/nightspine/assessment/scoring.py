"""Scoring the engine on clinical vignettes, as the assessment contract defines it.

A vignette is a mapping with ``id``, ``answers`` and ``expect`` (``triage`` or ``triage_in``,
``concerns``, ``concerns_none``, ``contributors_top3``). :func:`check` compares one assessment
with its expectations; :func:`score` computes the contract's six scores over many:

- safety: of vignettes whose lowest right level is urgent or emergency, the share triaged at
  that level or higher (goal 100%);
- exact triage: the share triaged at a right level (goal at least 95%);
- over-triage: of vignettes whose lowest right level is self_care, the share triaged above the
  highest right level (goal at most 5%);
- concern recall: the share of expected concern ids reported (goal at least 95%);
- false concerns: of vignettes marked ``concerns_none``, the share reporting any (goal at most 5%);
- contributor hit: the share of ``contributors_top3`` ids found in the first three (goal 90%).

Pure: no files are read here; pass the parsed vignettes and an ``assess`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nightspine.assessment.result import Assessment, TriageLevel

HIGH = (TriageLevel.URGENT, TriageLevel.EMERGENCY)


@dataclass(frozen=True)
class Goal:
    name: str
    target: float
    higher_is_better: bool

    def met(self, value: float | None) -> bool:
        if value is None:
            return True
        return value >= self.target if self.higher_is_better else value <= self.target


GOALS: tuple[Goal, ...] = (
    Goal("safety", 1.0, True),
    Goal("exact_triage", 0.95, True),
    Goal("over_triage", 0.05, False),
    Goal("concern_recall", 0.95, True),
    Goal("false_concerns", 0.05, False),
    Goal("contributor_hit", 0.90, True),
)


@dataclass(frozen=True)
class VignetteCheck:
    """How one assessment measured up to one vignette's expectations."""

    id: str
    level: TriageLevel
    right_levels: tuple[TriageLevel, ...]
    concerns: tuple[str, ...]
    top3: tuple[str, ...]
    expected_concerns: tuple[str, ...]
    concerns_none: bool
    expected_top3: tuple[str, ...]

    @property
    def lowest_right(self) -> TriageLevel | None:
        return min(self.right_levels, key=lambda lv: lv.rank) if self.right_levels else None

    @property
    def highest_right(self) -> TriageLevel | None:
        return max(self.right_levels, key=lambda lv: lv.rank) if self.right_levels else None

    @property
    def triage_right(self) -> bool:
        return not self.right_levels or self.level in self.right_levels

    @property
    def missing_concerns(self) -> tuple[str, ...]:
        return tuple(c for c in self.expected_concerns if c not in self.concerns)

    @property
    def false_concerns(self) -> bool:
        return self.concerns_none and bool(self.concerns)

    @property
    def missing_top3(self) -> tuple[str, ...]:
        return tuple(c for c in self.expected_top3 if c not in self.top3)

    @property
    def problems(self) -> list[str]:
        out: list[str] = []
        if not self.triage_right:
            wanted = "/".join(lv.value for lv in self.right_levels)
            out.append(f"triage {self.level.value}, expected {wanted}")
        if self.missing_concerns:
            out.append(
                f"missing concerns {list(self.missing_concerns)} (got {list(self.concerns)})"
            )
        if self.false_concerns:
            out.append(f"expected no concern, got {list(self.concerns)}")
        if self.missing_top3:
            out.append(f"{list(self.missing_top3)} not in the top three {list(self.top3)}")
        return out


@dataclass(frozen=True)
class Scores:
    """The six scores (fractions from 0 to 1; None when no vignette counts for one)."""

    vignettes: int
    safety: float | None
    exact_triage: float | None
    over_triage: float | None
    concern_recall: float | None
    false_concerns: float | None
    contributor_hit: float | None
    failures: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> float | None:
        result: float | None = getattr(self, name)
        return result

    def unmet(self) -> list[str]:
        """The names of the goals not met."""
        return [g.name for g in GOALS if not g.met(self.value(g.name))]

    def summary(self) -> str:
        def pct(value: float | None) -> str:
            return "n/a" if value is None else f"{100 * value:.1f}%"

        parts = [f"{g.name.replace('_', ' ')} {pct(self.value(g.name))}" for g in GOALS]
        return f"{self.vignettes} vignettes: " + ", ".join(parts)


def _levels(expect: Mapping[str, Any]) -> tuple[TriageLevel, ...]:
    if "triage" in expect:
        return (TriageLevel(expect["triage"]),)
    return tuple(TriageLevel(v) for v in expect.get("triage_in", ()))


def check(vignette: Mapping[str, Any], assessment: Assessment) -> VignetteCheck:
    """Compare one assessment with the expectations of one vignette."""
    expect: Mapping[str, Any] = vignette.get("expect") or {}
    return VignetteCheck(
        id=str(vignette.get("id", "?")),
        level=assessment.triage.level,
        right_levels=_levels(expect),
        concerns=tuple(c.id for c in assessment.concerns),
        top3=tuple(c.id for c in assessment.contributors[:3]),
        expected_concerns=tuple(expect.get("concerns", ())),
        concerns_none=bool(expect.get("concerns_none", False)),
        expected_top3=tuple(expect.get("contributors_top3", ())),
    )


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def score(checks: Sequence[VignetteCheck]) -> Scores:
    """The contract's six scores over ``checks``."""
    high = [c for c in checks if c.lowest_right in HIGH]
    triaged = [c for c in checks if c.right_levels]
    low = [c for c in checks if c.lowest_right == TriageLevel.SELF_CARE]
    expected = [(c, e) for c in checks for e in c.expected_concerns]
    none = [c for c in checks if c.concerns_none]
    top = [(c, e) for c in checks for e in c.expected_top3]

    def over(c: VignetteCheck) -> bool:
        highest = c.highest_right
        return highest is not None and c.level.rank > highest.rank

    def safe(c: VignetteCheck) -> bool:
        lowest = c.lowest_right
        return lowest is not None and c.level.rank >= lowest.rank

    return Scores(
        vignettes=len(checks),
        safety=_share(sum(safe(c) for c in high), len(high)),
        exact_triage=_share(sum(c.triage_right for c in triaged), len(triaged)),
        over_triage=_share(sum(over(c) for c in low), len(low)),
        concern_recall=_share(sum(e in c.concerns for c, e in expected), len(expected)),
        false_concerns=_share(sum(c.false_concerns for c in none), len(none)),
        contributor_hit=_share(sum(e in c.top3 for c, e in top), len(top)),
        failures={c.id: c.problems for c in checks if c.problems},
    )


def score_vignettes(
    vignettes: Iterable[Mapping[str, Any]],
    assess: Callable[[Mapping[str, Any]], Assessment],
) -> tuple[Scores, list[VignetteCheck]]:
    """Assess every vignette with ``assess`` and score the lot."""
    checks = [check(v, assess(v.get("answers") or {})) for v in vignettes]
    return score(checks), checks
