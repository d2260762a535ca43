"""Key rotation: put a new key in front of the old ones, then re-encrypt every stored value.

``rotate_key_file`` writes the new key first in the ``notes_key`` file (owner-only); the old
keys stay after it so nothing becomes unreadable. ``re_encrypt`` reads every encrypted row
(with any key) and saves it again (with the newest key), which also encrypts plain rows left
from before encryption. Once it has run, the old keys can be removed from the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet

from nightspine.config import NOTES_KEY_FILE, Settings
from nightspine.storage import crypto

ENCRYPTED_FIELDS: dict[str, tuple[str, ...]] = {
    "DiaryEntry": (
        "pain_on_waking",
        "pain_worst_night",
        "stiffness_minutes",
        "woke_from_pain",
        "pain_locations",
        "sleep_position",
        "knee_pillow",
        "pillow",
        "mattress",
        "hours_slept",
        "tosses_and_turns",
        "exercise_minutes",
        "sitting_hours",
        "stress",
        "alcohol_evening",
        "caffeine_evening",
        "screens_in_bed",
        "stretching",
        "heat_or_ice",
        "medications",
        "notes",
    ),
    "AssessmentRecord": ("answers", "result"),
    "Experiment": ("schedule", "result"),
}
"""Every encrypted column, by model of the ``nightspine`` app (docs/security.md lists why the
others stay plain)."""


def key_file(settings: Settings | None = None) -> Path:
    return (settings or Settings()).data_dir / NOTES_KEY_FILE


def rotate_key_file(settings: Settings | None = None) -> Path:
    """Write a new key in front of the current ones in the key file; return the file."""
    chosen = settings or Settings()
    current = crypto.split_keys(chosen.resolved_notes_key())
    path = key_file(chosen)
    new = Fernet.generate_key().decode("ascii")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join((new, *current)) + "\n")
    tmp.replace(path)
    return path


def re_encrypt() -> dict[str, int]:
    """Save every encrypted row again with the newest key; how many rows, by model."""
    from django.apps import apps
    from django.db import transaction

    counts: dict[str, int] = {}
    for model_name, fields in ENCRYPTED_FIELDS.items():
        model = apps.get_model("nightspine", model_name)
        count = 0
        with transaction.atomic():
            for row in model.objects.all().iterator(chunk_size=500):
                row.save(update_fields=list(fields))
                count += 1
        counts[model_name] = count
    if apps.is_installed("nightspine.web"):
        note_model = apps.get_model("web", "EncryptedNote")
        count = 0
        with transaction.atomic():
            for note in note_model.objects.all().iterator(chunk_size=500):
                note.ciphertext = crypto.rotate_token(note.ciphertext)
                note.save(update_fields=["ciphertext"])
                count += 1
        counts["EncryptedNote"] = count
        # computed insights are derived from the diary: dropped, and sealed anew on next view
        snapshots = apps.get_model("web", "InsightsSnapshot")
        counts["InsightsSnapshot"] = snapshots.objects.all().delete()[0]
    return counts
