"""What the pages and the JSON API do, in one place: accounts, diary, assessments, sharing,
the audit log. Every function takes the acting user or their profile, so access rules live here
and nowhere else: a person reaches only their own profile, a clinician only profiles shared
with them (and each look is written to the person's audit log).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nightspine.assessment.result import Assessment
from nightspine.diary.entry import DiaryEntry, entry_from_values
from nightspine.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from nightspine.web import crypto
from nightspine.web.models import (
    Account,
    ApiToken,
    AssessmentRecord,
    AuditEvent,
    DiaryRecord,
    EncryptedNote,
    Profile,
    Share,
)

AnyUser = AbstractBaseUser | AnonymousUser
SHARE_DAYS = 7
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- accounts ---


def create_account(
    username: str, password: str, role: str, display_name: str = ""
) -> AbstractBaseUser:
    """Create a login with its role (and a profile for a person); problems name each field."""
    user_model = get_user_model()
    problems: list[Problem] = []
    username = username.strip()
    if not username or len(username) > 150:
        problems.append(Problem("username", "is required (at most 150 characters)"))
    elif user_model.objects.filter(username__iexact=username).exists():
        problems.append(Problem("username", "is taken; choose another"))
    if role not in (Account.PERSON, Account.CLINICIAN):
        problems.append(Problem("role", "must be person or clinician"))
    try:
        validate_password(password, user_model(username=username))
    except ValidationError as exc:
        problems.extend(Problem("password", m) for m in exc.messages)
    if problems:
        raise InvalidInputError(problems, what="account")
    with transaction.atomic():
        user: AbstractBaseUser = user_model.objects.create_user(  # type: ignore[attr-defined]
            username=username, password=password
        )
        Account.objects.create(user=user, role=role, display_name=display_name.strip()[:100])
        if role == Account.PERSON:
            Profile.objects.create(user=user, name=username)
    return user


def role_of(user: AnyUser) -> str | None:
    if not user.is_authenticated:
        return None
    account = Account.objects.filter(user_id=user.pk).first()
    return account.role if account else None


def display_name(user: AnyUser) -> str:
    account = Account.objects.filter(user_id=user.pk).first()
    name = account.display_name if account and account.display_name else ""
    return name or str(user.get_username())


def profile_of(user: AnyUser) -> Profile:
    """The person's own profile; a clinician or a stranger has none."""
    if not user.is_authenticated:
        raise NotFoundError("sign in to reach your diary and assessments")
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is None:
        raise NotFoundError("this account has no diary (clinician accounts see shared data only)")
    return profile


@dataclass(frozen=True)
class Deleted:
    entries: int
    assessments: int
    shares: int
    audit_events: int


def delete_account(user: AbstractBaseUser) -> Deleted:
    """Delete the login and everything that belongs to it; say how much was deleted."""
    with transaction.atomic():
        profile = Profile.objects.filter(user_id=user.pk).first()
        counts = Deleted(0, 0, 0, 0)
        if profile is not None:
            counts = Deleted(
                entries=DiaryRecord.objects.filter(profile=profile).count(),
                assessments=AssessmentRecord.objects.filter(profile=profile).count(),
                shares=Share.objects.filter(profile=profile).count(),
                audit_events=AuditEvent.objects.filter(profile=profile).count(),
            )
            profile.delete()
        user.delete()
    return counts


def issue_token(user: AbstractBaseUser) -> str:
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(token))
    return token


def user_for_token(token: str) -> AbstractBaseUser | None:
    found = ApiToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
    if found is None or not found.user.is_active:
        return None
    user: AbstractBaseUser = found.user
    return user


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- diary ---


def _entry(record: DiaryRecord, notes: Mapping[dt.date, str]) -> DiaryEntry:
    data = dict(record.data)
    if record.date in notes:
        data["notes"] = notes[record.date]
    return DiaryEntry.model_validate(data)


def _notes(profile: Profile) -> dict[dt.date, str]:
    return {
        n.date: crypto.decrypt(n.ciphertext) for n in EncryptedNote.objects.filter(profile=profile)
    }


def list_entries(
    profile: Profile, start: dt.date | None = None, end: dt.date | None = None
) -> list[DiaryEntry]:
    """The person's entries, oldest first, between ``start`` and ``end`` inclusive."""
    records = DiaryRecord.objects.filter(profile=profile)
    if start:
        records = records.filter(date__gte=start)
    if end:
        records = records.filter(date__lte=end)
    notes = _notes(profile)
    return [_entry(r, notes) for r in records.order_by("date")]


def get_entry(profile: Profile, date: dt.date) -> DiaryEntry:
    record = DiaryRecord.objects.filter(profile=profile, date=date).first()
    if record is None:
        raise NotFoundError(f"no diary entry for {date.isoformat()}")
    note = EncryptedNote.objects.filter(profile=profile, date=date).first()
    return _entry(record, {date: crypto.decrypt(note.ciphertext)} if note else {})


def latest_entry(profile: Profile) -> DiaryEntry | None:
    record = DiaryRecord.objects.filter(profile=profile).order_by("-date").first()
    return _entry(record, {}) if record else None


