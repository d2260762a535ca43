"""Between storage and the exports (a shell: it uses the storage repository and models).

:func:`collect` gathers a profile's data into an :class:`ExportDocument` (:func:`fhir_json`
writes one as FHIR R4); :func:`restore` puts a
document back into an EMPTY profile exactly (timestamps included), all or nothing;
:func:`report_inputs` reads what the report needs and :func:`report_content` builds the report
of a stored profile (the command line and the web app render it with ``report.render``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.result import Assessment
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import ConflictError, InvalidInputError, NightspineError, Problem
from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import ExperimentInfo, PersonFacts, ReportContent, build_report
from nightspine.report.exchange import (
    AssessmentRecord,
    ExperimentRecord,
    ExportDocument,
    ProfileRecord,
)
from nightspine.report.words import key_words
from nightspine.storage import repository as repo

if TYPE_CHECKING:
    from nightspine.storage.models import Profile


def person_facts(profile: Profile, today: dt.date) -> PersonFacts:
    """Age (from the birth year, so within a year), sex and the name only if one was given."""
    age = today.year - profile.birth_year if profile.birth_year else None
    return PersonFacts(
        age=age,
        sex=profile.sex or None,
        name=profile.display_name or None,
        birth_year=profile.birth_year,
    )


def experiment_info(record: repo.StoredExperiment) -> ExperimentInfo:
    """An experiment as the report shows it: the change in words, its dates and its verdict.

    The title comes from the experiments catalogue, the end from the stored plan, the verdict
    from the stored result's plain message; whatever is missing or damaged is left out.
    """
    from nightspine.insights.experiments.catalogue import catalogue
    from nightspine.insights.experiments.plan import ExperimentPlan

    spec = catalogue().get(record.change)
    try:
        end: dt.date | None = ExperimentPlan.from_json(record.schedule).end
    except NightspineError:
        end = _date(record.schedule.get("end"))
    result = record.result or {}
    verdict = next(
        (result[k] for k in ("message", "verdict") if isinstance(result.get(k), str)), ""
    )
    return ExperimentInfo(
        title=spec.title if spec is not None else key_words(record.change),
        start=record.start_date,
        end=end,
        status=record.status,
        verdict=_first_sentence(verdict.replace("_", " ")),
    )


def _first_sentence(text: str) -> str:
    """The verdict's first sentence: page 1 has room for the gist, not the whole report."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class ReportInputs:
    person: PersonFacts
    entries: list[DiaryEntry]
    answers: Answers | None
    assessment: Assessment | None
    assessed_on: dt.date | None
    experiments: list[ExperimentInfo]


def report_inputs(
    profile: Profile, *, start: dt.date | None, end: dt.date | None, today: dt.date
) -> ReportInputs:
    """The stored data a report is made from (the latest assessment, the period's entries)."""
    latest = repo.latest_assessment(profile)
    answers = assessment = None
    if latest is not None:
        answers = validate_answers(latest.answers)
        assessment = latest.assessment()
    return ReportInputs(
        person=person_facts(profile, today),
        entries=repo.list_entries(profile, start, end),
        answers=answers,
        assessment=assessment,
        assessed_on=latest.created_at.date() if latest is not None else None,
        experiments=[experiment_info(e) for e in repo.list_experiments(profile)],
    )


def report_content(
    profile: Profile,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date,
    answers: Answers | None = None,
    person_page: bool = True,
) -> ReportContent:
    """The report of a stored profile (what ``nightspine report`` and the web app render).

    It uses the latest saved assessment, or assesses ``answers`` when given; the insights are
    computed on the period's entries.
    """
    from nightspine.assessment.engine import assess
    from nightspine.config import Settings
    from nightspine.insights import analyze

    inputs = report_inputs(profile, start=start, end=end, today=today)
    chosen, assessment, assessed_on = inputs.answers, inputs.assessment, inputs.assessed_on
    if answers is not None:
        number = Settings().resolved_emergency_number()
        chosen, assessment, assessed_on = answers, assess(answers, emergency_number=number), today
    return build_report(
        knowledge=load_knowledge(),
        made_on=today,
        person=inputs.person,
        answers=chosen,
        assessment=assessment,
        assessed_on=assessed_on,
        entries=inputs.entries,
        insights=analyze(inputs.entries) if inputs.entries else None,
        experiments=inputs.experiments,
        start=start,
        end=end,
        person_page=person_page,
    )


