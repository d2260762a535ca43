"""``verify_clinician USERNAME``: staff mark a clinician account as checked (``--undo`` to
take the mark back). Check the person's professional registration before running it."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nightspine.errors import InvalidInputError
from nightspine.web import security_events, services


class Command(BaseCommand):
    help = "Mark a clinician account as verified by staff (people then see no 'unverified' mark)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--note", default="", help="e.g. the registration number checked")
        parser.add_argument("--undo", action="store_true", help="mark the account unverified")

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"])
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"no account {username!r}; check the spelling of the username")
        if options["undo"]:
            services.unverify_clinician(user)
            security_events.record("clinician_unverified", user_id=user.pk)
            self.stdout.write(f"{user.get_username()} is now shown as unverified.")
            return
        try:
            services.verify_clinician(user, by=getpass.getuser(), note=str(options["note"]))
        except InvalidInputError as exc:
            raise CommandError(exc.problems[0].message) from exc
        security_events.record("clinician_verified", user_id=user.pk)
        self.stdout.write(f"{user.get_username()} is now a verified clinician.")
