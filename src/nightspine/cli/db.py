"""The database the command line works on: ``--db URL``, else ``NIGHTSPINE_DATABASE_URL``, else
the SQLite file in the user's data folder. Every command that stores or reads data calls
:func:`open_profile` (or :func:`open_storage`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from nightspine.storage.models import Profile

DB_HELP = (
    "Database to use: sqlite:///path/file.sqlite3 or postgresql://user:pass@host:5432/name "
    "(default: NIGHTSPINE_DATABASE_URL, else nightspine.sqlite3 in your data folder)."
)

DbOption = Annotated[str | None, typer.Option("--db", metavar="URL", help=DB_HELP)]
"""The ``--db`` option, for any command that opens the database."""

_chosen: dict[str, str | None] = {"url": None}


def choose_database(url: str | None) -> None:
    """Remember the global ``--db`` (given before the command name)."""
    _chosen["url"] = url


def open_storage(db: str | None = None) -> str:
    """Set up storage on ``db`` (or the global choice, or the settings) and return its URL."""
    from nightspine.storage import setup

    return setup(db or _chosen["url"])


def open_profile(db: str | None = None) -> Profile:
    """Open the database and return the local default profile."""
    open_storage(db)
    from nightspine.storage import repository

    return repository.get_or_create_default_profile()
