"""Two-step sign-in (TOTP) and recovery codes, kept by django-allauth's MFA.

allauth stores the authenticator secret and the recovery codes (encrypted with our notes key:
``allauth_glue.MFAAdapter``), checks codes, runs the second step of a web sign-in
(``/login/code``) and the web pages that turn it on and off. What stays ours, and why:

- recovery codes for people **without** two-step sign-in or e-mail: allauth makes them only
  beside an authenticator, but here they are also the way back from a forgotten password
  (``/login/recover``), so ``new_recovery_codes`` makes them for anyone;
- the API's set-up (``POST /api/v1/auth/two-factor`` then ``/confirm``): allauth keeps the
  secret waiting for its first code in the browser session, which an API client using a token
  has not, so the waiting secret is kept in ``PendingSecondFactor`` (encrypted) instead;
- the second step of the API's token sign-in, which has no pages.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, validate_totp_code
from django.db import transaction

from nightspine.web import crypto
from nightspine.web.models import PendingSecondFactor

# --- recovery codes ---


def _recovery(user: Any) -> Authenticator | None:
    return Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
    ).first()


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the login's recovery codes with new ones (shown once; the old stop working)."""
    with transaction.atomic():
        Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
        ).delete()
        codes: list[str] = RecoveryCodes.activate(user).generate_codes()
    return codes


def has_recovery_codes(user: Any) -> bool:
    """Whether the login ever made recovery codes (used up or not)."""
    return _recovery(user) is not None


def recovery_codes_left(user: Any) -> int:
    found = _recovery(user)
    return 0 if found is None else len(RecoveryCodes(found).get_unused_codes())


def use_recovery_code(user: Any, code: str) -> bool:
    """Spend one unused recovery code; False if it is wrong or already used."""
    found = _recovery(user)
    if found is None or not RecoveryCodes(found).validate_code(code.strip()):
        return False
    found.record_usage()
    return True


# --- TOTP ---


def has_second_factor(user: Any) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


def start_setup(user: Any) -> str:
    """A new secret waiting for its first code (or the one already waiting): API set-up."""
    pending, _ = PendingSecondFactor.objects.get_or_create(
        user_id=user.pk, defaults={"secret_ciphertext": crypto.encrypt(generate_totp_secret())}
    )
    return crypto.decrypt(pending.secret_ciphertext)


def provisioning_uri(user: Any, secret: str) -> str:
    return str(get_adapter().build_totp_url(user, secret))


def confirm_setup(user: Any, code: str) -> list[str] | None:
    """Turn two-step sign-in on if ``code`` is the app's current code; the recovery codes."""
    pending = PendingSecondFactor.objects.filter(user_id=user.pk).first()
    if pending is None or has_second_factor(user):
        return None
    secret = crypto.decrypt(pending.secret_ciphertext)
    if not validate_totp_code(secret, code.strip()):
        return None
    with transaction.atomic():
        TOTP.activate(user, secret)
        pending.delete()
        return new_recovery_codes(user)


def check_second_step(user: Any, code: str) -> bool:
    """The API sign-in's second step: the app's code (each accepted once) or a recovery code."""
    totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    if totp is not None and TOTP(totp).validate_code(code.strip()):
        totp.record_usage()
        return True
    return use_recovery_code(user, code)


__all__ = [
    "check_second_step",
    "confirm_setup",
    "has_recovery_codes",
    "has_second_factor",
    "new_recovery_codes",
    "provisioning_uri",
    "recovery_codes_left",
    "start_setup",
    "use_recovery_code",
]
