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
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.result import Assessment, ForYourDoctor
from nightspine.diary.checks import future_date_problem, latest_today, unusual_values
from nightspine.diary.entry import DiaryEntry, entry_from_values
from nightspine.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from nightspine.knowledge.loader import load_knowledge
from nightspine.storage import recordings
from nightspine.storage import repository as repo
from nightspine.storage.models import Profile, ReminderSettings
from nightspine.storage.repository import StoredAssessment
from nightspine.web import crypto, security_events
from nightspine.web.models import Account, ApiToken, AuditEvent, EncryptedNote, Share

AnyUser = AbstractBaseUser | AnonymousUser
SHARE_DAYS = 7
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- accounts ---


def _username_taken(username: str) -> bool:
    """Whether an account has this username in any case (one lookup in the LOWER(username)
    index of migration web 0002; ``iexact`` compared with UPPER or LIKE and read every user)."""
    from django.db.models.functions import Lower

    users = get_user_model().objects.annotate(username_lower=Lower("username"))
    return bool(users.filter(username_lower=username.lower()).exists())


def create_account(
    username: str, password: str, role: str, display_name: str = ""
) -> AbstractBaseUser:
    """Create a login with its role (and a profile for a person); problems name each field."""
    user_model = get_user_model()
    problems: list[Problem] = []
    username = username.strip()
    if not username or len(username) > 150:
        problems.append(Problem("username", "is required (at most 150 characters)"))
    elif _username_taken(username):
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
            repo.create_profile(user=user, display_name=display_name.strip()[:100])
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
    profile = _first(Profile, "user_id = %s", [user.pk])
    if profile is None:
        raise NotFoundError("this account has no diary (clinician accounts see shared data only)")
    return profile


_M = TypeVar("_M", bound=Model)


def _first(model: type[_M], where: str, params: list[Any]) -> _M | None:
    """The first row of ``model``'s table matching the SQL condition ``where``, read as a model
    (``QuerySet.raw`` converts the values as the ORM does).

    Plain SQL for the look-ups every API request makes: building each query took the ORM
    0.3-0.5 ms of CPU, against 0.08 ms for this (``benchmarks/bench_web_load.py``: a diary write
    costs 2.9 ms in all, and its p95 under load must stay within 3 times ``/healthz``'s).
    """
    return _one(model, f"SELECT * FROM {model._meta.db_table} WHERE {where} LIMIT 1", params)


