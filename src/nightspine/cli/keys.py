"""``nightspine keys``: rotate the encryption key and re-encrypt stored health data."""

from __future__ import annotations

import os

import typer

from nightspine.cli.db import DbOption, open_storage

keys_app = typer.Typer(
    help="Rotate the key that encrypts health data at rest, and re-encrypt what is stored.",
    no_args_is_help=True,
)


@keys_app.command("rotate")
def rotate(db: DbOption = None) -> None:
    """Put a new key first in the key file (old keys kept after it), then re-encrypt."""
    if os.environ.get("NIGHTSPINE_NOTES_KEY"):
        from cryptography.fernet import Fernet

        new = Fernet.generate_key().decode("ascii")
        typer.echo(
            "NIGHTSPINE_NOTES_KEY is set, so the key file is not used. Set it to the new key "
            "followed by the current ones, separated by commas, then run "
            "`nightspine keys re-encrypt`:\n" + new,
            err=True,
        )
        raise typer.Exit(1)
    from nightspine.storage import keys

    path = keys.rotate_key_file()
    typer.echo(f"new key written first in {path}")
    _re_encrypt(db)


@keys_app.command("re-encrypt")
def re_encrypt(db: DbOption = None) -> None:
    """Encrypt every stored health value with the newest key (and any plain one left over)."""
    _re_encrypt(db)


def _re_encrypt(db: str | None) -> None:
    open_storage(db)
    from nightspine.storage import keys

    counts = keys.re_encrypt()
    done = ", ".join(f"{n} {name}" for name, n in counts.items())
    typer.echo(f"re-encrypted with the newest key: {done}. Older keys may now be removed.")
