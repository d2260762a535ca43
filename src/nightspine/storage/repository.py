"""The storage API every shell calls: profiles, diary entries, assessments, experiments.

Functions take a :class:`~nightspine.storage.models.Profile` and only ever touch that person's
rows, so a caller cannot reach someone else's data by passing a date or an id. They return the
core's pydantic models (:class:`~nightspine.diary.entry.DiaryEntry`) or small frozen records
(:class:`StoredAssessment`, :class:`StoredExperiment`), never ORM rows, and raise the product's
errors: :class:`~nightspine.errors.NotFoundError`, :class:`~nightspine.errors.ConflictError`,
:class:`~nightspine.errors.InvalidInputError`, each saying how to put things right.

Call :func:`nightspine.storage.setup` first (the web app's settings do it for the web).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nightspine.assessment.result import Assessment
from nightspine.diary.entry import CONTRACT_FIELDS, DiaryEntry
from nightspine.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Problem,
    StorageError,
)

if TYPE_CHECKING:
    from nightspine.storage.models import Profile

SEALED_FIELDS: tuple[str, ...] = tuple(n for n in CONTRACT_FIELDS if n != "date")
"""The health values, sealed together in the row's one encrypted ``health_values`` token."""

ROW_COLUMNS: tuple[str, ...] = ("date", "health_values", "origin", "measured_fields")
"""The columns a diary entry is read from: one decryption a row, whatever it records."""
_MAX_STORED_INT = 2**31 - 1
EXPERIMENT_STATUSES = ("planned", "running", "finished", "abandoned")
_IMPORT_BATCH = 500


# ---------------------------------------------------------------------------------------------
# Profiles


def get_or_create_default_profile() -> Profile:
    """The command line's local profile, created on first use (safe under concurrency)."""
    from nightspine.storage.models import DEFAULT_LOCAL_KEY, Profile

    profile, _ = Profile.objects.get_or_create(local_key=DEFAULT_LOCAL_KEY)
    return profile


def get_profile(profile_id: int) -> Profile:
    """The profile with this id, or :class:`NotFoundError`."""
    from nightspine.storage.models import Profile

    try:
        return Profile.objects.get(pk=profile_id)
    except Profile.DoesNotExist:
        raise NotFoundError(f"no profile with id {profile_id}") from None


def create_profile(
    *,
    user: Any = None,
    display_name: str = "",
    birth_year: int | None = None,
    sex: str = "",
    local_key: str | None = None,
) -> Profile:
    """A new profile, optionally linked to a login ``user`` (the web app) or a ``local_key``."""
    from django.db import IntegrityError, transaction

    from nightspine.storage.models import Profile

    _check_profile(sex=sex, birth_year=birth_year)
    try:
        with transaction.atomic():
            return Profile.objects.create(
                user=user,
                display_name=display_name,
                birth_year=birth_year,
                sex=sex,
                local_key=local_key,
            )
    except IntegrityError:
        raise ConflictError(
            "a profile already exists for this account or local key; use it instead of "
            "creating another"
        ) from None


_KEEP: Any = object()


def update_profile(
    profile: Profile,
    *,
    display_name: str | None = None,
    birth_year: int | None = _KEEP,
    sex: str | None = None,
) -> Profile:
    """Change a profile's details; arguments left out stay (``birth_year=None`` clears it)."""
    _check_profile(sex=sex or "", birth_year=None if birth_year is _KEEP else birth_year)
    if display_name is not None:
        profile.display_name = display_name
    if birth_year is not _KEEP:
        profile.birth_year = birth_year
    if sex is not None:
        profile.sex = sex
    profile.save()
    return profile


def _check_profile(*, sex: str, birth_year: int | None) -> None:
    from nightspine.storage.models import SEXES

    problems: list[Problem] = []
    if sex and sex not in {value for value, _ in SEXES}:
        problems.append(Problem("sex", f"got {sex!r}; expected one of: female, male, other"))
    this_year = dt.date.today().year
    if birth_year is not None and not 1900 <= birth_year <= this_year:
        problems.append(
            Problem("birth_year", f"got {birth_year}; expected a year from 1900 to {this_year}")
        )
    if problems:
        raise InvalidInputError(problems, what="profile")


def profile_for_user(user: Any) -> Profile:
    """The profile of a login account, created on first use (for the web app)."""
    from nightspine.storage.models import Profile

    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def delete_profile(profile: Profile) -> None:
    """Delete a profile and everything recorded for it (entries, assessments, experiments)."""
    profile.delete()


# ---------------------------------------------------------------------------------------------
# Diary entries