def _one(model: type[_M], sql: str, params: list[Any]) -> _M | None:
    """The first ``model`` the plain SQL ``sql`` selects, or None."""
    return next(iter(model.objects.raw(sql, params)), None)


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
                entries=repo.count_entries(profile),
                assessments=len(repo.list_assessments(profile)),
                shares=Share.objects.filter(profile=profile).count(),
                audit_events=AuditEvent.objects.filter(profile=profile).count(),
            )
            recordings.delete_files_on_commit(profile)  # uploaded recordings' files too
            repo.delete_profile(profile)  # its entries, notes, shares and log go with it
        # A clinician's shares end with their account (the people keep the record, revoked).
        Share.objects.filter(clinician_id=user.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        forget_sign_in_records(user)
        user.delete()
    return counts


def forget_sign_in_records(user: AbstractBaseUser) -> None:
    """Remove what the lock-out and the session store keep about a login: django-axes' records
    (username, address, browser) and the login's sessions. Called when the account is deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    from nightspine.web.models import SessionRecord

    username = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=username).delete()
    keys = list(SessionRecord.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()


def issue_token(user: AbstractBaseUser, name: str = "") -> str:
    """A new bearer token (shown once; only its hash is kept) that expires after
    ``API_TOKEN_DAYS``. Expired tokens are dropped, and a login keeps at most
    ``API_TOKENS_PER_USER`` live tokens: the oldest are revoked to make room."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(user_id=user.pk, expires_at__lte=now).delete()
        keep = int(settings.API_TOKENS_PER_USER) - 1
        older = ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
        stale = list(older.values_list("pk", flat=True)[keep:]) if keep >= 0 else []
        if stale:
            ApiToken.objects.filter(pk__in=stale).delete()
        ApiToken.objects.create(
            user=user,
            key_hash=_hash(token),
            name=name.strip()[:100],
            created_at=now,
            expires_at=now + dt.timedelta(days=int(settings.API_TOKEN_DAYS)),
        )
    return token


def token_record(token: str) -> ApiToken | None:
    """The live (unexpired) token record for ``token``, or None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(token), expires_at__gt=timezone.now())
        .first()
    )


def _sql_time(moment: dt.datetime) -> Any:
    """``moment`` as the database stores it (as the ORM would pass it in a query)."""
    return connection.ops.adapt_datetimefield_value(moment)


def user_for_token(token: str) -> AbstractBaseUser | None:
    """The active login a live token belongs to, or None; notes the token's use (at most once a
    minute). One plain query, for the reason :func:`_first` gives."""
    users, tokens = get_user_model()._meta.db_table, ApiToken._meta.db_table
    now = timezone.now()
    found: Any = _one(  # the login, with the token's columns token_pk and token_idle
        get_user_model(),
        f"SELECT u.*, t.id AS token_pk, (t.last_used_at IS NULL OR t.last_used_at < %s) "
        f"AS token_idle FROM {users} u JOIN {tokens} t ON t.user_id = u.id "
        "WHERE t.key_hash = %s AND t.expires_at > %s LIMIT 1",
        [_sql_time(now - dt.timedelta(minutes=1)), _hash(token), _sql_time(now)],
    )
    if found is None or not found.is_active:
        return None
    if found.token_idle:
        ApiToken.objects.filter(pk=found.token_pk).update(last_used_at=now)
    user: AbstractBaseUser = found
    return user


def tokens_of(user: AnyUser) -> list[ApiToken]:
    """The login's live tokens, newest first."""
    return list(ApiToken.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()))


def revoke_token(user: AnyUser, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user_id=user.pk, pk=token_id).delete()
    if not deleted:
        raise NotFoundError(f"no token {token_id}")


def revoke_all_tokens(user: AnyUser) -> int:
    """Revoke every API token of the login (on sign-out and on a password change)."""
    deleted, _ = ApiToken.objects.filter(user_id=user.pk).delete()
    return deleted


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- diary ---


def _with_notes(entries: list[DiaryEntry], profile: Profile) -> list[DiaryEntry]:
    """Entries with the notes of the web app's old separate note table filled in.

    Notes are now stored (encrypted) in the entry itself, as the command line stores them;
    notes written before that stay in ``EncryptedNote`` until the entry is next saved. Only the
    notes of the entries' dates are read.
    """
    if not entries:
        return entries
    first = min(e.date for e in entries)
    last = max(e.date for e in entries)
    notes = {
        n.date: crypto.decrypt(n.ciphertext)
        for n in EncryptedNote.objects.filter(profile=profile, date__gte=first, date__lte=last)
    }
    if not notes:
        return entries
    return [
        e.model_copy(update={"notes": notes[e.date]}) if e.date in notes and not e.notes else e
        for e in entries
    ]


def list_entries(
    profile: Profile,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    limit: int | None = None,
) -> list[DiaryEntry]:
    """The person's entries, oldest first, between ``start`` and ``end`` inclusive (the first
    ``limit`` of them if given)."""
    return _with_notes(repo.list_entries(profile, start, end, limit=limit), profile)


def newest_entries(
    profile: Profile, *, limit: int, before: dt.date | None = None
) -> list[DiaryEntry]:
    """One page of the person's entries, newest first, strictly before ``before`` if given."""
    return _with_notes(repo.newest_entries(profile, limit=limit, before=before), profile)


def count_entries(profile: Profile) -> int:
    return repo.count_entries(profile)


def labels_used(profile: Profile) -> dict[str, list[str]]:
    """The pillow and mattress labels the person has used (for the form's suggestions)."""
    return repo.labels_used(profile, ("pillow", "mattress"))


