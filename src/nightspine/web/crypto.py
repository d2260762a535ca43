"""Encryption at rest of free-text health notes (Fernet: AES-128-CBC with HMAC-SHA256)."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from nightspine.errors import StorageError


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode("ascii"))


def encrypt(text: str) -> bytes:
    return _fernet(settings.NOTES_KEY).encrypt(text.encode("utf-8"))


def decrypt(token: bytes) -> str:
    try:
        return _fernet(settings.NOTES_KEY).decrypt(bytes(token)).decode("utf-8")
    except InvalidToken as exc:
        raise StorageError(
            "a stored note cannot be decrypted with this NIGHTSPINE_NOTES_KEY; "
            "set the key the notes were written with"
        ) from exc