def list_entries(
    profile: Profile,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    limit: int | None = None,
) -> list[DiaryEntry]:
    """The profile's entries from ``start`` to ``end`` (both included, either open), by date;
    the first ``limit`` of them if given."""
    from nightspine.storage.models import DiaryEntry as Row

    rows = Row.objects.filter(profile=profile)
    if start is not None:
        rows = rows.filter(date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    values = rows.order_by("date").values(*ROW_COLUMNS)
    if limit is not None:
        values = values[:limit]
    return [_entry_from_row(v) for v in values]


def count_entries(profile: Profile) -> int:
    """How many nights the profile has recorded."""
    from nightspine.storage.models import DiaryEntry as Row

    return Row.objects.filter(profile=profile).count()


def find_entry(profile: Profile, date: dt.date) -> DiaryEntry | None:
    """The entry for the morning ``date``, or ``None``."""
    from nightspine.storage.models import DiaryEntry as Row

    values = Row.objects.filter(profile=profile, date=date).values(*ROW_COLUMNS).first()
    return None if values is None else _entry_from_row(values)


def get_entry(profile: Profile, date: dt.date) -> DiaryEntry:
    """The entry for the morning ``date``, or :class:`NotFoundError`."""
    entry = find_entry(profile, date)
    if entry is None:
        raise NotFoundError(
            f"no diary entry for {date.isoformat()}; add one with `nightspine diary add "
            f"--date {date.isoformat()}` or list the dates with `nightspine diary list`"
        )
    return entry


def latest_entry(profile: Profile, before: dt.date | None = None) -> DiaryEntry | None:
    """The most recent entry (strictly before ``before`` if given), or ``None``."""
    from nightspine.storage.models import DiaryEntry as Row

    rows = Row.objects.filter(profile=profile)
    if before is not None:
        rows = rows.filter(date__lt=before)
    values = rows.order_by("-date").values(*ROW_COLUMNS).first()
    return None if values is None else _entry_from_row(values)


def newest_entries(
    profile: Profile, *, limit: int, before: dt.date | None = None
) -> list[DiaryEntry]:
    """Up to ``limit`` entries, newest first, strictly before ``before`` if given: one page of
    a long diary, at the same cost on its first page after ten years as after one."""
    from nightspine.storage.models import DiaryEntry as Row

    rows = Row.objects.filter(profile=profile)
    if before is not None:
        rows = rows.filter(date__lt=before)
    return [_entry_from_row(v) for v in rows.order_by("-date").values(*ROW_COLUMNS)[:limit]]


def insights_entries(profile: Profile) -> tuple[list[DiaryEntry], int]:
    """The entries insights analyse (the latest ``WINDOW_NIGHTS``, oldest first) and how many
    the whole diary holds: two indexed queries whose cost does not grow with the diary. Give
    both to ``analyze(entries, recorded=...)`` so it can say what it left out."""
    from nightspine.insights.analysis import WINDOW_NIGHTS

    newest = newest_entries(profile, limit=WINDOW_NIGHTS)
    recorded = len(newest) if len(newest) < WINDOW_NIGHTS else count_entries(profile)
    return newest[::-1], recorded


LABEL_LOOKBACK_ENTRIES = 366
"""How many recent entries the form's label suggestions are read from (about a year)."""


def labels_used(
    profile: Profile, fields: tuple[str, ...] = ("pillow", "mattress")
) -> dict[str, list[str]]:
    """The distinct labels the profile has written in each of ``fields`` over the last
    ``LABEL_LOOKBACK_ENTRIES`` entries, sorted.

    One query reading the sealed values of the recent entries only (never the whole diary). The
    labels are encrypted at rest with a random nonce, so the database cannot tell equal labels
    apart: they are made distinct here, after decryption, and only recent entries are read so
    that a ten-year diary costs what a one-year diary does.
    """
    from nightspine.storage.models import DiaryEntry as Row

    recent = Row.objects.filter(profile=profile).order_by("-date")
    sealed = recent.values_list("health_values", flat=True)[:LABEL_LOOKBACK_ENTRIES]
    found: dict[str, set[str]] = {field: set() for field in fields}
    for values in sealed:
        for field in fields:
            label = values.get(field) if isinstance(values, Mapping) else None
            if isinstance(label, str) and label:
                found[field].add(label)
    return {field: sorted(labels) for field, labels in found.items()}


def last_label(profile: Profile, field: str) -> str | None:
    """The label (e.g. of the pillow or mattress) in ``field`` of the most recent entry, or
    ``None`` when there is no entry or it holds no label there."""
    latest = latest_entry(profile)
    value = getattr(latest, field) if latest is not None else None
    return value if isinstance(value, str) else None


def save_entry(profile: Profile, entry: DiaryEntry, *, replace: bool = False) -> DiaryEntry:
    """Store ``entry``; a date that already has one is a :class:`ConflictError` unless
    ``replace``, which overwrites every field of the stored entry."""
    from django.db import IntegrityError, transaction

    from nightspine.storage.models import DiaryEntry as Row

    values = _row_values(entry, where=entry.date.isoformat())
    with transaction.atomic():
        if replace:
            Row.objects.update_or_create(profile=profile, date=entry.date, defaults=values)
            return entry
        try:
            with transaction.atomic():
                Row.objects.create(profile=profile, **values)
        except IntegrityError:
            if Row.objects.filter(profile=profile, date=entry.date).exists():
                raise ConflictError(
                    f"there is already a diary entry for {entry.date.isoformat()}; edit it "
                    f"(`nightspine diary edit {entry.date.isoformat()}`) or save with replace "
                    "to overwrite it"
                ) from None
            raise
    return entry


def delete_entry(profile: Profile, date: dt.date) -> None:
    """Delete the entry for ``date``; :class:`NotFoundError` if there is none."""
    from nightspine.storage.models import DiaryEntry as Row

    deleted, _ = Row.objects.filter(profile=profile, date=date).delete()
    if not deleted:
        raise NotFoundError(
            f"no diary entry for {date.isoformat()} to delete; list the dates with "
            "`nightspine diary list`"
        )


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What :func:`import_entries` stored: dates newly created and dates overwritten."""

    created: tuple[dt.date, ...]
    replaced: tuple[dt.date, ...]

    @property
    def total(self) -> int:
        return len(self.created) + len(self.replaced)


def import_entries(
    profile: Profile, entries: Iterable[DiaryEntry], *, replace: bool = False
) -> ImportSummary:
    """Store many entries at once, all or nothing.

    Two entries for one date are refused (:class:`InvalidInputError`); a date that already has
    an entry is a :class:`ConflictError` naming every such date, unless ``replace``. Nothing is
    stored when anything is refused.
    """
    from django.db import IntegrityError, transaction

    from nightspine.storage.models import DiaryEntry as Row

    batch = list(entries)
    problems: list[Problem] = []
    seen: set[dt.date] = set()
    rows: list[dict[str, Any]] = []
    for entry in batch:
        where = entry.date.isoformat()
        if entry.date in seen:
            problems.append(Problem(where, "the same date appears twice; keep one entry per date"))
        seen.add(entry.date)
        try:
            rows.append(_row_values(entry, where=where))
        except InvalidInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInputError(problems, what="diary entries")
    try:
        with transaction.atomic():
            existing = set(
                Row.objects.filter(profile=profile, date__in=seen).values_list("date", flat=True)
            )
            if existing and not replace:
                shown = ", ".join(d.isoformat() for d in sorted(existing))
                raise ConflictError(
                    f"{len(existing)} date(s) already have a diary entry: {shown}; nothing was "
                    "imported. Import with replace (`nightspine diary import --replace`) to "
                    "overwrite them, or remove those rows from the file"
                )
            if existing:
                Row.objects.filter(profile=profile, date__in=existing).delete()
            Row.objects.bulk_create(
                [Row(profile=profile, **values) for values in rows], batch_size=_IMPORT_BATCH
            )
    except IntegrityError as exc:
        raise ConflictError(
            "another program added diary entries for some of these dates while importing; "
            f"nothing was imported, try again ({exc})"
        ) from exc
    return ImportSummary(created=tuple(sorted(seen - existing)), replaced=tuple(sorted(existing)))


def _row_values(entry: DiaryEntry, *, where: str) -> dict[str, Any]:
    """The row's column values for ``entry``: the recorded health values sealed together (a
    list, even empty, is recorded: "none"); refuses what the databases cannot hold alike."""
    sealed: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in SEALED_FIELDS:
        value = getattr(entry, name)
        if value is None:
            continue  # not recorded: no key at all
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, int) and not isinstance(value, bool) and value > _MAX_STORED_INT:
            problems.append(
                Problem(f"{where}, {name}", f"got {value}; expected at most {_MAX_STORED_INT}")
            )
        elif isinstance(value, str) and "\x00" in value:
            problems.append(Problem(f"{where}, {name}", "contains a NUL character; remove it"))
        sealed[name] = value
    if problems:
        raise InvalidInputError(problems, what="diary entry")
    return {
        "date": entry.date,
        "health_values": sealed,
        "origin": entry.origin,
        "measured_fields": list(entry.measured_fields),
    }


def _entry_from_row(row: Mapping[str, Any]) -> DiaryEntry:
    sealed = row["health_values"]
    if not isinstance(sealed, Mapping):
        raise StorageError(
            f"the diary entry of {row['date']} holds unreadable values; restore it from a "
            "backup or an export"
        )
    data: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in sealed.items()
        if value is not None
    }
    data["date"] = row["date"]
    data["origin"] = row["origin"]
    data["measured_fields"] = tuple(row["measured_fields"] or ())
    return DiaryEntry.model_validate(data)


# ---------------------------------------------------------------------------------------------
# Assessments


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """A saved assessment: the answers given, the result as JSON and when it was made."""

    id: int
    created_at: dt.datetime
    answers: dict[str, Any]
    result: dict[str, Any]
    triage_level: str
    knowledge_version: str
    knowledge_checksum: str

    def assessment(self) -> Assessment:
        """The result as the core's :class:`Assessment` model."""
        return Assessment.model_validate(self.result)


