"""``clear_sign_ins``: forget what sign-in no longer needs (safe to run twice, e.g. daily from
cron): expired API tokens, ended sessions and their records, failed-password hashes older than
the lock-out window."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from nightspine.web.lockout import forget_old_failures
from nightspine.web.models import ApiToken, SessionRecord


class Command(BaseCommand):
    help = "Delete expired API tokens, ended sessions and old failed-password records."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        tokens, _ = ApiToken.objects.filter(expires_at__lte=now).delete()
        sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
        live = Session.objects.values("session_key")
        records, _ = SessionRecord.objects.exclude(session_key__in=live).delete()
        failures = forget_old_failures()
        self.stdout.write(
            f"deleted {tokens} expired token(s), {sessions} ended session(s), "
            f"{records} session record(s), {failures} old failed-password record(s)"
        )
