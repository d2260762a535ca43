"""``nightspine reminders send``: the web app's reminder e-mails, for cron or a systemd timer.

It uses the web app's settings (``NIGHTSPINE_*``: the database, ``NIGHTSPINE_EMAIL_HOST`` and
the rest of the SMTP settings, ``NIGHTSPINE_PUBLIC_URL`` for the links) and is safe to run twice.
"""

from __future__ import annotations

import os

import typer

reminders_app = typer.Typer(help="Reminder e-mails for the web app's people (opt-in).")


@reminders_app.command("send")
def send() -> None:
    """Send the reminder e-mails due now; each person gets each reminder once a day."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightspine.web.settings")
    import django

    from nightspine.storage.database import run_migrations

    django.setup()
    run_migrations()
    from nightspine.web.reminders import send_due

    sent = send_due()
    for item in sent:
        typer.echo(f"sent the {item.kind} reminder for {item.local_date} to {item.to}")
    typer.echo(f"{len(sent)} reminder(s) sent")