def save_assessment(
    profile: Profile,
    answers: Mapping[str, Any],
    assessment: Assessment,
    *,
    created_at: dt.datetime | None = None,
) -> StoredAssessment:
    """Store an assessment with its answers (validated :class:`Answers` or a plain mapping)."""
    from django.utils import timezone

    from nightspine.storage.models import AssessmentRecord

    to_json = getattr(answers, "to_json", None)
    plain = to_json() if callable(to_json) else dict(answers)
    record = AssessmentRecord.objects.create(
        profile=profile,
        answers=json.loads(json.dumps(plain, default=_json_default)),
        result=assessment.to_json(),
        triage_level=assessment.triage.level.value,
        reports_warning_signs=bool(assessment.for_your_doctor.warning_signs_reported),
        knowledge_version=assessment.knowledge_version,
        knowledge_checksum=assessment.knowledge_checksum,
        created_at=created_at or timezone.now(),
    )
    return _stored_assessment(record)


def list_assessments(profile: Profile) -> list[StoredAssessment]:
    """The profile's assessments, oldest first (to compare them over time)."""
    from nightspine.storage.models import AssessmentRecord

    return [
        _stored_assessment(r)
        for r in AssessmentRecord.objects.filter(profile=profile).order_by("created_at", "id")
    ]


