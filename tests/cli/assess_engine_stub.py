"""Until the engine lands, the CLI tests run against a tiny stand-in engine (see conftest.py).

The stand-in follows the engine's signature (``assess(answers, kb=None) -> Assessment``) with a
few obvious rules, and uses the real plan and for-your-doctor builders. When the real
``nightspine.assessment.engine`` exists it is used instead and this file changes nothing.
"""

from __future__ import annotations

import importlib.util
import sys
import types

from nightspine.assessment.answers import Answers
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.plan import build_plan
from nightspine.assessment.result import Assessment, Concern, Contributor, Triage, TriageLevel
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge

REAL_ENGINE = importlib.util.find_spec("nightspine.assessment.engine") is not None


def _stub_assess(answers: Answers, kb: KnowledgeBase | None = None) -> Assessment:
    kb = kb or load_knowledge()
    concerns: list[Concern] = []
    level = TriageLevel.SELF_CARE
    reasons: list[str] = []
    if answers.flag("chest_pain_or_pressure"):
        level = TriageLevel.EMERGENCY
        reasons.append("chest pain or pressure with back pain")
        concerns.append(
            Concern(
                id="heart_attack",
                title="Heart attack",
                level=level,
                because=["chest_pain_or_pressure"],
            )
        )
    elif answers.flag("fever"):
        level = TriageLevel.URGENT
        reasons.append("fever with back pain")
    contributors: list[Contributor] = []
    if answers.choice("sleep_position") == "stomach":
        contributors.append(
            Contributor(
                id="stomach_sleeping",
                title="Sleeping on your stomach",
                score=0.8,
                because=["sleep_position"],
            )
        )
    triage = Triage(level=level, reasons=reasons or ["no warning signs"])
    return Assessment(
        knowledge_version=kb.version,
        knowledge_checksum=kb.checksum,
        triage=triage,
        concerns=concerns,
        contributors=contributors,
        plan=build_plan(kb, answers, triage, concerns, contributors),
        for_your_doctor=build_for_your_doctor(kb, answers, triage, concerns, contributors),
    )


def install() -> None:
    """Make ``nightspine.assessment.engine`` importable when the real one is missing."""
    if not REAL_ENGINE and "nightspine.assessment.engine" not in sys.modules:
        module = types.ModuleType("nightspine.assessment.engine")
        module.assess = _stub_assess  # type: ignore[attr-defined]
        sys.modules["nightspine.assessment.engine"] = module