def get_entry(profile: Profile, date: dt.date) -> DiaryEntry:
    entry = repo.find_entry(profile, date)
    if entry is None:
        raise NotFoundError(f"no diary entry for {date.isoformat()}")
    return _with_notes([entry], profile)[0]


def latest_entry(profile: Profile) -> DiaryEntry | None:
    return repo.latest_entry(profile)


def save_entry(
    profile: Profile,
    values: Mapping[str, Any],
    *,
    replace: bool = False,
    where: str = "entry",
    unusual_confirmed: bool = True,
) -> DiaryEntry:
    """Validate ``values`` as the command line does and store the entry.

    A date that already has an entry is a :class:`ConflictError` unless ``replace``; a date
    after today where the person is, an :class:`InvalidInputError`; so is an unusual value
    (such as 14 hours slept) unless ``unusual_confirmed``.
    Every health value, the note included, is stored encrypted (``storage/fields.py``).
    """
    entry = entry_from_values(values, where=where)
    future = future_date_problem(entry.date, latest_allowed_date(profile), where=f"{where}, date")
    if future is not None:
        raise InvalidInputError([future], what="diary entry")
    if not unusual_confirmed:
        unusual = unusual_values(entry.model_dump())
        if unusual:
            raise InvalidInputError(
                [
                    Problem(
                        f"{where}, {u.field}",
                        f"{u.question()} If it is, send it again with confirm_unusual=true",
                    )
                    for u in unusual
                ],
                what="diary entry",
            )
    with transaction.atomic():
        try:
            repo.save_entry(profile, entry, replace=replace)  # the note is encrypted there
        except ConflictError:
            raise ConflictError(
                f"there is already an entry for {entry.date.isoformat()}; edit it, or replace it"
            ) from None
        if replace:
            EncryptedNote.objects.filter(profile=profile, date=entry.date).delete()
    return entry


def delete_entry(profile: Profile, date: dt.date) -> None:
    with transaction.atomic():
        if repo.find_entry(profile, date) is None:
            raise NotFoundError(f"no diary entry for {date.isoformat()}")
        repo.delete_entry(profile, date)
        EncryptedNote.objects.filter(profile=profile, date=date).delete()


# --- assessments ---


def save_assessment(
    profile: Profile, answers: Mapping[str, Any], result: Assessment
) -> StoredAssessment:
    return repo.save_assessment(profile, answers, result)


def list_assessments(profile: Profile) -> list[StoredAssessment]:
    """Newest first."""
    return list(reversed(repo.list_assessments(profile)))


def get_assessment(profile: Profile, assessment_id: int) -> StoredAssessment:
    return repo.get_assessment(profile, assessment_id)


def latest_assessment(profile: Profile) -> StoredAssessment | None:
    return repo.latest_assessment(profile)


def result_of(record: StoredAssessment) -> Assessment:
    return record.assessment()


