"""Encryption at rest for the web app: the storage layer's one implementation (with rotation).

Kept as a module so existing imports keep working; see :mod:`nightspine.storage.crypto`.
"""

from __future__ import annotations

from nightspine.storage.crypto import decrypt, encrypt

__all__ = ["decrypt", "encrypt"]
