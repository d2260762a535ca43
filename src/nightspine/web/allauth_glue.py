"""What nightspine adds to django-allauth, and why each part is ours.

django-allauth keeps the e-mail addresses, sends and checks the confirmation links and runs the
password reset (its tokens, mails and views, with our templates). Ours, on top of it:

- ``VerifiedOnlyResetForm``: allauth sends a reset link to an unconfirmed address when no
  confirmed one matches; an unconfirmed address may be someone else's, so we send only to
  confirmed ones (and, as before, say the same whether or not an account matched).
- ``AccountAdapter.add_message``: our pages say what happened themselves and show no message
  list, so allauth's flash messages would only pile up in the session.
- the security-event log (:mod:`nightspine.web.security_events`) fed from allauth's signals.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress

from nightspine.web import security_events


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def add_message(self, *args: Any, **kwargs: Any) -> None:
        """No flash messages: each of our pages states the outcome itself."""


class VerifiedOnlyResetForm(ResetPasswordForm):  # type: ignore[misc]
    """allauth's reset form, sending only to confirmed addresses of accounts with a password."""

    users: list[Any]  # set by allauth's clean_email: the accounts the address matched

    def clean_email(self) -> str:
        email: str = super().clean_email()
        confirmed = set(
            EmailAddress.objects.filter(email__iexact=email, verified=True).values_list(
                "user_id", flat=True
            )
        )
        self.users = [
            u for u in self.users if u.pk in confirmed and u.is_active and u.has_usable_password()
        ]
        return email


def _on_email_confirmed(sender: Any, request: Any, email_address: EmailAddress, **_: Any) -> None:
    security_events.record("email_verified", user_id=email_address.user_id)


def _on_password_reset(sender: Any, request: Any, user: Any, **_: Any) -> None:
    security_events.record("password_reset", user_id=user.pk)


def connect() -> None:
    signals.email_confirmed.connect(_on_email_confirmed, dispatch_uid="nightspine_email_ok")
    signals.password_reset.connect(_on_password_reset, dispatch_uid="nightspine_reset")
