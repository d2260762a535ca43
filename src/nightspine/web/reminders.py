"""Opt-in reminders for the web app: settings, the sending run, the calendar feed and the
one-click unsubscribe. The words, timing and feed come from :mod:`nightspine.diary.reminders`.

Sending is safe to run twice, or in two processes at once: a reminder is first recorded in
``SentReminder`` (one row per person, kind and local date, a unique constraint) and only the
run that created the row sends it; if sending fails the row is removed so the next run retries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from nightspine.diary import reminders as core
from nightspine.errors import InvalidInputError, Problem
from nightspine.storage import repository as repo
from nightspine.storage.models import Profile, ReminderSettings, SentReminder
from nightspine.web import experiments

log = logging.getLogger(__name__)
_UNSUBSCRIBE_SALT = "nightspine.reminders.unsubscribe"
KEEP_SENT = dt.timedelta(days=14)
"""How long the record of a sent reminder is kept (it only has to outlive the day)."""


def settings_of(profile: Profile, user: AbstractBaseUser | AnonymousUser) -> ReminderSettings:
    """The person's reminder settings; unsaved defaults (e-mail from the account) if none."""
    found = ReminderSettings.objects.filter(profile=profile).first()
    if found is not None:
        return found
    return ReminderSettings(profile=profile, email=str(getattr(user, "email", "") or ""))


def save_settings(
    profile: Profile,
    *,
    email: str,
    time_zone: str,
    morning: bool,
    morning_time: str,
    evening: bool,
    evening_time: str,
) -> ReminderSettings:
    """Check and store the settings; every problem at once, in words a person can act on."""
    problems: list[Problem] = []
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                Problem("email", "Enter an e-mail address in the right form, like name@example.com")
            )
    elif morning or evening:
        problems.append(Problem("email", "Enter the e-mail address the reminders should go to"))
    zone_problem = core.zone_problem(time_zone.strip())
    if zone_problem is not None:
        problems.append(zone_problem)
    times: dict[str, dt.time] = {}
    for name, text in (("morning_time", morning_time), ("evening_time", evening_time)):
        try:
            times[name] = dt.time.fromisoformat(text.strip())
        except ValueError:
            problems.append(Problem(name, "Enter a time on the 24-hour clock, like 07:30"))
    if problems:
        raise InvalidInputError(problems, what="reminder settings")
    found, _ = ReminderSettings.objects.get_or_create(profile=profile)
    found.email = email
    found.time_zone = time_zone.strip()
    found.morning = morning
    found.morning_time = times["morning_time"]
    found.evening = evening
    found.evening_time = times["evening_time"]
    found.save()
    return found


# --- the private calendar feed ---


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_feed_token(profile: Profile) -> str:
    """A new secret for the calendar feed (shown once); the old address stops working."""
    token = secrets.token_urlsafe(32)
    found, _ = ReminderSettings.objects.get_or_create(profile=profile)
    found.feed_token_hash = _hash(token)
    found.save(update_fields=["feed_token_hash", "updated_at"])
    return token


def revoke_feed(profile: Profile) -> None:
    ReminderSettings.objects.filter(profile=profile).update(feed_token_hash="")


def settings_for_feed(token: str) -> ReminderSettings | None:
    if not token:
        return None
    return (
        ReminderSettings.objects.select_related("profile")
        .filter(feed_token_hash=_hash(token))
        .first()
    )


def _evenings(profile: Profile, today: dt.date) -> list[core.Evening]:
    """The experiment's evenings from ``today`` on, each with its instruction."""
    running = experiments.active(profile, today)
    if running is None:
        return []
    plan = running.plan
    out: list[core.Evening] = []
    for offset in range(core.FEED_EVENING_DAYS):
        evening = today + dt.timedelta(days=offset)
        found = plan.block_on(evening)
        if found is not None:
            block, _ = found
            out.append(core.Evening(evening, plan.spec.instruction(block.arm, plan.labels)))
    return out


