"""Tables of the web shell: roles, sharing with clinicians, the audit log, encrypted notes,
API tokens.

The person's own data (profile, diary entries, assessments, experiments) live in the storage
layer (:mod:`nightspine.storage.models`); every table here that belongs to a person points at
their profile and is deleted with it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from nightspine.storage.models import Profile

# --- the web shell's own tables ---


class Account(models.Model):
    """The role of a login: a person (who has a profile) or a clinician (who has none)."""

    PERSON = "person"
    CLINICIAN = "clinician"
    ROLES: ClassVar[list[tuple[str, str]]] = [(PERSON, "person"), (CLINICIAN, "clinician")]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    role = models.CharField(max_length=10, choices=ROLES)
    display_name = models.CharField(max_length=100, blank=True)
    reference = models.CharField(
        max_length=40, blank=True, default="", help_text="a person's own number for clinicians"
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Share(models.Model):
    """A code a person creates; a clinician redeems it once, then sees that person until revoked.

    Only a hash of the code is kept (the person sees the code once, when it is made).
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="shares")
    code_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the share is revoked first; the person keeps its record
        related_name="shares_received",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    profile_id: int
    clinician_id: int | None

    class Meta:
        ordering: ClassVar[list[Any]] = ["-created_at", "-id"]

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.clinician_id is not None:
            return "active"
        if self.expires_at <= timezone.now():
            return "expired"
        return "waiting"


class AuditEvent(models.Model):
    """One look by a clinician at a person's data; the person can read their log."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[Any]] = ["-at", "-id"]
        indexes: ClassVar[list[Any]] = [
            # a clinician's last look at each person (their list reads it per row)
            models.Index(fields=["profile", "actor", "action", "at"], name="audit_last_look"),
        ]


class EncryptedNote(models.Model):
    """The free-text note of a diary entry, encrypted at rest with Fernet."""

    # no index of its own: the unique (profile, date) index serves every query by profile
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="encrypted_notes", db_index=False
    )
    date = models.DateField()
    ciphertext = models.BinaryField()

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["profile", "date"], name="web_one_note_per_date")
        ]


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # --- accounts branch: tokens expire, carry a name, and record their last use ---
    name = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[Any]] = ["-created_at", "-id"]


# --- accounts branch: verification, second factor, recovery, sessions, spraying ---


class ClinicianCheck(models.Model):
    """Staff's check that a clinician account belongs to a real clinician.

    A clinician without a row here (or with ``verified_at`` unset) is shown as "unverified"
    wherever a person sees their name.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_check"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=200, blank=True)


class PendingSecondFactor(models.Model):
    """A TOTP secret waiting for its first code, while a clinician turns two-step sign-in on
    through the API (the web keeps it in the session). Confirmed secrets and recovery codes are
    django-allauth's (``allauth.mfa``); see :mod:`nightspine.web.twofactor`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_second_factor"
    )
    secret_ciphertext = models.BinaryField()  # encrypted like the notes (nightspine.web.crypto)


class SessionRecord(models.Model):
    """One signed-in browser, so that people can see and end their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records"
    )
    session_key = models.CharField(max_length=40, unique=True)
    browser = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[Any]] = ["-last_seen_at", "-id"]


class FailedPassword(models.Model):
    """A failed sign-in's password, as a keyed hash, kept for the lock-out window only.

    It lets one password tried against many usernames (password spraying) be stopped,
    whichever addresses the tries come from.
    """

    digest = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class InsightsSnapshot(models.Model):
    """A person's insights and pain chart as last computed (``web/bridges.py``), sealed like all
    health data, with the stamp of the diary they were computed from. Kept in the database so
    that every worker process serves one computation per change of the diary."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="insights_snapshot"
    )
    stamp = models.CharField(max_length=80)
    sealed = models.BinaryField()