def save_entry(
    profile: Profile, values: Mapping[str, Any], *, replace: bool = False, where: str = "entry"
) -> DiaryEntry:
    """Validate ``values`` as the command line does and store the entry.

    A date that already has an entry is a :class:`ConflictError` unless ``replace``.
    The free-text note is stored encrypted, apart from the entry.
    """
    entry = entry_from_values(values, where=where)
    data = entry.model_dump(mode="json", exclude={"notes"})
    try:
        with transaction.atomic():
            if replace:
                DiaryRecord.objects.update_or_create(
                    profile=profile, date=entry.date, defaults={"data": data}
                )
            else:
                DiaryRecord.objects.create(profile=profile, date=entry.date, data=data)
            EncryptedNote.objects.filter(profile=profile, date=entry.date).delete()
            if entry.notes:
                EncryptedNote.objects.create(
                    profile=profile, date=entry.date, ciphertext=crypto.encrypt(entry.notes)
                )
    except IntegrityError as exc:
        raise ConflictError(
            f"there is already an entry for {entry.date.isoformat()}; edit it, or replace it"
        ) from exc
    return entry


def delete_entry(profile: Profile, date: dt.date) -> None:
    with transaction.atomic():
        deleted, _ = DiaryRecord.objects.filter(profile=profile, date=date).delete()
        EncryptedNote.objects.filter(profile=profile, date=date).delete()
    if not deleted:
        raise NotFoundError(f"no diary entry for {date.isoformat()}")


# --- assessments ---


def save_assessment(
    profile: Profile, answers: Mapping[str, Any], result: Assessment
) -> AssessmentRecord:
    return AssessmentRecord.objects.create(
        profile=profile,
        answers=dict(answers),
        result=result.to_json(),
        knowledge_version=result.knowledge_version,
    )


def list_assessments(profile: Profile) -> list[AssessmentRecord]:
    return list(AssessmentRecord.objects.filter(profile=profile))


def get_assessment(profile: Profile, assessment_id: int) -> AssessmentRecord:
    record = AssessmentRecord.objects.filter(profile=profile, pk=assessment_id).first()
    if record is None:
        raise NotFoundError(f"no assessment {assessment_id}")
    return record


def latest_assessment(profile: Profile) -> AssessmentRecord | None:
    return AssessmentRecord.objects.filter(profile=profile).first()


def result_of(record: AssessmentRecord) -> Assessment:
    return Assessment.model_validate(record.result)


# --- sharing with clinicians ---


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_share(profile: Profile, label: str = "") -> tuple[Share, str]:
    """A new single-use code (shown once) that lets one clinician see this person's data."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    code = f"{raw[:5]}-{raw[5:]}"
    share = Share.objects.create(
        profile=profile,
        code_hash=_hash(_normalise_code(code)),
        label=label.strip()[:100],
        expires_at=timezone.now() + dt.timedelta(days=SHARE_DAYS),
    )
    return share, code


def shares_of(profile: Profile) -> list[Share]:
    return list(Share.objects.filter(profile=profile).select_related("clinician"))


def revoke_share(profile: Profile, share_id: int) -> Share:
    share = Share.objects.filter(profile=profile, pk=share_id).first()
    if share is None:
        raise NotFoundError(f"no share {share_id}")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def redeem_share(clinician: AbstractBaseUser, code: str) -> Share:
    """A clinician enters a person's code; it links them until the person revokes it."""
    if role_of(clinician) != Account.CLINICIAN:
        raise InvalidInputError([Problem("code", "only clinician accounts can redeem a code")])
    wrong = InvalidInputError(
        [Problem("code", "this code is unknown, used, expired or revoked; ask for a new one")]
    )
    with transaction.atomic():
        share = (
            Share.objects.select_for_update().filter(code_hash=_hash(_normalise_code(code))).first()
        )
        if share is None or share.status != "waiting":
            raise wrong
        share.clinician = clinician
        share.accepted_at = timezone.now()
        share.save(update_fields=["clinician", "accepted_at"])
        AuditEvent.objects.create(
            profile=share.profile,
            actor=clinician,
            actor_name=display_name(clinician),
            action="accepted your sharing code",
        )
    return share


def people_of(clinician: AnyUser) -> list[Share]:
    """The active shares a clinician holds, one per person (newest share first)."""
    if role_of(clinician) != Account.CLINICIAN:
        return []
    seen: set[int] = set()
    result: list[Share] = []
    for share in Share.objects.filter(
        clinician_id=clinician.pk, revoked_at__isnull=True
    ).select_related("profile", "profile__user"):
        if share.profile_id not in seen:
            seen.add(share.profile_id)
            result.append(share)
    return result


def shared_profile(clinician: AnyUser, profile_id: int, action: str) -> Profile:
    """The profile if an active share links it to ``clinician``; the look is audited.

    Anything else is :class:`NotFoundError`, whether the profile exists or not.
    """
    share = (
        Share.objects.filter(
            clinician_id=clinician.pk, profile_id=profile_id, revoked_at__isnull=True
        )
        .select_related("profile")
        .first()
        if clinician.is_authenticated and role_of(clinician) == Account.CLINICIAN
        else None
    )
    if share is None:
        raise NotFoundError(f"no person {profile_id} has shared their data with you")
    AuditEvent.objects.create(
        profile=share.profile, actor=clinician, actor_name=display_name(clinician), action=action
    )
    profile: Profile = share.profile
    return profile


def person_name(profile: Profile) -> str:
    return display_name(profile.user) if profile.user else profile.name


def audit_log(profile: Profile) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(profile=profile))
