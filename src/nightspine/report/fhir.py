"""The FHIR R4 export: a ``collection`` Bundle built as plain JSON (pure; no FHIR library).

The Bundle holds a ``Patient`` (sex, and a name only if the person gave one), one
``Questionnaire`` defining the assessment's items (linkIds = the vocabulary's answer keys), a
``QuestionnaireResponse`` per assessment, and per diary morning an ``Observation`` of morning
pain (LOINC 72514-3, 0-10, effective = the morning; body site with a SNOMED CT code where one is
certain), of hours slept (LOINC 93832-4) and of the sleeping position (nightspine's own codes:
no standard code fits "the position most of the night was spent in").

Ids are UUIDs derived from the profile key and the record, so the same data gives the same
Bundle. The tests validate the output with the ``fhir.resources`` R4B models.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from nightspine.diary.entry import DiaryEntry
from nightspine.knowledge.vocabulary import AssessmentVocabulary, FieldSpec, assessment_vocabulary
from nightspine.report.content import PersonFacts
from nightspine.report.exchange import AssessmentRecord
from nightspine.report.words import key_words, value_words

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NS = "urn:nightspine"
QUESTIONNAIRE_URL = f"{NS}:questionnaire:assessment"
DIARY_CODES = f"{NS}:diary"
PAIN_CODE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
SLEEP_CODE = {"system": LOINC, "code": "93832-4", "display": "Sleep duration"}
POSITION_CODE = {
    "system": DIARY_CODES,
    "code": "sleep_position",
    "display": "Position most of the night was spent in",
}
BODY_SITES: dict[str, tuple[str, str]] = {
    # Only codes we are sure of; the other locations are sent as text.
    "neck": ("45048000", "Neck structure"),
    "lower_back": ("37822005", "Lower back structure"),
}
_NAMESPACE = uuid.UUID("8a1f5c7e-2b0d-4e7a-9a37-6d1c2f4b9e10")
_ITEM_TYPES = {
    "int": "integer",
    "0-10": "integer",
    "number": "decimal",
    "bool": "boolean",
    "one-of": "choice",
    "many-of": "choice",
    "date": "date",
    "text": "string",
}


def _urn(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource}


def answer_system(key: str) -> str:
    """The code system of a one-of / many-of answer key's values."""
    return f"{NS}:answer:{key}"


def questionnaire(vocabulary: AssessmentVocabulary | None = None) -> dict[str, Any]:
    """The assessment's items as a FHIR ``Questionnaire`` (one item per answer key)."""
    vocab = vocabulary or assessment_vocabulary()
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": str(vocab.version),
        "name": "NightspineAssessment",
        "title": "nightspine assessment of night-time back pain",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [_question(key, spec) for key, spec in vocab.answers.items()],
    }


def _question(key: str, spec: FieldSpec) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": key, "text": key_words(key), "type": _ITEM_TYPES[spec.type]}
    if spec.type == "many-of":
        item["repeats"] = True
    if spec.values:
        item["answerOption"] = [
            {"valueCoding": {"system": answer_system(key), "code": v, "display": value_words(v)}}
            for v in spec.values
        ]
    return item


def _answers(key: str, spec: FieldSpec, value: Any) -> list[dict[str, Any]]:
    kind = spec.type
    if kind == "bool":
        return [{"valueBoolean": bool(value)}]
    if kind in ("int", "0-10"):
        return [{"valueInteger": int(value)}]
    if kind == "number":
        return [{"valueDecimal": float(value)}]
    if kind in ("one-of", "many-of"):
        values = [value] if isinstance(value, str) else list(value)
        return [
            {"valueCoding": {"system": answer_system(key), "code": v, "display": value_words(v)}}
            for v in values
        ]
    if kind == "date":
        return [{"valueDate": str(value)}]
    return [{"valueString": str(value)}]


def questionnaire_response(
    record: AssessmentRecord, subject: str, vocabulary: AssessmentVocabulary | None = None
) -> dict[str, Any]:
    """One assessment's answers as a ``QuestionnaireResponse`` (items in the vocabulary order)."""
    vocab = vocabulary or assessment_vocabulary()
    items = []
    for key, spec in vocab.answers.items():
        value = record.answers.get(key)
        if value is None or (isinstance(value, list | tuple) and not value):
            continue
        items.append({"linkId": key, "text": key_words(key), "answer": _answers(key, spec, value)})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{vocab.version}",
        "status": "completed",
        "subject": {"reference": subject},
        "authored": _instant(record.created_at),
        "item": items,
    }