def get_assessment(profile: Profile, assessment_id: int) -> StoredAssessment:
    """One of the profile's assessments, or :class:`NotFoundError`."""
    from nightspine.storage.models import AssessmentRecord

    try:
        record = AssessmentRecord.objects.get(profile=profile, pk=assessment_id)
    except AssessmentRecord.DoesNotExist:
        raise NotFoundError(f"no saved assessment with id {assessment_id}") from None
    return _stored_assessment(record)


def latest_assessment(profile: Profile) -> StoredAssessment | None:
    """The profile's most recent assessment, or ``None``."""
    from nightspine.storage.models import AssessmentRecord

    record = AssessmentRecord.objects.filter(profile=profile).order_by("-created_at", "-id").first()
    return None if record is None else _stored_assessment(record)


def delete_assessment(profile: Profile, assessment_id: int) -> None:
    """Delete one of the profile's assessments; :class:`NotFoundError` if there is none."""
    from nightspine.storage.models import AssessmentRecord

    deleted, _ = AssessmentRecord.objects.filter(profile=profile, pk=assessment_id).delete()
    if not deleted:
        raise NotFoundError(f"no saved assessment with id {assessment_id} to delete")


def _stored_assessment(record: Any) -> StoredAssessment:
    return StoredAssessment(
        id=record.pk,
        created_at=record.created_at,
        answers=dict(record.answers),
        result=dict(record.result),
        triage_level=record.triage_level,
        knowledge_version=record.knowledge_version,
        knowledge_checksum=record.knowledge_checksum,
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in an answer")


# ---------------------------------------------------------------------------------------------
# Experiments


@dataclass(frozen=True, slots=True)
class StoredExperiment:
    """A saved N-of-1 experiment: the change tried, its plan, status and result."""

    id: int
    change: str
    start_date: dt.date
    schedule: dict[str, Any]
    status: str
    result: dict[str, Any] | None
    created_at: dt.datetime
    updated_at: dt.datetime


def create_experiment(
    profile: Profile,
    change: str,
    start_date: dt.date,
    schedule: Mapping[str, Any],
    *,
    status: str = "planned",
) -> StoredExperiment:
    """Store a new experiment; a person runs one at a time, so a second planned or running
    one is a :class:`ConflictError`."""
    from django.db import IntegrityError, transaction

    from nightspine.storage.models import Experiment

    _check_status(status)
    if not change or len(change) > 64:
        raise InvalidInputError(
            [Problem("change", "expected the id of a change, 1 to 64 characters")],
            what="experiment",
        )
    try:
        with transaction.atomic():
            row = Experiment.objects.create(
                profile=profile,
                change=change,
                start_date=start_date,
                schedule=_plain_json(schedule),
                status=status,
            )
    except IntegrityError:
        active = active_experiment(profile)
        what = f" ({active.change}, from {active.start_date})" if active else ""
        raise ConflictError(
            f"an experiment is already planned or running{what}; finish or abandon it first "
            "(one change at a time)"
        ) from None
    return _stored_experiment(row)


def get_experiment(profile: Profile, experiment_id: int) -> StoredExperiment:
    """One of the profile's experiments, or :class:`NotFoundError`."""
    return _stored_experiment(_experiment_row(profile, experiment_id))


def list_experiments(profile: Profile, *, status: str | None = None) -> list[StoredExperiment]:
    """The profile's experiments by start date, optionally only those with ``status``."""
    from nightspine.storage.models import Experiment

    rows = Experiment.objects.filter(profile=profile)
    if status is not None:
        _check_status(status)
        rows = rows.filter(status=status)
    return [_stored_experiment(r) for r in rows.order_by("start_date", "id")]


def active_experiment(profile: Profile) -> StoredExperiment | None:
    """The planned or running experiment, or ``None``."""
    from nightspine.storage.models import ACTIVE_EXPERIMENT_STATUSES, Experiment

    row = Experiment.objects.filter(profile=profile, status__in=ACTIVE_EXPERIMENT_STATUSES).first()
    return None if row is None else _stored_experiment(row)


_UNSET: Any = object()


def update_experiment(
    profile: Profile,
    experiment_id: int,
    *,
    status: str | None = None,
    schedule: Mapping[str, Any] | None = None,
    result: Mapping[str, Any] | None = _UNSET,
) -> StoredExperiment:
    """Change an experiment's status, schedule or result (``result=None`` clears it)."""
    from django.db import IntegrityError, transaction

    row = _experiment_row(profile, experiment_id)
    if status is not None:
        _check_status(status)
        row.status = status
    if schedule is not None:
        row.schedule = _plain_json(schedule)
    if result is not _UNSET:
        row.result = None if result is None else _plain_json(result)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ConflictError(
            "another experiment is already planned or running; finish or abandon it first"
        ) from None
    return _stored_experiment(row)


def delete_experiment(profile: Profile, experiment_id: int) -> None:
    """Delete one of the profile's experiments; :class:`NotFoundError` if there is none."""
    _experiment_row(profile, experiment_id).delete()


def _experiment_row(profile: Profile, experiment_id: int) -> Any:
    from nightspine.storage.models import Experiment

    try:
        return Experiment.objects.get(profile=profile, pk=experiment_id)
    except Experiment.DoesNotExist:
        raise NotFoundError(
            f"no experiment with id {experiment_id}; list them with `nightspine experiment list`"
        ) from None


def _stored_experiment(row: Any) -> StoredExperiment:
    return StoredExperiment(
        id=row.pk,
        change=row.change,
        start_date=row.start_date,
        schedule=dict(row.schedule),
        status=row.status,
        result=None if row.result is None else dict(row.result),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _check_status(status: str) -> None:
    if status not in EXPERIMENT_STATUSES:
        raise InvalidInputError(
            [
                Problem(
                    "status", f"got {status!r}; expected one of: {', '.join(EXPERIMENT_STATUSES)}"
                )
            ],
            what="experiment",
        )


def _plain_json(value: Mapping[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(dict(value), default=_json_default))
    return plain


__all__ = [
    "EXPERIMENT_STATUSES",
    "ImportSummary",
    "StoredAssessment",
    "StoredExperiment",
    "active_experiment",
    "count_entries",
    "create_experiment",
    "create_profile",
    "delete_assessment",
    "delete_entry",
    "delete_experiment",
    "delete_profile",
    "find_entry",
    "get_assessment",
    "get_entry",
    "get_experiment",
    "get_or_create_default_profile",
    "get_profile",
    "import_entries",
    "latest_assessment",
    "latest_entry",
    "list_assessments",
    "list_entries",
    "list_experiments",
    "profile_for_user",
    "save_assessment",
    "save_entry",
    "update_experiment",
    "update_profile",
]
