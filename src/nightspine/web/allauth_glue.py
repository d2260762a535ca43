"""What nightspine adds to django-allauth, and why each part is ours.

django-allauth keeps the e-mail addresses, sends and checks the confirmation links and runs the
password reset (its tokens, mails and views, with our templates). Ours, on top of it:

- ``VerifiedOnlyResetForm``: allauth sends a reset link to an unconfirmed address when no
  confirmed one matches; an unconfirmed address may be someone else's, so we send only to
  confirmed ones (and, as before, say the same whether or not an account matched).
- ``AccountAdapter.add_message``: our pages say what happened themselves and show no message
  list, so allauth's flash messages would only pile up in the session.
- ``AccountAdapter.login``: a sign-in that paused for its second step resumes with our
  password backend (allauth would look for its own, which we do not use: sign-in is ours).
- ``MFAAdapter``: TOTP secrets and recovery-code seeds are encrypted with the notes key, like
  the health data (allauth keeps them in the clear by default); the QR code is drawn by segno,
  as before, so the page keeps the look that passed axe.
- a wrong second-step code counts as a failed sign-in for django-axes, so the lock-out across
  usernames and addresses also covers guessing codes (allauth's own rate limit stops 5 wrong
  codes in 5 minutes for one login as well).
- the security-event log (:mod:`nightspine.web.security_events`) fed from allauth's signals.
"""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account import signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.mfa import signals as mfa_signals
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.signals import user_login_failed

from nightspine.web import crypto, security_events

PASSWORD_BACKEND = "nightspine.web.lockout.SprayGuardBackend"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def add_message(self, *args: Any, **kwargs: Any) -> None:
        """No flash messages: each of our pages states the outcome itself."""

    def login(self, request: Any, user: Any) -> None:
        if not hasattr(user, "backend"):
            user.backend = PASSWORD_BACKEND
        super().login(request, user)


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    error_messages: ClassVar[dict[str, str]] = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "That code is not right (or was already used). Type the newest code "
        "from your app, or one of your recovery codes.",
    }

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text.encode("ascii"))

    def build_totp_svg(self, url: str) -> str:
        import segno

        return str(segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff"))


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


def _on_code_failed(sender: Any, request: Any, user: Any, **_: Any) -> None:
    credentials = {"username": user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    security_events.record("second_step_failed", user_id=user.pk)


def _on_authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **_: Any
) -> None:
    security_events.record("second_factor_added", user_id=user.pk, kind=authenticator.type)


def _on_authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **_: Any
) -> None:
    security_events.record("second_factor_removed", user_id=user.pk, kind=authenticator.type)


def connect() -> None:
    signals.email_confirmed.connect(_on_email_confirmed, dispatch_uid="nightspine_email_ok")
    signals.password_reset.connect(_on_password_reset, dispatch_uid="nightspine_reset")
    mfa_signals.authentication_failed.connect(_on_code_failed, dispatch_uid="nightspine_code")
    mfa_signals.authenticator_added.connect(_on_authenticator_added, dispatch_uid="nightspine_2fa")
    mfa_signals.authenticator_removed.connect(
        _on_authenticator_removed, dispatch_uid="nightspine_2fa_off"
    )
