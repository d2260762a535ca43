"""The ``nightspine`` command: one Typer app, one sub-command group per feature.

Errors from the core arrive as :class:`~nightspine.errors.NightspineError` and are printed as
clear lines on stderr with exit code 2 (bad input) or 1 (anything else); no traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from nightspine import __version__
from nightspine.cli.db import DbOption, choose_database
from nightspine.errors import InvalidInputError, NightspineError

app = typer.Typer(
    name="nightspine",
    help="Night-time back pain: triage, a sleep-and-pain diary and honest insights. "
    "It supports decisions; it does not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nightspine {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    db: DbOption = None,
) -> None:
    """nightspine: supports decisions; it does not diagnose."""
    choose_database(db)


def report_error(exc: NightspineError) -> int:
    """Print ``exc`` for a person on stderr and return the exit code to use."""
    if isinstance(exc, InvalidInputError):
        for problem in exc.problems:
            err_console.print(f"error: {problem}", markup=False, soft_wrap=True)
        return 2
    err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
    return 1


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except NightspineError as exc:
        sys.exit(report_error(exc))


# Feature commands register here, one line each (imported last: they import this module).
from nightspine.cli.assess import assess  # noqa: E402
from nightspine.cli.diary import diary_app  # noqa: E402
from nightspine.cli.insights import experiment_app, insights  # noqa: E402
from nightspine.cli.keys import keys_app  # noqa: E402
from nightspine.cli.reminders import reminders_app  # noqa: E402
from nightspine.cli.report import export, import_, report  # noqa: E402
from nightspine.cli.sensors import sensors_app  # noqa: E402
from nightspine.cli.serve import serve  # noqa: E402

app.command("assess")(assess)
app.add_typer(diary_app, name="diary")
app.command("insights")(insights)
app.add_typer(experiment_app, name="experiment")
app.command("report")(report)
app.command("export")(export)
app.command("import")(import_)
app.add_typer(sensors_app, name="sensors")
app.add_typer(reminders_app, name="reminders")
app.command("serve")(serve)
app.add_typer(keys_app, name="keys")
