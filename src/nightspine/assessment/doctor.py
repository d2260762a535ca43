"""Placeholder: the for-your-doctor summary is written by the content work (replaced at merge)."""

from __future__ import annotations

from collections.abc import Sequence

from nightspine.assessment.answers import Answers
from nightspine.assessment.result import Concern, Contributor, ForYourDoctor, Triage
from nightspine.knowledge.loader import KnowledgeBase


def build_for_your_doctor(
    kb: KnowledgeBase,
    answers: Answers,
    triage: Triage,
    concerns: Sequence[Concern],
    contributors: Sequence[Contributor],
) -> ForYourDoctor:
    """What to tell a doctor (placeholder: empty)."""
    return ForYourDoctor()
