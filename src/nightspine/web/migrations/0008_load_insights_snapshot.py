import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("nightspine", "0001_initial"),
        ("web", "0007_scaling_last_look_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="InsightsSnapshot",
            fields=[
                (
                    "profile",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="insights_snapshot",
                        serialize=False,
                        to="nightspine.profile",
                    ),
                ),
                ("stamp", models.CharField(max_length=80)),
                ("sealed", models.BinaryField()),
            ],
        ),
    ]