def _instant(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def _observation(
    subject: str, date: dt.date, code: Mapping[str, str], category: str
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "code": {"coding": [dict(code)], "text": code["display"]},
        "subject": {"reference": subject},
        "effectiveDateTime": date.isoformat(),
    }


def _body_site(locations: Sequence[str]) -> dict[str, Any]:
    text = ", ".join(value_words(loc) for loc in locations)
    site: dict[str, Any] = {"text": text}
    # A CodeableConcept's codings are alternatives for one concept, so a code is given only
    # when the pain was in one place; several places go as text.
    if len(locations) == 1 and locations[0] in BODY_SITES:
        code, display = BODY_SITES[locations[0]]
        site["coding"] = [{"system": SNOMED, "code": code, "display": display}]
    return site


def diary_observations(entry: DiaryEntry, subject: str, profile_key: str) -> list[dict[str, Any]]:
    """The Observations of one morning: pain, and hours slept and position when recorded."""
    day = entry.date.isoformat()
    pain = _observation(subject, entry.date, PAIN_CODE, "survey")
    pain["valueInteger"] = entry.pain_on_waking
    if entry.pain_locations:
        pain["bodySite"] = _body_site(entry.pain_locations)
    out = [_entry(_urn(profile_key, "pain", day), pain)]
    if entry.hours_slept is not None:
        sleep = _observation(subject, entry.date, SLEEP_CODE, "activity")
        sleep["valueQuantity"] = {
            "value": entry.hours_slept,
            "unit": "h",
            "system": UCUM,
            "code": "h",
        }
        out.append(_entry(_urn(profile_key, "sleep", day), sleep))
    if entry.sleep_position is not None:
        position = _observation(subject, entry.date, POSITION_CODE, "activity")
        position["valueCodeableConcept"] = {
            "coding": [
                {
                    "system": f"{DIARY_CODES}:sleep_position",
                    "code": entry.sleep_position,
                    "display": entry.sleep_position,
                }
            ],
            "text": entry.sleep_position,
        }
        out.append(_entry(_urn(profile_key, "position", day), position))
    return out


def patient(person: PersonFacts) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient"}
    if person.sex in ("female", "male", "other"):
        resource["gender"] = person.sex
    if person.name:
        resource["name"] = [{"text": person.name}]
    return resource


def fhir_bundle(
    *,
    entries: Sequence[DiaryEntry],
    assessments: Sequence[AssessmentRecord] = (),
    person: PersonFacts | None = None,
    profile_key: str = "local",
    made_at: dt.datetime,
) -> dict[str, Any]:
    """The whole export as a FHIR R4 ``Bundle`` of type ``collection`` (a JSON-ready dict)."""
    vocab = assessment_vocabulary()
    subject = _urn(profile_key, "patient")
    items = [_entry(subject, patient(person or PersonFacts()))]
    if assessments:
        items.append(_entry(_urn(profile_key, "questionnaire"), questionnaire(vocab)))
        for record in sorted(assessments, key=lambda r: r.created_at):
            items.append(
                _entry(
                    _urn(profile_key, "assessment", record.created_at.isoformat()),
                    questionnaire_response(record, subject, vocab),
                )
            )
    for entry in sorted(entries, key=lambda e: e.date):
        items.extend(diary_observations(entry, subject, profile_key))
    return {
        "resourceType": "Bundle",
        "identifier": {"system": f"{NS}:export", "value": _urn(profile_key, _instant(made_at))},
        "type": "collection",
        "timestamp": _instant(made_at),
        "entry": items,
    }


def morning_pain(bundle: Mapping[str, Any]) -> dict[dt.date, int]:
    """The morning pain values of a Bundle, by date (what a receiving system would read)."""
    out: dict[dt.date, int] = {}
    for item in bundle.get("entry", []):
        resource = item.get("resource", {})
        if resource.get("resourceType") != "Observation":
            continue
        codings = resource.get("code", {}).get("coding", [])
        if any(c.get("system") == LOINC and c.get("code") == "72514-3" for c in codings):
            day = dt.date.fromisoformat(str(resource["effectiveDateTime"])[:10])
            out[day] = int(resource["valueInteger"])
    return out
