"""Encryption at rest of health data (Fernet: AES-128-CBC with HMAC-SHA256), with key rotation.

The keys are the notes key (``NIGHTSPINE_NOTES_KEY``, or the ``notes_key`` file in the data
folder, owner-only), kept apart from the database. Several keys may be given, newest first,
separated by commas or new lines: the first encrypts, every one decrypts (``MultiFernet``), so
``nightspine keys rotate`` can put a new key in front and re-encrypt every row, then the old key
can be removed. The command line and the web app use this one module, so both write the same
encrypted form.
"""

from __future__ import annotations

import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from nightspine.errors import StorageError

TOKEN_PREFIX = "gAAAAA"
"""Every Fernet token (version byte 0x80, base64) starts so; plain legacy values never do."""


def split_keys(text: str) -> tuple[str, ...]:
    """The keys in ``text``: newest first, separated by commas or white space."""
    return tuple(k for k in re.split(r"[\s,]+", text.strip()) if k)


def configured_keys() -> str:
    """The key text in use: the web settings' ``NOTES_KEY`` or the one the environment gives."""
    from django.conf import settings

    given = getattr(settings, "NOTES_KEY", None) if settings.configured else None
    if given:
        return str(given)
    from nightspine.config import Settings

    return Settings().resolved_notes_key()


@cache
def _multi(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in split_keys(keys)])
    except (ValueError, UnicodeEncodeError) as exc:
        raise StorageError(
            "NIGHTSPINE_NOTES_KEY (or the notes_key file) must hold Fernet keys, newest first, "
            "separated by commas or new lines; make one with `nightspine keys rotate`"
        ) from exc


def cipher() -> MultiFernet:
    return _multi(configured_keys())


def encrypt_bytes(data: bytes) -> bytes:
    return cipher().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return cipher().decrypt(bytes(token))
    except InvalidToken as exc:
        raise StorageError(
            "stored health data cannot be decrypted with this NIGHTSPINE_NOTES_KEY; "
            "set the key (or keys) it was written with"
        ) from exc


def rotate_token(token: bytes) -> bytes:
    """``token`` re-encrypted with the newest key (``MultiFernet.rotate``)."""
    try:
        return cipher().rotate(bytes(token))
    except InvalidToken as exc:
        raise StorageError(
            "a stored value cannot be decrypted with any of the keys; add the old key after "
            "the new one and run the command again"
        ) from exc


def is_token(text: str) -> bool:
    return text.startswith(TOKEN_PREFIX)


def encrypt(text: str) -> bytes:
    return encrypt_bytes(text.encode("utf-8"))


def decrypt(token: bytes) -> str:
    return decrypt_bytes(token).decode("utf-8")
