"""Seal each diary entry's health values in ONE encrypted token (``health_values``).

Until now each of the 21 health columns held its own Fernet token, so reading one entry cost
21 decryptions. The values move into one JSON object a row, keyed by the diary contract's field
names, holding only what was recorded. Lists change meaning on the way: an empty list used to
be stored both when the person said "none" and when they were never asked, so nothing tells
the two apart; it becomes "not recorded" (no key), because the product must never claim a
person said something they did not. The reverse migration puts every value back in its column
(a list not recorded becomes the old empty list).
"""

from django.db import migrations

import nightspine.storage.fields

HEALTH_FIELDS = (
    "pain_on_waking", "pain_worst_night", "stiffness_minutes", "woke_from_pain",
    "pain_locations", "sleep_position", "knee_pillow", "pillow", "mattress", "hours_slept",
    "tosses_and_turns", "exercise_minutes", "sitting_hours", "stress", "alcohol_evening",
    "caffeine_evening", "screens_in_bed", "stretching", "heat_or_ice", "medications", "notes",
)  # fmt: skip
LIST_FIELDS = ("pain_locations", "medications")
CHUNK = 500


def seal_values(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Each row's columns (plain or one token each) into one sealed object."""
    row_model = apps.get_model("nightspine", "DiaryEntry")
    for row in row_model.objects.all().iterator(chunk_size=CHUNK):
        sealed = {}
        for name in HEALTH_FIELDS:
            value = getattr(row, name)
            if value is None or (name in LIST_FIELDS and not value):
                continue
            sealed[name] = value
        row.health_values = sealed
        row.save(update_fields=["health_values"])


def unseal_values(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to one column (one token) a value, for the code before this migration."""
    row_model = apps.get_model("nightspine", "DiaryEntry")
    for row in row_model.objects.all().iterator(chunk_size=CHUNK):
        sealed = row.health_values if isinstance(row.health_values, dict) else {}
        for name in HEALTH_FIELDS:
            value = sealed.get(name)
            setattr(row, name, ([] if value is None else value) if name in LIST_FIELDS else value)
        if row.pain_on_waking is None:  # required; a value is never made up
            raise RuntimeError(
                f"the diary entry of {row.date} (profile {row.profile_id}) has no pain on "
                "waking, which the older tables require; export the diary, delete or fix "
                "that entry, then migrate back again"
            )
        row.save(update_fields=list(HEALTH_FIELDS))


class Migration(migrations.Migration):
    dependencies = [
        ("nightspine", "0005_upload_recordings"),
    ]

    operations = [
        migrations.AddField(
            model_name="diaryentry",
            name="health_values",
            field=nightspine.storage.fields.EncryptedJSONField(
                blank=True,
                default=dict,
                help_text="the recorded diary fields, sealed in one token",
            ),
        ),
        # nullable before it goes, so that migrating back can add the column again empty,
        # fill it (unseal_values), then make it required again
        migrations.AlterField(
            model_name="diaryentry",
            name="pain_on_waking",
            field=nightspine.storage.fields.EncryptedJSONField(null=True),
        ),
        migrations.RunPython(seal_values, unseal_values),
        *[migrations.RemoveField(model_name="diaryentry", name=name) for name in HEALTH_FIELDS],
    ]
