"""The web app's own settings, read from the environment (``NIGHTSPINE_*``).

The database is configured by the storage layer (``NIGHTSPINE_DATABASE_URL``); this module adds
only what the web shell needs: secrets, cookie security and the hosts it answers for.
Secrets that are not given are generated once and kept in the user's data folder (mode 0600),
so ``nightspine serve`` works out of the box and keeps sessions and notes readable across restarts.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet
from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """Settings of the web shell; every field can be set as ``NIGHTSPINE_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="NIGHTSPINE_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: user_data_path("nightspine", appauthor=False))
    secret_key: str = ""
    notes_key: str = Field("", description="Fernet key that encrypts free-text notes at rest")
    secure_cookies: bool = Field(False, description="send cookies only over HTTPS")
    allowed_hosts: list[str] = Field(default_factory=lambda: ["127.0.0.1", "localhost", "[::1]"])
    debug: bool = False

    def secret(self) -> str:
        return self.secret_key or _kept_secret(self.data_dir / "secret_key", _new_secret)

    def fernet_key(self) -> str:
        return self.notes_key or _kept_secret(self.data_dir / "notes_key", _new_fernet_key)


def _new_secret() -> str:
    return secrets.token_urlsafe(50)


def _new_fernet_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _kept_secret(path: Path, make: Callable[[], str]) -> str:
    """Read the secret in ``path``, creating it (mode 0600) the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(make())
    return path.read_text(encoding="ascii").strip()


@cache
def web_settings() -> WebSettings:
    return WebSettings()  # type: ignore[call-arg]  # fields come from the environment
