"""``nightspine diary``: this morning's entry in seconds, the history, import and export.

``add`` with ``--pain`` stores a one-line entry made of the flags given; without it, it asks,
offering last time's sleeping set-up (position, knee pillow, pillow, mattress) as one keypress.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from nightspine.cli.db import DbOption, open_profile
from nightspine.errors import InvalidInputError, NightspineError, Problem

if TYPE_CHECKING:  # the diary model (pydantic, the vocabulary) loads only when a command runs
    from nightspine.diary.entry import DiaryEntry

diary_app = typer.Typer(
    help="The morning diary: one entry per night, keyed by the morning's date.",
    no_args_is_help=True,
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


class FileFormat(StrEnum):
    csv = "csv"
    json = "json"


# The command-line flag of each diary field (for options and for error messages).
FLAGS: dict[str, str] = {
    "date": "--date",
    "pain_on_waking": "--pain",
    "pain_worst_night": "--worst",
    "stiffness_minutes": "--stiffness",
    "woke_from_pain": "--woke",
    "pain_locations": "--where",
    "sleep_position": "--position",
    "knee_pillow": "--knee-pillow",
    "pillow": "--pillow",
    "mattress": "--mattress",
    "hours_slept": "--hours",
    "tosses_and_turns": "--tossed",
    "exercise_minutes": "--exercise",
    "sitting_hours": "--sitting",
    "stress": "--stress",
    "alcohol_evening": "--alcohol",
    "caffeine_evening": "--caffeine",
    "screens_in_bed": "--screens",
    "stretching": "--stretched",
    "heat_or_ice": "--heat-or-ice",
    "medications": "--medication",
    "notes": "--notes",
}

# What the prompts ask, in the order asked.
QUESTIONS: dict[str, str] = {
    "pain_on_waking": "Pain on waking (0-10)",
    "sleep_position": "Position most of the night (back, side, stomach, mixed)",
    "knee_pillow": "Pillow between or under the knees (true/false)",
    "pillow": "Pillow (your label, e.g. cervical)",
    "mattress": "Mattress (your label)",
    "pain_worst_night": "Worst pain during the night (0-10)",
    "hours_slept": "Hours slept",
    "woke_from_pain": "Times woken by pain",
    "tosses_and_turns": "Tossed and turned (true/false)",
    "stiffness_minutes": "Morning stiffness, minutes",
    "pain_locations": (
        "Where it hurt (neck, upper_back, mid_back, lower_back, shoulder_blade, or none)"
    ),
    "exercise_minutes": "Exercise yesterday, minutes",
    "sitting_hours": "Sitting yesterday, hours",
    "stress": "Stress yesterday (0-10)",
    "alcohol_evening": "Alcohol in the evening (true/false)",
    "caffeine_evening": "Caffeine in the evening (true/false)",
    "screens_in_bed": "Screens in bed (true/false)",
    "stretching": "Stretched before bed (true/false)",
    "heat_or_ice": "Heat or ice (true/false)",
    "medications": "Medicines taken (e.g. paracetamol, nsaid, or none)",
    "notes": "Notes",
}
SETUP_FIELDS = ("sleep_position", "knee_pillow", "pillow", "mattress")
QUICK_FIELDS = ("pain_worst_night", "hours_slept", "woke_from_pain")
MORE_FIELDS = tuple(
    f for f in QUESTIONS if f not in ("pain_on_waking", *SETUP_FIELDS, *QUICK_FIELDS)
)


def _handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print product errors as ``error: …`` lines and exit 2 (bad input) or 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except NightspineError as exc:
            from nightspine.cli.main import report_error

            raise typer.Exit(report_error(exc)) from None

    return wrapper


# --------------------------------------------------------------------------------------------
# Options shared by add and edit

DateOpt = Annotated[
    str | None, typer.Option("--date", help="The morning, YYYY-MM-DD, today or yesterday.")
]
PainOpt = Annotated[int | None, typer.Option("--pain", help="Pain on waking, 0-10.")]
WorstOpt = Annotated[int | None, typer.Option("--worst", help="Worst pain in the night, 0-10.")]
StiffOpt = Annotated[int | None, typer.Option("--stiffness", help="Morning stiffness, minutes.")]
WokeOpt = Annotated[int | None, typer.Option("--woke", help="Times woken by pain.")]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        help="Where it hurt (repeat, or join with ';'): neck, lower_back...; 'none' for nowhere.",
    ),
]
PositionOpt = Annotated[
    str | None, typer.Option("--position", help="back, side, stomach or mixed.")
]
KneeOpt = Annotated[
    bool | None, typer.Option("--knee-pillow/--no-knee-pillow", help="Knee pillow used.")
]
PillowOpt = Annotated[str | None, typer.Option("--pillow", help="Your label for the pillow.")]
MattressOpt = Annotated[str | None, typer.Option("--mattress", help="Your label for the mattress.")]
HoursOpt = Annotated[float | None, typer.Option("--hours", help="Hours slept.")]
TossOpt = Annotated[bool | None, typer.Option("--tossed/--no-tossed", help="Tossed and turned.")]
ExerciseOpt = Annotated[int | None, typer.Option("--exercise", help="Exercise yesterday, min.")]
SittingOpt = Annotated[float | None, typer.Option("--sitting", help="Sitting yesterday, hours.")]
StressOpt = Annotated[int | None, typer.Option("--stress", help="Stress yesterday, 0-10.")]
AlcoholOpt = Annotated[bool | None, typer.Option("--alcohol/--no-alcohol", help="Evening alcohol.")]
CaffeineOpt = Annotated[
    bool | None, typer.Option("--caffeine/--no-caffeine", help="Evening caffeine.")
]
ScreensOpt = Annotated[bool | None, typer.Option("--screens/--no-screens", help="Screens in bed.")]
StretchOpt = Annotated[
    bool | None, typer.Option("--stretched/--no-stretched", help="Stretched before bed.")
]
HeatOpt = Annotated[
    bool | None, typer.Option("--heat-or-ice/--no-heat-or-ice", help="Used heat or ice.")
]
MedOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--medication",
        help="Medicine taken (repeat): paracetamol, nsaid...; 'none' for no medicine.",
    ),
]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]


def _flag_values(params: Mapping[str, Any]) -> dict[str, Any]:
    """Field values from the entry flags that were given (``None`` = not given).

    ``params`` are the command's parameters (``add`` and ``edit`` pass ``locals()``), each
    named after its flag in :data:`FLAGS` (``--knee-pillow`` is ``knee_pillow``).
    """
    values: dict[str, Any] = {}
    for name, flag in FLAGS.items():
        if name == "date":  # a word (add) or an argument (edit), read by the command itself
            continue
        value = params[flag.removeprefix("--").replace("-", "_")]
        if value is None:
            continue
        if name in ("pain_locations", "medications"):
            parts = [p.strip() for item in value for p in item.replace(",", ";").split(";")]
            value = tuple(p for p in parts if p)
            if not value:
                continue
            if value == ("none",):  # diary.fileio.NONE_WORD, the CSV's word too
                value = ()  # answered "none": recorded, unlike leaving the flag out
        values[name] = value
    return values


def _date_word(text: str | None) -> dt.date | str:
    """``today`` (also the default) and ``yesterday`` as dates; anything else unchanged."""
    today = dt.date.today()
    if text is None or text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    return text


def _parse_date(text: str | None, what: str = "--date") -> dt.date:
    value = _date_word(text)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            [Problem(what, f"got {text!r}; expected a date written YYYY-MM-DD, today or yesterday")]
        ) from None


def _build_entry(values: Mapping[str, Any]) -> DiaryEntry:
    """Validate ``values``; problems name the command-line flag of each field. A morning after
    today (on this computer's clock) is refused."""
    from nightspine.diary.checks import future_date_problem
    from nightspine.diary.entry import entry_from_values

    try:
        entry = entry_from_values(values, where="entry")
    except InvalidInputError as exc:
        problems = []
        for problem in exc.problems:
            field = problem.location.removeprefix("entry, ")
            flag = FLAGS.get(field)
            location = f"{flag} ({field})" if flag else field
            problems.append(Problem(location, problem.message))
        raise InvalidInputError(problems, what="diary entry") from None
    future = future_date_problem(entry.date, dt.date.today(), where="--date")
    if future is not None:
        raise InvalidInputError([future], what="diary entry")
    return entry


def _confirm_unusual(entry: DiaryEntry) -> None:
    """Ask about unusual values at a terminal; elsewhere say so on stderr (never silently)."""
    from nightspine.diary.checks import unusual_values

    for unusual in unusual_values(entry.model_dump()):
        flag = FLAGS.get(unusual.field, unusual.field)
        if sys.stdin.isatty():
            if not typer.confirm(unusual.question(), default=False):
                raise InvalidInputError(
                    [Problem(flag, f"not saved; give the right value with {flag}")],
                    what="diary entry",
                )
        else:
            err_console.print(
                f"note: {unusual.question()} Saved as given; change it with "
                f"`nightspine diary edit {entry.date.isoformat()} {flag} ...` if not.",
                markup=False,
                soft_wrap=True,
            )


def _write_stdout(text: str) -> None:
    """Write ``text`` unchanged (no newline translation, so CSV's CRLF stays CRLF)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


# --------------------------------------------------------------------------------------------
# Prompts


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(value) or "none"  # diary.fileio.NONE_WORD
    return str(value)


def _ask(name: str, default: Any = None, *, required: bool = False) -> Any:
    """Ask one field until the answer is valid; Enter keeps ``default`` (or skips)."""
    from nightspine.diary.entry import entry_from_values
    from nightspine.diary.fileio import parse_cell
    from nightspine.knowledge.vocabulary import diary_vocabulary

    spec = diary_vocabulary().fields[name]
    label = QUESTIONS[name]
    if not required:
        label += " [Enter to skip]" if default is None else ""
    while True:
        text: str = typer.prompt(
            label,
            default=_show(default) if default is not None else "",
            show_default=default is not None,
        )
        if spec.type == "many-of":
            text = text.replace(",", ";")
        try:
            value = parse_cell(name, text)
            if value is None:
                if required:
                    raise ValueError(f"is required; expected {spec.describe()}")
                return None
            entry_from_values({"date": dt.date.today(), "pain_on_waking": 0, name: value})
            return value
        except InvalidInputError as exc:
            err_console.print(f"  {exc.problems[0].message}", markup=False, soft_wrap=True)
        except ValueError as exc:
            err_console.print(f"  {exc}", markup=False, soft_wrap=True)


def _setup_words(entry: DiaryEntry) -> str:
    parts = []
    if entry.sleep_position:
        parts.append(f"on your {entry.sleep_position}")
    if entry.knee_pillow is not None:
        parts.append("knee pillow" if entry.knee_pillow else "no knee pillow")
    if entry.pillow:
        parts.append(f"pillow: {entry.pillow}")
    if entry.mattress:
        parts.append(f"mattress: {entry.mattress}")
    return ", ".join(parts)


def _interview(values: dict[str, Any], previous: DiaryEntry | None) -> dict[str, Any]:
    """Ask what the flags did not give: pain, the set-up (one keypress if unchanged), a few
    quick ones, then optionally everything else."""
    if "pain_on_waking" not in values:
        values["pain_on_waking"] = _ask("pain_on_waking", required=True)
    missing_setup = [f for f in SETUP_FIELDS if f not in values]
    if missing_setup:
        words = _setup_words(previous) if previous else ""
        if previous and words and typer.confirm(f"Same set-up as last time ({words})?", True):
            for name in missing_setup:
                if getattr(previous, name) is not None:
                    values[name] = getattr(previous, name)
        else:
            for name in missing_setup:
                values[name] = _ask(name, getattr(previous, name) if previous else None)
    for name in QUICK_FIELDS:
        if name not in values:
            values[name] = _ask(name)
    rest = [f for f in MORE_FIELDS if f not in values]
    if rest and typer.confirm("More details (stiffness, stress, evening habits, notes...)?", False):
        for name in rest:
            values[name] = _ask(name)
    return {k: v for k, v in values.items() if v is not None}


# --------------------------------------------------------------------------------------------
# Commands


@diary_app.command("add")
@_handles_errors
def add(
    date: DateOpt = None,
    pain: PainOpt = None,
    worst: WorstOpt = None,
    stiffness: StiffOpt = None,
    woke: WokeOpt = None,
    where: WhereOpt = None,
    position: PositionOpt = None,
    knee_pillow: KneeOpt = None,
    pillow: PillowOpt = None,
    mattress: MattressOpt = None,
    hours: HoursOpt = None,
    tossed: TossOpt = None,
    exercise: ExerciseOpt = None,
    sitting: SittingOpt = None,
    stress: StressOpt = None,
    alcohol: AlcoholOpt = None,
    caffeine: CaffeineOpt = None,
    screens: ScreensOpt = None,
    stretched: StretchOpt = None,
    heat_or_ice: HeatOpt = None,
    medication: MedOpt = None,
    notes: NotesOpt = None,
    same: Annotated[
        bool,
        typer.Option(
            "--same", help="Copy position, knee pillow, pillow and mattress from last time."
        ),
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite an existing entry for that date.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Record this morning's entry: one line with --pain, else a few quick questions.

    Without --pain it asks, offering last time's set-up (position, knee pillow, pillow,
    mattress) as one keypress. With --pain only the flags given are stored; add --same to copy
    the set-up from the previous entry.
    """
    values = {"date": _date_word(date)} | _flag_values(locals())
    if pain is not None:
        entry = _build_entry(values)  # every problem with the flags, before opening the database
        morning = entry.date
    else:
        morning = _parse_date(date)
        values["date"] = morning
    profile = open_profile(db)
    from nightspine.storage import repository

    if not replace and repository.find_entry(profile, morning) is not None:
        _conflict(morning)
    previous = repository.latest_entry(profile, before=morning)
    if same and previous is not None:
        for name in SETUP_FIELDS:
            if name not in values and getattr(previous, name) is not None:
                values[name] = getattr(previous, name)
    entry = _build_entry(values if pain is not None else _interview(values, previous))
    _confirm_unusual(entry)
    repository.save_entry(profile, entry, replace=replace)
    console.print(
        f"Saved the entry for {morning.isoformat()} (pain on waking {entry.pain_on_waking})."
    )


def _conflict(morning: dt.date) -> None:
    from nightspine.errors import ConflictError

    raise ConflictError(
        f"there is already an entry for {morning.isoformat()}; change it with "
        f"`nightspine diary edit {morning.isoformat()}` or add again with --replace"
    )


@diary_app.command("edit")
@_handles_errors
def edit(
    date: Annotated[str, typer.Argument(help="The morning to change, YYYY-MM-DD.")],
    pain: PainOpt = None,
    worst: WorstOpt = None,
    stiffness: StiffOpt = None,
    woke: WokeOpt = None,
    where: WhereOpt = None,
    position: PositionOpt = None,
    knee_pillow: KneeOpt = None,
    pillow: PillowOpt = None,
    mattress: MattressOpt = None,
    hours: HoursOpt = None,
    tossed: TossOpt = None,
    exercise: ExerciseOpt = None,
    sitting: SittingOpt = None,
    stress: StressOpt = None,
    alcohol: AlcoholOpt = None,
    caffeine: CaffeineOpt = None,
    screens: ScreensOpt = None,
    stretched: StretchOpt = None,
    heat_or_ice: HeatOpt = None,
    medication: MedOpt = None,
    notes: NotesOpt = None,
    clear: Annotated[
        list[str] | None,
        typer.Option("--clear", metavar="FIELD", help="Set a field to not recorded (repeat)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Change an entry: the flags given, or (with none) answer each question again."""
    morning = _parse_date(date, "DATE")
    changes = _flag_values(locals())
    from nightspine.diary.entry import CONTRACT_FIELDS

    cleared = list(clear or [])
    bad = [f for f in cleared if f not in CONTRACT_FIELDS or f in ("date", "pain_on_waking")]
    if bad:
        raise InvalidInputError(
            [Problem("--clear", f"cannot clear {f!r}; name an optional diary field") for f in bad]
        )
    profile = open_profile(db)
    from nightspine.storage import repository

    current = repository.get_entry(profile, morning)
    values = {name: getattr(current, name) for name in CONTRACT_FIELDS}
    if changes or cleared:
        values.update(changes)
        for name in cleared:
            values[name] = None
    else:
        for name in QUESTIONS:
            values[name] = _ask(name, values.get(name), required=name == "pain_on_waking")
    entry = _build_entry({k: v for k, v in values.items() if v is not None})
    _confirm_unusual(entry)
    entry = entry.model_copy(
        update={"origin": current.origin, "measured_fields": current.measured_fields}
    )
    repository.save_entry(profile, entry, replace=True)
    console.print(f"Updated the entry for {morning.isoformat()}.")


@diary_app.command("delete")
@_handles_errors
def delete(
    date: Annotated[str, typer.Argument(help="The morning to delete, YYYY-MM-DD.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete one entry (asks first unless --yes)."""
    morning = _parse_date(date, "DATE")
    profile = open_profile(db)
    from nightspine.storage import repository

    repository.get_entry(profile, morning)  # NotFoundError before asking
    if not yes and not typer.confirm(f"Delete the entry for {morning.isoformat()}?", False):
        console.print("Nothing deleted.")
        raise typer.Exit(1)
    repository.delete_entry(profile, morning)
    console.print(f"Deleted the entry for {morning.isoformat()}.")


@diary_app.command("list")
@_handles_errors
def list_(
    start: Annotated[str | None, typer.Option("--from", help="First morning, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last morning, YYYY-MM-DD.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="text, json or csv.")] = (
        ListFormat.text
    ),
    db: DbOption = None,
) -> None:
    """Show the entries, oldest first."""
    first = _parse_date(start, "--from") if start else None
    last = _parse_date(end, "--to") if end else None
    profile = open_profile(db)
    from nightspine.diary.fileio import to_csv, to_json
    from nightspine.storage import repository

    entries = repository.list_entries(profile, first, last)
    if fmt is ListFormat.json:
        _write_stdout(to_json(entries))
        return
    if fmt is ListFormat.csv:
        _write_stdout(to_csv(entries))
        return
    if not entries:
        console.print("No diary entries yet; add this morning's with `nightspine diary add`.")
        return
    table = Table(title=f"Diary: {len(entries)} night(s)", title_justify="left")
    table.add_column("date", no_wrap=True, min_width=10)
    for column in ("pain", "worst", "position", "knee pillow", "pillow", "mattress"):
        table.add_column(column)
    table.add_column("hours", justify="right")
    table.add_column("notes", overflow="ellipsis", max_width=30)
    for e in entries:
        table.add_row(
            e.date.isoformat(),
            str(e.pain_on_waking),
            _show(e.pain_worst_night),
            _show(e.sleep_position),
            _show(e.knee_pillow),
            _show(e.pillow),
            _show(e.mattress),
            _show(e.hours_slept),
            _show(e.notes),
        )
    console.print(table)


@diary_app.command("import")
@_handles_errors
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV or JSON file with the diary's columns.")],
    fmt: Annotated[
        FileFormat | None, typer.Option("--format", help="csv or json (default: from the name).")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows, list the others.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite entries that exist for the same dates.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Import entries, all or nothing: any invalid row refuses the whole file (exit 2)."""
    kind = fmt.value if fmt else ("json" if file.suffix.lower() == ".json" else "csv")
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:  # keep CRs inside cells
            text = handle.read()
    except UnicodeDecodeError:
        raise InvalidInputError(
            [Problem(str(file), "is not UTF-8 text; save it from your spreadsheet as CSV UTF-8")]
        ) from None
    except OSError as exc:
        raise InvalidInputError([Problem(str(file), f"cannot read the file: {exc}")]) from None
    from nightspine.diary.checks import future_date_problem
    from nightspine.diary.fileio import read_file_text

    result = read_file_text(text, fmt=kind)
    today = dt.date.today()
    entries = [e for e in result.entries if e.date <= today]
    problems = list(result.problems) + [
        p
        for e in result.entries
        if (p := future_date_problem(e.date, today, where=f"entry {e.date.isoformat()}"))
    ]
    invalid = len(result.rejected) + len(result.entries) - len(entries)
    if problems and not skip_invalid:
        err_console.print(
            f"Nothing imported: {invalid} invalid row(s). Fix them, or use "
            "--skip-invalid to import the valid rows.",
            markup=False,
            soft_wrap=True,
        )
        raise InvalidInputError(problems, what=str(file))
    profile = open_profile(db)
    from nightspine.storage import repository

    summary = repository.import_entries(profile, entries, replace=replace)
    for problem in problems:
        err_console.print(f"skipped: {problem}", markup=False, soft_wrap=True)
    skipped = f", {invalid} invalid row(s) skipped" if invalid else ""
    console.print(
        f"Imported {summary.total} entr{'y' if summary.total == 1 else 'ies'} "
        f"({len(summary.created)} new, {len(summary.replaced)} replaced{skipped})."
    )


@diary_app.command("export")
@_handles_errors
def export(
    fmt: Annotated[FileFormat, typer.Option("--format", help="csv or json.")] = FileFormat.csv,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: standard output).")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First morning, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last morning, YYYY-MM-DD.")] = None,
    db: DbOption = None,
) -> None:
    """Export the diary with the contract's columns (import gives back the same entries)."""
    first = _parse_date(start, "--from") if start else None
    last = _parse_date(end, "--to") if end else None
    profile = open_profile(db)
    from nightspine.diary.fileio import to_csv, to_json
    from nightspine.storage import repository

    entries = repository.list_entries(profile, first, last)
    text = to_csv(entries) if fmt is FileFormat.csv else to_json(entries)
    if out is None:
        _write_stdout(text)
        return
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInputError([Problem(str(out), f"cannot write the file: {exc}")]) from None
    err_console.print(f"Exported {len(entries)} entries to {out}.", markup=False)


__all__ = ["diary_app"]
