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
    "DiaryEntry": ("health_values",),
    "AssessmentRecord": ("answers", "result", "reports_warning_signs"),
    "Experiment": ("schedule", "result"),
    "Upload": ("summary",),
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
    from nightspine.storage.recordings import rotate_upload_files

    counts["uploaded recording files"] = rotate_upload_files()
    if apps.is_installed("nightspine.web"):
        note_model = apps.get_model("web", "EncryptedNote")
        count = 0
        with transaction.atomic():
            for note in note_model.objects.all().iterator(chunk_size=500):
                note.ciphertext = crypto.rotate_token(note.ciphertext)
                note.save(update_fields=["ciphertext"])
                count += 1
        counts["EncryptedNote"] = count
        counts["sign-in secrets"] = _re_encrypt_sign_in_secrets()
        # computed insights are derived from the diary: dropped, and sealed anew on next view
        snapshots = apps.get_model("web", "InsightsSnapshot")
        counts["InsightsSnapshot"] = snapshots.objects.all().delete()[0]
    return counts


def _re_encrypt_sign_in_secrets() -> int:
    """Two-step sign-in's secrets (django-allauth's TOTP keys and recovery-code seeds, and
    secrets waiting for their first code), encrypted with the same keys."""
    from django.apps import apps
    from django.db import transaction

    count = 0
    with transaction.atomic():
        for row in apps.get_model("mfa", "Authenticator").objects.all().iterator(chunk_size=500):
            for name in ("secret", "seed"):
                if name in row.data:
                    token = row.data[name].encode("ascii")
                    row.data[name] = crypto.rotate_token(token).decode("ascii")
            row.save(update_fields=["data"])
            count += 1
        for pending in apps.get_model("web", "PendingSecondFactor").objects.all():
            pending.secret_ciphertext = crypto.rotate_token(pending.secret_ciphertext)
            pending.save(update_fields=["secret_ciphertext"])
            count += 1
    return count
