"""The FHIR R4 export validates with the fhir.resources R4B models and keeps the pain values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import report_simulation as sim
from fhir.resources.R4B.bundle import Bundle

from nightspine.diary.entry import DiaryEntry
from nightspine.knowledge.vocabulary import assessment_vocabulary
from nightspine.report.content import PersonFacts
from nightspine.report.exchange import AssessmentRecord
from nightspine.report.fhir import fhir_bundle, morning_pain

MADE_AT = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    record = AssessmentRecord.of(
        dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC), sim.answers(), sim.assessment()
    )
    return fhir_bundle(
        entries=sim.entries(90),
        assessments=[record],
        person=PersonFacts(age=47, sex="female"),
        made_at=MADE_AT,
    )


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_validates_as_fhir_r4(bundle: dict[str, Any]) -> None:
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    kinds = {type(e.resource).__name__ for e in parsed.entry}
    assert kinds == {"Patient", "Questionnaire", "QuestionnaireResponse", "Observation"}


def test_morning_pain_round_trips(bundle: dict[str, Any]) -> None:
    expected = {e.date: e.pain_on_waking for e in sim.entries(90)}
    assert morning_pain(bundle) == expected
    reparsed = Bundle.model_validate(bundle).model_dump(mode="json")
    assert morning_pain(reparsed) == expected


def test_questionnaire_items_are_the_vocabulary_keys(bundle: dict[str, Any]) -> None:
    (questionnaire,) = _resources(bundle, "Questionnaire")
    assert [i["linkId"] for i in questionnaire["item"]] == list(assessment_vocabulary().answers)
    (response,) = _resources(bundle, "QuestionnaireResponse")
    answered = {i["linkId"]: i["answer"] for i in response["item"]}
    assert answered["age"] == [{"valueInteger": 47}]
    assert {a["valueCoding"]["code"] for a in answered["when_worse"]} == {
        "after_hours_lying",
        "on_waking",
    }
    assert answered["fever"] == [{"valueBoolean": False}]


def test_pain_observation_codes() -> None:
    entry = DiaryEntry(date=dt.date(2026, 3, 2), pain_on_waking=6, pain_locations=("lower_back",))
    bundle = fhir_bundle(entries=[entry], made_at=MADE_AT)
    (pain,) = _resources(bundle, "Observation")
    assert pain["code"]["coding"][0]["code"] == "72514-3"
    assert pain["effectiveDateTime"] == "2026-03-02"
    assert pain["bodySite"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "37822005",
        "display": "Lower back structure",
    }
    Bundle.model_validate(bundle)


def test_several_places_are_sent_as_text_only() -> None:
    entry = DiaryEntry(
        date=dt.date(2026, 3, 2), pain_on_waking=6, pain_locations=("neck", "mid_back")
    )
    (pain,) = _resources(fhir_bundle(entries=[entry], made_at=MADE_AT), "Observation")
    assert pain["bodySite"] == {"text": "neck, mid back"}


def test_same_data_gives_the_same_bundle() -> None:
    entries = sim.entries(10)
    assert fhir_bundle(entries=entries, made_at=MADE_AT) == fhir_bundle(
        entries=entries, made_at=MADE_AT
    )


def test_no_name_unless_given() -> None:
    bundle = fhir_bundle(entries=[], person=PersonFacts(sex="male"), made_at=MADE_AT)
    (patient,) = _resources(bundle, "Patient")
    assert patient == {"resourceType": "Patient", "gender": "male"}