def doctor_summary(record: StoredAssessment, result: Assessment) -> ForYourDoctor:
    """The for-your-doctor summary in the current knowledge base's words, from the saved answers
    and result: what the PDF prints (an assessment saved under an older knowledge base keeps its
    triage, concerns and contributors, but the sentences are today's, as on the PDF)."""
    try:
        answers = validate_answers(record.answers)
    except InvalidInputError:  # answers a later knowledge base no longer accepts: as saved
        return result.for_your_doctor
    return build_for_your_doctor(
        load_knowledge(), answers, result.triage, result.concerns, result.contributors
    )


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
    security_events.record("share.created", profile_id=profile.pk, share_id=share.pk)
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
        security_events.record("share.revoked", profile_id=profile.pk, share_id=share.pk)
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
    security_events.record(
        "share.accepted", profile_id=share.profile_id, share_id=share.pk, user_id=clinician.pk
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


REFERENCE_LENGTH = 40

VIEWED_SUMMARY = "viewed your summary"
"""The audit action of a clinician opening a person's page: its latest time is their last look."""


@dataclass(frozen=True)
class SharedPerson:
    """One row of a clinician's list: the person, the level of their latest assessment, their
    last diary morning and whether warning signs were reported since this clinician last looked."""

    share: Share
    name: str
    latest_level: str | None
    latest_assessed_at: dt.datetime | None
    last_entry: dt.date | None = None
    last_viewed_at: dt.datetime | None = None
    new_warning_signs: bool = False


SORTS = ("level", "entry", "name")
"""How a clinician's list may be ordered: highest latest triage level, latest diary entry, name."""


def _level_rank(level: str | None) -> int:
    from nightspine.assessment.result import TriageLevel

    try:
        return TriageLevel(level).rank if level else -1
    except ValueError:
        return -1


def sort_people(rows: list[SharedPerson], by: str) -> list[SharedPerson]:
    """``rows`` ordered as :func:`people_page` orders them in the database: "level" (most urgent
    first; within a level, people assessed since this clinician's last look first, then by name),
    "entry" (latest diary entry first) or "name"; an unknown key sorts by level."""
    if by == "name":
        return sorted(rows, key=lambda r: r.name.casefold())
    if by == "entry":
        return sorted(
            rows, key=lambda r: (r.last_entry is None, -(r.last_entry or dt.date.min).toordinal())
        )
    return sorted(
        rows,
        key=lambda r: (
            -_level_rank(r.latest_level),
            not _assessed_since_look(r),
            r.name.casefold(),
        ),
    )


def _assessed_since_look(row: SharedPerson) -> bool:
    if row.latest_assessed_at is None:
        return False
    return row.last_viewed_at is None or row.latest_assessed_at > row.last_viewed_at


PEOPLE_PAGE_SIZE = 25
"""People on one page of a clinician's list: its cost is the same for 30 people as for 3,000."""


@dataclass(frozen=True)
class PeoplePage:
    """One page of a clinician's list: its rows, its place and the number of people in all."""

    rows: list[SharedPerson]
    number: int
    pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """The place of the page's first row in the whole list, from 1 (0 when it is empty)."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def links(self) -> list[int | None]:
        """The page numbers to link: the first, the last and two either side of this one;
        ``None`` marks a gap (shown as an ellipsis)."""
        near = {1, self.pages, *range(self.number - 2, self.number + 3)}
        shown = sorted(n for n in near if 1 <= n <= self.pages)
        links: list[int | None] = []
        previous = 0
        for n in shown:
            if previous and n - previous > 1:
                links.append(None)
            links.append(n)
            previous = n
        return links


def people_page(
    clinician: AnyUser, sort: str = "level", page: int = 1, size: int = PEOPLE_PAGE_SIZE
) -> PeoplePage:
    """Page ``page`` (from 1; out of range gives the nearest page) of the clinician's people,
    ordered and cut in the database, in five queries whatever their number: the role, the
    count, the page's shares (each person's name, latest level, last entry and this clinician's
    last look are subqueries on plain, indexed columns), then the flags of the assessments
    saved since each last look on this page (see :func:`_flag_new_warning_signs`)."""
    if size < 1:
        raise InvalidInputError([Problem("size", f"a page holds at least 1 person, not {size}")])
    if role_of(clinician) != Account.CLINICIAN:
        return PeoplePage([], 1, 1, 0, size)
    shares = _people_query(clinician, sort)
    total = _people_shares(clinician).count()
    pages = max(1, -(-total // size))
    number = min(max(page, 1), pages)
    found = list(shares[(number - 1) * size : number * size])
    return PeoplePage(_people_rows(found), number, pages, total, size)


def people_list(clinician: AnyUser, sort: str = "level") -> list[SharedPerson]:
    """Every one of the clinician's people, in :func:`people_page`'s order (for exports and
    tests; the pages show :func:`people_page`)."""
    if role_of(clinician) != Account.CLINICIAN:
        return []
    return _people_rows(list(_people_query(clinician, sort)))


def _people_shares(clinician: AnyUser) -> Any:
    """The clinician's active shares, one per person: the newest."""
    from django.db.models import OuterRef, Subquery

    active = Share.objects.filter(clinician_id=clinician.pk, revoked_at__isnull=True)
    newest = active.filter(profile_id=OuterRef("profile_id")).order_by("-created_at", "-id")
    return active.filter(pk=Subquery(newest.values("pk")[:1]))