def feed(found: ReminderSettings, base_url: str) -> bytes:
    profile = found.profile
    today = core.local_now(timezone.now(), found.time_zone).date()
    return core.calendar_feed(
        zone_name=found.time_zone,
        today=today,
        morning_at=found.morning_time,
        diary_url=base_url + reverse("diary_entry"),
        evening_at=found.evening_time,
        evenings=_evenings(profile, today),
        experiment_url=base_url + reverse("experiments"),
        uid_domain=f"profile-{profile.pk}.nightspine",
    )


# --- one-click unsubscribe ---


def unsubscribe_token(profile: Profile, kind: core.Kind) -> str:
    """A signed token that stops one kind of reminder e-mail, without signing in."""
    return signing.dumps({"p": profile.pk, "k": kind}, salt=_UNSUBSCRIBE_SALT)


def unsubscribe(token: str) -> core.Kind | None:
    """Stop the reminder the token names; the kind stopped, or ``None`` if the token is bad."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    kind = data.get("k") if isinstance(data, dict) else None
    if kind not in core.KINDS:
        return None
    ReminderSettings.objects.filter(profile_id=data.get("p")).update(**{kind: False})
    chosen: core.Kind = kind
    return chosen


# --- sending ---


@dataclass(frozen=True)
class Sent:
    profile_id: int
    kind: core.Kind
    local_date: dt.date
    to: str


def _message(
    found: ReminderSettings, kind: core.Kind, today: dt.date, base_url: str
) -> core.Message | None:
    """The e-mail of ``kind`` for today, or ``None`` when there is nothing to remind of."""
    profile = found.profile
    stop = base_url + reverse("reminders_unsubscribe", args=[unsubscribe_token(profile, kind)])
    if kind == "morning":
        if repo.find_entry(profile, today) is not None:
            return None  # already recorded this morning
        return core.morning_message(today, base_url + reverse("diary_entry"), stop)
    running = experiments.active(profile, today)
    if running is None or running.tonight.status != "during":
        return None
    return core.evening_message(
        today, running.tonight.instruction, base_url + reverse("experiments"), stop
    )


def send_due(now: dt.datetime | None = None, base_url: str | None = None) -> list[Sent]:
    """Send every reminder due at ``now``, once per person, kind and local day."""
    now = now or timezone.now()
    base_url = (base_url or settings.NIGHTSPINE_PUBLIC_URL).rstrip("/")
    # What was sent is kept only as long as it is needed to send once (data minimisation).
    SentReminder.objects.filter(local_date__lt=now.date() - KEEP_SENT).delete()
    sent: list[Sent] = []
    wanted = (
        ReminderSettings.objects.select_related("profile")
        .exclude(email="")
        .filter(Q(morning=True) | Q(evening=True))
    )
    for found in wanted:
        local = core.local_now(now, found.time_zone)
        day = local.date()
        kinds: tuple[tuple[core.Kind, bool, dt.time], ...] = (
            ("morning", found.morning, found.morning_time),
            ("evening", found.evening, found.evening_time),
        )
        for kind, on, at in kinds:
            if not on or not core.is_due(local, at):
                continue
            if SentReminder.objects.filter(
                profile=found.profile, kind=kind, local_date=day
            ).exists():
                continue
            message = _message(found, kind, day, base_url)
            if message is not None and _send_once(found, kind, day, message, base_url):
                sent.append(Sent(found.profile.pk, kind, day, found.email))
    return sent


def _send_once(
    found: ReminderSettings, kind: core.Kind, day: dt.date, message: core.Message, base_url: str
) -> bool:
    try:
        with transaction.atomic():
            record = SentReminder.objects.create(profile=found.profile, kind=kind, local_date=day)
    except IntegrityError:
        return False  # another run got there first
    stop = base_url + reverse(
        "reminders_unsubscribe", args=[unsubscribe_token(found.profile, kind)]
    )
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[found.email],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    try:
        email.send()
    except OSError as exc:
        record.delete()  # not sent: the next run tries again
        log.warning("reminder to profile %s not sent: %s", found.profile.pk, exc)
        return False
    return True
