"""``python -m django send_reminders`` (or ``nightspine reminders send``): send the reminder
e-mails due now. Run it every few minutes from cron or a systemd timer; running it twice, or
twice at once, sends each reminder once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nightspine.web.reminders import send_due


class Command(BaseCommand):
    help = "Send the reminder e-mails that are due now (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due()
        for item in sent:
            self.stdout.write(f"sent the {item.kind} reminder for {item.local_date} to {item.to}")
        self.stdout.write(f"{len(sent)} reminder(s) sent")
