"""``python -m django clean_up``: remove what has expired. Run it daily (cron, systemd timer).

Removes expired sign-in sessions and the records of reminders sent more than ``--reminder-days``
ago (they only stop a reminder being sent twice on one day). Nothing a person recorded is
touched. Expired API tokens are removed here too once tokens carry an expiry (issue 13, item 2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

REMINDER_DAYS = 30


def clean_up(reminder_days: int = REMINDER_DAYS) -> dict[str, int]:
    """Delete expired sessions and old sent-reminder records; how many of each."""
    from django.contrib.sessions.models import Session

    from nightspine.storage.models import SentReminder

    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    cutoff = timezone.now() - dt.timedelta(days=reminder_days)
    reminders, _ = SentReminder.objects.filter(sent_at__lt=cutoff).delete()
    return {"expired sessions": sessions, "old sent-reminder records": reminders}


class Command(BaseCommand):
    help = "Delete expired sessions and old sent-reminder records (never anything recorded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reminder-days",
            type=int,
            default=REMINDER_DAYS,
            help=f"keep sent-reminder records this many days (default {REMINDER_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for what, count in clean_up(options["reminder_days"]).items():
            self.stdout.write(f"{count} {what} removed")