def collect(profile: Profile, *, now: dt.datetime) -> ExportDocument:
    """Everything the profile holds, as one export document."""
    return ExportDocument(
        exported_at=now,
        profile=ProfileRecord(
            display_name=profile.display_name, birth_year=profile.birth_year, sex=profile.sex
        ),
        entries=repo.list_entries(profile),
        assessments=[
            AssessmentRecord(
                created_at=a.created_at,
                answers=a.answers,
                result=a.result,
                knowledge_version=a.knowledge_version,
                knowledge_checksum=a.knowledge_checksum,
            )
            for a in repo.list_assessments(profile)
        ],
        experiments=[
            ExperimentRecord(
                change=e.change,
                start_date=e.start_date,
                schedule=e.schedule,
                status=e.status,
                result=e.result,
                created_at=e.created_at,
                updated_at=e.updated_at,
            )
            for e in repo.list_experiments(profile)
        ],
    )


def fhir_json(profile: Profile, document: ExportDocument, *, now: dt.datetime) -> str:
    """The FHIR R4 bundle of ``document`` (the profile's export made at ``now``) as JSON text."""
    from nightspine.report.fhir import fhir_bundle

    bundle = fhir_bundle(
        entries=document.entries,
        assessments=document.assessments,
        person=person_facts(profile, now.date()),
        profile_key=str(profile.pk),
        made_at=now,
    )
    return json.dumps(bundle, ensure_ascii=False, indent=1) + "\n"


def is_empty(profile: Profile) -> bool:
    return (
        repo.count_entries(profile) == 0
        and not repo.list_assessments(profile)
        and not repo.list_experiments(profile)
    )


def restore(profile: Profile, document: ExportDocument) -> None:
    """Put ``document`` into ``profile``, which must hold nothing yet; all or nothing."""
    from django.db import transaction

    from nightspine.storage.models import AssessmentRecord as AssessmentRow
    from nightspine.storage.models import Experiment

    if not is_empty(profile):
        raise ConflictError(
            "this profile already holds diary entries, assessments or experiments; import a "
            "JSON export only into an empty profile (export and delete what is there first, "
            "or choose another database with --db)"
        )
    results = _assessments(document)
    with transaction.atomic():
        repo.update_profile(
            profile,
            display_name=document.profile.display_name,
            birth_year=document.profile.birth_year,
            sex=document.profile.sex,
        )
        repo.import_entries(profile, document.entries)
        for record, result in zip(document.assessments, results, strict=True):
            stored = repo.save_assessment(
                profile, record.answers, result, created_at=record.created_at
            )
            # The raw answers and result go back verbatim (save_assessment re-derives them).
            AssessmentRow.objects.filter(pk=stored.id).update(
                answers=record.answers,
                result=record.result,
                knowledge_version=record.knowledge_version,
                knowledge_checksum=record.knowledge_checksum,
            )
        for experiment in document.experiments:
            row = Experiment.objects.create(
                profile=profile,
                change=experiment.change,
                start_date=experiment.start_date,
                schedule=experiment.schedule,
                status=experiment.status,
                result=experiment.result,
            )
            # update() leaves auto_now alone, so the original timestamps are kept.
            Experiment.objects.filter(pk=row.pk).update(
                created_at=experiment.created_at, updated_at=experiment.updated_at
            )


def _assessments(document: ExportDocument) -> list[Assessment]:
    """Every stored result read as an :class:`Assessment` before anything is written."""
    results: list[Assessment] = []
    problems: list[Problem] = []
    for index, record in enumerate(document.assessments):
        try:
            results.append(record.assessment())
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the result"
            problems.append(
                Problem(
                    f"assessments.{index}.result",
                    f"is not a valid assessment result ({where}: {first['msg']})",
                )
            )
    if problems:
        raise InvalidInputError(problems, what="export")
    return results
