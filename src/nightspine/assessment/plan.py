"""Placeholder: the personal plan is written by the content work (replaced at merge)."""

from __future__ import annotations

from collections.abc import Sequence

from nightspine.assessment.answers import Answers
from nightspine.assessment.result import Concern, Contributor, PlanItem, Triage
from nightspine.knowledge.loader import KnowledgeBase


def build_plan(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> list[PlanItem]:
    """The personal plan for these answers (placeholder: empty)."""
    return []
