"""The one place nightspine's settings come from: environment variables ``NIGHTSPINE_*``.

The command line and the web app both read :class:`Settings`; nothing else reads the
environment. Defaults suit one person on their own computer: an SQLite file in the user's data
folder. A server sets ``NIGHTSPINE_DATABASE_URL`` (``postgresql://user:pass@host:5432/name``),
``NIGHTSPINE_SECRET_KEY`` and ``NIGHTSPINE_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nightspine.errors import StorageError

APP_NAME = "nightspine"
SQLITE_FILE = "nightspine.sqlite3"
SECRET_KEY_FILE = "secret_key"
NOTES_KEY_FILE = "notes_key"


def default_data_dir() -> Path:
    """The per-user data folder (``~/.local/share/nightspine`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _split_list(value: Any) -> Any:
    """``"a, b"`` from the environment becomes ``["a", "b"]``; lists pass through."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """nightspine's settings; every field can be set as ``NIGHTSPINE_<FIELD NAME>``."""

    model_config = SettingsConfigDict(env_prefix="NIGHTSPINE_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="where the default SQLite database and the generated secret key live",
    )
    database_url: str | None = Field(
        default=None,
        description="sqlite:///path/to/file.sqlite3 or postgresql://user:pass@host:port/name; "
        "default: an SQLite file in data_dir",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="the web app's signing key; default: generated once and kept in data_dir",
    )
    notes_key: SecretStr | None = Field(
        default=None,
        description="the Fernet key that encrypts free-text health notes at rest in the web "
        "app; default: generated once and kept in data_dir (back it up with the database)",
    )
    debug: bool = False
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "[::1]"],
        description="host names the web app answers to (comma-separated in the environment)",
    )
    csrf_trusted_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="origins such as https://example.org trusted for form posts (comma-separated)",
    )
    secure_cookies: bool = Field(
        default=False,
        description="send session and CSRF cookies over HTTPS only (set behind HTTPS)",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="addresses of the reverse proxies whose X-Forwarded-* headers "
        "`nightspine serve` trusts (comma-separated, or * inside a private container network)",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="the web app's address as people reach it (links in reminder e-mails)",
    )
    email_host: str = Field(
        default="localhost", description="the SMTP server that sends e-mail (reminders)"
    )
    email_port: int = Field(default=25, ge=1, le=65535, description="the SMTP server's port")
    email_host_user: str = Field(default="", description="SMTP user name (empty: no login)")
    email_host_password: SecretStr | None = Field(default=None, description="SMTP password")
    email_use_tls: bool = Field(default=False, description="STARTTLS (usually port 587)")
    email_use_ssl: bool = Field(default=False, description="TLS from the start (port 465)")
    default_from_email: str = Field(
        default="nightspine <nightspine@localhost>", description="the From: of e-mails sent"
    )

    locale: str = Field(
        default="",
        description="the language and country people use the app in, such as en-GB or en-US; "
        "it chooses the default emergency number (999 in the UK, 911 in the US and Canada, "
        "112 elsewhere and when no country is given)",
    )
    emergency_number: str = Field(
        default="",
        pattern=r"^[0-9+ ]*$",
        description="the telephone number the emergency stop screen calls; default: from locale",
    )

    # --- accounts: sign-in, tokens, sessions and e-mail (accounts branch) ---
    api_token_days: int = Field(
        default=30, ge=1, le=365, description="days an API token stays valid after it is issued"
    )
    api_tokens_per_user: int = Field(
        default=10, ge=1, le=100, description="live API tokens a login may hold; the oldest go"
    )
    idle_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="a signed-in browser left this many minutes without a request is signed out",
    )
    email_backend: str | None = Field(
        default=None,
        description="Django e-mail backend; default: SMTP once NIGHTSPINE_EMAIL_HOST is set, "
        "otherwise mails are printed to the console (development)",
    )

    def resolved_email_backend(self) -> str:
        """The configured backend; SMTP when an SMTP host was given; else the console."""
        if self.email_backend:
            return self.email_backend
        if "email_host" in self.model_fields_set:
            return "django.core.mail.backends.smtp.EmailBackend"
        return "django.core.mail.backends.console.EmailBackend"

    upload_max_mb: int = Field(
        default=512,
        ge=1,
        description="the largest recording the web app accepts, in megabytes (a week at 100 Hz "
        "from a wrist or chest sensor is about 300-450 MB)",
    )
    task_worker: bool = Field(
        default=True,
        description="`nightspine serve` starts one background worker that processes uploaded "
        "recordings; set false when you run `django-admin db_worker` yourself",
    )

    _split_hosts = field_validator("allowed_hosts", "csrf_trusted_origins", mode="before")(
        _split_list
    )

    def resolved_emergency_number(self) -> str:
        """The configured emergency number, or the one the locale's country uses."""
        if self.emergency_number.strip():
            return self.emergency_number.strip()
        return emergency_number_for(self.locale)

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one or the default SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / SQLITE_FILE).resolve()}"

    @property
    def uploads_dir(self) -> Path:
        """The private folder where uploaded recordings are kept (inside ``data_dir``)."""
        return self.data_dir / "uploads"

    @property
    def upload_work_dir(self) -> Path:
        """The private folder for plain copies that exist only while a recording is received
        or read (uploads are kept encrypted; see docs/security.md)."""
        return self.uploads_dir / "work"

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024

    def resolved_secret_key(self) -> str:
        """The configured secret key, or one generated once and stored in ``data_dir``.

        The generated key is written with owner-only permissions and reused on every later
        start, so sessions survive restarts. Deployments should set ``NIGHTSPINE_SECRET_KEY``.
        """
        return self._kept_key(self.secret_key, SECRET_KEY_FILE, lambda: secrets.token_urlsafe(50))

    def resolved_notes_key(self) -> str:
        """The configured notes key, or a Fernet key generated once and kept in ``data_dir``."""

        def fernet_key() -> str:
            return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")

        return self._kept_key(self.notes_key, NOTES_KEY_FILE, fernet_key)

    def _kept_key(self, given: SecretStr | None, name: str, make: Callable[[], str]) -> str:
        if given is not None and given.get_secret_value():
            return given.get_secret_value()
        path = self.data_dir / name
        env = f"NIGHTSPINE_{name.upper()}"
        try:
            if path.exists():
                return _read_key(path, env)
            make_private_dir(self.data_dir)
            # Write a complete file, then link it into place: two first starts at once never
            # see a half-written key, and the loser of the race reads the winner's key.
            tmp = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(make() + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
            return _read_key(path, env)
        except OSError as exc:
            raise StorageError(
                f"cannot read or create the key file {path}: {exc}; set "
                f"{env} or NIGHTSPINE_DATA_DIR to a writable folder"
            ) from exc


EMERGENCY_NUMBERS = {"GB": "999", "UK": "999", "IE": "112", "US": "911", "CA": "911"}
"""Emergency numbers by country where they are not 112 (112 works on mobile phones in the EU
and in many other countries)."""


def emergency_number_for(locale: str) -> str:
    """The emergency number for a locale such as ``en-GB`` or ``en_US`` (112 when unknown)."""
    _, _, country = locale.replace("_", "-").partition("-")
    return EMERGENCY_NUMBERS.get(country.upper(), "112")


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if missing; the folder itself is readable by its owner only.

    A folder made by an older version (or by hand) that others can read is narrowed to 0700,
    never widened; a folder that is not ours to change is left as it is.
    """
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask
    elif path.stat().st_mode & 0o077:
        # a shared folder owned by someone else: nothing we may narrow
        with contextlib.suppress(OSError):
            path.chmod(path.stat().st_mode & 0o700)


def make_private_file(path: Path) -> None:
    """Create ``path`` empty if missing, readable and writable by its owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    path.chmod(0o600)


def _read_key(path: Path, env: str = "NIGHTSPINE_SECRET_KEY") -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise StorageError(f"the key file {path} is empty; restore it from a backup, or set {env}")
    return key


__all__ = [
    "Settings",
    "default_data_dir",
    "emergency_number_for",
    "make_private_dir",
    "make_private_file",
]
