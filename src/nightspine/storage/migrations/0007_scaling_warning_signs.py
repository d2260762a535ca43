"""Each assessment keeps, encrypted, whether its result reports a warning sign, so the
clinician's list decides "new warning signs since your last look" from one small token per
assessment instead of decrypting and parsing each whole result (issue 13, scaling)."""

from django.db import migrations

import nightspine.storage.fields


def copy_from_results(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Fill the new column of every saved assessment from its (decrypted) result."""
    record = apps.get_model("nightspine", "AssessmentRecord")
    for row in record.objects.filter(reports_warning_signs__isnull=True).iterator(chunk_size=200):
        result = row.result if isinstance(row.result, dict) else {}
        doctor = result.get("for_your_doctor")
        row.reports_warning_signs = isinstance(doctor, dict) and bool(
            doctor.get("warning_signs_reported")
        )
        row.save(update_fields=["reports_warning_signs"])


class Migration(migrations.Migration):
    dependencies = [
        ("nightspine", "0006_sealed_diary_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentrecord",
            name="reports_warning_signs",
            field=nightspine.storage.fields.EncryptedJSONField(
                blank=True,
                help_text="whether the result reports a warning sign (copied from it, kept "
                "encrypted, so the clinician's list reads one small token instead of the whole "
                "result)",
                null=True,
            ),
        ),
        migrations.RunPython(copy_from_results, migrations.RunPython.noop),
    ]
