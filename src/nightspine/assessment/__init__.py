"""The assessment engine: answers in, a triage level, concerns, contributors and a plan out."""

from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.engine import assess
from nightspine.assessment.result import Assessment, TriageLevel

__all__ = ["Answers", "Assessment", "TriageLevel", "assess", "validate_answers"]
