"""nightspine's tables. One set of migrations (``migrations/``) creates and evolves them.

Rows mirror the core's pydantic models; :mod:`nightspine.storage.repository` converts between
the two, so the rest of the product never handles these classes' fields directly. Constraints
that matter for correctness (one diary entry per person and morning, scores 0-10, one active
experiment per person) live in the database too, so every shell and every process obeys them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from nightspine.storage.fields import EncryptedJSONField

ORIGINS = [("typed", "typed"), ("measured", "measured"), ("imported", "imported")]
POSITIONS = [("back", "back"), ("side", "side"), ("stomach", "stomach"), ("mixed", "mixed")]
SEXES = [("female", "female"), ("male", "male"), ("other", "other")]
EXPERIMENT_STATUSES = [
    ("planned", "planned"),
    ("running", "running"),
    ("finished", "finished"),
    ("abandoned", "abandoned"),
]
ACTIVE_EXPERIMENT_STATUSES = ("planned", "running")

DEFAULT_LOCAL_KEY = "default"


class Profile(models.Model):
    """One person whose nights are recorded.

    The command line uses one local profile (``local_key="default"``); the web app links a
    profile to its login account through ``user``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="nightspine_profile",
    )
    local_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="names a profile kept on this computer (the command line's is 'default')",
    )
    display_name = models.CharField(max_length=150, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=SEXES, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name or self.local_key or f"profile {self.pk}"


class DiaryEntry(models.Model):
    """One morning's entry: the diary contract's fields sealed in ``health_values``."""

    # no index of its own: the unique (profile, date) index serves every query by profile
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="diary_entries", db_index=False
    )
    date = models.DateField(help_text="the morning after the night")
    # Every health value is sealed at rest in ONE encrypted token per row (storage/fields.py):
    # a JSON object keyed by the diary contract's field names, holding only what was recorded
    # (a missing key = not recorded; an empty list = "none"). One token a row costs one
    # decryption to read, where a token per column cost about 21 (benchmarks/storage_diary.py).
    # The date, origin and the names of measured fields stay plain so entries can be found,
    # ordered and kept one a day.
    health_values = EncryptedJSONField(
        default=dict, blank=True, help_text="the recorded diary fields, sealed in one token"
    )
    origin = models.CharField(max_length=16, choices=ORIGINS, default="typed")
    measured_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name_plural = "diary entries"
        constraints = [
            models.UniqueConstraint(fields=["profile", "date"], name="diary_one_entry_per_date"),
            # the 0-10 and 0-24 ranges are checked by the core (knowledge/fields.py) before
            # every write; the database cannot check encrypted values
        ]
        # The insights' look-up (web/bridges.py) asks for the person's latest save at every
        # view: with this index a seek, without it a read of every entry of the diary.
        indexes = [models.Index(fields=["profile", "updated_at"], name="diary_latest_save")]

    def __str__(self) -> str:
        return f"{self.date} (profile {self.profile_id})"  # type: ignore[attr-defined]


class AssessmentRecord(models.Model):
    """One completed assessment: the answers given, the result and the knowledge it used."""

    # indexed with created_at below (a person's list and latest assessment)
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="assessments", db_index=False
    )
    answers = EncryptedJSONField()
    result = EncryptedJSONField()
    triage_level = models.CharField(max_length=32, help_text="copied from the result for lists")
    reports_warning_signs = EncryptedJSONField(
        null=True,
        blank=True,
        help_text="whether the result reports a warning sign (copied from it, kept encrypted, "
        "so the clinician's list reads one small token instead of the whole result)",
    )
    knowledge_version = models.CharField(max_length=64)
    knowledge_checksum = models.CharField(max_length=128)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["profile", "created_at", "id"], name="assessment_profile_time"),
        ]

    def __str__(self) -> str:
        return f"assessment {self.pk} ({self.triage_level}, {self.created_at:%Y-%m-%d})"


class Experiment(models.Model):
    """A planned N-of-1 trial of one change; at most one planned or running per person."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="experiments")
    change = models.CharField(max_length=64, help_text="the id of the change being tried")
    start_date = models.DateField()
    schedule = EncryptedJSONField(default=dict, help_text="the planned blocks of nights")
    status = models.CharField(max_length=16, choices=EXPERIMENT_STATUSES, default="planned")
    result = EncryptedJSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(status__in=ACTIVE_EXPERIMENT_STATUSES),
                name="experiment_one_active_per_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.change} from {self.start_date} ({self.status})"


REMINDER_KINDS = [("morning", "morning diary entry"), ("evening", "tonight's experiment")]


class ReminderSettings(models.Model):
    """A person's opt-in reminders: by e-mail, and a private calendar feed.

    The e-mail address belongs to the reminders (prefilled from the account's address when
    there is one). The calendar feed's secret is kept only as a SHA-256 hash; a new one
    replaces (revokes) the old. ``time_zone`` is an IANA name such as ``Europe/London``.
    """

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    email = models.EmailField(blank=True, default="")
    time_zone = models.CharField(max_length=64, default="UTC")
    morning = models.BooleanField(default=False, help_text="e-mail the morning diary reminder")
    morning_time = models.TimeField(default="07:30")
    evening = models.BooleanField(default=False, help_text="e-mail tonight's experiment")
    evening_time = models.TimeField(default="21:00")
    feed_token_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminders of profile {self.profile_id}"  # type: ignore[attr-defined]


class SentReminder(models.Model):
    """One reminder e-mail sent: at most one per person, kind and local date (so the sending
    command can run twice, or in two processes at once, and still send once)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sent_reminders")
    kind = models.CharField(max_length=16, choices=REMINDER_KINDS)
    local_date = models.DateField(help_text="the date in the person's time zone")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["local_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind", "local_date"], name="reminder_once_per_kind_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.local_date} (profile {self.profile_id})"  # type: ignore[attr-defined]


UPLOAD_STATUSES = [
    ("waiting", "waiting"),
    ("running", "running"),
    ("done", "done"),
    ("failed", "failed"),
]


class Upload(models.Model):
    """A recording a person sent through the web app, and how far its processing got.

    The file itself lives in the private data folder (``stored_path`` is relative to it);
    ``summary`` holds the measured nights once the processing is done.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="uploads")
    original_name = models.CharField(max_length=255, help_text="the file name as sent")
    stored_path = models.CharField(max_length=500, help_text="relative to the data folder")
    size_bytes = models.BigIntegerField()
    placement = models.CharField(max_length=16, default="chest")
    status = models.CharField(max_length=16, choices=UPLOAD_STATUSES, default="waiting")
    progress_percent = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    summary = EncryptedJSONField(default=dict, blank=True)  # the nights: health data
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="upload_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"
