"""Between storage and the exports (a shell: it uses the storage repository and models).

:func:`collect` gathers a profile's data into an :class:`ExportDocument`; :func:`restore` puts a
document back into an EMPTY profile exactly (timestamps included), all or nothing;
:func:`report_inputs` reads what the report needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.result import Assessment
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import ConflictError
from nightspine.report.content import ExperimentInfo, PersonFacts
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
    return PersonFacts(age=age, sex=profile.sex or None, name=profile.display_name or None)


def experiment_info(record: repo.StoredExperiment) -> ExperimentInfo:
    """An experiment as the report shows it: its change in words, dates and verdict."""
    schedule, result = record.schedule, record.result or {}
    end = _date(schedule.get("end") or schedule.get("end_date"))
    verdict = next(
        (result[k] for k in ("verdict", "text", "summary") if isinstance(result.get(k), str)),
        "",
    )
    return ExperimentInfo(
        title=key_words(record.change),
        start=record.start_date,
        end=end,
        status=record.status,
        verdict=verdict,
    )


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
    with transaction.atomic():
        profile.display_name = document.profile.display_name
        profile.birth_year = document.profile.birth_year
        profile.sex = document.profile.sex
        profile.save()
        repo.import_entries(profile, document.entries)
        for record in document.assessments:
            stored = repo.save_assessment(
                profile, record.answers, record.assessment(), created_at=record.created_at
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
