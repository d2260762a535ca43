"""The second factor of clinicians (TOTP, RFC 6238, with pyotp) and recovery codes.

Recovery codes are one-use codes shown once (only their hashes are kept). They replace a lost
phone at a clinician's sign-in, and a forgotten password for anyone without a verified e-mail.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from nightspine.web import crypto
from nightspine.web.models import RecoveryCode, SecondFactor

ISSUER = "nightspine"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _hash(code: str) -> str:
    clean = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()


# --- recovery codes ---


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the login's recovery codes with ``RECOVERY_CODES`` new ones (shown once)."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user_id=user.pk).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user_id=user.pk, code_hash=_hash(c)) for c in codes
        )
    return codes


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()


def use_recovery_code(user: Any, code: str) -> bool:
    """Spend one unused recovery code; False if it is wrong or already used."""
    with transaction.atomic():
        found = (
            RecoveryCode.objects.select_for_update()
            .filter(user_id=user.pk, code_hash=_hash(code), used_at__isnull=True)
            .first()
        )
        if found is None:
            return False
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
    return True


# --- TOTP ---


def has_second_factor(user: Any) -> bool:
    return SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def start_setup(user: Any) -> SecondFactor:
    """A new (unconfirmed) secret, or the one already waiting to be confirmed."""
    factor, _ = SecondFactor.objects.get_or_create(
        user_id=user.pk, defaults={"secret_ciphertext": crypto.encrypt(pyotp.random_base32())}
    )
    return factor


def secret_of(factor: SecondFactor) -> str:
    """The base-32 TOTP secret (kept encrypted, as the notes are)."""
    return crypto.decrypt(factor.secret_ciphertext)


def provisioning_uri(user: Any, factor: SecondFactor) -> str:
    return pyotp.TOTP(secret_of(factor)).provisioning_uri(
        name=user.get_username(), issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The authenticator-app QR code as inline SVG (drawn here; nothing is fetched)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff"))


def check_code(user: Any, code: str, *, confirming: bool = False) -> bool:
    """Is ``code`` the current 6-digit code (or the one before or after, for clock drift)?

    Each code is accepted once: a code seen over someone's shoulder cannot be replayed.
    """
    digits = "".join(ch for ch in code if ch.isdigit())
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user_id=user.pk).first()
        if factor is None or len(digits) != 6:
            return False
        if factor.confirmed_at is None and not confirming:
            return False
        totp = pyotp.TOTP(secret_of(factor))
        now_step = int(time.time()) // totp.interval
        for step in (now_step - 1, now_step, now_step + 1):
            if step > factor.last_step and secrets.compare_digest(totp.generate_otp(step), digits):
                factor.last_step = step
                if confirming and factor.confirmed_at is None:
                    factor.confirmed_at = timezone.now()
                factor.save(update_fields=["last_step", "confirmed_at"])
                return True
    return False


def remove_second_factor(user: Any) -> None:
    SecondFactor.objects.filter(user_id=user.pk).delete()


def check_second_step(user: Any, code: str) -> bool:
    """A clinician's second step: a TOTP code or one unused recovery code."""
    if check_code(user, code):
        return True
    return use_recovery_code(user, code)


__all__ = [
    "check_code",
    "check_second_step",
    "has_second_factor",
    "new_recovery_codes",
    "provisioning_uri",
    "qr_svg",
    "recovery_codes_left",
    "start_setup",
    "use_recovery_code",
]
