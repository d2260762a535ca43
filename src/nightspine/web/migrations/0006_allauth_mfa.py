"""Two-step sign-in moves to django-allauth's MFA (``allauth.mfa``'s Authenticator table).

Each confirmed TOTP secret becomes an allauth TOTP authenticator (still encrypted with the
notes key, as ``allauth_glue.MFAAdapter`` stores them), with a fresh set of allauth recovery
codes (the clinician sees them on the recovery-codes page). Old recovery codes cannot move:
only their hashes were kept, and allauth derives its codes from a secret seed; people without
two-step sign-in see "0 unused" on their account page and make new ones.
Secrets still waiting for their first code stay in ``PendingSecondFactor`` (the API's set-up).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import migrations, models

from nightspine.web import crypto


def _encrypt(text: str) -> str:
    return crypto.encrypt(text).decode("ascii")


def move_confirmed(apps: Any, schema_editor: Any) -> None:
    ours = apps.get_model("web", "SecondFactor")
    authenticator = apps.get_model("mfa", "Authenticator")
    for row in ours.objects.filter(confirmed_at__isnull=False):
        secret = crypto.decrypt(bytes(row.secret_ciphertext))
        authenticator.objects.create(
            user_id=row.user_id, type="totp", data={"secret": _encrypt(secret)}
        )
        authenticator.objects.create(
            user_id=row.user_id,
            type="recovery_codes",
            data={"seed": _encrypt(secrets.token_hex(40)), "used_mask": 0},
        )
        row.delete()


def move_back(apps: Any, schema_editor: Any) -> None:
    ours = apps.get_model("web", "SecondFactor")
    authenticator = apps.get_model("mfa", "Authenticator")
    for row in authenticator.objects.filter(type="totp"):
        secret = crypto.decrypt(row.data["secret"].encode("ascii"))
        ours.objects.update_or_create(
            user_id=row.user_id,
            defaults={"secret_ciphertext": crypto.encrypt(secret), "confirmed_at": row.created_at},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0005_allauth_email"),
        ("mfa", "0003_authenticator_type_uniq"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_confirmed, move_back),
        migrations.RemoveField(model_name="secondfactor", name="confirmed_at"),
        migrations.RemoveField(model_name="secondfactor", name="last_step"),
        migrations.RenameModel(old_name="SecondFactor", new_name="PendingSecondFactor"),
        migrations.AlterField(
            model_name="pendingsecondfactor",
            name="user",
            field=models.OneToOneField(
                on_delete=models.deletion.CASCADE,
                related_name="pending_second_factor",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.DeleteModel(name="RecoveryCode"),
    ]
