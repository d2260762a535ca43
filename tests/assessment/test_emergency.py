"""The emergency call to action: one sentence, naming the configured number, wherever it is said
(the triage advice, the plan's first item, the stop screen)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from nightspine.assessment import assess
from nightspine.assessment.emergency import CALL_NOW, call_now
from nightspine.assessment.result import TriageLevel
from nightspine.assessment.rules import triage_advice
from nightspine.assessment.stop import STOP_TEXT, emergency_now
from nightspine.errors import InvalidInputError

KNOWLEDGE = Path(__file__).resolve().parents[2] / "src" / "nightspine" / "knowledge" / "data"
NUMBERS = ("999", "911", "112", "000")
RETENTION = {"bladder_bowel": ["retention"], "pain_locations": ["lower_back"]}
FEVER_AND_DRUGS = {"fever": True, "iv_drug_use": True, "pain_locations": ["lower_back"]}


def _texts(result: Any) -> list[str]:
    """Every sentence of an assessment that a person reads about what to do."""
    return [result.triage.advice, *result.triage.reasons, *(p.text for p in result.plan)]


@pytest.mark.parametrize("number", NUMBERS)
def test_the_advice_names_the_number_given_and_no_other(number: str) -> None:
    for answers in (RETENTION, FEVER_AND_DRUGS):
        result = assess(answers, emergency_number=number)
        text = " ".join(_texts(result))
        others = [n for n in NUMBERS if n != number and re.search(rf"\b{n}\b", text)]
        assert not others, f"{others} in {text!r}"
    emergency = assess(RETENTION, emergency_number=number)
    assert emergency.triage.level is TriageLevel.EMERGENCY
    assert emergency.triage.advice.startswith(call_now(number))
    assert emergency.plan[0].text.startswith(call_now(number))
    urgent = assess(FEVER_AND_DRUGS, emergency_number=number)
    assert urgent.triage.level is TriageLevel.URGENT
    assert f"call {number}." in urgent.triage.advice


def test_one_sentence_for_the_stop_screen_the_advice_and_the_plan() -> None:
    assert CALL_NOW in STOP_TEXT
    result = emergency_now(RETENTION, emergency_number="999")
    assert result is not None
    assert STOP_TEXT.format(number="999").endswith(call_now("999"))
    assert call_now("999") in result.triage.advice
    assert triage_advice(TriageLevel.EMERGENCY, "999") == result.triage.advice


def test_without_a_number_the_advice_says_112() -> None:
    assert "Call the emergency number, 112, now" in assess(RETENTION).triage.advice


@pytest.mark.parametrize("bad", ["", "ninety", "999; rm", "1-1-2"])
def test_a_number_that_is_not_one_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInputError, match="NIGHTSPINE_EMERGENCY_NUMBER"):
        assess(RETENTION, emergency_number=bad)


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@pytest.mark.parametrize(
    "name", ["advice.yaml", "concerns.yaml", "warning_signs.yaml", "questionnaire.yaml"]
)
def test_the_knowledge_texts_name_no_country_number(name: str) -> None:
    """A number in the knowledge would be wrong in every other country: texts say 'the
    emergency number', and the engine puts the configured number in the one call to action."""
    texts = _strings(yaml.safe_load((KNOWLEDGE / name).read_text(encoding="utf-8")))
    found = [t for t in texts if re.search(r"\b(999|911|112|000)\b", t)]
    assert not found, found