def _people_query(clinician: AnyUser, sort: str) -> Any:
    """:func:`_people_shares` annotated and ordered for the list.

    Every column it reads is plain and indexed: the latest assessment's ``triage_level`` (one of
    four words, kept plain for this list; docs/security.md) and time, the last diary date and
    the audit log's time of this clinician's last look. Each is one correlated subquery (an
    annotation used inside another expression would be repeated in the SQL, so the level's rank
    and "assessed since the last look" are subqueries of their own).
    """
    from django.db.models import Case, Exists, F, IntegerField, Max, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce, Lower, NullIf

    from nightspine.assessment.result import TriageLevel
    from nightspine.storage.models import AssessmentRecord
    from nightspine.storage.models import DiaryEntry as EntryRow

    latest = AssessmentRecord.objects.filter(profile_id=OuterRef("profile_id")).order_by(
        "-created_at", "-id"
    )
    last_entry = (
        EntryRow.objects.filter(profile_id=OuterRef("profile_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    looks = AuditEvent.objects.filter(
        profile_id=OuterRef("profile_id"), actor_id=clinician.pk, action=VIEWED_SUMMARY
    )
    viewed = looks.order_by().values("profile_id").annotate(last=Max("at")).values("last")[:1]
    shares = (
        _people_shares(clinician)
        .select_related("profile", "profile__user", "profile__user__account")
        .annotate(
            latest_level=Subquery(latest.values("triage_level")[:1]),
            latest_assessed_at=Subquery(latest.values("created_at")[:1]),
            last_entry=Subquery(last_entry),
            last_viewed_at=Subquery(viewed),
            name_key=Lower(
                Coalesce(
                    NullIf("profile__display_name", Value("")),
                    NullIf("profile__user__account__display_name", Value("")),
                    "profile__user__username",
                )
            ),
        )
    )
    if sort == "name":
        return shares.order_by("name_key", "pk")
    if sort == "entry":
        return shares.order_by(F("last_entry").desc(nulls_last=True), "name_key", "pk")
    rank = Case(
        *[When(triage_level=level.value, then=Value(level.rank)) for level in TriageLevel],
        default=Value(-1),
        output_field=IntegerField(),
    )
    # looked at since the latest assessment (or no assessment at all): sorts after the others
    looked_since = looks.filter(at__gte=Subquery(latest.values("created_at")[:1]))
    return shares.annotate(
        level_rank=Coalesce(Subquery(latest.annotate(rank=rank).values("rank")[:1]), Value(-1)),
        seen=Exists(looked_since),
    ).order_by("-level_rank", "seen", "name_key", "pk")


def _people_rows(found: list[Share]) -> list[SharedPerson]:
    flagged = _flag_new_warning_signs(found)
    return [
        SharedPerson(
            share,
            _name_of(share.profile),
            share.latest_level,  # type: ignore[attr-defined]
            share.latest_assessed_at,  # type: ignore[attr-defined]
            share.last_entry,  # type: ignore[attr-defined]
            share.last_viewed_at,  # type: ignore[attr-defined]
            share.profile_id in flagged,
        )
        for share in found
    ]


def _flag_new_warning_signs(found: list[Share]) -> set[int]:
    """The profiles among ``found`` with an assessment reporting a warning sign saved since
    this clinician's last look. Whether an assessment reports one is kept encrypted (a small
    token beside its result), so it is read here for this page's people only: one query, plus
    one more only for assessments saved before that token existed (their results are read)."""
    from django.db.models import Q

    from nightspine.storage.models import AssessmentRecord

    unseen: Q | None = None
    for share in found:
        at = share.last_viewed_at  # type: ignore[attr-defined]
        part = Q(profile_id=share.profile_id)
        if at is not None:
            part &= Q(created_at__gt=at)
        unseen = part if unseen is None else unseen | part
    if unseen is None:
        return set()
    flagged: set[int] = set()
    unknown: list[int] = []
    for pk, owner, reports in AssessmentRecord.objects.filter(unseen).values_list(
        "pk", "profile_id", "reports_warning_signs"
    ):
        if reports is None:
            unknown.append(pk)
        elif reports:
            flagged.add(owner)
    if unknown:
        for record in AssessmentRecord.objects.filter(pk__in=unknown).only("profile_id", "result"):
            if _reports_warning_signs(record.result):
                flagged.add(record.profile_id)  # type: ignore[attr-defined]
    return flagged


def _reports_warning_signs(result: Any) -> bool:
    """Whether a stored assessment result reports at least one warning sign."""
    if not isinstance(result, dict):
        return False
    doctor = result.get("for_your_doctor")
    return isinstance(doctor, dict) and bool(doctor.get("warning_signs_reported"))


def _name_of(profile: Profile) -> str:
    """``person_name`` from already loaded objects (the profile, its user and account)."""
    if profile.display_name:
        return str(profile.display_name)
    user = profile.user
    if user is None:
        return f"person {profile.pk}"
    account = getattr(user, "account", None)
    return (account.display_name if account else "") or str(user.get_username())


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
    security_events.record(
        "clinician.view", profile_id=profile_id, user_id=clinician.pk, action=action
    )
    profile: Profile = share.profile
    return profile


def person_name(profile: Profile) -> str:
    if profile.display_name:
        return str(profile.display_name)
    return display_name(profile.user) if profile.user else f"person {profile.pk}"


def reference_of(profile: Profile) -> str:
    """The reference number the person added on their account page for their clinicians."""
    user = profile.user
    account = Account.objects.filter(user=user).first() if user is not None else None
    return account.reference if account is not None else ""


def set_reference(profile: Profile, reference: str) -> None:
    """Keep (or, with an empty text, remove) the person's reference number for clinicians."""
    text = reference.strip()
    if len(text) > REFERENCE_LENGTH:
        raise InvalidInputError(
            [Problem("reference", f"Enter a reference of at most {REFERENCE_LENGTH} characters")]
        )
    Account.objects.filter(user=profile.user).update(reference=text)


def audit_log(profile: Profile) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(profile=profile))


# --- the person's own day ---


def time_zone_of(profile: Profile) -> ZoneInfo | None:
    """The person's time zone, if they gave one (in their reminder settings)."""
    found = _first(ReminderSettings, "profile_id = %s", [profile.pk])
    if found is None or not found.time_zone:
        return None
    try:
        return ZoneInfo(found.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def today_for(profile: Profile) -> dt.date:
    """Today's date where the person is (the server's date if they never said where)."""
    zone = time_zone_of(profile)
    now = timezone.now()
    return now.astimezone(zone).date() if zone else timezone.localdate(now)


def latest_allowed_date(profile: Profile) -> dt.date:
    """The latest morning an entry may have: today where the person is, or, if they never
    said where, the latest date anywhere on Earth (so nobody is wrongly refused)."""
    zone = time_zone_of(profile)
    now = timezone.now()
    return now.astimezone(zone).date() if zone else latest_today(now)


# --- clinicians' verification (accounts branch) ---


def is_verified_clinician(user: AnyUser | None) -> bool:
    """Has staff checked that this clinician account belongs to a real clinician?"""
    if user is None or user.pk is None:
        return False
    from nightspine.web.models import ClinicianCheck

    return ClinicianCheck.objects.filter(user_id=user.pk, verified_at__isnull=False).exists()


def verify_clinician(user: AnyUser, by: str, note: str = "") -> None:
    """Mark a clinician account verified (by staff, after checking their registration)."""
    from nightspine.web.models import ClinicianCheck

    if role_of(user) != Account.CLINICIAN:
        raise InvalidInputError(
            [Problem("username", f"{user} is not a clinician account; only those are verified")]
        )
    ClinicianCheck.objects.update_or_create(
        user_id=user.pk,
        defaults={"verified_at": timezone.now(), "verified_by": by[:150], "note": note[:200]},
    )


def unverify_clinician(user: AnyUser) -> None:
    from nightspine.web.models import ClinicianCheck

    ClinicianCheck.objects.filter(user_id=user.pk).update(verified_at=None)
