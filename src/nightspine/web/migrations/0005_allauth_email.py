"""E-mail addresses move to django-allauth's table (its confirmation and reset use it).

Each address is copied with whether it was confirmed; a confirmed one becomes the account's
primary address, as allauth expects. Then our own table goes.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils.timezone import now


def copy_addresses(apps: Any, schema_editor: Any) -> None:
    ours = apps.get_model("web", "EmailAddress")
    theirs = apps.get_model("account", "EmailAddress")
    for row in ours.objects.all():
        verified = row.verified_at is not None
        theirs.objects.get_or_create(
            user_id=row.user_id,
            email=row.email.lower(),
            defaults={"verified": verified, "primary": verified},
        )


def copy_back(apps: Any, schema_editor: Any) -> None:
    ours = apps.get_model("web", "EmailAddress")
    theirs = apps.get_model("account", "EmailAddress")
    for row in theirs.objects.order_by("-verified"):
        ours.objects.get_or_create(
            user_id=row.user_id,
            defaults={"email": row.email, "verified_at": now() if row.verified else None},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0004_clinician_reference"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(copy_addresses, copy_back),
        migrations.DeleteModel(name="EmailAddress"),
    ]
